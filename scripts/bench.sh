#!/usr/bin/env bash
# The benchmark set (Issue 9): builds release binaries, makes demo databases with
# `dermis demo`, runs every bench, prints every figure in a table and writes
# BENCHMARKS.md (the machine, the commands, the results, budgets met or missed).
#
#   bash scripts/bench.sh              everything (about 30-40 min on 2 cores, ~2 GB of disk)
#   bash scripts/bench.sh --skip-app   without the desktop app and Chromium
#   bash scripts/bench.sh --skip-scale without the 1k/10k/1M scale runs
#   bash scripts/bench.sh --smoke      tiny databases, short runs, no app: checks that the
#                                      whole pipeline works (report in target/bench-results/)
#
# Generated databases go to target/bench-data/ (gitignored), raw results to
# target/bench-results/. Hand-written findings (why a budget is missed, the
# fix) live in scripts/bench-notes.md and are copied into BENCHMARKS.md.
# The CI smoke step is not this script: scripts/test.sh runs every criterion
# bench once on a 200-patient database (`cargo test ... --bench ...`).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never

SMOKE=0
SKIP_APP=0
SKIP_SCALE=0
for a in "$@"; do
  case "$a" in
    --smoke) SMOKE=1; SKIP_APP=1 ;;
    --skip-app) SKIP_APP=1 ;;
    --skip-scale) SKIP_SCALE=1 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "bench: unknown option $a" >&2; exit 2 ;;
  esac
done

TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
DATA="$TARGET/bench-data"
RESULTS="$TARGET/bench-results"
mkdir -p "$DATA"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
export DERMIS_BENCH_DATA="$DATA"

if [ "$SMOKE" = 1 ]; then
  MAIN_N=2000
  SCALE_NS="500 2000"
  # criterion's shortest useful settings
  CRIT=(--warm-up-time 0.1 --measurement-time 0.2)
  REPORT="$RESULTS/BENCHMARKS-smoke.md"
  IDLE=5
else
  MAIN_N=100000
  SCALE_NS="1000 10000 100000 1000000"
  CRIT=()
  REPORT="$ROOT/BENCHMARKS.md"
  IDLE=30
fi
[ "$SKIP_SCALE" = 1 ] && SCALE_NS="$MAIN_N"

step() { printf '\n==> %s\n' "$*" >&2; }
# Every command that produced a figure, for the report.
: > "$RESULTS/commands.txt"
run() {
  printf '%s\n' "$*" >> "$RESULTS/commands.txt"
  "$@"
}

step "machine"
{
  echo "nproc=$(nproc)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
  echo "ram_gib=$(awk '/MemTotal/ {printf "%.1f", $2/1048576}' /proc/meminfo)"
  echo "kernel=$(uname -r)"
  echo "os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
  echo "rustc=$(rustc --version)"
  echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')"
} | tee "$RESULTS/machine.txt" >&2

step "release builds (dermis CLI, benches)"
cargo build --release -p dermis-cli
cargo bench --no-run -p dermis-core -p dermis-clinic

step "demo databases (dermis demo)"
for n in $(echo "$MAIN_N $SCALE_NS" | tr ' ' '\n' | sort -nu); do
  db="$DATA/demo-$n.db"
  if [ ! -f "$db" ]; then
    rm -f "$DATA/building-$n".*
    echo "bench: dermis demo --patients $n" >&2
    run "$TARGET/release/dermis" --db "$DATA/building-$n.db" demo --patients "$n" --json > "$DATA/demo-$n.json"
    mv "$DATA/building-$n.db" "$db"
    # The clinic's audit key and anchor live beside the file, named after it.
    for f in audit-key audit-anchor; do
      if [ -f "$DATA/building-$n.$f" ]; then mv "$DATA/building-$n.$f" "$DATA/demo-$n.$f"; fi
    done
  fi
done

step "plan engine (dermis-core)"
run cargo bench -p dermis-core --bench plan -- "${CRIT[@]}"

step "search, $MAIN_N patients (dermis-clinic, with the LIKE baseline)"
DERMIS_BENCH_PATIENTS=$MAIN_N run cargo bench -p dermis-clinic --bench search -- "${CRIT[@]}"

step "open and backup, $MAIN_N patients (dermis-clinic)"
DERMIS_BENCH_PATIENTS=$MAIN_N run cargo bench -p dermis-clinic --bench database -- "${CRIT[@]}"

step "search beside a scanning connection and beside the backup, $MAIN_N patients (dermis-clinic)"
DERMIS_BENCH_PATIENTS=$MAIN_N run cargo bench -p dermis-clinic --bench beside

step "encrypted beside plaintext: open, search, one sheet, backup, $MAIN_N patients (dermis-clinic)"
DERMIS_BENCH_PATIENTS=$MAIN_N run cargo bench -p dermis-clinic --bench encrypted

