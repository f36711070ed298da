"""The Attendance page's own actions on a person (issue 13, item 11): check in someone who has
no phone, merge a walk-in into the roster person they really are, put a walk-in in a group.
Choose a name in any list (Tab to it, arrows), then a button (Alt+I, Alt+M, Alt+U) or the list's
context menu (the Menu key). Each change is undoable (Ctrl+Z on the page). Layout and wiring only:
the JoinService and the GroupingService do the work."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from stations.ui.join.views import NameList
from workshop.errors import ValidationError
from workshop.text import plural
from workshop.ui import dialogs
from workshop.ui.undo import SavedCommand

MAX_CANDIDATES = 6  # more than this and the facilitator types more of the name


class PeopleActions(QWidget):
    """Buttons acting on the name chosen in one of the page's lists."""

    changed = Signal(str)  # payload: a sentence for the status bar, after a change is saved

    def __init__(self, join, grouping, undo_stack, parent: QWidget | None = None):
        super().__init__(parent)
        self.join, self.grouping, self.undo_stack = join, grouping, undo_stack
        self.academy_id: int | None = None
        self.walk_in_ids: set[int] = set()
        self._lists: dict[NameList, int | None] = {}   # list -> its station's position
        self._chosen: tuple[int, int | None] | None = None   # (participant id, position)
        self.check_in_button = QPushButton("Check &in without a phone…")
        self.check_in_button.setToolTip("Check the chosen person in at a station for this round")
        self.check_in_button.clicked.connect(lambda: self.check_in())
        self.merge_button = QPushButton("&Merge walk-in into the roster…")
        self.merge_button.setToolTip("The chosen walk-in is someone on the roster: keep the roster "
                                     "person and give them the walk-in's check-ins")
        self.merge_button.clicked.connect(lambda: self.merge())
        self.group_button = QPushButton("Put walk-in in a gro&up…")
        self.group_button.setToolTip("Add the chosen walk-in to one of the groups that run")
        self.group_button.clicked.connect(lambda: self.put_in_group())
        # One row: the check-ins have the page's width (reflections are a tab of their own),
        # and every line spent on buttons is a line less of names at 1280×720.
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for k, button in enumerate((self.check_in_button, self.merge_button, self.group_button)):
            grid.addWidget(button, 0, k)
        grid.setColumnStretch(3, 1)
        self._enable()

    def watch(self, names: NameList, position: int | None = None) -> None:
        """Let a list's chosen name drive the buttons; give it the same actions as a context
        menu (``position``: the station it belongs to, where a check-in goes without asking)."""
        self._lists[names] = position
        names.chosen.connect(lambda pid, names=names: self._choose(names, pid))
        for label, slot in (("Check in without a phone…", self.check_in),
                            ("Merge walk-in into the roster…", self.merge),
                            ("Put walk-in in a group…", self.put_in_group)):
            action = QAction(label, names)
            action.triggered.connect(lambda _=False, slot=slot: slot())
            names.addAction(action)
        names.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def forget(self, names: NameList) -> None:
        """A list that is going away (a station card removed)."""
        self._lists.pop(names, None)

    def set_academy(self, academy_id: int | None, walk_in_ids: set[int]) -> None:
        """The academy on show and who in it is a walk-in (after every refresh)."""
        if academy_id != self.academy_id:
            self._chosen = None
        self.academy_id, self.walk_in_ids = academy_id, set(walk_in_ids)
        self._enable()

    def _choose(self, names: NameList, pid: int | None) -> None:
        if pid is None:
            if self._chosen is not None and names.hasFocus():
                self._chosen = None
        else:
            self._chosen = (pid, self._lists.get(names))
            for other in self._lists:   # one chosen name on the page, not one per list
                if other is not names:
                    other.clearSelection()
        self._enable()

    def _enable(self) -> None:
        chosen = self._chosen is not None and self.academy_id is not None
        walk_in = chosen and self._chosen[0] in self.walk_in_ids  # type: ignore[index]
        self.check_in_button.setEnabled(chosen)
        self.merge_button.setEnabled(bool(walk_in))
        self.group_button.setEnabled(bool(walk_in) and self.grouping is not None)

    def _name(self, pid: int) -> str:
        return self.join.repo.people(self.academy_id).get(pid, ("?", False))[0]

    # -- the actions -----------------------------------------------------------------------
    def check_in(self) -> None:
        """Check the chosen person in: at their card's station, else at the station chosen."""
        if self._chosen is None or self.academy_id is None:
            return
        pid, position = self._chosen
        if position is None:
            stations = {str(s.position): s.title for s in self.join.stations.stations(self.academy_id)}
            if not stations:
                dialogs.error(self, "Cannot check in", "This academy has no stations yet.")
                return
            answer = dialogs.choose(self, "Check in without a phone",
                                    f"Where is {self._name(pid)} now?", stations, next(iter(stations)))
            if answer is None:
                return
            position = int(answer)
        try:
            done = self.join.check_in_for(self.academy_id, pid, position)
        except ValidationError as exc:
            dialogs.error(self, "Cannot check in", str(exc))
            return
        text = f"Check in {done.name} at {done.station.split(' — ')[0]}"
        # A redo checks in anew (a new row, a new place in the order): the undo after it takes
        # back that one, not the first (phones' check-ins in between moved the order on).
        made = [done]
        self.undo_stack.push(SavedCommand(
            text, redo=lambda: self._again(made, pid, position),
            undo=lambda: self.join.undo_check_in(made[0])))
        self.changed.emit(f"{done.name} checked in at {done.station}"
                          + (" (already checked in there)." if done.duplicate else "."))

    def _again(self, made: list, pid: int, position: int) -> None:
        if self.academy_id is not None:
            made[0] = self.join.check_in_for(self.academy_id, pid, position)

    def merge(self) -> None:
        """Merge the chosen walk-in into the roster person they are (the roster person stays;
        the walk-in's check-ins and reflections move to them)."""
        if self._chosen is None or self.academy_id is None or self._chosen[0] not in self.walk_in_ids:
            return
        academy_id, walk_in = self.academy_id, self._chosen[0]
        name = self._name(walk_in)
        candidates = self.join.merge_candidates(academy_id, walk_in)
        while True:
            choices = {str(pid): self._name(pid) for pid in candidates[:MAX_CANDIDATES]}
            choices["other"] = "Someone else…"
            answer = dialogs.choose(
                self, "Merge walk-in into the roster",
                f"Who on the roster is the walk-in “{name}”? The roster person stays, with "
                f"{name}'s check-ins and reflections; the walk-in entry goes (Undo brings it back).",
                choices, next(iter(choices)))
            if answer is None:
                return
            if answer != "other":
                break
            typed = dialogs.ask_text(self, "Merge walk-in into the roster",
                                     "Type the roster person's name (or its start):")
            if typed is None:
                return
            candidates = self.join.merge_candidates(academy_id, walk_in, typed)
            if not candidates:
                dialogs.error(self, "Nobody on the roster by that name",
                              f"No one on the roster is called “{typed.strip()}”.")
                return
        roster = int(answer)
        # A walk-in already put in a group leaves it with the merge; undo puts the groups back.
        groups = (self.grouping.saved(academy_id), self.grouping.repo.draft(academy_id)) \
            if self.grouping is not None else None
        try:
            merged = self.join.merge_walk_in(academy_id, walk_in, roster)
        except ValidationError as exc:
            dialogs.error(self, "Cannot merge", str(exc))
            return
        into = self._name(roster)
        self._chosen = None
        moved = len(merged.moved) + len(merged.dropped)
        self.undo_stack.push(SavedCommand(
            f"Merge {name} into {into}",
            redo=lambda: self.join.merge_walk_in(academy_id, walk_in, roster),
            undo=lambda: self._unmerge(merged, groups)))
        self.changed.emit(f"{name} merged into {into}: {plural(moved, 'check-in')} moved.")
        self._enable()

    def _unmerge(self, merged, groups) -> None:
        self.join.unmerge(merged)
        if groups is not None and self.grouping is not None:
            self.grouping.restore(merged.academy_id, groups)

    def put_in_group(self) -> None:
        """Put the chosen walk-in in one of the groups that run (the groups on the Groups page)."""
        if (self._chosen is None or self.academy_id is None or self.grouping is None
                or self._chosen[0] not in self.walk_in_ids):
            return
        academy_id, pid = self.academy_id, self._chosen[0]
        draft = self.grouping.draft(academy_id)
        groups = draft.groups()[0] if draft is not None and draft.rounds else \
            self.grouping.saved_groups(academy_id)
        if not groups:
            dialogs.error(self, "No groups yet", "Make the groups on the Groups page first.")
            return
        choices = {str(g.index): f"{g.name} ({plural(len(g.member_ids), 'person', 'people')})"
                   for g in groups}
        smallest = min(groups, key=lambda g: len(g.member_ids))
        answer = dialogs.choose(self, "Put walk-in in a group",
                                f"Which group does {self._name(pid)} join?", choices,
                                str(smallest.index))
        if answer is None:
            return
        try:
            before = self.grouping.place(academy_id, pid, int(answer))
        except ValidationError as exc:
            dialogs.error(self, "Cannot put them in a group", str(exc))
            return
        group = next(g.name for g in groups if g.index == int(answer))
        self.undo_stack.push(SavedCommand(
            f"Put {self._name(pid)} in {group}",
            redo=lambda: self.grouping.place(academy_id, pid, int(answer)),
            undo=lambda: self.grouping.restore(academy_id, before)))
        self.changed.emit(f"{self._name(pid)} is now in {group}.")
