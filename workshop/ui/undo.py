"""The one undo command for edits the service has already saved.

Pages save at once (there is no Save button), so the edit is done before its command is pushed:
``QUndoStack.push`` calls ``redo()`` immediately, and that first call must not save again.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtGui import QUndoCommand


class SavedCommand(QUndoCommand):
    """An undoable action given as two callables; by default the action is already saved, so
    the push does nothing and only later redos call ``redo`` again (``saved=False``: the push
    does it)."""

    def __init__(self, text: str, redo: Callable[[], None], undo: Callable[[], None],
                 *, saved: bool = True):
        super().__init__(text)
        self._redo, self._undo, self._skip = redo, undo, saved

    def redo(self) -> None:
        if self._skip:
            self._skip = False
            return
        self._redo()

    def undo(self) -> None:
        self._undo()
