"""What a keystroke on the Vision & plan page costs, and what the plan's printed page costs
(issue 21). Each figure is a median against a floor measured in the same run:

- saving the whole plan (the page saves on every keystroke) against the floor of one map
  write, the hub's vision statement alone (what the map editor does per edit);
- the checks shown after each save (plan, map and the team's prototypes read);
- rendering the one-page plan and its poster against the floor of one prototype PDF.

Run: ``python tests/bench/bench_rollout.py``. The goal: a keystroke stays under ~20 ms on the
demo plan (the page must not lag typing), i.e. a small multiple of the floor.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from prototypes.handouts.plan import render_plan  # noqa: E402
from prototypes.handouts.plan_models import plan_print_for  # noqa: E402
from workshop.app import demo_steps, build_context  # noqa: E402
from workshop.academy.demo import ensure_demo_academy  # noqa: E402
from workshop.config import AppConfig  # noqa: E402
from workshop.pdf.format import long_date  # noqa: E402

RUNS = 40


def median_ms(fn, runs: int = RUNS) -> float:
    times = []
    for i in range(runs):
        t0 = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ctx = build_context(AppConfig(db_path=Path(tmp) / "bench.sqlite", host="127.0.0.1"))
        try:
            academy = ensure_demo_academy(ctx)
            for step in demo_steps():
                step(ctx, academy, lambda text: None)
            team = ctx.rollout.repo.schools(academy)[0]
            map_id = ctx.maps.open(academy, team).id
            vision = ctx.rollout.plan(academy, team).vision
            floor = median_ms(lambda i: ctx.maps.set_vision(map_id, f"{vision} {i}"))
            save = median_ms(lambda i: ctx.rollout.edit(academy, team, rallying_cry=f"Go {i}"))
            checks = median_ms(lambda i: ctx.rollout.warnings(academy, team))
            print(f"keystroke save of the whole plan: {save:.2f} ms; floor (one hub write) "
                  f"{floor:.2f} ms; ratio {save / floor:.1f}x")
            print(f"checks after each save: {checks:.2f} ms ({checks / floor:.1f}x the floor)")
            model = plan_print_for(ctx.rollout, academy, team, long_date)
            proto = ctx.prototypes.search(academy, team=team)[0].id
            pdf_floor = median_ms(lambda i: ctx.handouts.make("prototype", academy,
                                                              prototype=proto), 8)
            pdf = median_ms(lambda i: render_plan(model), 8)
            print(f"plan + poster PDF: {pdf:.0f} ms; floor (one prototype PDF) {pdf_floor:.0f} "
                  f"ms; ratio {pdf / pdf_floor:.2f}x")
        finally:
            ctx.close()


if __name__ == "__main__":
    main()
