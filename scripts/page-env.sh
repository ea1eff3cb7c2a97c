# The environment of the page's release build (sourced by scripts/build-page.sh,
# scripts/serve.sh --release and scripts/setup.sh): the standard library rebuilt
# with the panic strategy immediate-abort, for the wasm32 target only. See
# README "What keeps the page small".
export RUSTC_BOOTSTRAP=1
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
# Without the wasm features reference-types and multivalue (on by default
# since Rust 1.82), wasm-bindgen keeps JS values in its JS-side heap table
# instead of an externref table, and returns pairs through memory: no
# externref/multivalue adapter functions in the wasm (0.9 KB gzipped less
# for the page, though the glue JS grows by 0.4 KB).
# -Zlocation-detail=none: the source locations that panics would name
# (file, line, column) are left out of the wasm; with immediate-abort no panic
# message is ever written, so nothing shows them (1.0 KB gzipped: file names
# of the crate, its dependencies and std, and their location records).
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Ctarget-feature=-reference-types,-multivalue -Zlocation-detail=none"
# The standard library's small-code variants (its `optimize_for_size` feature:
# smaller sorts and integer formatting, the same results).
export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
