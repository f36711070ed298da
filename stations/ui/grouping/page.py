"""The grouping page: strategy, rules and groups as cards; drag, lock, rename, see why.
Every edit (move, lock, rename, regroup) is one undoable step on ``undo_stack``; the page's
state is one :class:`stations.grouping.draft.Draft`, whose edits return a new draft, and each
step swaps the whole draft. The rules behind the controls are a ``GroupingRules``: the page
only shows them and reads them back, so it keeps no grouping rule of its own.
Each step is written at once (``GroupingService.update_draft``, which also measures it) as the
academy's grouping: the groups on show are the ones the rotation runs and the cards print, and
a crash loses nothing. There is no Save to forget (issue 13, item 9).
"""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (QCheckBox, QComboBox, QGridLayout, QPushButton,
                               QSpinBox, QVBoxLayout, QWidget)

from stations.grouping.draft import Draft, GroupingRules, suggested_groups
from stations.grouping.request import STRATEGIES, STRATEGY_LABELS
from stations.ui.grouping.cards import GroupCard, metrics_text, notes_above_cards
from stations.ui.grouping.constraints import RulesPanel
from stations.ui.grouping.steps import SearchProgress, SnapshotCommand, UseRoundCommand
from workshop.errors import ValidationError
from workshop.text import plural
from workshop.timefmt import local_minute
from workshop.ui import dialogs
from workshop.ui.page import Page
from workshop.ui.widgets import busy, heading, plain_label, row_of

COLUMNS = 3
RUNS = "These are the groups the rotation runs and the group cards print."
UI_TIME_LIMIT_S = 3.0


