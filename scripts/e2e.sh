#!/usr/bin/env bash
# End-to-end tests: the real Dermis app (UI embedded) in a window under Xvfb,
# driven through tauri-driver / WebKitWebDriver by WebdriverIO (tests/e2e).
#
#   bash scripts/e2e.sh                    build the UI and the app, run every spec
#   E2E_SKIP_BUILD=1 bash scripts/e2e.sh   reuse the last e2e build (target/e2e/dermis-app)
#   bash scripts/e2e.sh specs/patients.test.js   run only the given spec files (relative to tests/e2e)
#
# Screenshots and driver logs go to tests/e2e/.artifacts/. Needs Xvfb,
# WebKitWebDriver (webkit2gtk-driver) and tauri-driver: scripts/setup.sh installs them.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never
# The app's date format follows the locale until the clinic chooses one; the
# specs read ISO dates on every machine.
export LC_ALL=C.UTF-8

E2E_DIR="$ROOT/tests/e2e"
ARTIFACTS="$E2E_DIR/.artifacts"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
# The e2e binary is copied out of target/debug: any later `cargo build`/`cargo test`
# of the workspace rebuilds target/debug/dermis-app without custom-protocol (it
# would then load the Vite dev server instead of the embedded UI).
E2E_BIN="$TARGET_DIR/e2e/dermis-app"

missing=()
for tool in node npm Xvfb WebKitWebDriver tauri-driver; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "e2e: missing ${missing[*]} (run scripts/setup.sh)" >&2
  exit 1
fi

if [ "${E2E_SKIP_BUILD:-0}" != "1" ]; then
  echo "e2e: building the UI"
  if [ ! -d ui/node_modules ]; then (cd ui && npm ci --no-audit --no-fund); fi
  npm --prefix ui run build
  echo "e2e: building the app with the UI embedded (custom-protocol)"
  cargo build -p dermis-app --features custom-protocol
  mkdir -p "$(dirname "$E2E_BIN")"
  cp -f "$TARGET_DIR/debug/dermis-app" "$E2E_BIN.tmp"
  mv -f "$E2E_BIN.tmp" "$E2E_BIN"
  # The command line seeds databases for the specs that start from a prepared clinic.
  # Built as the workspace's tests build it (its `cli` test needs the binary):
  # after `cargo test --workspace` this is already fresh, where `cargo build -p
  # dermis-cli` resolved other dependency features and rebuilt 16 crates (1.5 min).
  cargo test --workspace --test cli --no-run
  cp -f "$TARGET_DIR/debug/dermis" "$TARGET_DIR/e2e/dermis"
elif [ ! -x "$E2E_BIN" ]; then
  echo "e2e: E2E_SKIP_BUILD=1 but there is no e2e build at $E2E_BIN: run once without it" >&2
  exit 1
fi

# WebdriverIO and friends, exact versions from the lockfile. --ignore-scripts: some
# of webdriverio's dependencies try to download browser drivers on install.
if [ ! -d "$E2E_DIR/node_modules" ] || [ "$E2E_DIR/package-lock.json" -nt "$E2E_DIR/node_modules/.package-lock.json" ]; then
  echo "e2e: installing tests/e2e node modules"
  (cd "$E2E_DIR" && npm ci --no-audit --no-fund --ignore-scripts)
fi

rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS"

specs=("$@")
if [ "${#specs[@]}" -eq 0 ]; then specs=(specs/); fi

echo "e2e: running ${specs[*]} against $E2E_BIN"
status=0
(cd "$E2E_DIR" && DERMIS_APP_BINARY="$E2E_BIN" DERMIS_CLI_BINARY="$TARGET_DIR/e2e/dermis" node --test --test-concurrency=1 --test-reporter=tap "${specs[@]}") || status=$?

shots=$(find "$ARTIFACTS" -maxdepth 1 -name '*.png' | wc -l)
echo "e2e: $shots screenshot(s) and the driver logs are in $ARTIFACTS"
if [ "$status" -ne 0 ]; then
  echo "e2e: FAILED (exit $status); see FAILED-*.png and logs/ in $ARTIFACTS" >&2
fi
exit "$status"
