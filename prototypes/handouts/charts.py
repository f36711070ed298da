"""Run charts on paper: the measures of a prototype drawn from the same drawing model the
window paints (``prototypes.measures.chart``), each followed by its signals in words. Used by
the prototype PDF and the iteration log."""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from prototypes.measures.chart import RunChart, build_chart
from prototypes.handouts.models import ChartPrint
from prototypes.measures.series import Series
from workshop.pdf import fonts
from workshop.pdf.flowables import KeepPlain, para

CHART_HEIGHT = 62 * mm
TEXT_SIZE = 7.5          # points: the smallest label on the chart is 0.75 of it, ≥ 5.6 pt
ANCHORS = {"start": "left", "middle": "centre", "end": "right"}



def stroke_lines(c, lines, height: float) -> None:
    """Stroke a drawing model's lines (colour, width, dash, top-left origin) on a canvas whose
    origin is bottom-left: the run chart and the initiative map draw their lines this way."""
    for ln in lines:
        c.setStrokeColor(colors.HexColor(ln.color))
        c.setLineWidth(max(ln.width, 0.3))
        c.setDash(list(ln.dash) if ln.dash else [])
        c.line(ln.x1, height - ln.y1, ln.x2, height - ln.y2)
    c.setDash([])

class RunChartFlowable(Flowable):
    """A run chart as vector graphics. The model is y-down, reportlab y-up: y → height − y."""

    def __init__(self, series: Series, width: float, height: float = CHART_HEIGHT):
        super().__init__()
        self.width, self.height = width, height
        # The measure's name is the heading above: the chart does not repeat it.
        self.chart: RunChart = build_chart(series, width, height, size=TEXT_SIZE, title=False)

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        c, h = self.canv, self.height
        c.saveState()
        stroke_lines(c, self.chart.lines, h)
        for d in self.chart.dots:
            c.setStrokeColor(colors.HexColor(d.stroke))
            c.setFillColor(colors.HexColor(d.fill or "#ffffff"))
            c.setLineWidth(max(d.width, 0.3))
            x, y = d.x, h - d.y
            if d.shape == "circle":
                c.circle(x, y, d.r, stroke=1, fill=1)
            elif d.shape == "square":
                c.rect(x - d.r, y - d.r, 2 * d.r, 2 * d.r, stroke=1, fill=1)
            else:
                path = c.beginPath()
                path.moveTo(x, y + d.r)
                path.lineTo(x + d.r, y)
                path.lineTo(x, y - d.r)
                path.lineTo(x - d.r, y)
                path.close()
                c.drawPath(path, stroke=1, fill=1)
        for t in self.chart.texts:
            c.setFillColor(colors.HexColor(t.color))
            fonts.draw_string(c, t.x, h - t.y, t.text, t.size, bold=t.bold,
                              anchor=ANCHORS.get(t.anchor, "left"))
        c.restoreState()


def measures_section(charts: list[ChartPrint], width: float, heading: str = "Measures") -> list:
    """A heading, then each measure's chart with its words kept together on one page."""
    if not charts:
        return []
    flow: list = [CondPageBreak(CHART_HEIGHT + 40 * mm), para(heading, "h2")]
    for chart in charts:
        block = [para(chart.series.measure.label, "h3")]
        if chart.about:
            block.append(para(chart.about, "small"))
        block += [RunChartFlowable(chart.series, width), Spacer(0, 1.5 * mm)]
        block += [para(f"• {line}", "small") for line in chart.words]
        # Space between charts only: a spacer after the last one can spill onto a blank page.
        flow += ([Spacer(0, 3 * mm)] if len(flow) > 2 else []) + [KeepPlain(block)]
    return flow