class GroupingPage(Page):
    """The Groups page: strategy and rules above, the groups as cards below, every edit undoable."""
    grouping_changed = Signal(object)   # payload: the current GroupingResult (after any edit)
    grouping_saved = Signal(int)        # payload: the academy id whose grouping was kept

    def __init__(self, service, default_groups=None, parent: QWidget | None = None):
        """``service``: GroupingService; ``default_groups(academy_id)``: the fewest groups to
        propose first (the academy's stations); the page proposes about 5–6 people a group
        above that. Status-bar messages go out through ``notified``."""
        super().__init__(parent)
        self.service = service
        self.default_groups = default_groups or (lambda academy_id: 3)
        self.academy_id: int | None = None
        self.people: dict[int, object] = {}
        self.draft = Draft()
        self.result = None
        self.seed = 0
        self.dirty = False
        self.undo_stack = QUndoStack(self)
        self.cards: list[GroupCard] = []

        self.strategy = QComboBox()
        for key in STRATEGIES:
            self.strategy.addItem(STRATEGY_LABELS[key], key)
        self.strategy.setCurrentIndex(STRATEGIES.index("balanced"))
        self.strategy.setAccessibleName("How to form groups")
        self.groups_spin = QSpinBox()
        self.groups_spin.setRange(1, 60)
        self.groups_spin.setPrefix("Groups: ")
        self.groups_spin.setAccessibleName("Number of groups")
        self.rounds_spin = QSpinBox()
        self.rounds_spin.setRange(1, 10)
        self.rounds_spin.setPrefix("Rounds: ")
        self.rounds_spin.setAccessibleName("Grouping rounds")
        self.rounds_spin.setToolTip("More than one: re-mix each round so people meet new people")
        self.protect_box = QCheckBox("Never leave a district leader alone")
        self.protect_box.setChecked(True)
        self.readiness_box = QCheckBox("Mix readiness too")
        self.regroup_button = QPushButton("Regroup")
        self.regroup_button.setToolTip("Make new groups (Ctrl+R); locked people stay where they are")
        self.regroup_button.clicked.connect(self.regroup)
        self.round_combo = QComboBox()
        self.round_combo.setAccessibleName("Round shown")
        self.round_combo.currentIndexChanged.connect(self._show_round)
        self.use_button = QPushButton("Run this round")
        self.use_button.setToolTip("A later round is a later part of the day: the rotation, the "
                                   "projector, the group cards and the debrief use the round chosen here")
        self.use_button.clicked.connect(lambda: self.use_round(self._round() + 1))

        # Two rows (how to group; which round runs), so the page fits a 1280-pixel projector.
        options = QVBoxLayout()
        options.addLayout(row_of((self.strategy, self.groups_spin, self.rounds_spin), (self.regroup_button,)))
        options.addLayout(row_of((self.protect_box, self.readiness_box), (self.round_combo, self.use_button)))

        self.status = plain_label()
        self.metrics_label = plain_label(word_wrap=True)
        self.metrics_label.setObjectName("groupingMetrics")
        self.notes_label = plain_label(word_wrap=True)
        self.rules_panel = RulesPanel()
        self.rules_panel.rules_edited.connect(self._edit_rules)
        self.rules_panel.arrivals_requested.connect(self._leave_out_absent)
        self.grid = QGridLayout()
        self.splitter, self.cards_scroll = notes_above_cards(
            (self.status, self.metrics_label, self.notes_label, self.rules_panel), self.grid)

        layout = QVBoxLayout(self)
        layout.addWidget(heading("Groups"))
        layout.addLayout(options)
        layout.addWidget(self.splitter, 1)

        self.regroup_action = QAction("&Regroup", self, shortcut=QKeySequence("Ctrl+R"),
                                      triggered=self.regroup)
        self.regroup_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.regroup_action)
        self._update_enabled()

    def page_actions(self) -> list[QAction]:
        """The page's menu actions (Regroup)."""
        return [self.regroup_action]

    # The draft's parts, as the cards and tests read them.
    @property
    def rounds(self) -> list[list[list[int]]]:
        """Participant ids per group per round."""
        return self.draft.rounds

    @property
    def names(self) -> list[str]:
        """The groups' names."""
        return self.draft.names

    @property
    def locked(self) -> frozenset[int]:
        """Who stays in place on regroup."""
        return self.draft.locked

    # -- academy ---------------------------------------------------------------------------
    def set_academy(self, academy_id: int | None) -> None:
        """Show this academy's draft, else its saved grouping, else nothing yet (None: no academy)."""
        self.academy_id = academy_id
        self.undo_stack.clear()
        self.people, self.draft = {}, Draft()
        self.result = None
        if academy_id is not None:
            self.people = {p.id: p for p in self.service.roster(academy_id)}
            saved = self.service.saved(academy_id)
            draft = self.service.draft(academy_id)
            if draft is not None and draft.rounds:
                self._load(draft)
                self._show_status(RUNS if saved is not None and saved.rounds else
                                  "These groups cannot run yet: see the note below.")
            elif saved is not None and saved.rounds:
                self._load(Draft.from_saved(saved).on_roster(self.people))
                self._show_status(f"{RUNS[:-1]} (kept {local_minute(saved.saved_at)}).")
            else:
                self._suggest_count()
        self.dirty = False
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
        self.draft = self.draft.on_roster(fresh)
        if not self.rounds:
            self._suggest_count()   # a roster imported since: propose from its size
        self._refresh(persist=False)
        grouped = {pid for rnd in self.rounds[:1] for grp in rnd for pid in grp}
        missing = [p.name for pid, p in fresh.items() if pid not in grouped and pid not in self.draft.rules.absent]
        if self.rounds and missing:
            self._show_status(f"Not in a group yet: {', '.join(missing[:5])}"
                              + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
                              + ". Regroup to include them (locked people stay).")

    def _suggest_count(self) -> None:
        if self.academy_id is not None:
            self.groups_spin.setValue(suggested_groups(len(self.people),
                                                       self.default_groups(self.academy_id)))

    def _load(self, draft: Draft) -> None:
        self.draft = draft
        self._show_rules(draft.rules)
        self.groups_spin.setValue(len(draft.names))
        self.rounds_spin.setValue(len(draft.rounds))

    # -- rules -----------------------------------------------------------------------------
    def _show_rules(self, rules: GroupingRules) -> None:
        self.strategy.setCurrentIndex(STRATEGIES.index(rules.strategy))
        self.readiness_box.setChecked(rules.mix_readiness)
        self.protect_box.setChecked(rules.protect_leaders)
        self.seed = rules.seed

    def rules(self) -> GroupingRules:
        """The rules as the controls show them."""
        return replace(self.draft.rules, strategy=self.strategy.currentData(), groups=self.groups_spin.value(),
                       rounds=self.rounds_spin.value(), mix_readiness=self.readiness_box.isChecked(),
                       protect_leaders=self.protect_box.isChecked(), seed=self.seed)

    def _current(self) -> Draft:
        """The draft with the rules the controls show now."""
        return replace(self.draft, rules=self.rules())

    # -- user actions (each one undoable step) ---------------------------------------------
    def regroup(self) -> None:
        """Make new groups by the rules shown; locked people stay where they are."""
        if self.academy_id is None:
            return
        self.seed += 1 if self.rounds else 0
        g = self.groups_spin.value()
        moved_out = sorted(self.people[pid].name for pid in self.draft.stranded_locks(g))
        if moved_out:
            dialogs.error(self, "Locked people in a removed group",
                       f"{', '.join(moved_out)} {'is' if len(moved_out) == 1 else 'are'} locked in a group "
                       f"that no longer exists with {plural(g, 'group')}. Unlock them or keep more groups.")
            return
        # Bounded (UI_TIME_LIMIT_S), usually well under a second: a wait cursor, and past half a
        progress = SearchProgress(self, UI_TIME_LIMIT_S)   # second a progress dialog with Stop
        try:
            with busy():
                proposal = self.service.regroup(self.academy_id, self._current(), time_limit_s=UI_TIME_LIMIT_S, tick=progress)
        except ValidationError as exc:
            dialogs.error(self, "Cannot make these groups", str(exc))
            return
        finally:
            progress.close()
        after = self.draft.regrouped([[list(grp.member_ids) for grp in rnd] for rnd in proposal.rounds], g)
        label = STRATEGY_LABELS[self.strategy.currentData()]
        self._push(after, f"Regroup ({label.lower()})")
        self.notified.emit(f"New groups: {label.lower()}, {plural(g, 'group')}.")

    def move_person(self, pid: int, to_group: int) -> None:
        """Move someone to another group in the round on show (the drop calls this)."""
        after = self.draft.moved(pid, to_group, self._round()) if pid in self.people else None
        if after is not None:
            self._push(after, f"Move {self.people[pid].name} to {self.names[to_group]}")

    def set_locked(self, pid: int, locked: bool) -> None:
        """Lock someone in place for the next regroup (or let them go)."""
        after = self.draft.with_lock(pid, locked)
        if after is None:
            return
        name = self.people[pid].name if pid in self.people else str(pid)
        self._push(after, f"{'Lock' if locked else 'Unlock'} {name}")

    def rename_group(self, index: int, text: str) -> None:
        """Give a group a new name (a card's name field calls this)."""
        try:
            after = self.draft.renamed(index, text)
        except ValidationError as exc:
            dialogs.error(self, "Group name", str(exc))
            after = None
        if after is None:
            self._refresh(persist=False)
            return
        self._push(after, f"Rename {self.names[index]} to {after.names[index]}")

    def save(self) -> None:
        """Keep the groups on show now (every edit already does; for the CLI-like callers)."""
        if self.academy_id is None or not self.rounds:
            return
        try:
            self.service.keep_draft(self.academy_id, self._current(),
                                    metrics=self.result.metrics.to_dict() if self.result else {})
        except ValidationError as exc:
            dialogs.error(self, "Cannot save the groups", str(exc))
            return
        self.dirty = False
        self._show_status(RUNS)
        self.grouping_saved.emit(self.academy_id)

    # -- state -----------------------------------------------------------------------------
    def _push(self, after: Draft, text: str) -> None:
        self.undo_stack.push(SnapshotCommand(self, self.draft, after, text))

    def _restore(self, draft: Draft) -> None:
        self.draft = draft
        self._refresh()
        if not self.rounds:
            return
        ok = self.academy_id is not None and bool(self.service.saved_groups(self.academy_id))
        self._show_status(RUNS if ok else "These groups cannot run yet: see the note below.")
        if ok:
            self.grouping_saved.emit(self.academy_id)

    def _round(self) -> int:
        return max(0, min(self.round_combo.currentIndex(), len(self.rounds) - 1))

    def use_round(self, number: int) -> None:
        """Run re-mix round ``number`` from now on (rotation, projector, cards); undoable."""
        if self.academy_id is None:
            return
        self.undo_stack.push(UseRoundCommand(self, self.academy_id, number))
        self.notified.emit(f"Round {number} now runs: the rotation, the projector and the group cards use it.")

    def _show_round(self, _index: int) -> None:
        in_use = self.service.round_in_use(self.academy_id) if self.academy_id is not None else 1
        self.use_button.setVisible(len(self.rounds) > 1)
        self.use_button.setEnabled(self._round() + 1 != in_use)
        self.use_button.setText("Runs now" if self._round() + 1 == in_use else "Run this round")
        self._refresh_cards()

    def _show_status(self, text: str) -> None:
        self.status.setText(text)

    def _update_enabled(self) -> None:
        has = self.academy_id is not None and bool(self.people)
        self.regroup_button.setEnabled(has)
        self.regroup_button.setText("Regroup" if self.rounds else "Make groups")

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
        if self.academy_id is not None and not self.rounds and persist:
            self.service.clear(self.academy_id)   # undone to nothing: nothing runs either
        if self.academy_id is not None and self.rounds:
            if persist:
                self.result = self.service.update_draft(self.academy_id, self._current())
            else:
                self.result = self.service.measure(self.academy_id, self._current())
        self._show_metrics()
        self._show_round(0)
        self._update_enabled()
        if not self.rounds:
            self._show_status("No groups yet: choose a strategy and press Make groups."
                              if self.people else "This academy has no participants yet.")
        self.grouping_changed.emit(self.result)

    def _show_metrics(self) -> None:
        text, notes = metrics_text(self.result, len(self.rounds), self.strategy.currentData())
        self.metrics_label.setText(text)
        self.notes_label.setText(notes)
        if self.academy_id is not None:
            rules = self._current().rules
            self.rules_panel.show_rules(rules, self.service.rule_report(self.academy_id, self._current()),
                                        {pid: p.name for pid, p in self.people.items()})
            self.rules_panel.show_why(self.service.quality(self.academy_id, self._current(), self._round()))

    def explain_person(self, item, _previous=None) -> None:
        """A person selected on a card: say why they are in their group and what a move costs."""
        if item is not None and self.academy_id is not None:
            self.rules_panel.show_why(self.service.why(self.academy_id, self._current(),
                                                       item.data(Qt.ItemDataRole.UserRole), self._round()))

    def _edit_rules(self, rules: GroupingRules, text: str) -> None:
        """A rule added or removed on the rules panel: one undoable step (Regroup applies it)."""
        self._push(replace(self.draft, rules=rules), text)
        self.notified.emit(f"{text}. Regroup to apply it." if self.rounds else f"{text}.")

    def _leave_out_absent(self) -> None:
        """Everyone without a check-in is absent (“leave out who has not arrived”)."""
        if self.academy_id is None:
            return
        arrived = self.service.arrived(self.academy_id)
        if not arrived:
            dialogs.error(self, "Nobody has arrived yet", "No phone has checked in today, "
                          "so attendance cannot say who is missing.")
            return
        absent = frozenset(pid for pid in self.people if pid not in arrived)
        self._edit_rules(replace(self._current().rules, absent=absent),
                         f"Leave out {plural(len(absent), 'person', 'people')} who have not arrived")

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
                card.members.currentItemChanged.connect(self.explain_person)
                self.grid.addWidget(card, k // COLUMNS, k % COLUMNS, Qt.AlignmentFlag.AlignTop)
                self.cards.append(card)
        for k, card in enumerate(self.cards):
            people = [self.people[pid] for pid in groups[k] if pid in self.people]
            card.members.group_names = list(self.names)
            card.show_group(self.names[k], people, self.locked)
