"""The page protocol: what the main window expects of a page, and the base every page uses.

A page is a QWidget added by the composition root. The window reads, when present:
``set_academy(academy_id | None)`` (called whenever another academy is opened),
``undo_stack`` (a QUndoStack joined to Edit ▸ Undo/Redo while the page is shown) and
``page_actions()`` (QActions shown in the page's menu). A :class:`Page` also has ``notified``,
the one way a page puts a message on the status bar.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget


class Page(QWidget):
    """Base of the main window's pages: ``notified`` reaches the status bar."""

    notified = Signal(str)  # payload: a short plain-text message for the status bar

