#!/usr/bin/env bash
# Mutation testing of the clinical rules (issue 24): runs cargo-mutants on
# dermis-core (with its own tests: the rules are pure, so they run in seconds)
# and on dermis-clinic (with its own tests), and writes the per-file tables of
# TESTING.md (mutants, unviable, tested, caught, missed, timeouts, the date and
# the commit). Not part of CI: a full run takes a long time (see TESTING.md).
#
# Usage:
#   bash scripts/mutants.sh                  # both crates, every file
#   bash scripts/mutants.sh core             # dermis-core only
#   bash scripts/mutants.sh clinic [GLOB..]  # dermis-clinic, only files matching the globs
#   bash scripts/mutants.sh core plan.rs session/lots.rs # files of dermis-core (paths under src/)
#   bash scripts/mutants.sh --table core DIR[:DIR...] [WHAT]
#                                            # only (re)write the table from earlier runs' output
#
# Environment:
#   JOBS            parallel cargo jobs (default 1: the CI machine has 2 cores)
#   PROPTEST_CASES  cases per property test under mutation (default 16)
#   MUTANTS_OUT     where the cargo-mutants output goes (default target/mutants)
#   TESTING_MD      the file whose tables are rewritten (default TESTING.md)
#   MUTANTS_LABEL   "after" (default) or "before": which table of the crate to write
#   MUTANTS_COMMIT  the commit to name in the table (default: this tree's HEAD)
#   MUTANTS_TESTS   the cargo test arguments each mutant runs (default "--lib --tests";
#                   for dermis-clinic FILEs, the binaries tests_for names)
#   MUTANTS_ARGS    more cargo-mutants options, e.g. "--in-place --baseline skip --timeout 60"
#                   (in a throw-away copy of the tree: no scratch copy, no from-scratch build)
#   MUTANTS_SHARD   "K/N": run only shard K of N (`--shard K/N --sharding round-robin`:
#                   every Nth mutant of each file, a systematic sample); the table's
#                   header then says "sample 1 in N" (also with --table)
#
# Habit (README, Tests): before stopping work on a change, run
#   git diff main > /tmp/change.diff && cargo mutants --in-diff /tmp/change.diff -p dermis-core
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never
export PROPTEST_CASES="${PROPTEST_CASES:-16}"
# dermis-clinic's test clinics hash their passwords with the least Argon2id
# cost (debug builds only; see password::hasher): the same answers, less time.
export DERMIS_TEST_CHEAP_ARGON2="${DERMIS_TEST_CHEAP_ARGON2:-1}"
JOBS="${JOBS:-1}"
OUT="${MUTANTS_OUT:-target/mutants}"
MD="${TESTING_MD:-TESTING.md}"
LABEL="${MUTANTS_LABEL:-after}"

crate_of() {
    case "$1" in
        core | dermis-core) echo dermis-core ;;
        clinic | dermis-clinic) echo dermis-clinic ;;
        *) echo "unknown crate: $1 (core or clinic)" >&2; exit 64 ;;
    esac
}

