#!/usr/bin/env python3
"""Cost of PRAGMA synchronous=FULL against NORMAL in WAL mode, on this disk.

One small committed transaction at a time (a patient row and its audit row),
as the app writes: the figure a user would feel is the time per commit.
Usage: python3 scripts/bench-synchronous.py [commits]
"""
import os, sqlite3, sys, tempfile, time

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
for mode in ["NORMAL", "FULL", "NORMAL", "FULL"]:
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as d:
        c = sqlite3.connect(os.path.join(d, "b.db"), isolation_level=None)
        c.execute("PRAGMA journal_mode=WAL")
        c.execute(f"PRAGMA synchronous={mode}")
        c.execute("CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT, dob TEXT)")
        c.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, at TEXT, detail TEXT, hash TEXT)")
        t = time.perf_counter()
        for i in range(n):
            c.execute("BEGIN IMMEDIATE")
            c.execute("INSERT INTO p (name, dob) VALUES (?, '1990-01-01')", (f"name {i}",))
            c.execute("INSERT INTO a (at, detail, hash) VALUES ('2026-11-30T08:00:00Z', '', ?)", ("x" * 64,))
            c.execute("COMMIT")
        dt = time.perf_counter() - t
        c.close()
        print(f"synchronous={mode:6}  {n} commits in {dt:.2f} s  = {dt / n * 1000:.3f} ms per commit")
