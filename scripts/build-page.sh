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
#
# The script worker (src/bin/script_worker.rs: the script language, which the
# page leaves out) is built first, with the same environment and profile but
# without the `page` feature, then wasm-bindgen --target no-modules and
# wasm-opt as trunk treats the page; its files (script-worker.js, -lang.js,
# -lang.wasm) go into the dist folder after trunk, with the Script panel
# itself (www/script-panel.js: plain JavaScript that the page loads when the
# panel is first needed, src/ui/script_panel.rs). First, because building it
# also rebuilds the library's own wasm with its features, which the page's
# build (and scripts/check-page-code.sh, which reads it) must then replace.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
export TRUNK_OFFLINE=true
# shellcheck source=scripts/page-env.sh
source scripts/page-env.sh
# The worker's features: the language, and the engine's features the page has.
# Built only when the page has the Script panel (index.html's data-cargo-features).
features=script-lang,membership,compaction
worker=target/script-worker
rm -rf "$worker"
if grep -q 'data-cargo-features="[^"]*script-panel' index.html; then
  mkdir -p "$worker"
  cargo build --quiet --profile wasm-release --target wasm32-unknown-unknown --bin script_worker \
    --no-default-features --features "$features"
  wasm-bindgen --target no-modules --no-typescript --out-dir "$worker" --out-name script-worker-lang \
    target/wasm32-unknown-unknown/wasm-release/script_worker.wasm
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --converge --low-memory-unused \
    "$worker/script-worker-lang_bg.wasm" -o "$worker/script-worker-lang.wasm"
  rm "$worker/script-worker-lang_bg.wasm"
  cp www/script-worker.js "$worker/"
  # The panel minified as the page's scripts are (terser, from tools/node_modules):
  # it is fetched the first time it is needed, so its comments need not travel.
  tools/node_modules/.bin/terser www/script-panel.js --compress --mangle --ecma 2020 -o "$worker/script-panel.js"
fi
# Trunk keeps wasm-bindgen's snippets (target/wasm-bindgen/release/snippets)
# from build to build: one left by a build with more inline_js snippets (the
# Script panel's transport, say) would be shipped, unused, with a
# modulepreload in index.html (about 700 B gzipped).
rm -rf target/wasm-bindgen/release/snippets
trunk build --release "$@"
# Where trunk wrote the page (--dist DIR, else Trunk.toml's dist).
dist=dist
prev=
for a in "$@"; do
  case "$a" in --dist=*) dist="${a#--dist=}" ;; esac
  [ "$prev" = --dist ] && dist="$a"
  prev="$a"
done
if [ -d "$worker" ]; then
  cp "$worker"/script-worker* "$worker"/script-panel.js "$dist/"
fi
