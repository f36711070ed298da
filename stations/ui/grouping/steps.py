"""The Groups page's undo steps: a whole draft swapped, and the re-mix round that runs."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

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
