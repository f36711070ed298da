"""What ``synchronous=FULL`` costs the join server's commits (issue 12 item 3).

On a real file (the system temp folder's disk, fsync included), check-ins are written the way
the join server writes them — ``JoinRepository.add_checkin`` inside one ``write`` transaction —
first one check-in per commit (a quiet room), then 20 per commit (the batching writer under a
burst). Prints the median time per commit with NORMAL (the floor, measured in the same run)
and with FULL, and their ratio. Run: ``python tests/bench/bench_durable.py``.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from stations.repository.join import JoinRepository  # noqa: E402
from workshop.academy.model import Participant  # noqa: E402
from workshop.app import build_context  # noqa: E402
from workshop.config import AppConfig  # noqa: E402
from workshop.store import open_database, write  # noqa: E402

COMMITS = 200
PEOPLE = 40
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


def setup(path: Path) -> tuple[int, list[int], list[int]]:
    ctx = build_context(AppConfig(db_path=path, host="127.0.0.1", port=0))
    academy = ctx.academies.create("Bench").id
    people = [ctx.academies.add_participant(academy, Participant(f"P{i}")).id
              for i in range(PEOPLE)]
    stations = [s.id for s in ctx.stations.stations(academy)]
    ctx.close()
    return academy, people, stations


def per_commit(path: Path, durable: bool, batch: int, academy: int, people: list[int],
               stations: list[int]) -> float:
    """Median seconds per commit of ``batch`` check-ins on a fresh connection."""
    db = open_database(path, durable=durable)
    repo = JoinRepository(db)
    times, n = [], 0
    for _ in range(COMMITS):
        t0 = time.perf_counter()
        with write(db):
            for _ in range(batch):
                repo.add_checkin(academy, people[n % PEOPLE], stations[n % len(stations)], n // 120, NOW)
                n += 1
        times.append(time.perf_counter() - t0)
    db.close()
    return statistics.median(times)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-durable-"))
    print(f"{COMMITS} commits each, on {folder} (a real disk: fsync costs what it costs there)",
          flush=True)
    for batch in (1, 20):
        medians = {}
        for durable in (False, True):   # each on a fresh file, so both see the same table sizes
            path = folder / f"bench-{batch}-{durable}.sqlite"
            medians[durable] = per_commit(path, durable, batch, *setup(path))
        normal, full = medians[False], medians[True]
        print(f"{batch:>2} check-in(s) per commit: NORMAL (floor) median {normal * 1000:.2f} ms, "
              f"FULL median {full * 1000:.2f} ms, ratio {full / normal:.1f}x "
              f"(+{(full - normal) / batch * 1000:.2f} ms per check-in with FULL)")

if __name__ == "__main__":
    main()
