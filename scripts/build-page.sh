#!/usr/bin/env bash
# Builds the page as deployed: `trunk build --release` into dist/, with the
# panic strategy immediate-abort (a panic is one wasm `unreachable` trap: no
# panic messages, no unwinding or hook code in the wasm; about 10 KB gzipped
# less). That strategy needs the standard library rebuilt (build-std, from the
# rust-src component) and unstable flags, allowed on the stable toolchain by
# RUSTC_BOOTSTRAP=1 for this build only: native builds, `cargo test`,
# `wasm-pack test` and `trunk serve` without --release build as usual. The
# page's crash notice then comes from a listener for the trap (src/api/crash.js),
# not from the panic hook. Extra arguments go to trunk (e.g. --dist DIR).
# scripts/setup.sh adds rust-src and downloads std's own dependencies once, so
# that this offline build finds them.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
export TRUNK_OFFLINE=true
# shellcheck source=scripts/page-env.sh
source scripts/page-env.sh
exec trunk build --release "$@"