step "documents (dermis-docs)"
if [ -f crates/dermis-docs/Cargo.toml ]; then
  DOCS_LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
  DERMIS_BENCH_SHEET_HTML="$RESULTS/aftercare-sheet.html" run cargo bench -p dermis-docs 2>&1 | tee "$RESULTS/docs.txt" >&2
  DOCS_LOAD="$DOCS_LOAD_BEFORE–$(cut -d' ' -f1 /proc/loadavg)"
  # Like for like (issue 23): the CLI process against a Chromium process, the
  # library call against a running Chromium printing over the DevTools protocol.
  # criterion's "time: [low estimate high]" of aftercare_sheet, in ms
  LIB_MS=$(grep -A1 '^aftercare_sheet' "$RESULTS/docs.txt" | grep -m1 -o '\[[^]]*\]' | tr -d '[]' \
    | awk '{v=$3; if ($4=="µs") v/=1000; else if ($4=="s") v*=1000; print v}' || true)
  if [ -x /usr/bin/chromium ] && [ -f "$RESULTS/aftercare-sheet.html" ]; then
    run node scripts/bench-print.mjs --dermis "$TARGET/release/dermis" --db "$DATA/demo-$MAIN_N.db" \
      --html "$RESULTS/aftercare-sheet.html" ${LIB_MS:+--library-ms "$LIB_MS" --library-load "$DOCS_LOAD"} --out "$RESULTS" >&2
  fi
else
  echo "bench: crates/dermis-docs does not exist on this branch; skipped" | tee "$RESULTS/docs.txt" >&2
fi

if [ "$SKIP_SCALE" = 0 ]; then
  for n in $SCALE_NS; do
    [ "$n" = "$MAIN_N" ] && continue
    step "scale: $n patients"
    # The name searches of 3 characters in each script, phone, date, the list; no baseline.
    DERMIS_BENCH_PATIENTS=$n DERMIS_BENCH_BASELINE=0 run cargo bench -p dermis-clinic --bench search -- \
      --warm-up-time 0.3 --measurement-time 1 'search/dermis/(latin-3|accented-3|greek-3|cyrillic-3|arabic-3|cjk-3|phone-3|dob-iso|list)$'
    DERMIS_BENCH_PATIENTS=$n DERMIS_BENCH_BACKUP_RUNS=3 run cargo bench -p dermis-clinic --bench database -- \
      --warm-up-time 0.3 --measurement-time 1
    DERMIS_BENCH_PATIENTS=$n run cargo bench -p dermis-clinic --bench beside
  done
fi

if [ "$SKIP_APP" = 0 ]; then
  step "the app: UI, release build with the UI embedded"
  if [ ! -d ui/node_modules ]; then (cd ui && npm ci --no-audit --no-fund); fi
  npm --prefix ui run build
  # The Chromium baseline shows the same UI (its mock build) against the test host: the real backend over HTTP.
  (cd ui && npx vite build --mode mock --outDir "$TARGET/bench-ui-mock" --emptyOutDir)
  cargo build -p dermis-testhost
  cargo build --release -p dermis-app --features custom-protocol
  if [ ! -d tests/e2e/node_modules ] || [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]; then
    (cd tests/e2e && npm ci --no-audit --no-fund --ignore-scripts)
  fi
  step "the app: start-up and memory, $MAIN_N patients; Chromium baseline"
  run node tests/e2e/bench/app.js --binary "$TARGET/release/dermis-app" --db "$DATA/demo-$MAIN_N.db" \
    --patients "$MAIN_N" --ui-dir "$TARGET/bench-ui-mock" --testhost "$TARGET/debug/dermis-testhost" --idle "$IDLE" --warm-launches 3 \
    --cold --screen today --webkit-floor > "$RESULTS/app.json"
fi

echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS/machine.txt"

if [ "$SMOKE" = 0 ] && [ -f BENCHMARKS.md ]; then
  step "tables this run did not measure (--skip-scale, --skip-app): carried from the previous BENCHMARKS.md, marked as such"
  PREV="an earlier run (the previous BENCHMARKS.md, commit $(git log -1 --format=%h -- BENCHMARKS.md 2>/dev/null || echo '?'))"
  node scripts/bench-carry.mjs --from BENCHMARKS.md --results "$RESULTS" --search "$PREV" --database "$PREV" \
    --encrypted "$PREV" --plan "$PREV" --beside "$PREV" --beside-shared "$PREV" --scale "$PREV" --print "$PREV" --docs "$PREV"
fi

step "report"
node scripts/bench-report.mjs --results "$RESULTS" --main "$MAIN_N" --scale "$SCALE_NS" \
  --notes scripts/bench-notes.md --extra scripts/bench-server.md --out "$REPORT" $([ "$SMOKE" = 1 ] && echo --smoke)
echo "bench: wrote $REPORT" >&2
