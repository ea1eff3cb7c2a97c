#!/usr/bin/env bash
# Fails if the page's wasm carries code the README ("What keeps the page small")
# keeps out of it: the standard library's float formatting (core::num::flt2dec,
# Grisu and Dragon4) or float parsing (core::num::dec2flt), or serde_json. Any
# `{}`/`{:?}` of an f64, `parse::<f64>()`, `f64::clamp` with run-time bounds,
# or a Debug of a type with an f64 field in code the page runs brings about
# 23 KB back. Reads the release wasm before wasm-opt (cargo's output, which
# still has its name section), so it needs no tool: run it after
# scripts/build-page.sh (scripts/test-web.sh does).
set -euo pipefail
cd "$(dirname "$0")/.."
wasm="${1:-target/wasm32-unknown-unknown/wasm-release/raft_playground.wasm}"
if [ ! -f "$wasm" ]; then
  echo "no $wasm: build the page first (bash scripts/build-page.sh)" >&2
  exit 1
fi
# Without its names the check below would pass whatever the code is.
if ! grep -aq '15raft_playground' "$wasm"; then
  echo "$wasm has no function names (name section stripped?): cannot check what it holds" >&2
  exit 1
fi
bad=0
# serde_json counts only as a path that goes on into the crate (`10serde_json2de...`):
# a symbol that merely ends with it names the crate that instantiated a generic
# of the standard library (a String's drop, a BTreeMap node's insert), which
# with the rebuilt std may be any crate, serde_json included.
for what in flt2dec dec2flt 'serde_json[0-9]'; do
  if grep -aqE "$what" "$wasm"; then
    echo "the page's wasm holds $what: float formatting/parsing or serde_json is back in code the page runs." >&2
    bad=1
  fi
done
if [ "$bad" != 0 ]; then
  echo "Find the caller: twiggy top -n 100000 $wasm | grep -E 'flt2dec|dec2flt|serde_json';" >&2
  echo "the usual causes and their replacements (crate::decimal) are in README.md, \"What keeps the page small\"." >&2
  exit 1
fi
echo "page code: no float formatting or parsing, no serde_json"
