"""Run-chart signals in Anhøj's form (pure): unusually long runs, unusually few crossings.

A run chart is read against its median. Points on the median are not "useful": they neither
break nor add to a run, and a crossing is two consecutive useful points on opposite sides.
With ``n`` useful points (Anhøj & Olesen 2014, PLoS ONE 9(11): e113825; the same limits as
the qicharts2 R package):

* a **shift** is signalled when the longest run is longer than ``round(log2(n) + 3)``;
* **too few crossings** are signalled when there are fewer than ``qbinom(0.05, n - 1, 0.5)``,
  the lower 5th percentile of the binomial number of crossings of a random series.

Nothing is flagged from fewer than ``MIN_POINTS`` useful points: the rules were tested on 10
points and more, and below that any pattern is as likely as not. After a change the team
adopted, the median is re-based: the chart splits at that cycle's start and each part is
read against its own median (qicharts2's ``part``), so an adopted improvement becomes the
new baseline instead of a signal forever.
"""
from __future__ import annotations

import functools
import math
import statistics
from dataclasses import dataclass
from datetime import date

from workshop.text import plural
from workshop.timefmt import day

MIN_POINTS = 10


def longest_run_max(n: int) -> int:
    """The longest run a random series of ``n`` useful points stays within."""
    # log2(n) + 3 is never exactly halfway between two integers for an integer n, so
    # Python's round-half-even and R's round agree on every n.
    return round(math.log2(n) + 3)


@functools.lru_cache(maxsize=512)
def crossings_min(n: int) -> int:
    """The fewest crossings a random series of ``n`` useful points shows: qbinom(0.05, n-1, ½).

    Hand-written (a few lines) rather than taking SciPy for one quantile. Whole numbers only:
    P(X <= k) >= 0.05 is ``20 · Σ C(n-1, i) >= 2^(n-1)``, so the 5 % boundary is exact, never
    blurred by floating point.
    """
    trials = max(n - 1, 0)
    whole = 2 ** trials
    cumulative, term = 0, 1                      # term = C(trials, k), built incrementally
    for k in range(trials + 1):
        cumulative += term
        if 20 * cumulative >= whole:
            return k
        term = term * (trials - k) // (k + 1)
    return trials


@dataclass(frozen=True)
class RunsTest:
    """The runs analysis of one part of a chart: points ``start``…``end - 1`` of the series."""
    start: int
    end: int
    median: float
    useful: int
    longest_run: int
    longest_run_max: int
    crossings: int
    crossings_min: int
    run_first: int = -1      # the longest run's first and last point (series indices)
    run_last: int = -1
    run_side: int = 0        # +1 above the median, -1 below

    @property
    def judged(self) -> bool:
        """Enough useful points for the rules to mean anything."""
        return self.useful >= MIN_POINTS

    @property
    def shift(self) -> bool:
        """An unusually long run on one side of the median."""
        return self.judged and self.longest_run > self.longest_run_max

    @property
    def few_crossings(self) -> bool:
        """Unusually few crossings of the median."""
        return self.judged and self.crossings < self.crossings_min


def runs_test(values: list[float], start: int = 0) -> RunsTest:
    """Median, longest run and crossings of ``values`` (indices counted from ``start``)."""
    if not values:
        return RunsTest(start, start, 0.0, 0, 0, 0, 0, 0)
    median = statistics.median(values)
    sides = [(i, 1 if v > median else -1) for i, v in enumerate(values, start) if v != median]
    n = len(sides)
    best = (0, -1, -1, 0)
    crossings = 0
    run_len, run_first = 0, -1
    for k, (i, side) in enumerate(sides):
        if k and side != sides[k - 1][1]:
            crossings += 1
            run_len = 0
        if run_len == 0:
            run_first = i
        run_len += 1
        # Of runs equally long, the latest: the one a team is asking about.
        if run_len >= best[0]:
            best = (run_len, run_first, i, side)
    return RunsTest(start, start + len(values), median, n, best[0],
                    longest_run_max(n) if n else 0, crossings, crossings_min(n) if n else 0,
                    best[1], best[2], best[3])


