#!/usr/bin/env bash
# Proves the UI builds, type-checks and runs its tests on the Node.js that a
# fresh Debian 12 ships (nodejs 18.20 from bookworm; Ubuntu 24.04 ships 18.19),
# not only on the newer Node this machine may have. Debian's own packages are
# downloaded from the configured apt sources and unpacked beside the checkout
# (apt-get download + dpkg -x), never installed: Debian's node loads some of its
# built-in modules from /usr/share/nodejs, so that folder is bind-mounted from
# the unpacked copy inside a private mount namespace (unshare -m) for the run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
WORK="${CARGO_TARGET_DIR:-$ROOT/target}/debian-node"
PKGS=(nodejs libnode108 libuv1 libc-ares2 node-acorn node-cjs-module-lexer node-undici)

# The newest version of each package that Debian's own archive offers (not a
# third-party repository's, e.g. NodeSource's nodejs 20).
version_of() {
  apt-cache madison "$1" | awk -F'|' '$3 ~ /debian\.org|debian-security/ {gsub(/ /, "", $2); print $2; exit}'
}
if [ -z "$(version_of nodejs)" ]; then
  ${SUDO:-} apt-get update -qq
fi
rm -rf "$WORK"
mkdir -p "$WORK/debs" "$WORK/root"
chmod 0777 "$WORK/debs"   # apt-get download runs as _apt where it can
for p in "${PKGS[@]}"; do
  v="$(version_of "$p")"
  [ -n "$v" ] || { echo "debian-node-check: no Debian version of $p in the apt sources" >&2; exit 1; }
  (cd "$WORK/debs" && apt-get download -q "$p=$v" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
done
for f in "$WORK"/debs/*.deb; do dpkg -x "$f" "$WORK/root"; done
R="$WORK/root"
export LD_LIBRARY_PATH="$R/usr/lib/x86_64-linux-gnu:$R/usr/lib/$(uname -m)-linux-gnu"
echo "debian-node-check: Debian's node is $("$R/usr/bin/node" --version 2>/dev/null || echo 'unusable without /usr/share/nodejs')" >&2

# Inside a private mount namespace: /usr/share/nodejs from the unpacked packages.
unshare -m bash -euo pipefail -c '
  R="$1"; cd "$2/ui"
  mkdir -p /usr/share/nodejs
  mount --bind "$R/usr/share/nodejs" /usr/share/nodejs
  N="$R/usr/bin/node"
  echo "debian-node-check: node $("$N" --version): vite build" >&2
  "$N" node_modules/vite/bin/vite.js build --outDir "$3/dist" --emptyOutDir >/dev/null
  echo "debian-node-check: svelte-check" >&2
  "$N" node_modules/svelte-check/bin/svelte-check --tsconfig ./tsconfig.json --fail-on-warnings
  echo "debian-node-check: vitest (the patient form and the reception desk)" >&2
  "$N" node_modules/vitest/vitest.mjs run src/tests/patient-form.test.ts src/tests/reception.test.ts
' _ "$R" "$ROOT" "$WORK"
echo "debian-node-check: the UI builds, checks and tests on Debian's Node" >&2
