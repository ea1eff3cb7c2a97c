#!/usr/bin/env bash
# Mutation testing of the Raft node (src/raft/ only) with cargo-mutants.
#
# cargo-mutants changes the node's code one small way at a time (a `>` becomes
# `>=`, a function returns a default, a `!` goes away, ...), builds, and runs the
# tests; a mutant that no test notices ("missed") points at a rule no test pins
# down. Two passes, both in debug builds without debug info:
#   1. every mutant against the fast native suites tests/raft_rules.rs,
#      tests/scenarios.rs, tests/simulator.rs, tests/membership.rs and
#      tests/compaction.rs;
#   2. only the mutants pass 1 missed or timed out, again with the library's unit
#      tests and tests/chaos.rs added (its debug build: 100 seeds shared among
#      the chaos variants); too slow for every mutant on 2 cores (the unit tests
#      build the whole crate a second time, in test mode).
# Not run: the release chaos (2,000 seeds) and the browser and end-to-end tests.
#
# Results: target/mutants/mutants.out/ (caught.txt, missed.txt, timeout.txt,
# unviable.txt; pass 2 adds pass 1's caught ones to previously_caught.txt).
# Exit status 0 when no mutant was missed.
#
# Not part of scripts/test.sh or CI: it takes about an hour on the 2-core machine
# (the README's "Mutation testing" section has the figures). MUTANTS_JOBS=n runs n
# mutants at once (default 1); extra arguments go to cargo-mutants (e.g. -F REGEX;
# not --iterate, which pass 2 adds itself).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

CARGO_MUTANTS_VERSION=27.1.0
if [ "$(cargo mutants --version 2>/dev/null | awk '{print $2}')" != "$CARGO_MUTANTS_VERSION" ]; then
  echo "[mutants] installing cargo-mutants $CARGO_MUTANTS_VERSION"
  cargo install cargo-mutants --version "$CARGO_MUTANTS_VERSION" --locked
fi

jobs=${MUTANTS_JOBS:-1}
out=target/mutants
# The suites go to every cargo call (-C), so that each mutant's build links
# only them, not the other test binaries and the examples.
fast=(-C=--test=raft_rules -C=--test=scenarios -C=--test=simulator -C=--test=membership -C=--test=compaction)
# `src/raft/**`: the node's submodules (src/raft/node/*.rs) too.
common=(--file 'src/raft/**/*.rs' --jobs "$jobs" --output "$out" "$@")
# No debug info: the test binaries link several times faster, and no test reads it.
export CARGO_PROFILE_DEV_DEBUG=0

mkdir -p "$out"
start=$(date +%s)
echo "[mutants] pass 1: every mutant of src/raft/ against the fast suites"
# cargo-mutants exits 2 when some mutant was missed and 3 when some timed out: pass 2 retries those.
pass1=0
nice -n 15 cargo mutants "${common[@]}" "${fast[@]}" || pass1=$?
case $pass1 in 0 | 2 | 3) ;; *) exit "$pass1" ;; esac
echo "[mutants] pass 2: the missed and timed-out ones again, with the unit tests and the debug chaos test"
status=0
nice -n 15 cargo mutants --iterate "${common[@]}" "${fast[@]}" -C=--lib -C=--test=chaos || status=$?
echo "[mutants] wall time: $(( ($(date +%s) - start) / 60 )) min"
count() { if [ -f "$1" ]; then wc -l < "$1"; else echo 0; fi; }
p1=$out/mutants.out.old p2=$out/mutants.out
echo "[mutants] pass 1: $(count $p1/caught.txt) caught, $(count $p1/unviable.txt) unviable," \
  "$(count $p1/missed.txt) missed, $(count $p1/timeout.txt) timed out"
echo "[mutants] pass 2: $(count $p2/caught.txt) more caught with the unit and chaos tests," \
  "$(count $p2/missed.txt) missed ($p2/missed.txt), $(count $p2/timeout.txt) timed out"
exit "$status"
