#!/usr/bin/env bash
# The Debian package, end to end: builds it twice from the same code (version A,
# then A with the patch number + 1, which only relinks the app), then
# tests/package/package.test.js installs A with dpkg -i, starts /usr/bin/… under
# Xvfb through WebDriver, makes a clinic and a patient, installs B over it and
# finds the patient again (see that file). Needs root for dpkg.
#
#   bash scripts/package-test.sh
#   PACKAGE_TEST_SKIP_BUILD=1 bash scripts/package-test.sh   reuse target/package-test/*.deb
#   PACKAGE_TEST_KEEP=1 …                                     leave Dermis installed afterwards
#
# The packages are built with the release profile minus LTO, with 16 codegen
# units and incremental compilation of the workspace crates
# (CARGO_PROFILE_RELEASE_LTO=false, _CODEGEN_UNITS=16, _INCREMENTAL=true):
# what is tested is the packaging, not the last few percent of speed, and this
# saves minutes on CI's two cores (B's rebuild: ~70 s instead of ~140 s).
# Set them yourself to test the shipping profile.
# The shipping package is built with: npm --prefix ui run tauri -- build --bundles deb
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never
export CI=true   # tauri build: no prompts

if [ "$(id -u)" -ne 0 ]; then
  echo "package-test: dpkg -i needs root; run as root (CI does)" >&2
  exit 1
fi
missing=()
for tool in node npm dpkg dpkg-deb Xvfb WebKitWebDriver tauri-driver; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "package-test: missing ${missing[*]} (run scripts/setup.sh)" >&2
  exit 1
fi

TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
OUT="$TARGET_DIR/package-test"
VERSION_A=$(node -p "require('./src-tauri/tauri.conf.json').version")
VERSION_B=$(node -p "const [a,b,c]=process.argv[1].split('.').map(Number); [a,b,c+1].join('.')" "$VERSION_A")
export CARGO_PROFILE_RELEASE_LTO="${CARGO_PROFILE_RELEASE_LTO:-false}"
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS="${CARGO_PROFILE_RELEASE_CODEGEN_UNITS:-16}"
# Incremental for the workspace crates: B's rebuild recompiles only what the new version touches.
export CARGO_PROFILE_RELEASE_INCREMENTAL="${CARGO_PROFILE_RELEASE_INCREMENTAL:-true}"

build_deb() { # version → $OUT/dermis-<version>.deb
  local version="$1" start end deb
  start=$(date +%s)
  npm --prefix ui run tauri -- build --bundles deb --config "{\"version\":\"$version\"}"
  end=$(date +%s)
  deb=$(ls -t "$TARGET_DIR"/release/bundle/deb/*_"${version}"_*.deb | head -n 1)
  cp -f "$deb" "$OUT/dermis-$version.deb"
  echo "package-test: built $(basename "$deb") in $((end - start)) s" | tee -a "$OUT/timings.txt"
}

if [ "${PACKAGE_TEST_SKIP_BUILD:-0}" != "1" ]; then
  rm -rf "$OUT"
  mkdir -p "$OUT"
  if [ ! -d ui/node_modules ]; then (cd ui && npm ci --no-audit --no-fund); fi
  echo "package-test: building $VERSION_A (release, LTO off) and $VERSION_B (same code: only the app crate rebuilds)"
  build_deb "$VERSION_A"
  build_deb "$VERSION_B"
fi
for v in "$VERSION_A" "$VERSION_B"; do
  [ -f "$OUT/dermis-$v.deb" ] || { echo "package-test: $OUT/dermis-$v.deb is missing (run without PACKAGE_TEST_SKIP_BUILD)" >&2; exit 1; }
done

if [ ! -d tests/e2e/node_modules ] || [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]; then
  (cd tests/e2e && npm ci --no-audit --no-fund --ignore-scripts)
fi

start=$(date +%s)
PACKAGE_DEB_A="$OUT/dermis-$VERSION_A.deb" PACKAGE_DEB_B="$OUT/dermis-$VERSION_B.deb" \
  PACKAGE_VERSION_A="$VERSION_A" PACKAGE_VERSION_B="$VERSION_B" \
  node --test --test-concurrency=1 --test-reporter=tap tests/package/package.test.js
echo "package-test: install and upgrade test passed in $(( $(date +%s) - start )) s" | tee -a "$OUT/timings.txt"
