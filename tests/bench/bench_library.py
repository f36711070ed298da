"""A district library of 500 academies / 5,000 prototypes (issue 16 item 6): bundle export,
library build time, file size, and Datasette's search p50 through its JSON API (in process,
``Datasette.client``), against a floor: the same full-text query straight on SQLite.

``BENCH_ACADEMIES`` (default 500) scales it; each academy has 10 prototypes, 8 people and an
initiative map of 5 spokes.
"""
from __future__ import annotations

import asyncio
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

ACADEMIES = int(os.environ.get("BENCH_ACADEMIES", 500))
PER_ACADEMY = 10
WORDS = ["stations", "playlist", "flipped", "reading", "math", "science", "writing", "data",
         "conferences", "exit tickets", "choice boards", "small groups"]
QUERIES = ["stat", "playlist", "math stations", "exit", "choice boards", "reading data"]


def populate(ctx) -> list[int]:
    from workshop.academy.model import Participant
    ids = []
    for a in range(ACADEMIES):
        academy = ctx.academies.create(f"Academy {a:03d}", place=f"District {a % 7}")
        ids.append(academy.id)
        for i in range(8):
            ctx.academies.add_participant(academy.id, Participant(
                name=f"Person {a}-{i}", email=f"p{a}.{i}@example.org", school=f"School {i % 4}"))
        for i in range(PER_ACADEMY):
            w = WORDS[(a + i) % len(WORDS)]
            ctx.prototypes.create(academy.id, f"{w.capitalize()} pilot {i}", team=f"School {i % 4}",
                                  why=f"Students need {w} and {WORDS[i % len(WORDS)]}",
                                  core_four=("targeted_instruction",) if i % 2 else
                                  ("flexible_content", "reflection_ownership"))
        district = ctx.maps.open(academy.id)
        ctx.maps.set_vision(district.id, "Every student owns their learning")
        for i in range(5):
            ctx.maps.add_initiative(district.id, ["PBL", "PD plan", "Tech rollout", "Evaluation",
                                                  "Reading"][i])
    return ids


def main() -> None:
    from prototypes.library import repository as lib_repo
    from prototypes.library.build import build
    from prototypes.library.serve import app
    from workshop.app import build_context
    from workshop.config import AppConfig

    folder = Path(tempfile.mkdtemp(prefix="bench-library-"))
    ctx = build_context(AppConfig(db_path=folder / "district.sqlite"))
    start = time.perf_counter()
    ids = populate(ctx)
    made = time.perf_counter() - start
    start = time.perf_counter()
    paths = []
    for academy_id in ids:
        paths.append(folder / f"{academy_id}.bundle")
        ctx.bundles.export(academy_id, paths[-1])
    exported = time.perf_counter() - start
    bundle_kb = statistics.median(p.stat().st_size for p in paths) / 1024
    start = time.perf_counter()
    build(ctx.bundles, folder / "library.sqlite", paths, say=lambda text: None)
    built = time.perf_counter() - start
    ctx.close()
    lib = folder / "library.sqlite"
    conn = sqlite3.connect(f"file:{lib}?mode=ro", uri=True)
    count = conn.execute("SELECT count(*) FROM prototypes").fetchone()[0]

    def floor_query(q: str) -> None:
        terms = " ".join(f'"{w}"*' for w in q.split())
        conn.execute("SELECT p.* FROM prototypes_fts f JOIN prototypes p ON p.rowid = f.rowid "
                     "WHERE prototypes_fts MATCH ? ORDER BY rank LIMIT 51", [terms]).fetchall()

    floor = []
    for _ in range(5):
        for q in QUERIES:
            t = time.perf_counter()
            floor_query(q)
            floor.append(time.perf_counter() - t)
    ds = app(lib)

    async def searches() -> list[float]:
        out = []
        await ds.invoke_startup()
        for _ in range(5):
            for q in QUERIES:
                terms = "+".join(f'"{w}"*' for w in q.split())
                t = time.perf_counter()
                response = await ds.client.get(f"/library/prototypes.json?_search={terms}"
                                               "&_shape=objects")
                assert response.status_code == 200, response.text
                out.append(time.perf_counter() - t)
        return out
    served = asyncio.run(searches())
    p50, f50 = statistics.median(served), statistics.median(floor)
    print(f"{ACADEMIES} academies, {count} prototypes (made in {made:.1f} s)")
    print(f"bundle export: {exported / len(ids) * 1000:.0f} ms per academy (median bundle "
          f"{bundle_kb:.0f} KB)")
    print(f"library build from {len(paths)} bundles: {built:.1f} s "
          f"({built / len(paths) * 1000:.0f} ms per bundle)")
    print(f"library file: {lib.stat().st_size / 1024 ** 2:.1f} MB")
    print(f"search floor (FTS on SQLite): p50 {f50 * 1000:.2f} ms")
    print(f"Datasette JSON search: p50 {p50 * 1000:.1f} ms ({p50 / f50:.0f}x floor)")
    del lib_repo


if __name__ == "__main__":
    main()
