"""Qt painting of the run-chart drawing model (``prototypes.measures.chart``): the widget in
the editor and the PNG export paint the same shapes the PDF draws."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from prototypes.maps.drawing import FONT_FAMILY, TextLine
from prototypes.measures.chart import Dot, Line, RunChart, build_chart
from prototypes.measures.series import Series
from prototypes.ui.maps.items import ensure_fonts


def _pen(color: str, width: float, dash: tuple[float, ...] = ()) -> QPen:
    pen = QPen(QColor(color), width)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    if dash and width > 0:
        # Qt measures dashes in pen widths; the drawing model in absolute units.
        pen.setDashPattern([max(d / width, 0.1) for d in dash])
    return pen


def paint_line(painter: QPainter, ln: Line) -> None:
    """One line of the model."""
    painter.setPen(_pen(ln.color, ln.width, ln.dash))
    painter.drawLine(QPointF(ln.x1, ln.y1), QPointF(ln.x2, ln.y2))


def paint_dot(painter: QPainter, d: Dot) -> None:
    """One marker of the model: circle, square or diamond, filled or hollow."""
    painter.setPen(_pen(d.stroke, d.width))
    painter.setBrush(QBrush(QColor(d.fill)) if d.fill else QBrush(QColor("#ffffff")))
    if d.shape == "circle":
        painter.drawEllipse(QPointF(d.x, d.y), d.r, d.r)
    elif d.shape == "square":
        painter.drawRect(QRectF(d.x - d.r, d.y - d.r, 2 * d.r, 2 * d.r))
    else:
        painter.drawPolygon(QPolygonF([QPointF(d.x, d.y - d.r), QPointF(d.x + d.r, d.y),
                                       QPointF(d.x, d.y + d.r), QPointF(d.x - d.r, d.y)]))


def paint_text(painter: QPainter, t: TextLine) -> None:
    """One text line; ``anchor`` is start, middle or end."""
    font = QFont(FONT_FAMILY)
    font.setPixelSize(max(1, round(t.size)))
    font.setBold(t.bold)
    font.setItalic(t.italic)
    painter.setFont(font)
    painter.setPen(QColor(t.color))
    width = QFontMetricsF(font).horizontalAdvance(t.text)
    shift = {"start": 0.0, "middle": width / 2, "end": width}.get(t.anchor, 0.0)
    painter.drawText(QPointF(t.x - shift, t.y), t.text)


def paint_chart(painter: QPainter, chart: RunChart) -> None:
    """The whole chart: lines, then markers, then texts (texts stay readable on top)."""
    ensure_fonts()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    for ln in chart.lines:
        paint_line(painter, ln)
    for d in chart.dots:
        paint_dot(painter, d)
    for t in chart.texts:
        paint_text(painter, t)


def chart_image(series: Series, width: int, height: int) -> QImage:
    """The chart as an image on white (the PNG export and the screenshots)."""
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    try:
        paint_chart(painter, build_chart(series, width, height, size=max(11.0, height * 0.04)))
    finally:
        painter.end()
    return image


class RunChartView(QWidget):
    """The run chart of one measure, redrawn from the model at the widget's size."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.series: Series | None = None
        self.chart: RunChart | None = None
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Run chart")

    def sizeHint(self) -> QSize:
        return QSize(640, 300)

    def show_series(self, series: Series | None) -> None:
        """Chart this series (None: nothing)."""
        self.series = series
        self._rebuild()
        self.update()

    def _rebuild(self) -> None:
        if self.series is None:
            self.chart = None
            return
        w, h = max(self.width(), 200), max(self.height(), 150)
        self.chart = build_chart(self.series, w, h, size=max(11.0, min(h * 0.045, 15.0)))
        self.setAccessibleDescription("\n".join(self.series.words()))

    def resizeEvent(self, event) -> None:
        self._rebuild()
        super().resizeEvent(event)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), QColor("#ffffff"))
            if self.chart is not None:
                paint_chart(painter, self.chart)
        finally:
            painter.end()
