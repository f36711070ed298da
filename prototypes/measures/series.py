"""One measure ready to chart and read: its points in time order, the cycles that ran while
they were collected, the cycles' predictions, and the signals in words (pure)."""
from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from prototypes.measures.model import DataPoint, Measure, Prediction, format_value, in_time_order
from prototypes.measures.signals import Analysis, Cycle, analyse
from workshop.text import plural


@dataclass(frozen=True)
class Outcome:
    """What one cycle predicted for the measure, and what its points showed."""
    cycle: int
    predicted: float
    actual: float | None         # median of the points collected during the cycle
    points: int
    first: int = -1              # series indices of the cycle's points (-1: none)
    last: int = -1

    def text(self, measure: Measure) -> str:
        """The outcome in words: "Cycle 2 predicted 80; its 4 points had a median of 74"."""
        unit = f" {measure.unit}" if measure.unit else ""
        said = f"Cycle {self.cycle} predicted {format_value(self.predicted)}{unit}"
        if self.actual is None:
            return f"{said}; no points were collected during it yet."
        met = (self.actual >= self.predicted) if measure.direction == "up" \
            else (self.actual <= self.predicted)
        return (f"{said}; its {plural(self.points, 'point')} had a median of "
                f"{format_value(self.actual)}{unit} ({'met' if met else 'not met'}).")


@dataclass
class Series:
    """A measure with its points (sorted by date), the cycles and their predictions."""
    measure: Measure
    points: list[DataPoint]
    cycles: list[Cycle] = field(default_factory=list)
    predictions: list[Prediction] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.points = in_time_order(self.points)
        self.cycles = sorted(self.cycles, key=lambda c: (c.started_on, c.number))
        self._analysis: Analysis | None = None

    @property
    def dates(self) -> list[date]:
        return [p.on for p in self.points]

    @property
    def values(self) -> list[float]:
        return [p.value for p in self.points]

    @property
    def analysis(self) -> Analysis:
        """The runs analysis (computed once)."""
        if self._analysis is None:
            self._analysis = analyse(self.dates, self.values, self.cycles, self.measure.direction)
        return self._analysis

    def span(self, number: int) -> tuple[date, date | None] | None:
        """The dates a cycle covers: its start to its end (or the next cycle's start)."""
        cycle = next((c for c in self.cycles if c.number == number), None)
        if cycle is None:
            return None
        later = [c.started_on for c in self.cycles if c.started_on > cycle.started_on]
        end = cycle.finished_on or (min(later) if later else None)
        return cycle.started_on, end

    def cycle_points(self, number: int) -> list[int]:
        """Series indices of the points collected during a cycle: from its start, up to its
        end date (inclusive) and before the next cycle starts."""
        cycle = next((c for c in self.cycles if c.number == number), None)
        if cycle is None:
            return []
        later = [c.started_on for c in self.cycles if c.started_on > cycle.started_on]
        nxt = min(later) if later else None
        return [i for i, d in enumerate(self.dates)
                if d >= cycle.started_on and (cycle.finished_on is None or d <= cycle.finished_on)
                and (nxt is None or d < nxt)]

    def outcomes(self) -> list[Outcome]:
        """Each prediction against the median of its cycle's points, by cycle."""
        out = []
        values = self.values          # a property: read once, not once per point
        for p in sorted(self.predictions, key=lambda p: p.cycle):
            if self.span(p.cycle) is None:
                continue
            idx = self.cycle_points(p.cycle)
            actual = statistics.median(values[i] for i in idx) if idx else None
            out.append(Outcome(p.cycle, p.value, actual, len(idx),
                               idx[0] if idx else -1, idx[-1] if idx else -1))
        return out

    def words(self) -> list[str]:
        """Everything the chart says, as sentences: signals, then notes, then predictions."""
        a = self.analysis
        out = [s.text for s in a.signals] + a.notes
        for _, cycle in a.rebased_at:
            out.append(f"Median re-based at cycle {cycle.number}: the team adopted its change.")
        out += [o.text(self.measure) for o in self.outcomes()]
        if self.measure.goal is not None and self.points:
            last = self.points[-1].value
            unit = f" {self.measure.unit}" if self.measure.unit else ""
            out.append(f"Goal {format_value(self.measure.goal)}{unit}; latest "
                       f"{format_value(last)}{unit}.")
        return out


def cycles_of(iterations: Iterable[Any]) -> list[Cycle]:
    """The chart's view of PDSA iterations (``prototypes.pdsa.Iteration``)."""
    return [Cycle(it.number, it.started_on, it.finished_on, it.decision) for it in iterations]
