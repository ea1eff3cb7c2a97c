#!/usr/bin/env bash
# The page's tests:
#   1. browser tests (tests/web.rs) with wasm-pack in headless Chromium; fails
#      when no browser test ran (wasm-bindgen-test silently skips a file that
#      lacks run_in_browser, and then exits 0);
#   2. a release build of the page (scripts/build-page.sh), no float formatting/parsing or
#      serde_json in its wasm (scripts/check-page-code.sh), and its gzipped
#      size (limit 300 KB);
#   3. end-to-end tests against dist/ with Playwright (node --test e2e/);
#   4. the frame-time benchmark (prints p50 / p95; asserts nothing).
# Set SKIP_BENCH=1 to skip the benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
export TRUNK_OFFLINE=true
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

section() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT

section "browser tests (wasm-bindgen-test, headless Chromium)"
# The runner gives the whole suite WASM_BINDGEN_TEST_TIMEOUT seconds (20 by
# default) and then says "Failed to detect test as having been run"; on a
# loaded 2-core machine the 51 tests took longer than 20 s (session 30: cut
# off after 31 passed tests). 150 s is far above any passing run (30 to 90 s).
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-150}"
set +e
wasm-pack test --headless --chrome -- --test web 2>&1 | tee "$out"
status=${PIPESTATUS[0]}
# The harness sometimes loses its own test page before any test runs: it
# prints "Loading scripts..." and never "Loading Wasm module...", chromedriver
# says "Timed out receiving message from renderer" when the page load times out,
# and the runner "Failed to detect test as having been run". Seen in about half
# of the CI runs of sessions 28 and 29, on quiet and on loaded machines, mostly
# on the first run after a build (wasm-pack issue 783 reports the same, open);
# webdriver.json caps the page load at 60 s (chromedriver's default is 300 s;
# passing runs load the page in well under a second on a quiet machine, but
# a loaded one took more than 30 s, the cap before session 30). Session 30
# saw the hang more often (in 4 of its 5 CI runs, up to twice in a row, with
# a 120 s cap too, so it is a hang, not slowness), and a lost page costs the
# cap plus the suite's timeout (the runner goes on polling). That case (no
# "test result:" line and that message) is run again, at most four times,
# saying so; a failing
# test (a "test result:" line) is never run again.
for attempt in 1 2 3 4; do
  if [ "$status" != 0 ] && ! grep -q '^test result: ' "$out" && grep -q 'Failed to detect test as having been run' "$out"; then
    echo "browser tests: the harness lost the test page before any result (see above); running them again ($attempt of 4)" >&2
    wasm-pack test --headless --chrome -- --test web 2>&1 | tee "$out"
    status=${PIPESTATUS[0]}
  fi
done
set -e
ran=$(awk '/^test result: / { for (i = 1; i <= NF; i++) if ($i == "passed;") n += $(i-1) } END { print n + 0 }' "$out")
failed=$(awk '/^test result: / { for (i = 1; i <= NF; i++) if ($i == "failed;") n += $(i-1) } END { print n + 0 }' "$out")
if [ "$status" != 0 ] || [ "$failed" != 0 ]; then
  echo "browser tests failed (exit $status, $failed failed)" >&2
  exit 1
fi
if [ "$ran" = 0 ]; then
  echo "no browser test ran: is wasm_bindgen_test_configure!(run_in_browser) missing from tests/web.rs?" >&2
  exit 1
fi
echo "browser tests: $ran ran and passed"

section "release build of the page (scripts/build-page.sh)"
bash scripts/build-page.sh
bash scripts/check-page-code.sh
# The page is what index.html loads, and raft-playground-embed.js (the small
# client a teacher's page includes to drive the playground in an iframe: issue
# 11 asks the budget to hold with it). embed.html (an example of a teacher's
# page that embeds the playground in iframes) is another page: printed, not
# counted, unless index.html itself refers to it.
# The Script panel (script-panel.js, loaded when the panel is first needed)
# and the script worker's files (script-worker*.js, .wasm: the script
# language, which the panel runs in a Web Worker when it first runs a script)
# are printed and counted apart: not part of the page as it opens.
total=0
others=0
worker=0
for f in dist/*.wasm dist/*.js dist/snippets/*/*.js dist/*.css dist/*.html; do
  [ -e "$f" ] || continue
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  base=$(basename "$f")
  case "$base" in
    script-worker* | script-panel.js)
      worker=$((worker + gz))
      printf '  %-48s %9d bytes, %8d gzipped (the Script panel and its worker)\n' "$f" "$raw" "$gz"
      continue
      ;;
  esac
  if [ "$base" = embed.html ] && ! grep -q "$base" dist/index.html; then
    others=$((others + gz))
    printf '  %-48s %9d bytes, %8d gzipped (not the page: for host pages)\n' "$f" "$raw" "$gz"
    continue
  fi
  total=$((total + gz))
  printf '  %-48s %9d bytes, %8d gzipped\n' "$f" "$raw" "$gz"
done
# Data fetched beside the page when a panel first needs it (the Pseudocode
# panel's text, the Legend/help/Setup texts; the lessons' recordings and the
# scenarios under dist/lessons and dist/scenarios): printed, not counted.
for f in dist/*.txt; do
  [ -e "$f" ] || continue
  printf '  %-48s %9d bytes, %8d gzipped (data fetched when a panel needs it: not counted)\n' "$f" "$(stat -c %s "$f")" "$(gzip -9 -c "$f" | wc -c)"
done
awk -v t="$total" 'BEGIN { printf "page size: %d bytes gzipped (wasm + js + css + html that index.html loads, and raft-playground-embed.js) = %.1f KB; limit 300 KB\n", t, t / 1024 }'
echo "host-page example (embed.html): $others bytes gzipped, not counted"
echo "loaded when the Script panel first opens (script-panel.js) or first runs a script (the script worker): $worker bytes gzipped, not counted in the page"
if { [ ! -e dist/script-panel.js ] || [ ! -e dist/script-worker.js ]; } && grep -q 'script-panel' index.html; then
  echo "the page has the Script panel but dist/ lacks script-panel.js or the script worker (scripts/build-page.sh copies and builds them)" >&2
  exit 1
fi
if [ "$total" -gt $((300 * 1024)) ]; then
  echo "the page is over 300 KB gzipped" >&2
  exit 1
fi

section "end-to-end tests (Playwright, headless Chromium)"
node --test --test-reporter=tap e2e/

if [ "${SKIP_BENCH:-0}" != 1 ]; then
  section "frame-time benchmark (9 servers, ~50 messages in flight)"
  # The bench measures the page on a machine left to it: right after the
  # end-to-end tests, browsers and servers they started may still be ending.
  # Print what runs, then wait (at most 90 s) until no other Chromium is left
  # and the 1-minute load average is under 1.5, and say what it was.
  busy() { ps -eo pcpu=,etime=,args= --sort=-pcpu | awk '$1 > 5' | cut -c1-160 | head -5; }
  echo "before the bench: load $(cut -d' ' -f1-3 /proc/loadavg); busy processes:"
  busy
  for _ in $(seq 1 18); do
    if ! pgrep -f '/chromium' >/dev/null && awk '{ exit !($1 < 1.5) }' /proc/loadavg; then break; fi
    sleep 5
  done
  echo "bench starts: load $(cut -d' ' -f1-3 /proc/loadavg); other Chromium processes: $(pgrep -fc '/chromium' || true)"
  node e2e/bench.mjs
fi
