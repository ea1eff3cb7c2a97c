#!/usr/bin/env bash
# Installs whatever is missing, then runs every test:
#   1. the engine, natively (unit, scenario, simulator tests; chaos with 100 seeds)
#   2. the chaos test with 2,000 seeds, in release mode
#   3. the browser tests (wasm-bindgen-test in headless Chromium) and the
#      end-to-end tests against the built page (Playwright)
# Ends with one line "tests: N passed, M failed" and a non-zero exit on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
section() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }

section "formatting and lints"
cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --quiet -- -D warnings
# The page itself builds with the features index.html names (the page, the engine's
# membership and log compaction, the Pseudocode panel); with the Script panel it
# leaves the script language out (script-lang) and asks the script worker, which
# is built without the page (scripts/build-page.sh); the engine alone also builds
# with none of them.
cargo clippy --target wasm32-unknown-unknown --lib --no-default-features --features page,membership,compaction,pseudocode-panel --quiet -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --no-default-features --features page,script-panel,membership,compaction,pseudocode-panel --quiet -- -D warnings
cargo clippy --target wasm32-unknown-unknown --bin script_worker --no-default-features --features script-lang,membership,compaction --quiet -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --no-default-features --quiet -- -D warnings

section "engine: unit, scenario and simulator tests (debug build)"
cargo test 2>&1 | tee -a "$log"
# The page's build of the engine (no default features: no membership, no Script
# panel) runs the library's own tests and the simulator's (the determinism hash among them).
cargo test --lib --test simulator --no-default-features 2>&1 | tee -a "$log"

section "engine: chaos, 2,000 seeds (release build)"
cargo test --release --test chaos -- --nocapture 2>&1 | tee -a "$log"

section "page: browser tests and end-to-end tests"
bash scripts/test-web.sh 2>&1 | tee -a "$log"

# Every runner above prints "test result: ok. N passed; M failed" (cargo, wasm-bindgen-test)
# or "# pass N" / "# fail N" (node's test runner).
passed=$(awk '/test result: [a-zA-Z]+\. [0-9]+ passed/ { for (i = 1; i <= NF; i++) if ($i == "passed;") n += $(i-1) }
               /^# pass [0-9]+/ { n += $3 } END { print n + 0 }' "$log")
failed=$(awk '/test result: [a-zA-Z]+\. [0-9]+ passed/ { for (i = 1; i <= NF; i++) if ($i == "failed;") n += $(i-1) }
               /^# fail [0-9]+/ { n += $3 } END { print n + 0 }' "$log")
echo
echo "tests: $passed passed, $failed failed"
[ "$failed" = 0 ]
