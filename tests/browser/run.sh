#!/usr/bin/env bash
# Browser tests of `skillsite serve` with playwright-core and Debian's Chromium.
#
#   tests/browser/run.sh            # builds the debug binary, installs playwright-core, runs
#
# Needs: node (>= 18), npm, /usr/bin/chromium (`apt-get install chromium`). playwright-core
# downloads no browser; it drives the system one. Environment: SKILLSITE_BIN (a binary to test
# instead of target/debug/skillsite), CHROMIUM, SCREENSHOT_DIR (save overlay screenshots).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT="$(cd ../.. && pwd)"
if [ -z "${SKILLSITE_BIN:-}" ]; then
    (cd "$ROOT" && cargo build --locked --quiet)
    export SKILLSITE_BIN="$ROOT/target/debug/skillsite"
fi
command -v "${CHROMIUM:-/usr/bin/chromium}" >/dev/null || { echo "chromium not found: apt-get install chromium" >&2; exit 1; }
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund
node --test reload.test.mjs
