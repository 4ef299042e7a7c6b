#!/usr/bin/env bash
# The built UI (ui/dist, what the app embeds) in headless Chromium under the
# app's Content-Security-Policy, against the real backend (the test host,
# called from Node, never by the page): every request must stay in the app,
# no CSP violation or script error, and no screen may overflow at 1280x720,
# 1920x1080 and 150 %. See tests/no-network/no-network.test.js.
# Then, in the same harness, every screen at 1280x720, 150 % and 200 %: axe-core
# with zero violations, focus rings of 3:1, no text drawn over other text or
# controls, nothing off screen (tests/no-network/a11y-layout.test.js); and the
# desk's flows from the keyboard alone, failing when the focus falls to <body>
# or a focused field is hidden under a sticky bar (keyboard.test.js).
#
#   bash scripts/no-network.sh                  build the UI, then test
#   NO_NETWORK_SKIP_BUILD=1 bash scripts/no-network.sh   reuse ui/dist
#   DERMIS_TESTHOST=path bash scripts/no-network.sh      use that test host binary
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=tests/no-network

if ! command -v "${CHROMIUM_PATH:-/usr/bin/chromium}" >/dev/null 2>&1; then
  echo "no-network: Chromium is missing (apt-get install chromium; scripts/setup.sh does)" >&2
  exit 1
fi
if [ ! -d ui/node_modules ]; then (cd ui && npm ci --no-audit --no-fund); fi
if [ "${NO_NETWORK_SKIP_BUILD:-0}" != "1" ] || [ ! -f ui/dist/index.html ]; then
  npm --prefix ui run build
fi
# The test host (the clinic's command table over HTTP on 127.0.0.1), built if missing.
if [ -z "${DERMIS_TESTHOST:-}" ]; then
  TARGET="${CARGO_TARGET_DIR:-target}"
  case "$TARGET" in /*) ;; *) TARGET="$PWD/$TARGET" ;; esac
  export DERMIS_TESTHOST="$TARGET/debug/dermis-testhost"
  if [ ! -x "$DERMIS_TESTHOST" ]; then cargo build -q -p dermis-testhost; fi
fi
# playwright-core only (it never downloads a browser: the test uses Debian's Chromium).
if [ ! -d "$DIR/node_modules" ] || [ "$DIR/package-lock.json" -nt "$DIR/node_modules/.package-lock.json" ]; then
  (cd "$DIR" && npm ci --no-audit --no-fund --ignore-scripts)
fi
rm -rf "$DIR/.artifacts"
(cd "$DIR" && node --test --test-reporter=spec no-network.test.js a11y-layout.test.js keyboard.test.js)
echo "no-network: screenshots in $DIR/.artifacts"
