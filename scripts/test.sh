#!/usr/bin/env bash
# Runs every check and test Dermis has, after installing what is missing:
# formatting, lints, Rust tests (unit, store, clinic, IPC, documents), a smoke
# run of each benchmark, TypeScript bindings freshness, UI type check and tests,
# the no-network test, the end-to-end tests in the real app, and the Debian
# package test (install, upgrade).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never
bash scripts/setup.sh

# Each step says when it starts (seconds since the script began), so a slow
# step shows in the CI log.
step() { printf '\n==> %s  [%s, +%ds]\n' "$*" "$(date -u +%H:%M:%S)" "$SECONDS"; }

# The Tauri crate embeds ui/dist at compile time; a placeholder lets the Rust
# tests build before the UI has been built (the e2e step builds the real one).
[ -f ui/dist/index.html ] || { mkdir -p ui/dist; echo '<!doctype html><title>Dermis</title>' > ui/dist/index.html; }

step "rustfmt"
cargo fmt --all -- --check

step "clippy"
cargo clippy --workspace --all-targets -- -D warnings

step "Rust tests (also regenerate ui/src/lib/bindings, the command map and docs/ipc.md)"
cargo test --workspace

step "The use-case × role matrix again on the clinic server: each role through its own PostgreSQL login"
# The same tests/permissions.rs, each case's clinic a fresh database on a
# throwaway cluster, so the engine's grants (column grants included) are proved
# to let every allowed use-case through and the values each role receives are
# checked as the server gives them. Dermis's own password hashes use the
# debug-only cheap Argon2 cost here (the PostgreSQL logins keep SCRAM): the
# matrix builds a clinic with four accounts per case. `--workspace --test
# permissions`, not `-p dermis-clinic`: with -p, Cargo resolves the
# dependencies' features for that package alone, which differ from the
# workspace's, and rebuilt 119 crates here (2 min 53 s) before the first case.
pg_matrix="$(mktemp -d)"
stop_pg_matrix() { bash scripts/pg-throwaway.sh stop "$pg_matrix" || true; }
trap stop_pg_matrix EXIT
pg_matrix_url="$(bash scripts/pg-throwaway.sh start "$pg_matrix")"
DERMIS_TEST_CHEAP_ARGON2=1 DERMIS_TEST_SERVER="$pg_matrix_url" cargo test --workspace --test permissions
stop_pg_matrix
trap - EXIT

step "Benchmarks, smoke: each criterion bench once (criterion's test mode) on a fresh 200-patient database"
# The real runs are scripts/bench.sh (release, 100,000 patients); this only keeps the benches from rotting.
# --workspace (each bench name is one crate's) reuses the workspace's build, as above.
DERMIS_BENCH_PATIENTS=200 cargo test --workspace --bench plan --bench search --bench database --bench documents --bench beside --bench encrypted

step "Generated contract is fresh: TypeScript bindings, the command map, docs/ipc.md"
if [ -n "$(git status --porcelain -- ui/src/lib/bindings docs/ipc.md)" ]; then
  git status --porcelain -- ui/src/lib/bindings docs/ipc.md
  echo "The generated files differ from the committed ones: run 'cargo test --workspace' and commit ui/src/lib/bindings and docs/ipc.md." >&2
  exit 1
fi

step "UI: svelte-check"
(cd ui && npm run check)

step "UI: tests (Vitest, against the real backend: the test host the Rust tests built)"
(cd ui && npm test)

step "UI on Debian 12's own Node.js (18), unpacked beside: build, svelte-check, tests"
bash scripts/debian-node-check.sh

step "No network: the built UI in headless Chromium under the app's CSP (requests, CSP, layouts)"
bash scripts/no-network.sh

step "End-to-end (real app under Xvfb through tauri-driver)"
bash scripts/e2e.sh

step "Package: build the .deb, dpkg -i, first run, upgrade to a newer build with the data kept"
bash scripts/package-test.sh

step "All tests passed"
