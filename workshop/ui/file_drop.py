"""Files dropped on the window where no page takes them (a prototype PDF brought back from a
school, say): each file goes to the handler for its suffix. Pages that accept drops themselves
(the roster, the grouping board) still get theirs first: Qt offers a drop to the widget under
the pointer and only then to its parents."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QEvent, QObject, Signal


class FileDrop(QObject):
    """Files dropped on the window go to the handler for their suffix."""

    dropped = Signal(str)  # payload: the path of a file that was handed to its handler

    def __init__(self, window, handlers: dict[str, Callable[[str], object]]):
        super().__init__(window)
        self.handlers = {suffix.lower(): fn for suffix, fn in handlers.items()}
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def _paths(self, event) -> list[str]:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return []
        return [url.toLocalFile() for url in mime.urls()
                if url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() in self.handlers]

    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if self._paths(event):
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop:
            paths = self._paths(event)
            if paths:
                event.acceptProposedAction()
                for path in paths:
                    self.handlers[Path(path).suffix.lower()](path)
                    self.dropped.emit(path)
                return True
        return False
