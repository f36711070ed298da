"""The page protocol: what the main window expects of a page, and the base every page uses.

A page is a QWidget added by the composition root. The window reads, when present:
``set_academy(academy_id | None)`` (called whenever another academy is opened),
``undo_stack`` (a QUndoStack joined to Edit ▸ Undo/Redo while the page is shown) and
``page_actions()`` (QActions shown in the page's menu). A :class:`Page` also has ``notified``,
the one way a page puts a message on the status bar.
"""
from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QWidget


class Page(QWidget):
    """Base of the main window's pages: ``notified`` reaches the status bar."""

    notified = Signal(str)  # payload: a short plain-text message for the status bar
    _read_this_turn = False

    def mark_read(self) -> None:
        """Note that the page has just read what it shows from the services."""
        if not self._read_this_turn:
            self._read_this_turn = True
            QTimer.singleShot(0, self._turn_ended)

    def read_this_turn(self) -> bool:
        """True while the event loop has not turned since ``mark_read``: nothing can have
        changed, so a page shown now need not read it all again. A page opened for the first
        time was given the academy (and read it) and then shown in the same turn, and read
        everything twice (issue 20)."""
        return self._read_this_turn

    def _turn_ended(self) -> None:
        self._read_this_turn = False
