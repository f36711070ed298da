"""The Vision & plan page: choose a school team, write its vision (the same statement as its
map's hub), its district priorities and the people to involve, then its rollout plan —
milestones, measures of success, communication steps, early wins — with the checks beside it.

Every change saves the whole plan at once (one service call) and pushes one undo step that
saves the plan from before; consecutive typing in one field merges into one step. A refused
value is said in the error line and nothing is saved.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLineEdit,
                               QListWidget, QPlainTextEdit, QPushButton, QSplitter, QVBoxLayout,
                               QWidget)

from prototypes.maps.model import MAX_VISION
from prototypes.rollout.plan import MAX_CRY, RolloutPlan
from prototypes.ui.rollout.tables import (COMMUNICATION_COLUMNS, MEASURE_COLUMNS,
                                          MILESTONE_COLUMNS, WIN_COLUMNS, RowsTable)
from workshop.errors import ValidationError
from workshop.text import plural
from workshop.ui.page import Page
from workshop.ui.theme import style_error
from workshop.ui.widgets import heading, plain_label, scrolled

LINE_FIELDS = {"vision": "Vision statement", "rallying_cry": "Rallying cry"}
LIST_FIELDS = {"priorities": "District priorities", "evangelists": "Evangelists",
               "skeptics": "Skeptics to involve"}
TABLES = {"milestones": ("Milestones", MILESTONE_COLUMNS, {"title": "New milestone"}),
          "measures": ("Measures", MEASURE_COLUMNS, {"name": "New measure"}),
          "communications": ("Communication steps", COMMUNICATION_COLUMNS,
                             {"audience": "Everyone"}),
          "wins": ("Early wins", WIN_COLUMNS, {"text": "New early win"})}
LABELS = {**LINE_FIELDS, **LIST_FIELDS, **{k: v[0] for k, v in TABLES.items()}}


class PlanEdit(QUndoCommand):
    """One saved change of a team's plan; consecutive typing in one text field merges."""

    MERGE_ID = 0x504C414E

    def __init__(self, page: "RolloutPage", scope: tuple, key: str, old: RolloutPlan,
                 new: RolloutPlan):
        super().__init__(f"Edit {LABELS.get(key, key).lower()}")
        self.page, self.scope, self.key, self.old, self.new = page, scope, key, old, new
        self._done = True

    def id(self) -> int:
        return self.MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (isinstance(other, PlanEdit) and other.scope == self.scope
                and other.key == self.key and self.key in LINE_FIELDS | LIST_FIELDS):
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        if self._done:   # the edit was saved before the command was pushed
            self._done = False
            return
        self.page.restore(self.scope, self.new)

    def undo(self) -> None:
        self.page.restore(self.scope, self.old)


