#!/usr/bin/env bash
# Installs whatever the build and the tests need and is not there yet.
# Every step is skipped when its tool is already installed at the right version.
# `setup.sh --build-only` skips what only the tests need (wasm-pack, Chromium, Playwright).
set -euo pipefail
build_only=false
[ "${1:-}" = "--build-only" ] && build_only=true
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen pinned in Cargo.toml
TRUNK_VERSION=0.21.14          # 0.22 needs a newer rustc than 1.95
BINARYEN_VERSION=132           # Debian's binaryen 108 cannot parse what Rust 1.95 emits

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

# rust-src: the page's release build rebuilds the standard library (scripts/build-page.sh).
for component in rustfmt clippy rust-src; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    log "adding the $component component"
    rustup component add "$component"
  fi
done

if ! rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  log "installing trunk $TRUNK_VERSION"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # not --locked: the registry lacks one of its locked dependency versions
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! $build_only && ! command -v wasm-pack >/dev/null 2>&1; then
  log "installing wasm-pack"
  cargo install wasm-pack --locked || cargo install wasm-pack
fi

if ! $build_only && { ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; }; then
  log "installing chromium and chromium-driver from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# npm tools (wasm-opt from binaryen, terser for the release build's hook,
# playwright-core) live in tools/node_modules.
if [ ! -x tools/node_modules/.bin/wasm-opt ] || [ ! -d tools/node_modules/playwright-core ] || [ ! -d tools/node_modules/terser ]; then
  log "installing binaryen, terser and playwright-core from npm"
  (cd tools && npm ci --no-audit --no-fund --loglevel=error)
fi
# The standard library's own dependencies, for the page's release build, which
# runs offline (scripts/build-page.sh): downloaded once into cargo's cache.
(
  # shellcheck source=scripts/page-env.sh
  source scripts/page-env.sh
  cargo fetch --quiet --target wasm32-unknown-unknown
)
log "toolchain ready"
