"""The grouping page: choose a strategy, see the groups as cards, drag people between them, lock
people, rename groups, watch the metrics, save to the academy.

Every edit (move, lock, rename, regroup) is one undoable step on ``undo_stack``; the page's
state is (groups per round, group names, locked people) and each step swaps a snapshot of it.
Each step is written at once as the academy's draft (``GroupingService.update_draft``, which also
measures it), so a crash loses nothing; Save makes the draft the academy's grouping, which the
rotation and the group cards use.
"""
from __future__ import annotations

import copy

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QPushButton,
                               QSpinBox, QVBoxLayout, QWidget)

from stations.grouping.request import STRATEGIES, STRATEGY_LABELS, GroupingOptions
from stations.setup.model import Group
from stations.ui.grouping.cards import GroupCard, stage_legend
from workshop.academy.model import ValidationError, clean_text
from workshop.ui.widgets import heading, plain_label, show_error, scrolled

COLUMNS = 3
UI_TIME_LIMIT_S = 3.0


class SnapshotCommand(QUndoCommand):
    """Swap the page's whole state; cheap at workshop sizes and impossible to get half right."""

    def __init__(self, page: "GroupingPage", before: tuple, after: tuple, text: str):
        super().__init__(text)
        self.page, self.before, self.after = page, before, after

    def redo(self) -> None:
        self.page._restore(self.after)

    def undo(self) -> None:
        self.page._restore(self.before)


