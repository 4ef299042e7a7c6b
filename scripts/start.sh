#!/usr/bin/env bash
# Installs what is missing, builds the UI and the app, and starts Dermis.
#   bash scripts/start.sh          the clinic's database in the OS app-data folder
#   bash scripts/start.sh --demo   a separate demo database filled with generated
#                                  patients (sign in as "admin", password "violet tractor lantern")
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
DERMIS_SETUP_E2E=0 bash scripts/setup.sh

(cd ui && npm run build)
cargo build -p dermis-app -p dermis-cli --features dermis-app/custom-protocol

args=()
if [ "${1:-}" = "--demo" ]; then
  data="${XDG_DATA_HOME:-$HOME/.local/share}/org.dermis.app"
  demo_db="$data/demo.db"
  if [ ! -f "$demo_db" ]; then
    mkdir -p "$data"
    DERMIS_PASSWORD="violet tractor lantern" ./target/debug/dermis --db "$demo_db" demo --patients 2000
  fi
  echo "Demo database: $demo_db — sign in as \"admin\" with the password \"violet tractor lantern\"."
  args=(--db "$demo_db")
fi
exec ./target/debug/dermis-app "${args[@]}"
