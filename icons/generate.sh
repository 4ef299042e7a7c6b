#!/usr/bin/env bash
# Regenerates every icon size from the one source image, dermis.svg.
set -euo pipefail
cd "$(dirname "$0")"
npm --prefix ../ui exec -- tauri icon dermis.svg -o .
rm -rf android ios