class RolloutPage(Page):
    """The Vision & plan page of the open academy."""

    plan_saved = Signal(str)   # payload: the school team whose plan was just written

    def __init__(self, service, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = service
        self.academy_id: int | None = None
        self.school = ""
        self.plan = RolloutPlan()
        self.undo_stack = QUndoStack(self)

        self.chooser = QComboBox()
        self.chooser.setAccessibleName("Team")
        self.chooser.setMinimumWidth(260)
        self.chooser.activated.connect(lambda _: self.open_team(self.chooser.currentData()))
        self.message = plain_label("", word_wrap=True)
        style_error(self.message)

        self.lines: dict[str, QLineEdit] = {}
        self.lists: dict[str, QPlainTextEdit] = {}
        form = QFormLayout()
        for key, label in LINE_FIELDS.items():
            edit = QLineEdit()
            edit.setAccessibleName(label)
            edit.setMaxLength(MAX_VISION if key == "vision" else MAX_CRY)
            edit.textEdited.connect(lambda text, k=key: self.edit_field(k, text))
            self.lines[key] = edit
            form.addRow(label, edit)
        self.lines["vision"].setPlaceholderText("Our why, in a sentence (the hub of the team's map)")
        self.lines["rallying_cry"].setPlaceholderText("A few words people will repeat")
        for key, label in LIST_FIELDS.items():
            edit = QPlainTextEdit()
            edit.setAccessibleName(label)
            edit.setPlaceholderText("One per line")
            edit.setFixedHeight(64)
            edit.textChanged.connect(lambda k=key: self._list_changed(k))
            self.lists[key] = edit
            form.addRow(label, edit)
        self.roster = QComboBox()
        self.roster.setAccessibleName("Person from the roster")
        self.add_evangelist = QPushButton("Add as evangelist")
        self.add_skeptic = QPushButton("Add as skeptic")
        self.add_evangelist.clicked.connect(lambda: self.add_person("evangelists"))
        self.add_skeptic.clicked.connect(lambda: self.add_person("skeptics"))
        people = QHBoxLayout()
        for w in (self.roster, self.add_evangelist, self.add_skeptic):
            people.addWidget(w)
        form.addRow("From the roster", people)
        vision_box = QGroupBox("Vision")
        vision_box.setLayout(form)

        self.tables: dict[str, RowsTable] = {}
        plan_box = QGroupBox("Rollout plan")
        plan_layout = QVBoxLayout(plan_box)
        for key, (title, columns, new_row) in TABLES.items():
            table = RowsTable(title, columns, new_row)
            table.edited.connect(lambda rows, k=key: self.edit_field(k, rows))
            self.tables[key] = table
            plan_layout.addWidget(plain_label(title))
            plan_layout.addWidget(table)

        self.checks = QListWidget()
        self.checks.setAccessibleName("Checks")
        self.checks.setWordWrap(True)
        self.checks.setSpacing(4)
        self.checks.setMinimumWidth(240)
        checks_box = QGroupBox("Checks")
        checks_layout = QVBoxLayout(checks_box)
        self.checks_summary = plain_label("", word_wrap=True)
        checks_layout.addWidget(self.checks_summary)
        checks_layout.addWidget(self.checks)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(vision_box)
        body_layout.addWidget(plan_box)
        splitter = QSplitter()
        splitter.addWidget(scrolled(body))
        splitter.addWidget(checks_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([1000, 260])
        bar = QHBoxLayout()
        bar.addWidget(plain_label("Team:"))
        bar.addWidget(self.chooser)
        bar.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Vision & plan"))
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        self._set_enabled(False)

    # -- academy and team ------------------------------------------------------------------
    def set_academy(self, academy_id: int | None) -> None:
        self.academy_id = academy_id
        self.school = ""
        self.undo_stack.clear()
        self._fill_chooser()
        if self.chooser.count():
            self.open_team(self.chooser.itemData(0))
        else:
            self.plan = RolloutPlan()
            self._show()

    def _fill_chooser(self) -> None:
        self.chooser.clear()
        if self.academy_id is None:
            return
        for team in self.service.teams(self.academy_id):
            self.chooser.addItem(team, team)
        if self.school:
            self.chooser.setCurrentIndex(max(0, self.chooser.findData(self.school)))

    def showEvent(self, event) -> None:
        # The map editor writes the same vision, and the roster may have gained a school.
        if self.academy_id is not None:
            self._fill_chooser()
            if self.school:
                self.plan = self.service.plan(self.academy_id, self.school)
                self._show()
            elif self.chooser.count():
                self.open_team(self.chooser.itemData(0))
        super().showEvent(event)

    def open_team(self, school: str) -> None:
        """Show the vision and plan of ``school`` in the open academy."""
        index = self.chooser.findData(school)
        if index >= 0:
            self.chooser.setCurrentIndex(index)
        self.school = school
        self.undo_stack.clear()   # undo belongs to the team it was made on
        self.plan = self.service.plan(self.academy_id, school)
        self._fill_roster()
        self._show()

    def _fill_roster(self) -> None:
        self.roster.clear()
        people = self.service.prototypes.academies.participants(self.academy_id)
        names = sorted({p.name for p in people if p.school == self.school}) + sorted(
            {p.name for p in people if p.school != self.school})
        self.roster.addItems(names)

    def _set_enabled(self, on: bool) -> None:
        for w in (*self.lines.values(), *self.lists.values(), *self.tables.values(),
                  self.roster, self.add_evangelist, self.add_skeptic):
            w.setEnabled(on)

    # -- showing ---------------------------------------------------------------------------
    def _show(self, skip: str = "") -> None:
        """Show the saved plan in every widget but ``skip`` (the one being typed in)."""
        self._set_enabled(bool(self.school))
        data = self.plan.to_dict()
        for key, edit in self.lines.items():
            if key != skip and edit.text() != data[key]:
                edit.setText(data[key])
                edit.setCursorPosition(0)   # a long statement reads from its start
        for key, edit in self.lists.items():
            if key != skip and self._list_text(key) != list(data[key]):
                edit.blockSignals(True)
                edit.setPlainText("\n".join(data[key]))
                edit.blockSignals(False)
        for key, table in self.tables.items():
            table.show_rows(data[key])
        self._show_checks()

    def _list_text(self, key: str) -> list[str]:
        return [line.strip() for line in self.lists[key].toPlainText().splitlines() if line.strip()]

    def _show_checks(self) -> None:
        self.checks.clear()
        if not self.school:
            self.checks_summary.setText("Choose a team.")
            return
        found = self.service.warnings(self.academy_id, self.school)
        self.checks_summary.setText(
            f"{plural(len(found), 'open risk')} in this plan:" if found
            else "No open risk found: every milestone relies on aligned initiatives, people are "
                 "told before each trying date, and each measure has its checkpoints.")
        self.checks.addItems(found)

    # -- editing ---------------------------------------------------------------------------
    def _list_changed(self, key: str) -> None:
        self.edit_field(key, self.lists[key].toPlainText())

    def edit_field(self, key: str, value) -> bool:
        """Save one field of the plan at once; False (and the reason shown) if refused."""
        if not self.school:
            return False
        old = self.plan
        try:
            new = self.service.save(self.academy_id, self.school, old.edit(**{key: value}))
        except ValidationError as exc:
            self.message.setText(str(exc))
            if key in TABLES:
                self.tables[key].show_rows(old.to_dict()[key])  # the cell goes back
            return False
        self.message.setText("")
        self.plan = new
        self.undo_stack.push(PlanEdit(self, (self.academy_id, self.school), key, old, new))
        self._show(skip=key if key in LINE_FIELDS | LIST_FIELDS else "")
        self.plan_saved.emit(self.school)
        return True

    def add_person(self, key: str) -> None:
        """Add the roster person chosen to the evangelists or the skeptics."""
        name = self.roster.currentText()
        if name and name not in getattr(self.plan, key):
            self.edit_field(key, [*getattr(self.plan, key), name])
            self._show()
            self.notified.emit(f"{name} added to the {LIST_FIELDS[key].lower()}.")

    def restore(self, scope: tuple, plan: RolloutPlan) -> None:
        """Save ``plan`` for the team of ``scope`` (undo and redo), and show it if shown."""
        academy_id, school = scope
        saved = self.service.save(academy_id, school, plan)
        if scope == (self.academy_id, self.school):
            self.plan = saved
            self._show()
