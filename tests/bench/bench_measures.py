"""How long reading and drawing a run chart takes (issue 18): the Measures tab rebuilds the
drawing model on every resize, so the analysis (Anhøj's rules) plus the drawing model must stay
well inside a frame.

For 20, 200 and 2,000 points (with 5 cycles, one adopted): the median time of
``Series.analysis`` + ``build_chart`` from a fresh series, against a floor measured in the
same run — sorting the points and taking their median, which any run chart must do. Goal:
under 5 ms for 200 points (a frame is 16 ms). Run: ``python tests/bench/bench_measures.py``.
"""
from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from prototypes.measures.chart import build_chart  # noqa: E402
from prototypes.measures.model import DataPoint, Measure, Prediction  # noqa: E402
from prototypes.measures.series import Series  # noqa: E402
from prototypes.measures.signals import Cycle  # noqa: E402

REPEATS = 41
GOAL_MS = 5.0


def series(n: int, rng: random.Random) -> Series:
    start = date(2026, 1, 5)
    points = [DataPoint(start + timedelta(days=i), rng.gauss(60 if i < n // 2 else 70, 5))
              for i in range(n)]
    cycles = [Cycle(k + 1, start + timedelta(days=k * n // 5), decision="adopt" if k == 3 else "adapt")
              for k in range(5)]
    return Series(Measure("Bench", unit="%", goal=75), points, cycles,
                  [Prediction(k + 1, 70) for k in range(5)])


def median_ms(fn) -> float:
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    rng = random.Random(18)
    print(f"{'points':>7} {'floor ms':>9} {'chart ms':>9} {'ratio':>6}  goal < {GOAL_MS} ms at 200")
    for n in (20, 200, 2000):
        s = series(n, rng)
        values = [p.value for p in s.points]

        def floor() -> None:
            statistics.median(sorted(values))

        def chart() -> None:
            fresh = Series(s.measure, list(s.points), s.cycles, s.predictions)
            fresh.words()
            build_chart(fresh, 800, 320)
        f, c = median_ms(floor), median_ms(chart)
        mark = "" if n != 200 else ("  ok" if c < GOAL_MS else "  OVER GOAL")
        print(f"{n:>7} {f:>9.3f} {c:>9.3f} {c / f:>6.0f}×{mark}")


if __name__ == "__main__":
    main()
