"""Roster import figures: reading (decode, sniff, map, parse) and the one-transaction import,
first time and re-import (all merges), for rosters of growing size.

    .venv/bin/python tests/bench/bench_roster.py
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from workshop.app import build_context  # noqa: E402
from workshop.config import AppConfig  # noqa: E402
from workshop.academy.roster.plan import read_roster  # noqa: E402

FIRST = ["Zoë", "José", "Ольга", "伟", "Ελένη", "Marcus", "Priya", "Björn", "Amara", "Kenji"]
STAGES = ["Just exploring the idea", "Planning a pilot next term", "Already implementing"]


def roster_bytes(n: int) -> bytes:
    lines = ["Timestamp,Email Address,Full name,School,Role,How ready is your school?"]
    for i in range(n):
        lines.append(f"2026/02/10 9:01:44,p{i}@school{i % 40}.example.org,{FIRST[i % 10]} Person{i},"
                     f"School {i % 40},Teacher,{STAGES[i % 3]}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def main() -> None:
    print(f"{'people':>7} {'read ms':>9} {'import ms':>10} {'re-import ms':>13}")
    for n in (200, 2000, 10000):
        data = roster_bytes(n)
        with tempfile.TemporaryDirectory() as tmp:
            ctx = build_context(AppConfig(db_path=Path(tmp) / "bench.sqlite"))
            academy = ctx.academies.create("Bench")
            t0 = time.perf_counter()
            plan = read_roster(data, "bench.csv")
            t1 = time.perf_counter()
            first = ctx.academies.import_roster(academy.id, plan)
            t2 = time.perf_counter()
            again = ctx.academies.import_roster(academy.id, read_roster(data, "bench.csv"))
            t3 = time.perf_counter()
            assert first.imported == n and again.merged == n
            ctx.close()
        print(f"{n:>7} {1000 * (t1 - t0):>9.0f} {1000 * (t2 - t1):>10.0f} {1000 * (t3 - t2):>13.0f}")


if __name__ == "__main__":
    main()
