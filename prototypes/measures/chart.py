"""The drawing of a run chart as plain primitives, shared by every renderer: the Qt widget
(and its PNG) and the PDF handouts paint exactly these shapes, so screen and paper agree.

Coordinates are in the renderer's own units (pixels, points) inside a ``width × height`` box,
x right and y **down**; a y-up renderer such as reportlab maps each point with
``y' = height - y`` (every text line carries its own baseline, so no text needs flipping).

What is drawn, each one labelled in words so that nothing is told by colour alone: the points
in time order joined by a line; the median of each part (re-based after an adopted cycle) as
a solid line with its value; the goal as a dash-dot line; each cycle as a dashed vertical
line with its number at the top; each prediction as a dotted bar across its cycle with a
hollow diamond; the points of a signalled run as larger squares.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from prototypes.maps.drawing import TextLine, text_width
from prototypes.measures.model import format_value
from prototypes.measures.series import Series

TEXT = "#111827"
MUTED = "#4b5563"
GRID = "#e5e7eb"
AXIS = "#9ca3af"
DATA = "#1f2937"
SIGNAL = "#b54708"
MEDIAN = "#1f4e79"
GOAL = "#15803d"
CYCLE = "#6b7280"
PREDICTION = "#6d28d9"


@dataclass(frozen=True)
class Line:
    """A straight line; ``dash`` is on/off lengths in drawing units (empty = solid)."""
    x1: float
    y1: float
    x2: float
    y2: float
    color: str
    width: float
    dash: tuple[float, ...] = ()
    role: str = ""               # "median", "goal", "cycle", "prediction", "grid", "axis", "data"


@dataclass(frozen=True)
class Dot:
    """A marker centred on (x, y) of half-size ``r``: ``circle``, ``square`` or ``diamond``."""
    x: float
    y: float
    r: float
    shape: str
    fill: str                    # "" = hollow
    stroke: str
    width: float
    role: str = "point"          # "point", "signal" or "prediction"


@dataclass
class RunChart:
    """The shapes and texts of one run chart; every renderer paints these, in this order."""
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    dots: list[Dot] = field(default_factory=list)
    texts: list[TextLine] = field(default_factory=list)

    def role(self, role: str) -> list[Line]:
        """The lines of one role (for tests and renderers that style by role)."""
        return [ln for ln in self.lines if ln.role == role]

    def strings(self) -> list[str]:
        """Every text drawn, in drawing order (for tests and accessibility)."""
        return [t.text for t in self.texts]


def nice_ticks(lo: float, hi: float, most: int = 6) -> list[float]:
    """Round values (1, 2 or 5 × 10^k apart) spanning lo…hi, at most ``most`` of them."""
    if hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / max(most - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(lo / step) * step
    ticks, v = [], first
    while v <= hi + step * 1e-9:
        ticks.append(round(v, 10))
        v += step
    if ticks[-1] < hi:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def build_chart(series: Series, width: float, height: float,
                size: float | None = None, *, title: bool = True) -> RunChart:
    """The run chart of ``series`` in a ``width × height`` box; ``size`` is the text size;
    ``title=False`` leaves the measure's name to a heading outside the chart."""
    s = size or max(height * 0.042, 6.0)
    chart = RunChart(width, height)
    m = series.measure
    if title:
        chart.texts.append(TextLine(m.label, 0.0, s * 1.1, s * 1.15, bold=True, anchor="start"))
    values = series.values
    pred_values = [p.value for p in series.predictions]
    extent = values + pred_values + ([m.goal] if m.goal is not None else [])
    ticks = nice_ticks(min(extent), max(extent)) if extent else [0.0, 1.0]
    label_w = max(text_width(format_value(t), s) for t in ticks) + s * 0.6
    left, right = label_w, width - s * 0.5
    top, bottom = s * (3.4 if title else 2.0), height - s * 2.0
    lo, hi = ticks[0], ticks[-1]

    def y_of(v: float) -> float:
        return bottom - (v - lo) / (hi - lo) * (bottom - top)

    for t in ticks:
        y = y_of(t)
        chart.lines.append(Line(left, y, right, y, GRID, s * 0.06, role="grid"))
        chart.texts.append(TextLine(format_value(t), left - s * 0.4, y + s * 0.35, s * 0.9,
                                    color=MUTED, anchor="end"))
    chart.lines.append(Line(left, bottom, right, bottom, AXIS, s * 0.08, role="axis"))
    n = len(values)
    if not n:
        chart.texts.append(TextLine("No data yet: add the first point.", (left + right) / 2,
                                    (top + bottom) / 2, s, italic=True, color=MUTED))
        return chart
    step = (right - left) / n

    def x_of(i: float) -> float:
        return left + (i + 0.5) * step

    dates = series.dates
    # Cycles: a dashed line just before the first point collected on or after the start; the
    # label shortens to "C3" when the next cycle starts too close for "Cycle 3".
    xs = [x_of(next((i for i, d in enumerate(dates) if d >= c.started_on), n) - 0.5)
          for c in series.cycles]
    for k, (c, x) in enumerate(zip(series.cycles, xs)):
        chart.lines.append(Line(x, top - s * 0.6, x, bottom, CYCLE, s * 0.07,
                                (s * 0.35, s * 0.25), role="cycle"))
        room = (xs[k + 1] if k + 1 < len(xs) else width) - x - s * 0.6
        label = f"Cycle {c.number}" + (" adopted" if c.decision == "adopt" else "")
        if text_width(label, s * 0.85) > room:
            label = f"C{c.number}" + ("✓" if c.decision == "adopt" else "")
        chart.texts.append(TextLine(label, x + s * 0.2, top - s * 0.9, s * 0.85, color=CYCLE,
                                    anchor="start"))
    a = series.analysis
    for part in a.parts:
        if part.end <= part.start:
            continue
        y = y_of(part.median)
        x1, x2 = x_of(part.start - 0.5), x_of(part.end - 0.5)
        chart.lines.append(Line(x1, y, x2, y, MEDIAN, s * 0.14, role="median"))
        chart.texts.append(TextLine(f"median {format_value(part.median)}", x2 - s * 0.2,
                                    y - s * 0.35, s * 0.8, color=MEDIAN, anchor="end"))
    if m.goal is not None:
        y = y_of(m.goal)
        chart.lines.append(Line(left, y, right, y, GOAL, s * 0.12,
                                (s * 0.8, s * 0.25, s * 0.15, s * 0.25), role="goal"))
        chart.texts.append(TextLine(f"goal {format_value(m.goal)}", left + s * 0.3,
                                    y - s * 0.35, s * 0.8, color=GOAL, anchor="start"))
    for o in series.outcomes():
        if o.first >= 0:
            x1, x2 = x_of(o.first - 0.5), x_of(o.last + 0.5)
        else:           # no points yet: a bar one step wide where the cycle starts
            cycle = next(c for c in series.cycles if c.number == o.cycle)
            start = next((i for i, d in enumerate(dates) if d >= cycle.started_on), n)
            x1, x2 = x_of(start - 0.5), x_of(start + 0.5)
        y = y_of(o.predicted)
        chart.lines.append(Line(x1, y, x2, y, PREDICTION, s * 0.12, (s * 0.12, s * 0.22),
                                role="prediction"))
        chart.dots.append(Dot((x1 + x2) / 2, y, s * 0.4, "diamond", "", PREDICTION, s * 0.12,
                              "prediction"))
        chart.texts.append(TextLine(f"predicted {format_value(o.predicted)}", (x1 + x2) / 2,
                                    y + s * 1.25, s * 0.75, color=PREDICTION))
    flagged = {i for sig in a.signals if sig.kind == "shift"
               for i in range(sig.first, sig.last + 1)}
    pts = [(x_of(i), y_of(v)) for i, v in enumerate(values)]
    for (xa, ya), (xb, yb) in zip(pts, pts[1:]):
        chart.lines.append(Line(xa, ya, xb, yb, DATA, s * 0.1, role="data"))
    for i, (x, y) in enumerate(pts):
        if i in flagged:
            chart.dots.append(Dot(x, y, s * 0.38, "square", SIGNAL, SIGNAL, s * 0.08, "signal"))
        else:
            chart.dots.append(Dot(x, y, s * 0.26, "circle", DATA, DATA, s * 0.06))
    every = max(1, math.ceil(n / max(1, int((right - left) / (s * 5.0)))))
    for i in range(0, n, every):
        chart.texts.append(TextLine(f"{dates[i].day} {dates[i]:%b}", x_of(i), bottom + s * 1.3,
                                    s * 0.8, color=MUTED))
    return chart

