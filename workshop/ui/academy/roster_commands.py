"""The roster page's undo commands: each redo/undo is one service call, said on failure.

The page saves first and pushes a command only once the save has succeeded (a busy file must
leave the undo stack as it was), so each command's first redo, run by the push, is skipped.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from workshop.academy.model import Participant
from workshop.text import plural
from workshop.ui.academy.roster_model import HEADERS

if TYPE_CHECKING:
    from workshop.ui.academy.roster_page import RosterPage


class EditCommand(QUndoCommand):
    """One field of one participant edited (already saved); undo saves the person as before."""

    def __init__(self, page: "RosterPage", before: Participant, after: Participant, field: str):
        super().__init__(f"Edit {HEADERS[field].lower()} of {before.name}")
        self.page, self.before, self.after, self._skip = page, before, after, True

    def redo(self) -> None:
        if not self._skip:
            self.page.attempt(lambda: self.page._save(self.after))
        self._skip = False

    def undo(self) -> None:
        self.page.attempt(lambda: self.page._save(self.before))


class AddCommand(QUndoCommand):
    """A new participant added (already saved); redo after undo restores the same person."""

    def __init__(self, page: "RosterPage", academy_id: int, person: Participant):
        super().__init__(f"Add {person.name}")
        self.page, self.academy_id, self.person, self._skip = page, academy_id, person, True

    def redo(self) -> None:
        if not self._skip:  # redo after undo: the same person, same id
            self.page.attempt(lambda: self.page.academies.restore_participants(
                self.academy_id, [self.person]))
        self._skip = False
        self.page.reload()

    def undo(self) -> None:
        self.page.attempt(lambda: self.page.academies.remove_participants([self.person.id]))
        self.page.reload()


class RemoveCommand(QUndoCommand):
    """Participants removed (already saved); undo restores them with their ids."""

    def __init__(self, page: "RosterPage", academy_id: int, people: list[Participant]):
        what = people[0].name if len(people) == 1 else plural(len(people), "person", "people")
        super().__init__(f"Remove {what}")
        self.page, self.academy_id, self.people, self._skip = page, academy_id, people, True

    def redo(self) -> None:
        if not self._skip:
            self.page.attempt(lambda: self.page.academies.remove_participants(
                [p.id for p in self.people]))
        self._skip = False
        self.page.reload()

    def undo(self) -> None:
        self.page.attempt(lambda: self.page.academies.restore_participants(
            self.academy_id, self.people))
        self.page.reload()


class ImportCommand(QUndoCommand):
    """A roster import (already saved): undo takes its new people off the roster and gives the
    merged ones their fields back; redo puts both back as the import left them (same ids). A
    wrong file imported in front of the room could not be taken back."""

    def __init__(self, page: "RosterPage", academy_id: int, source: str,
                 added: list[Participant], changed: list[tuple[Participant, Participant]]):
        super().__init__(f"Import {source or 'pasted rows'}")
        self.page, self.academy_id, self._skip = page, academy_id, True
        self.added, self.changed = added, changed   # changed: (before, after) of each merge

    def redo(self) -> None:
        if not self._skip:
            academies = self.page.academies

            def again() -> None:
                academies.restore_participants(self.academy_id, self.added)
                for _, after in self.changed:
                    academies.update_participant(after)
            self.page.attempt(again)
        self._skip = False
        self.page.reload()

    def undo(self) -> None:
        academies = self.page.academies

        def back() -> None:
            academies.remove_participants([p.id for p in self.added])
            for before, _ in self.changed:
                academies.update_participant(before)
        self.page.attempt(back)
        self.page.reload()
