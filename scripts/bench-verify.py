#!/usr/bin/env python3
"""The backup's verification of a fresh copy, with and without the check
connection's mmap and 64 MB cache (issue 23; crates/dermis-store/src/backup.rs,
`inspect_at` and `integrity` at `Depth::FreshCopy`).

    python3 scripts/bench-verify.py target/bench-data/demo-100000.db [runs]

Makes one copy with SQLite's online backup API (journal_mode=DELETE, like
`copy_verified`), then times, alternately, the same checks Dermis runs on it:
`PRAGMA quick_check` over the file and `PRAGMA integrity_check(T)` of every
table except the derived search index, then the row counts. Python's sqlite3
is the system SQLite (not the one bundled into Dermis): the same algorithms,
so the ratio carries over; the Dermis figures are in the beside bench.
Prints wall and process CPU seconds per run and the load average."""

import os
import sqlite3
import sys
import tempfile
import time

DERIVED = {"patient_search_terms"}


def check(path, tuned):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    if tuned:
        conn.execute(f"PRAGMA mmap_size={1 << 31}")
        conn.execute("PRAGMA cache_size=-65536")
    t, c = time.perf_counter(), time.process_time()
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    for name in tables:
        if name not in DERIVED:
            q = name.replace("'", "''")
            assert conn.execute(f"PRAGMA integrity_check('{q}')").fetchone()[0] == "ok", name
    for name in tables:
        conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()
    out = time.perf_counter() - t, time.process_time() - c
    conn.close()
    return out


def main():
    src = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(src))) as tmp:
        copy = os.path.join(tmp, "copy.db")
        live = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
        out = sqlite3.connect(copy)
        t = time.perf_counter()
        live.backup(out, pages=1024)
        out.execute("PRAGMA journal_mode=DELETE")
        out.close()
        live.close()
        copied = time.perf_counter() - t
        size = os.path.getsize(copy) / 1e6
        print(f"{src}: {size:.1f} MB, copy {copied:.2f} s, load {os.getloadavg()[0]:.2f}")
        res = {False: [], True: []}
        for _ in range(runs):
            for tuned in (False, True):
                res[tuned].append(check(copy, tuned))
        for tuned in (False, True):
            wall = sorted(w for w, _ in res[tuned])
            cpu = sorted(c for _, c in res[tuned])
            what = "mmap 2 GB + cache 64 MB" if tuned else "default (no mmap, 2 MB cache)"
            print(
                f"  verification, {what}: median {wall[len(wall) // 2]:.2f} s wall, "
                f"{cpu[len(cpu) // 2]:.2f} s CPU (runs: {', '.join(f'{w:.2f}' for w, _ in res[tuned])})"
            )
        print(f"  load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