# write_table CRATE DIRS [WHAT]: summarises DIR/mutants.out/*.txt (DIRS: one or
# more output directories separated by ':', e.g. one per file run) into the
# crate's table in $MD.
write_table() {
    local crate="$1" dir="$2"
    local commit date files
    commit="${MUTANTS_COMMIT:-$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- crates || echo ' (with uncommitted changes)')}"
    date="$(date -u '+%Y-%m-%d %H:%M UTC')"
    files="${3:-every file}"
    python3 - "$crate" "$dir" "$MD" "$LABEL" "$commit" "$date" "$files" "$PROPTEST_CASES" "${MUTANTS_SHARD:-}" <<'PY'
import collections, os, re, sys

crate, dirs, md, label, commit, date, files, cases, shard = sys.argv[1:]
kinds = {"caught": "caught.txt", "missed": "missed.txt", "timeout": "timeout.txt", "unviable": "unviable.txt"}
rows = collections.defaultdict(lambda: collections.Counter())
lists = collections.defaultdict(list)
for kind, name in kinds.items():
  for d in dirs.split(":"):
    path = os.path.join(d, "mutants.out", name)
    if not os.path.exists(path):
        continue
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line:
            continue
        f = line.split(":", 1)[0]
        rows[f][kind] += 1
        if kind in ("missed", "timeout"):
            lists[kind].append(line)

def pct(c):
    viable = c["caught"] + c["missed"] + c["timeout"]
    return f"{100 * (c['caught'] + c['timeout']) / viable:.1f} %" if viable else "–"

sample = ""
if shard:
    k, n = shard.split("/")
    sample = (f"**sample 1 in {n}** (shard {k}/{n}, round-robin: every {n}th mutant of each file; "
              f"an estimate, not every mutant), ")
lines = [
    f"Run {date}, commit `{commit}`, `cargo mutants -p {crate}` ({files}), "
    f"{sample}PROPTEST_CASES={cases}, its own tests only.",
    "",
    "| file | mutants | unviable | tested | caught | missed | timeouts | caught of tested |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
]
total = collections.Counter()
for f in sorted(rows):
    c = rows[f]
    total.update(c)
    tested = c["caught"] + c["missed"] + c["timeout"]
    lines.append(f"| {f} | {tested + c['unviable']} | {c['unviable']} | {tested} | {c['caught']} | {c['missed']} | {c['timeout']} | {pct(c)} |")
tested = total["caught"] + total["missed"] + total["timeout"]
lines.append(f"| **all run** | {tested + total['unviable']} | {total['unviable']} | {tested} | {total['caught']} | {total['missed']} | {total['timeout']} | {pct(total)} |")
lines.append("")
for kind, title in (("missed", "Missed"), ("timeout", "Timed out (counted as caught: the tests hang instead of passing)")):
    if lists[kind]:
        lines.append(f"{title}:")
        lines.append("")
        lines += [f"- `{m}`" for m in sorted(lists[kind])]
        lines.append("")
block = "\n".join(lines).rstrip() + "\n"

begin = f"<!-- mutants:{crate}:{label}:begin -->"
end = f"<!-- mutants:{crate}:{label}:end -->"
text = open(md, encoding="utf-8").read() if os.path.exists(md) else "# Testing\n"
pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
new = f"{begin}\n{block}{end}"
if pattern.search(text):
    text = pattern.sub(lambda _: new, text)
else:
    text = text.rstrip() + f"\n\n### {crate}, {label}\n\n{new}\n"
open(md, "w", encoding="utf-8").write(text)
print(f"{md}: {crate} ({label}) {tested} tested, {total['caught']} caught, {total['missed']} missed, {total['timeout']} timeouts, {pct(total)}")
PY
}

# tests_for FILE...: the dermis-clinic test binaries a mutant of FILE is run
# against (its unit tests always). A mutant of dermis-clinic costs a build of
# the crate and of every test binary it runs, and the whole suite took 400 s
# here (tests/permissions.rs alone 246 s: a clinic with four accounts for
# every use case and role), so each file gets the binaries that call its use
# cases (found by reading the tests: which binary calls which function);
# tests/permissions.rs only for permissions.rs. The binaries that start a
# PostgreSQL cluster (server, live*, print_offline, workstation,
# encrypt_offer) only for the files tested nowhere else (server.rs,
# dump_key.rs, live.rs, api/encrypt_offer.rs; print_offline, workstation and
# live_password for api/mod.rs, whose offline printing, server joining and
# lock after a password changed elsewhere only they test)
# or mostly there (encryption.rs, keys.rs); print_offline for documents.rs
# and seat.rs (the sheets kept for an outage), server and live_password for
# lib.rs (the audit key's wraps and a password change on the server). A mutant these miss may still be caught by another binary: the
# table then UNDER-states what the crate's tests catch, never over-states it.
# Files with no test binary ("": keywrap.rs, api/connection.rs) run their
# unit tests (--lib) only. Unknown files get every test (--tests).
tests_for() {
    local -A seen=()
    local out="--lib" f b t
    for f in "$@"; do
        case "$f" in
            */api/mod.rs | api/mod.rs) b="contract print_offline workstation live_password" ;;
            */api/table.rs | api/table.rs) b="contract" ;;
            */api/encrypt_offer.rs | api/encrypt_offer.rs) b="encrypt_offer" ;;
            */api/connection.rs | api/connection.rs) b="" ;;
            *)
                case "${f##*/}" in
                    actor.rs) b="clinic admin" ;;
                    admin.rs) b="admin documents" ;;
                    audit_key.rs) b="hardening" ;;
                    clinical.rs) b="plans sessions bad_input" ;;
                    clock.rs) b="clinic hardening" ;;
                    consents.rs) b="consents consent_reads" ;;
                    data_export.rs) b="export encrypted_export" ;;
                    dates.rs) b="documents recalls contract" ;;
                    demo.rs) b="clinic schedule demo" ;;
                    desk.rs) b="schedule admin" ;;
                    documents.rs) b="documents consents print_offline" ;;
                    dump_key.rs) b="server" ;;
                    encryption.rs) b="encrypted_export encrypt_offer workstation" ;;
                    error.rs) b="bad_input hardening" ;;
                    export.rs) b="clinic export" ;;
                    keys.rs) b="encrypted_export encrypt_offer workstation" ;;
                    keywrap.rs) b="" ;;
                    lib.rs) b="clinic hardening admin server live_password" ;;
                    live.rs) b="live live_password" ;;
                    merge.rs) b="plans" ;;
                    password.rs) b="clinic admin" ;;
                    patients.rs) b="clinic bad_input" ;;
                    permissions.rs) b="permissions" ;;
                    photos.rs) b="sessions bad_input" ;;
                    protected_export.rs) b="encrypted_export" ;;
                    recalls.rs) b="recalls" ;;
                    schedule.rs) b="schedule booking_versions sessions demo" ;;
                    seat.rs) b="admin hardening workstation print_offline" ;;
                    server.rs) b="server" ;;
                    sessions.rs) b="sessions plans" ;;
                    usecase.rs) b="clinic sessions" ;;
                    *) echo "--lib --tests"; return ;;
                esac
                ;;
        esac
        for t in $b; do
            [ -n "${seen[$t]:-}" ] && continue
            seen[$t]=1
            out="$out --test=$t"
        done
    done
    echo "$out"
}

