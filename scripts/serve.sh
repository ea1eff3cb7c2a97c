#!/usr/bin/env bash
# Installs what the build needs if missing, then builds the page and serves it
# with live rebuilds at http://127.0.0.1:8080/ (trunk serve).
# Pass --release for the optimised build, as deployed (the environment of
# scripts/build-page.sh: the panic strategy immediate-abort).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --build-only
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
export TRUNK_OFFLINE=true
case " $* " in
  # shellcheck source=scripts/page-env.sh
  *" --release "*) source scripts/page-env.sh ;;
esac
exec trunk serve "$@"
