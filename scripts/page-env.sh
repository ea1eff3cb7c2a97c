# The environment of the page's release build (sourced by scripts/build-page.sh,
# scripts/serve.sh --release and scripts/setup.sh): the standard library rebuilt
# with the panic strategy immediate-abort, for the wasm32 target only. See
# README "What keeps the page small".
export RUSTC_BOOTSTRAP=1
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort"
# The standard library's small-code variants (its `optimize_for_size` feature:
# smaller sorts and integer formatting, the same results).
export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
