#!/usr/bin/env bash
# Fails if the page's wasm carries code the README ("What keeps the page small")
# keeps out of it: the standard library's float formatting (core::num::flt2dec,
# Grisu and Dragon4) or float parsing (core::num::dec2flt), serde_json, or the
# Debug of strings and characters (char::escape_debug_ext and the tables of
# core::unicode::printable). Any `{}`/`{:?}` of an f64, `parse::<f64>()`,
# `f64::clamp` with run-time bounds, or a Debug of a type with an f64 field in
# code the page runs brings about 23 KB back; a `{:?}` of a str, String or char
# (or of a type holding one) about 2.8 KB: write `crate::quote::Quoted(..)` /
# `QuotedChar(..)` with `{}` instead. Reads the release wasm before wasm-opt (cargo's output, which
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
# serde_json's own code has names with a path inside the crate ("10serde_json" then the
# length of the next segment: _ZN10serde_json3ser..., ..._10serde_json5value...). A name
# that merely ends in "10serde_json" is a generic of the standard library (String's Debug,
# a Vec's drop) that the build with build-std (scripts/build-page.sh) names after the first
# crate instantiating it: not serde_json's code.
for what in flt2dec dec2flt '10serde_json[0-9]' escape_debug_ext 'unicode[0-9]*printable'; do
  if grep -aqE "$what" "$wasm"; then
    echo "the page's wasm holds $what: float formatting/parsing, serde_json or the Debug of strings is back in code the page runs." >&2
    bad=1
  fi
done
if [ "$bad" != 0 ]; then
  echo "Find the caller: twiggy top -n 100000 $wasm | grep -E 'flt2dec|dec2flt|serde_json|escape_debug_ext|printable';" >&2
  echo "the usual causes and their replacements (crate::decimal) are in README.md, \"What keeps the page small\"." >&2
  exit 1
fi
echo "page code: no float formatting or parsing, no serde_json, no Debug of strings"
