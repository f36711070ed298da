"""The Groups page's undo steps (a whole draft swapped, the re-mix round that runs) and the
progress of a long Regroup."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from stations.grouping.draft import Draft

if TYPE_CHECKING:
    from stations.ui.grouping.page import GroupingPage


class SnapshotCommand(QUndoCommand):
    """Swap the page's whole draft; cheap at workshop sizes and impossible to get half right."""

    def __init__(self, page: GroupingPage, before: Draft, after: Draft, text: str):
        super().__init__(text)
        self.page, self.before, self.after = page, before, after

    def redo(self) -> None:
        """Show the draft after the step."""
        self.page._restore(self.after)

    def undo(self) -> None:
        """Show the draft before the step."""
        self.page._restore(self.before)


class UseRoundCommand(QUndoCommand):
    """Run another re-mix round (the rotation, projector and cards follow); undo runs the old one."""

    def __init__(self, page: GroupingPage, academy_id: int, number: int):
        super().__init__(f"Run round {number}")
        self.page, self.academy_id, self.number = page, academy_id, number
        self.before = page.service.round_in_use(academy_id)

    def _apply(self, number: int) -> None:
        self.page.service.use_round(self.academy_id, number)
        self.page._show_round(0)
        self.page.grouping_saved.emit(self.academy_id)

    def redo(self) -> None:
        """Run the chosen round (the push runs this)."""
        self._apply(self.number)

    def undo(self) -> None:
        """Run the round that ran before."""
        self._apply(self.before)


class SearchProgress:
    """Shown while a Regroup searches longer than half a second: how far into its time limit it
    is, and a button that stops it and keeps the best groups found so far. Called by the search
    every few dozen steps (``GroupingService.regroup(tick=…)``); returns True to stop."""
    SHOW_AFTER_S = 0.5

    def __init__(self, parent: QWidget, limit_s: float, now: Callable[[], float] = time.monotonic):
        self.parent, self.limit_s, self.now = parent, limit_s, now
        self.start = now()
        self.dialog: QProgressDialog | None = None

    def __call__(self) -> bool:
        elapsed = self.now() - self.start
        if self.dialog is None and elapsed >= self.SHOW_AFTER_S:
            self.dialog = QProgressDialog("Looking for better groups…", "Stop and keep the best so far",
                                          0, 100, self.parent)
            self.dialog.setWindowTitle("Regroup")
            self.dialog.setWindowModality(Qt.WindowModality.WindowModal)   # no second Regroup meanwhile
            self.dialog.setMinimumDuration(0)
            self.dialog.show()
        if self.dialog is None:
            return False
        self.dialog.setValue(min(99, int(100 * elapsed / max(self.limit_s, 1e-6))))
        QApplication.processEvents()   # repaint, and let the Stop button be pressed
        return self.dialog.wasCanceled()

    def close(self) -> None:
        """The search is over."""
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