class GroupingPage(QWidget):
    grouping_changed = Signal(object)   # payload: the current GroupingResult (after any edit)
    grouping_saved = Signal(int)        # payload: the academy id whose grouping was saved

    def __init__(self, service, default_groups=None, notify=None, parent: QWidget | None = None):
        """``service``: GroupingService; ``default_groups(academy_id)``: how many groups to
        propose first (the rotation's); ``notify(text)``: status-bar messages."""
        super().__init__(parent)
        self.service = service
        self.default_groups = default_groups or (lambda academy_id: 3)
        self.notify = notify or (lambda text: None)
        self.academy_id: int | None = None
        self.people: dict[int, object] = {}
        self.rounds: list[list[list[int]]] = []
        self.names: list[str] = []
        self.locked: set[int] = set()
        self.result = None
        self.seed = 0
        self.dirty = False
        self.undo_stack = QUndoStack(self)
        self.cards: list[GroupCard] = []

        self.strategy = QComboBox()
        for key in STRATEGIES:
            self.strategy.addItem(STRATEGY_LABELS[key], key)
        self.strategy.setCurrentIndex(STRATEGIES.index("balanced"))
        self.groups_spin = QSpinBox()
        self.groups_spin.setRange(1, 60)
        self.groups_spin.setPrefix("Groups: ")
        self.rounds_spin = QSpinBox()
        self.rounds_spin.setRange(1, 10)
        self.rounds_spin.setPrefix("Rounds: ")
        self.rounds_spin.setToolTip("More than one: re-mix each round so people meet new people")
        self.protect_box = QCheckBox("Never leave a district leader alone")
        self.protect_box.setChecked(True)
        self.readiness_box = QCheckBox("Mix readiness too")
        self.regroup_button = QPushButton("Regroup")
        self.regroup_button.setToolTip("Make new groups (Ctrl+R); locked people stay where they are")
        self.regroup_button.clicked.connect(self.regroup)
        self.save_button = QPushButton("Save to academy")
        self.save_button.setToolTip("Keep these groups for the rotation and the group cards (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.round_combo = QComboBox()
        self.round_combo.currentIndexChanged.connect(self._show_round)

        options = QHBoxLayout()
        for w in (self.strategy, self.groups_spin, self.rounds_spin, self.protect_box,
                  self.readiness_box):
            options.addWidget(w)
        options.addStretch(1)
        options.addWidget(self.round_combo)
        options.addWidget(self.regroup_button)
        options.addWidget(self.save_button)

        self.status = plain_label()
        self.metrics_label = plain_label(word_wrap=True)
        self.metrics_label.setObjectName("groupingMetrics")
        self.notes_label = plain_label(word_wrap=True)
        self.grid = QGridLayout()
        scroll = scrolled(self.grid)

        layout = QVBoxLayout(self)
        layout.addWidget(heading("Groups"))
        layout.addLayout(options)
        layout.addWidget(self.status)
        layout.addWidget(self.metrics_label)
        layout.addWidget(self.notes_label)
        layout.addWidget(stage_legend())
        layout.addWidget(scroll, 1)

        self.regroup_action = QAction("&Regroup", self, shortcut=QKeySequence("Ctrl+R"),
                                      triggered=self.regroup)
        self.save_action = QAction("&Save grouping", self, shortcut=QKeySequence.StandardKey.Save,
                                   triggered=self.save)
        for action in (self.regroup_action, self.save_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self._update_enabled()

    def page_actions(self) -> list[QAction]:
        return [self.regroup_action, self.save_action]

    # -- academy ---------------------------------------------------------------------------
    def set_academy(self, academy_id: int | None) -> None:
        self.academy_id = academy_id
        self.undo_stack.clear()
        self.people, self.rounds, self.names, self.locked = {}, [], [], set()
        self.result = None
        if academy_id is not None:
            self.people = {p.id: p for p in self.service.roster(academy_id)}
            saved = self.service.saved(academy_id)
            draft = self.service.draft(academy_id)
            if draft and draft.get("rounds"):
                self._load_draft(draft)
            elif saved is not None and saved.rounds:
                self._load_saved(saved)
            else:
                self.groups_spin.setValue(max(1, min(self.default_groups(academy_id),
                                                     max(1, len(self.people)))))
        self.dirty = bool(self.rounds) and self.status.text().startswith("Draft")
        self._refresh(persist=False)

    def showEvent(self, event) -> None:
        """The roster may have changed on another page: follow it, and say who is not grouped."""
        super().showEvent(event)
        if self.academy_id is None:
            return
        fresh = {p.id: p for p in self.service.roster(self.academy_id)}
        if set(fresh) == set(self.people) and all(fresh[i] == self.people[i] for i in fresh):
            return
        self.people = fresh
        self.rounds = [[[pid for pid in grp if pid in fresh] for grp in rnd] for rnd in self.rounds]
        self.locked &= set(fresh)
        self._refresh(persist=False)
        grouped = {pid for rnd in self.rounds[:1] for grp in rnd for pid in grp}
        missing = [p.name for pid, p in fresh.items() if pid not in grouped]
        if self.rounds and missing:
            self._show_status(f"Not in a group yet: {', '.join(missing[:5])}"
                              + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
                              + ". Regroup to include them (locked people stay).")

    def _load_draft(self, draft: dict) -> None:
        self._load_options(draft.get("options") or {})
        self.rounds = draft["rounds"]
        self.names = list(draft.get("names") or [Group.default_name(k) for k in range(len(self.rounds[0]))])
        self.locked = set(draft.get("locked") or [])
        self.groups_spin.setValue(len(self.names))
        self.rounds_spin.setValue(len(self.rounds))
        self._show_status("Draft restored: not saved yet.")

    def _load_options(self, opts: dict) -> None:
        if opts.get("strategy") in STRATEGIES:
            self.strategy.setCurrentIndex(STRATEGIES.index(opts["strategy"]))
        self.readiness_box.setChecked("readiness" in (opts.get("balance") or []))
        self.protect_box.setChecked(bool(opts.get("protect", True)))
        self.seed = int(opts.get("seed") or 0)

    def _load_saved(self, saved) -> None:
        self._load_options(saved.options or {})
        self.rounds = [[[pid for pid in g.member_ids if pid in self.people] for g in rnd]
                       for rnd in saved.rounds]
        self.names = [g.name for g in saved.rounds[0]]
        self.locked = set(saved.locked)
        self.groups_spin.setValue(len(self.names))
        self.rounds_spin.setValue(len(self.rounds))
        self._show_status(f"Saved grouping ({saved.saved_at[:16].replace('T', ' ')} UTC).")

    # -- options ---------------------------------------------------------------------------
    def options(self) -> GroupingOptions:
        strategy = self.strategy.currentData()
        balance = ("school", "role") + (("readiness",) if self.readiness_box.isChecked() else ())
        protect = {}
        if self.protect_box.isChecked():
            roles = [p.role for p in self.people.values()]
            leaders = sorted({r for r in roles if "district" in r.casefold()})
            if leaders:
                protect = {"role": leaders}
        return GroupingOptions(strategy=strategy, groups=self.groups_spin.value(),
                               rounds=self.rounds_spin.value(), balance=balance, protect=protect,
                               seed=self.seed, time_limit_s=UI_TIME_LIMIT_S)

    # -- user actions (each one undoable step) ---------------------------------------------
    def regroup(self) -> None:
        if self.academy_id is None:
            return
        self.seed += 1 if self.rounds else 0
        g = self.groups_spin.value()
        locked = {}
        if self.rounds:
            for k, members in enumerate(self.rounds[0]):
                locked.update({pid: k for pid in members if pid in self.locked})
        moved_out = sorted(self.people[pid].name for pid, k in locked.items() if k >= g)
        if moved_out:
            show_error(self, "Locked people in a removed group",
                       f"{', '.join(moved_out)} {'is' if len(moved_out) == 1 else 'are'} locked in a group "
                       f"that no longer exists with {g} groups. Unlock them or keep more groups.")
            return
        # The search is bounded (UI_TIME_LIMIT_S) and usually well under a second; a wait cursor
        # says the click was taken.
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            proposal = self.service.propose(self.academy_id, self.options(), locked=locked)
        except ValidationError as exc:
            QGuiApplication.restoreOverrideCursor()
            show_error(self, "Cannot make these groups", str(exc))
            return
        QGuiApplication.restoreOverrideCursor()
        rounds = [[list(grp.member_ids) for grp in rnd] for rnd in proposal.rounds]
        names = [self.names[k] if k < len(self.names) else Group.default_name(k) for k in range(g)]
        label = STRATEGY_LABELS[self.strategy.currentData()]
        self._push((rounds, names, set(self.locked)), f"Regroup ({label.lower()})")
        self.notify(f"New groups: {label.lower()}, {g} groups.")

    def move_person(self, pid: int, to_group: int) -> None:
        """Move someone to another group in the round on show (the drop calls this)."""
        r = self._round()
        if not self.rounds or pid not in self.people or not 0 <= to_group < len(self.rounds[r]):
            return
        current = next((k for k, m in enumerate(self.rounds[r]) if pid in m), None)
        if current == to_group:
            return
        rounds = copy.deepcopy(self.rounds)
        if current is not None:
            rounds[r][current].remove(pid)
        rounds[r][to_group].append(pid)
        self._push((rounds, list(self.names), set(self.locked)),
                   f"Move {self.people[pid].name} to {self.names[to_group]}")

    def set_locked(self, pid: int, locked: bool) -> None:
        if (pid in self.locked) == locked:
            return
        new = set(self.locked)
        (new.add if locked else new.discard)(pid)
        name = self.people[pid].name if pid in self.people else str(pid)
        self._push((copy.deepcopy(self.rounds), list(self.names), new),
                   f"{'Lock' if locked else 'Unlock'} {name}")

    def rename_group(self, index: int, text: str) -> None:
        try:
            name = clean_text(text, limit=40, what="A group name") or Group.default_name(index)
        except ValidationError as exc:
            show_error(self, "Group name", str(exc))
            self._refresh(persist=False)
            return
        if any(k != index and n.casefold() == name.casefold() for k, n in enumerate(self.names)):
            show_error(self, "Group name", f"Another group is already called “{name}”.")
            self._refresh(persist=False)
            return
        if name == self.names[index]:
            self._refresh(persist=False)
            return
        names = list(self.names)
        names[index] = name
        self._push((copy.deepcopy(self.rounds), names, set(self.locked)),
                   f"Rename {self.names[index]} to {name}")

    def save(self) -> None:
        if self.academy_id is None or not self.rounds:
            return
        groups = [[Group(k, self.names[k], list(m)) for k, m in enumerate(rnd)] for rnd in self.rounds]
        o = self.options()
        try:
            self.service.save(self.academy_id, groups[0], groups[1:], locked=self.locked,
                              strategy=o.strategy,
                              options={"strategy": o.strategy, "groups": o.groups, "rounds": o.rounds,
                                       "balance": list(o.balance), "protect": self.protect_box.isChecked(),
                                       "seed": self.seed},
                              metrics=self.result.metrics.to_dict() if self.result else {})
        except ValidationError as exc:
            show_error(self, "Cannot save the groups", str(exc))
            return
        self.dirty = False
        self._show_status("Saved: the rotation and the group cards use these groups.")
        self.notify("Grouping saved.")
        self.grouping_saved.emit(self.academy_id)

    # -- state -----------------------------------------------------------------------------
    def _push(self, after: tuple, text: str) -> None:
        before = (copy.deepcopy(self.rounds), list(self.names), set(self.locked))
        self.undo_stack.push(SnapshotCommand(self, before, after, text))

    def _restore(self, state: tuple) -> None:
        rounds, names, locked = state
        self.rounds, self.names, self.locked = copy.deepcopy(rounds), list(names), set(locked)
        self.dirty = True
        self._show_status("Not saved yet.")
        self._refresh()

    def _round(self) -> int:
        return max(0, min(self.round_combo.currentIndex(), len(self.rounds) - 1))

    def _show_round(self, _index: int) -> None:
        self._refresh_cards()

    def _show_status(self, text: str) -> None:
        self.status.setText(text)

    def _update_enabled(self) -> None:
        has = self.academy_id is not None and bool(self.people)
        self.regroup_button.setEnabled(has)
        self.regroup_button.setText("Regroup" if self.rounds else "Make groups")
        self.save_button.setEnabled(has and bool(self.rounds))

    def _refresh(self, persist: bool = True) -> None:
        """Show the current state; ``persist`` writes it as the academy's draft first."""
        wanted = [f"Round {r + 1}" for r in range(len(self.rounds))]
        if [self.round_combo.itemText(i) for i in range(self.round_combo.count())] != wanted:
            keep = self.round_combo.currentIndex()
            self.round_combo.blockSignals(True)
            self.round_combo.clear()
            self.round_combo.addItems(wanted)
            self.round_combo.setCurrentIndex(max(0, min(keep, len(wanted) - 1)))
            self.round_combo.blockSignals(False)
        self.round_combo.setVisible(len(self.rounds) > 1)
        self.result = None
        if self.academy_id is not None and self.rounds:
            groups = [[Group(k, self.names[k], m) for k, m in enumerate(rnd)] for rnd in self.rounds]
            if persist:
                self.result = self.service.update_draft(self.academy_id, groups, self.locked,
                                                        self.options())
            else:
                self.result = self.service.evaluate(self.academy_id, groups, self.options())
        self._show_metrics()
        self._refresh_cards()
        self._update_enabled()
        if not self.rounds:
            self._show_status("No grouping saved yet: choose a strategy and press Make groups."
                              if self.people else "This academy has no participants yet.")
        self.grouping_changed.emit(self.result)

    def _show_metrics(self) -> None:
        if self.result is None:
            self.metrics_label.setText("")
            self.notes_label.setText("")
            return
        m = self.result.metrics
        bits = [f"Size spread {m.size_spread or 0}"]
        if len(self.rounds) > 1:
            bits.append(f"Repeat pairs {m.repeat_pairs or 0} (at least {m.repeat_lower_bound or 0})")
        if m.isolated_minority is not None:
            bits.append(f"Isolated {m.isolated_minority}")
        if m.school_diversity_gap is not None:
            bits.append(f"School gap {m.school_diversity_gap}")
        if m.role_diversity_gap is not None:
            bits.append(f"Role gap {m.role_diversity_gap}")
        if m.readiness_spread is not None:
            bits.append(f"Readiness spread {m.readiness_spread}")
        if m.split_teams is not None and self.strategy.currentData() in ("teams", "readiness"):
            bits.append(f"Split teams {m.split_teams}")
        self.metrics_label.setText(" · ".join(bits))
        lines = [f"Not met: {u['reason']}" for u in self.result.unmet] + self.result.notes[1:]
        self.notes_label.setText("\n".join(lines))

    def _refresh_cards(self) -> None:
        r = self._round()
        groups = self.rounds[r] if self.rounds else []
        if len(self.cards) != len(groups):
            for card in self.cards:
                self.grid.removeWidget(card)
                card.deleteLater()
            self.cards = []
            for k in range(len(groups)):
                card = GroupCard(k)
                card.renamed.connect(self.rename_group)
                card.members.person_dropped.connect(self.move_person)
                card.members.lock_toggled.connect(self.set_locked)
                self.grid.addWidget(card, k // COLUMNS, k % COLUMNS, Qt.AlignmentFlag.AlignTop)
                self.cards.append(card)
        for k, card in enumerate(self.cards):
            people = [self.people[pid] for pid in groups[k] if pid in self.people]
            card.members.group_names = list(self.names)
            card.show_group(self.names[k], people, self.locked)
