"""The iteration timeline: PDSA cycles side by side (one column each, prediction against
result), the selected cycle's form (Plan, Do, Study, Act; saved at once, undoable), a new-cycle
action that plans from the previous "next change", and the version comparison."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateEdit, QFormLayout, QGridLayout,
                               QGroupBox, QHBoxLayout, QHeaderView, QPlainTextEdit, QPushButton,
                               QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from prototypes.pdsa import DECISIONS, ITERATION_LABELS, PDSA_STEPS, Iteration
from prototypes.ui.binding import OptionalDate, SaveAtOnce
from prototypes.ui.diff_view import VersionDiffDialog
from prototypes.ui.measures.predictions import CycleMeasures
from workshop.timefmt import DAY_EDIT_FORMAT, day, day_span
from workshop.ui import dialogs
from workshop.ui.theme import INVALID_STYLE, style_error
from workshop.ui.undo import SavedCommand
from workshop.ui.widgets import plain_label, scrolled

# Rows of the side-by-side table: what a team reads across cycles.
TABLE_ROWS = (("dates", "Dates"), ("change", "Change tried"), ("prediction", "Predicted"),
              ("results", "Result"), ("decision", "Decision"), ("next_change", "Next change"))
PROMPTS = {
    "change": "One change to try (from the last cycle's “next change”)",
    "question": "What do we want to learn?",
    "prediction": "What do we think will happen?",
    "measure": "What will we look at or count?",
    "who_where_when": "Who does it, in which class, on which days",
    "happened": "What actually happened",
    "surprises": "Anything unexpected",
    "results": "What the measure showed, against the prediction",
    "next_change": "What we will try in the next cycle",
}

# "Adopt" and "Adapt" differ by one letter: the choices say what each means.
DECISION_CHOICES = {"adopt": "Adopt as is", "adapt": "Adapt and test again"}


PAIR_COLOURS = {"prediction": "#e8f0fe", "results": "#e6f4ea"}


def _dates(it: Iteration) -> str:
    return day_span(it.started_on, it.finished_on)


class TimelineView(QWidget):
    """The PDSA cycles of a prototype as a timeline, with the form of the chosen cycle."""

    changed = Signal()  # a cycle was added, removed or edited (saved already)

    def __init__(self, service, stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = service
        self.stack = stack
        self.prototype_id: int | None = None
        self.iterations: list[Iteration] = []
        self.setStyleSheet(INVALID_STYLE)

        self.new_button = QPushButton("&New cycle")
        self.new_button.setToolTip("Start a PDSA cycle on the current version (Ctrl+Shift+N); "
                                   "its plan starts from the last cycle's “next change”")
        self.new_button.clicked.connect(self.new_cycle)
        QShortcut(QKeySequence("Ctrl+Shift+N"), self, activated=self.new_cycle,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.compare_button = QPushButton("&Compare versions…")
        self.compare_button.clicked.connect(self.compare)
        self.delete_button = QPushButton("&Delete cycle…")
        self.delete_button.clicked.connect(self.delete_cycle)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.compare_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch()

        self.empty = plain_label("No cycles yet. Start one when the team begins to try the "
                                 "prototype: write the plan now, the rest as you test.",
                                 word_wrap=True)
        self.table = QTableWidget(len(TABLE_ROWS), 0)
        self.table.setVerticalHeaderLabels([label for _, label in TABLE_ROWS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectColumns)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        # A light selection keeps the prediction/result colours of the other cycles readable.
        self.table.setStyleSheet("QTableWidget::item:selected { background: #cfe0f5; "
                                 "color: black; }")
        self.table.setMinimumHeight(230)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setDefaultSectionSize(260)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.currentCellChanged.connect(lambda row, col, *_: self._select(col))

        self.error_label = plain_label("", word_wrap=True)
        style_error(self.error_label)
        self.error_label.hide()
        self.binder = SaveAtOnce(stack, self._save, self.error_label, self)
        self.binder.saved.connect(lambda _key: self._saved())
        self.form_title = plain_label("")
        self.form = self._build_form()

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.form_title)
        lower_layout.addWidget(self.error_label)
        lower_layout.addWidget(self.form, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 420])
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.empty)
        layout.addWidget(splitter, 1)

    def _build_form(self) -> QWidget:
        grid = QGridLayout()
        for index, (step, keys) in enumerate(PDSA_STEPS.items()):
            box = QGroupBox(step)
            form = QFormLayout(box)
            if step == "Plan":
                started = QDateEdit(calendarPopup=True)
                started.setDisplayFormat(DAY_EDIT_FORMAT)
                form.addRow("Started", self.binder.bind("started_on", started, "Start date"))
            for key in keys:
                if key == "decision":
                    widget = QComboBox()
                    for value, label in DECISIONS.items():
                        widget.addItem(DECISION_CHOICES.get(value, label), value)
                else:
                    widget = QPlainTextEdit()
                    widget.setPlaceholderText(PROMPTS[key])
                    widget.setMinimumHeight(48)
                    widget.setMaximumHeight(90)
                form.addRow(ITERATION_LABELS[key], self.binder.bind(key, widget,
                                                                      ITERATION_LABELS[key]))
            if step == "Act":
                finished = OptionalDate("Fi&nished on", lambda: self.service.clock.now().date())
                form.addRow("", self.binder.bind("finished_on", finished, "End date"))
            grid.addWidget(box, index // 2, index % 2)
        self.cycle_measures = CycleMeasures(self.service, self.stack)
        self.cycle_measures.changed.connect(self.changed)
        grid.addWidget(self.cycle_measures, 2, 0, 1, 2)
        return scrolled(grid)

    # -- showing -----------------------------------------------------------------------------
    def open(self, prototype_id: int) -> None:
        self.prototype_id = prototype_id
        self.refresh(select_last=True)

    def refresh(self, select_last: bool = False) -> None:
        current = self.binder.scope
        self.iterations = self.service.iterations(self.prototype_id)
        self.table.setColumnCount(len(self.iterations))
        self.table.setHorizontalHeaderLabels([f"Cycle {it.number}" for it in self.iterations])
        for col, it in enumerate(self.iterations):
            self._fill_column(col, it)
        has = bool(self.iterations)
        self.empty.setVisible(not has)
        self.table.setVisible(has)
        self.form.setEnabled(has)
        # With no cycle the empty form only showed placeholders ("Started 1 Jan 2000").
        self.form.setVisible(has)
        self.compare_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        numbers = [it.number for it in self.iterations]
        if select_last or not current or current[0] != self.prototype_id \
                or current[1] not in numbers:
            col = len(numbers) - 1
        else:
            col = numbers.index(current[1])
        if has:
            self.table.blockSignals(True)
            self.table.setCurrentCell(0, col)
            self.table.blockSignals(False)
        self._select(col)

    def _fill_column(self, col: int, it: Iteration) -> None:
        for row, (key, _) in enumerate(TABLE_ROWS):
            text = _dates(it) if key == "dates" else (
                DECISIONS[it.decision] if key == "decision" else getattr(it, key))
            item = self.table.item(row, col)
            if item is None:
                self.table.setItem(row, col, QTableWidgetItem(text))
            elif item.text() != text:
                item.setText(text)
            if key in PAIR_COLOURS:
                # Prediction against result is the point of the table: make the pair stand out.
                self.table.item(row, col).setBackground(QColor(PAIR_COLOURS[key]))

    def _select(self, col: int) -> None:
        if not (0 <= col < len(self.iterations)):
            self.binder.load(None, {})
            self.form_title.setText("")
            self.cycle_measures.show_cycle(None, None)
            return
        it = self.iterations[col]
        self.form_title.setText(f"Cycle {it.number}: tests the version of {day(it.started_on)}")
        values = {key: getattr(it, key) for key in ITERATION_LABELS}
        values |= {"started_on": it.started_on, "finished_on": it.finished_on}
        self.binder.load((self.prototype_id, it.number), values)
        self.cycle_measures.show_cycle(self.prototype_id, it.number)

    def refresh_measures(self) -> None:
        """Re-read the selected cycle's measure rows (a measure was added or renamed)."""
        it = self.selected()
        self.cycle_measures.show_cycle(self.prototype_id, it.number if it else None)

    def selected(self) -> Iteration | None:
        scope = self.binder.scope
        return next((it for it in self.iterations if scope and it.number == scope[1]), None)

    # -- saving ------------------------------------------------------------------------------
    def _find(self, prototype_id: int, number: int) -> Iteration:
        # Cycles are addressed by (prototype, number): stable when undo deletes and restores one.
        return next(it for it in self.service.iterations(prototype_id) if it.number == number)

    def _save(self, scope, key: str, value) -> None:
        it = self._find(*scope)
        self.service.update_iteration(it.id, **{key: value})

    def _saved(self) -> None:
        self.iterations = self.service.iterations(self.prototype_id)
        for col, it in enumerate(self.iterations):
            self._fill_column(col, it)
        self.changed.emit()

    # -- actions -----------------------------------------------------------------------------
    def new_cycle(self) -> None:
        if self.prototype_id is None:
            return
        pid = self.prototype_id
        created = self.service.start_iteration(pid)
        state = {"iteration": created}

        def redo() -> None:
            state["iteration"] = self.service.restore_iteration(state["iteration"])
            self._after(pid)

        def undo() -> None:
            current = self._find(pid, state["iteration"].number)
            state["iteration"] = self.service.delete_iteration(current.id)
            self._after(pid)
        self.stack.push(SavedCommand(f"New cycle {created.number}", redo, undo))
        self._after(pid, select_last=True)
        first = self.binder.widgets["change" if not created.change else "prediction"]
        first.setFocus()

    def delete_cycle(self) -> None:
        it = self.selected()
        if it is None or not dialogs.confirm(self, "Delete cycle",
                                     f"Delete cycle {it.number} with everything written in it? "
                                     "(Edit ▸ Undo brings it back.)", "Delete cycle"):
            return
        pid = self.prototype_id
        state = {"iteration": self.service.delete_iteration(it.id)}

        def redo() -> None:
            current = self._find(pid, state["iteration"].number)
            state["iteration"] = self.service.delete_iteration(current.id)
            self._after(pid)

        def undo() -> None:
            state["iteration"] = self.service.restore_iteration(state["iteration"])
            self._after(pid)
        self.stack.push(SavedCommand(f"Delete cycle {it.number}", redo, undo))
        self._after(pid)

    def _after(self, pid: int, select_last: bool = False) -> None:
        if pid == self.prototype_id:
            self.refresh(select_last=select_last)
        self.changed.emit()

    def compare(self) -> None:
        if self.prototype_id is not None:
            VersionDiffDialog(self.service, self.prototype_id, self).exec()
