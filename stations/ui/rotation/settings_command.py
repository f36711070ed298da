"""Undo for the rotation's set-up: each edit is saved at once and pushed already done."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QUndoCommand


class SettingsCommand(QUndoCommand):
    """A set-up edit, already saved when pushed; undo saves the settings from before."""

    def __init__(self, page, academy_id: int, before, after):
        """``page``: the RotationPage (its service saves, and it reloads its set-up form)."""
        super().__init__("Change the rotation set-up")
        self.page, self.academy_id, self.before, self.after = page, academy_id, before, after
        self._first = True

    def redo(self) -> None:
        """Save the edit again (the first redo is the push itself: already saved)."""
        if self._first:
            self._first = False
            return
        self._restore(self.after)

    def undo(self) -> None:
        """Save the settings from before the edit."""
        self._restore(self.before)

    def _restore(self, settings) -> None:
        current = self.page.service.settings(self.academy_id)
        # Sound preferences are not part of the undo history.
        self.page.service.save_settings(self.academy_id, replace(
            settings, muted=current.muted, volume=current.volume))
        if self.page.academy_id == self.academy_id:
            self.page._load_setup(upcoming=True)
