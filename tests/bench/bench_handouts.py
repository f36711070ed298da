"""Benchmark: the whole handout pack of a big academy — 40 school teams, each with 3
prototypes of 4 PDSA cycles and an initiative map, 160 people in 8 groups who ran the rotation
(check-ins and reflections). Prints the time and size of the pack (goals: < 3 s, < 4 MB) and
of each kind of file.

    python tests/bench/bench_handouts.py
"""
from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

TEAMS, PROTOTYPES, ITERATIONS, PEOPLE_PER_TEAM, GROUPS = 40, 3, 4, 4, 8
GOAL_S, GOAL_BYTES = 3.0, 4 * 1024 * 1024


def build(directory: Path):
    from prototypes.demo_prototypes import CYCLES, IDEAS
    from prototypes.map_demo import add_demo_maps
    from stations.countdown import AcceleratedClock
    from stations.demo_day import run_demo_rotation
    from workshop.academy import Participant
    from workshop.app import build_context
    from workshop.config import AppConfig

    clock = AcceleratedClock(1.0, start=datetime(2026, 3, 12, 9, 0).astimezone(), base=lambda: 0.0)
    ctx = build_context(AppConfig(db_path=directory / "bench.sqlite", host="192.168.1.20"), clock)
    academy = ctx.academies.create("Regional Design Academy — Ольга & 张伟")
    schools = [f"School {i:02d} {name}" for i, name in
               zip(range(1, TEAMS + 1), ["Zoë", "Núñez", "Петрова", "张伟"] * TEAMS)]
    roles = ["Teacher", "Principal", "Instructional coach", "Librarian"]
    with ctx.db.atomic():
        for s, school in enumerate(schools):
            for k in range(PEOPLE_PER_TEAM):
                ctx.academies.add_participant(academy.id, Participant(
                    f"{['Zoë', 'José', 'Ольга', '张伟'][k]} {s:02d}{k}", school=school,
                    role=roles[k], readiness=("exploring", "planning", "implementing")[(s + k) % 3]))
    ctx.grouping.ensure_grouping(academy.id, GROUPS)
    add_demo_maps(ctx.maps, academy.id, schools, max_schools=TEAMS)
    service = ctx.prototypes
    for s, school in enumerate(schools):
        for j in range(PROTOTYPES):
            title, model, core, why, students, more, less, success, resources = IDEAS[j]
            p = service.create(academy.id, f"{title} ({j + 1})", team=school, model=model,
                               core_four=core, why=why, students=students, teachers_more=more,
                               teachers_less=less, success_measures=success, resources=resources)
            for n in range(ITERATIONS):
                it = service.start_iteration(p.id)
                service.update_iteration(it.id, **{k: v for k, v in CYCLES[n % 2].items()
                                                   if k != "finished_on"})
    run_demo_rotation(ctx.rotation, ctx.join, clock.jump, academy.id)
    return ctx, academy.id


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-handouts-") as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        ctx, academy_id = build(tmp)
        print(f"set-up: {TEAMS} teams × {PROTOTYPES} prototypes × {ITERATIONS} iterations, "
              f"{TEAMS * PEOPLE_PER_TEAM} people in {GROUPS} groups, rotation run "
              f"({time.perf_counter() - t0:.1f} s)")
        try:
            runs = []
            for attempt in range(3):
                out = tmp / f"pack{attempt}"
                start = time.perf_counter()
                result = ctx.handouts.write_pack(academy_id, out, "a4")
                runs.append((time.perf_counter() - start, result))
            seconds = sorted(r[0] for r in runs)
            result = runs[-1][1]
            size = result.size
            print(f"pack: {len(result.files)} files, {size / 1024 / 1024:.2f} MB, "
                  f"{seconds[0]:.2f} s best / {seconds[1]:.2f} s median of 3 "
                  f"(goals: < {GOAL_S:.0f} s, < {GOAL_BYTES // 1024 // 1024} MB)")
            groups: dict[str, list[int]] = {}
            for f in result.files:
                key = "Prototypes/<team>.pdf" if f.parent.name == "Prototypes" else f.name
                groups.setdefault(key, []).append(f.stat().st_size)
            for key, sizes in groups.items():
                print(f"  {key:28s} {len(sizes):3d} × {sum(sizes) / len(sizes) / 1024:6.1f} KB")
            ok = seconds[1] < GOAL_S and size < GOAL_BYTES
            print("goals met" if ok else "GOAL MISSED")
        finally:
            ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
