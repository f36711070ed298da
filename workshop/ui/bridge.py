"""Hand events from worker threads (the join server) to the GUI thread.

``post`` may be called from any thread; ``posted`` is emitted on the GUI thread through a queued
connection, so slots may touch widgets.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal


class Bridge(QObject):
    """Carries events posted on any thread to slots on the GUI thread."""

    posted = Signal(object)  # payload: whatever the worker posted (a plain dataclass)
    _relay = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._relay.connect(self.posted, Qt.ConnectionType.QueuedConnection)

    def post(self, event: object) -> None:
        self._relay.emit(event)