# run CRATE [GLOB...]: one cargo-mutants run, then its table.
run() {
    local crate="$1"; shift
    local dir="$OUT/$crate" args=() globs=""
    for g in "$@"; do
        # A path inside the crate's src/ (plan.rs, session/lots.rs), or one
        # from the crate or the repository root (src/plan.rs, crates/...).
        case "$g" in
            crates/* | src/*) ;;
            *) g="src/$g" ;;
        esac
        args+=(--file "crates/$crate/${g#crates/$crate/}")
        globs="${globs:+$globs, }${g#crates/$crate/}"
    done
    mkdir -p "$dir"
    echo "==> cargo mutants -p $crate ${args[*]:-} (jobs $JOBS, PROPTEST_CASES=$PROPTEST_CASES)"
    # Exit codes 2 (missed) and 3 (timeouts) are results, not failures of this script.
    local rc=0
    # In place there is one tree, so one job (cargo-mutants refuses --jobs there).
    local jobs=(--jobs "$JOBS")
    case " ${MUTANTS_ARGS:-} " in *" --in-place "*) jobs=() ;; esac
    # A systematic sample: shard K of N, round-robin (every Nth mutant).
    local shard=()
    if [ -n "${MUTANTS_SHARD:-}" ]; then
        shard=(--shard "$MUTANTS_SHARD" --sharding round-robin)
    fi
    # The tests each mutant runs: every test of the crate, or for dermis-clinic
    # the test binaries that exercise the files asked for (see tests_for).
    local tests targets=()
    if [ -n "${MUTANTS_TESTS:-}" ]; then
        tests="$MUTANTS_TESTS"
    elif [ "$crate" = dermis-clinic ] && [ "$#" -gt 0 ]; then
        tests="$(tests_for "$@")"
    else
        tests="--lib --tests"
    fi
    echo "    tests: cargo test $tests"
    # The targets go to every cargo call (--cargo-arg), not only to the test
    # run: cargo-mutants builds each mutant with `cargo test --no-run` and the
    # package alone, which would build all fifteen test binaries of
    # dermis-clinic whatever the test run then uses.
    local w
    for w in $tests; do
        targets+=("--cargo-arg=$w")
    done
    # shellcheck disable=SC2086 # MUTANTS_ARGS is a list of options
    cargo mutants -p "$crate" "${jobs[@]}" --output "$dir" --no-shuffle "${args[@]}" \
        "${shard[@]}" "${targets[@]}" ${MUTANTS_ARGS:-} || rc=$?
    case "$rc" in
        0 | 2 | 3) ;;
        *) echo "cargo mutants failed ($rc): see $dir/mutants.out/debug.log" >&2; exit "$rc" ;;
    esac
    write_table "$crate" "$dir" "${globs:-every file}"
}

command -v cargo-mutants >/dev/null || {
    echo "cargo-mutants is not installed: cargo install cargo-mutants --locked" >&2
    exit 69
}

if [ "${1:-}" = "--table" ]; then
    crate="$(crate_of "${2:?crate}")"
    write_table "$crate" "${3:?output directory of an earlier run}" "${4:-every file}"
    exit 0
fi

case "${1:-both}" in
    both) run dermis-core; run dermis-clinic ;;
    *) crate="$(crate_of "$1")"; shift; run "$crate" "$@" ;;
esac
