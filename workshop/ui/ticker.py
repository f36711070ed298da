"""The one repaint timer. Countdowns compute what is left from the clock; this only says
"repaint now". Tests call ``tick()`` themselves instead of waiting."""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

TICK_MS = 100


class Ticker(QObject):
    """The one repaint timer: pages redraw on ``ticked`` and read the time from their clock."""

    ticked = Signal()  # no payload: read the clock

    def __init__(self, parent: QObject | None = None, interval_ms: int = TICK_MS):
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.ticked)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def tick(self) -> None:
        self.ticked.emit()
