#!/usr/bin/env bash
# Installs whatever is missing to build, run and test Dermis on Debian/Ubuntu.
# Safe to run again: it only installs what is not there yet.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Debian packages: WebKitGTK for the Tauri window, Xvfb + WebKitWebDriver for
# the end-to-end tests, poppler/imagemagick to look at output, Noto fonts so
# every script renders, dbus-daemon and xdotool for the desktop tests, Chromium for
# the no-network test (tests/no-network), PostgreSQL for the clinic-server
# store tests (they start a throwaway cluster of their own; the package's
# default cluster is not used), 7-Zip to open an encrypted clinic's AES export
# the way a patient would (tests/encrypted_export.rs).
PKGS=(build-essential pkg-config curl libssl-dev libwebkit2gtk-4.1-dev librsvg2-dev
      libayatana-appindicator3-dev xvfb xauth webkit2gtk-driver poppler-utils
      fonts-noto-core fonts-noto-cjk dbus-daemon chromium xdotool postgresql openssl 7zip)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Rust (Tauri 2 needs a recent toolchain; Debian's cargo is too old).
if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: installing Rust with rustup"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c clippy,rustfmt
  export PATH="$HOME/.cargo/bin:$PATH"
fi

# Node.js 18+ for the UI build: the Node that Debian 12 (18.20) and Ubuntu
# 24.04 (18.19) ship is enough (Vite 6, Vitest 3; scripts/debian-node-check.sh
# proves it in CI), so Debian's own nodejs package is all a fresh machine needs.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "setup: installing Node.js"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi
node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$node_major" -lt 18 ]; then
  echo "setup: Node.js $(node --version 2>/dev/null) is too old for the UI build; Dermis needs Node.js 18 or newer (Debian 12's nodejs package is enough)." >&2
  exit 1
fi

# UI packages (exact versions from the lockfile).
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  (cd ui && npm ci --no-audit --no-fund)
fi

# The WebDriver bridge for the end-to-end tests.
if [ "${DERMIS_SETUP_E2E:-1}" = "1" ]; then
  if ! command -v tauri-driver >/dev/null 2>&1; then
    cargo install tauri-driver --locked
  fi
  if [ -f tests/e2e/package-lock.json ] && { [ ! -d tests/e2e/node_modules ] || [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]; }; then
    (cd tests/e2e && npm ci --ignore-scripts --no-audit --no-fund)
  fi
  # playwright-core for the no-network test (it uses Debian's Chromium, never downloads one).
  if [ -f tests/no-network/package-lock.json ] && { [ ! -d tests/no-network/node_modules ] || [ tests/no-network/package-lock.json -nt tests/no-network/node_modules/.package-lock.json ]; }; then
    (cd tests/no-network && npm ci --ignore-scripts --no-audit --no-fund)
  fi
fi
echo "setup: everything is installed"