@dataclass(frozen=True)
class Cycle:
    """What a chart needs of a PDSA cycle: its number, dates and decision."""
    number: int
    started_on: date
    finished_on: date | None = None
    decision: str = ""


def cycle_at(cycles: list[Cycle], on: date) -> Cycle | None:
    """The cycle running on a date: the last one started on or before it."""
    started = [c for c in cycles if c.started_on <= on]
    return max(started, key=lambda c: (c.started_on, c.number), default=None)


def breaks(dates: list[date], cycles: list[Cycle]) -> list[tuple[int, Cycle]]:
    """Where the median is re-based: the first point of each adopted cycle (series index)."""
    out: list[tuple[int, Cycle]] = []
    for c in sorted(cycles, key=lambda c: (c.started_on, c.number)):
        if c.decision != "adopt":
            continue
        index = next((i for i, d in enumerate(dates) if d >= c.started_on), None)
        # A break needs points on both sides, and two adopted cycles before one point are one.
        if index and not (out and out[-1][0] == index):
            out.append((index, c))
    return out


@dataclass(frozen=True)
class Signal:
    """One signal of a chart, with the sentence the window and the paper show."""
    kind: str                # "shift" or "crossings"
    text: str
    first: int               # the points it concerns (series indices)
    last: int


@dataclass(frozen=True)
class Analysis:
    """A chart read by Anhøj's rules: its parts, its signals and a sentence per part."""
    parts: list[RunsTest]
    rebased_at: list[tuple[int, Cycle]]
    signals: list[Signal]
    notes: list[str]

    def median_at(self, index: int) -> float:
        """The median the point ``index`` is read against."""
        return next(p.median for p in self.parts if p.start <= index < p.end)


def _since(on: date, cycles: list[Cycle]) -> str:
    c = cycle_at(cycles, on)
    return f"since cycle {c.number}" if c else f"since {day(on)}"


def analyse(dates: list[date], values: list[float], cycles: list[Cycle],
            direction: str = "up") -> Analysis:
    """Read a series (in time order) by the run-chart rules, re-basing after adopted cycles."""
    if len(dates) != len(values):
        raise ValueError("one date per value")
    cuts = breaks(dates, cycles)
    edges = [0] + [i for i, _ in cuts] + [len(values)]
    parts = [runs_test(values[a:b], a) for a, b in zip(edges, edges[1:])]
    signals, notes = [], []
    for k, part in enumerate(parts):
        where = "" if k == 0 else f" after cycle {cuts[k - 1][1].number} was adopted"
        if not part.judged:
            count = part.end - part.start
            off = "" if part.useful == count else f", {part.useful} off the median"
            notes.append(f"{plural(count, 'point')}{off}{where}: signals are read from "
                         f"{MIN_POINTS} points off the median on "
                         f"({MIN_POINTS - part.useful} more).")
            continue
        if part.shift:
            side = "above" if part.run_side > 0 else "below"
            better = (part.run_side > 0) == (direction == "up")
            signals.append(Signal(
                "shift", f"{part.longest_run} points in a row {side} the median "
                f"{_since(dates[part.run_first], cycles)}: a shift for the "
                f"{'better' if better else 'worse'} (more than {part.longest_run_max} in a row "
                f"is unlikely by chance).", part.run_first, part.run_last))
        if part.few_crossings:
            signals.append(Signal(
                "crossings", f"The line crosses the median only "
                f"{plural(part.crossings, 'time')} in {part.useful} points{where} (fewer than "
                f"{part.crossings_min} is unlikely by chance): the process is shifting.",
                part.start, part.end - 1))
        if not part.shift and not part.few_crossings:
            notes.append(f"{plural(part.useful, 'point')} off the median{where}: no signal — "
                         f"longest run {part.longest_run} (limit {part.longest_run_max}), "
                         f"{plural(part.crossings, 'crossing')} (at least "
                         f"{part.crossings_min} expected).")
    return Analysis(parts, cuts, signals, notes)
