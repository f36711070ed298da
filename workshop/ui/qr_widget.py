"""A QR code on screen: paints ``workshop.qr.qr_matrix`` (the same modules the PDFs draw).

Modules are whole device pixels when there is room (crisp edges scan best from a projector),
centred on white with the standard quiet zone.
"""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from workshop.qr import QrMatrix, qr_matrix


@lru_cache(maxsize=64)
def _matrix(text: str) -> QrMatrix:
    # Building a code tries eight masks (tens of milliseconds): a station's code, shown on its
    # card and again in the projector's corner, is built once.
    return qr_matrix(text)


class QrWidget(QWidget):
    """A QR code painted square and crisp at any size (the same matrix the PDFs draw)."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self._matrix: QrMatrix | None = None
        # The code as last painted, and for which (text, size, pixel ratio): a page that lays
        # itself out again (a burst of check-ins on the Attendance page) repaints from it rather
        # than filling each of ~1,000 modules again (a third of the UI thread's time in bench_room).
        self._painted: tuple[tuple, QPixmap] | None = None
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumSize(96, 96)
        self.set_text(text)

    def text(self) -> str:
        return self._matrix.text if self._matrix else ""

    def set_text(self, text: str) -> None:
        if text == self.text():
            return
        self._matrix = _matrix(text) if text else None
        self.setAccessibleName("QR code" if text else "No QR code yet")
        self.setAccessibleDescription(text)
        self.setToolTip(text)
        self.update()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    def sizeHint(self) -> QSize:
        return QSize(200, 200)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        ratio = self.devicePixelRatioF()
        key = (self.text(), self.width(), self.height(), ratio)
        if self._painted is None or self._painted[0] != key:
            pixmap = QPixmap(round(self.width() * ratio), round(self.height() * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            self._paint(QPainter(pixmap), ratio)
            self._painted = (key, pixmap)
        painter.drawPixmap(0, 0, self._painted[1])
        painter.end()

    def _paint(self, painter: QPainter, ratio: float) -> None:
        side = min(self.width(), self.height())
        square = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        if self._matrix is None:
            painter.fillRect(square, QColor("#E6E6E6"))
            painter.end()
            return
        n = self._matrix.size
        device_module = int(side * ratio // n)
        module = device_module / ratio if device_module >= 1 else side / n
        drawn = module * n
        left = round((square.left() + (side - drawn) / 2) * ratio) / ratio
        top = round((square.top() + (side - drawn) / 2) * ratio) / ratio
        painter.fillRect(square, Qt.GlobalColor.white)
        dark = QColor("#000000")
        for r, c in self._matrix.dark_cells():
            painter.fillRect(QRectF(left + c * module, top + r * module, module, module), dark)
        painter.end()
