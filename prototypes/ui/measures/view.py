"""The Measures tab: a prototype's measures, each one's form (saved at once, undoable), its
data points, its run chart and the signals in words."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateEdit, QFormLayout, QHBoxLayout,
                               QHeaderView, QLineEdit, QPlainTextEdit, QPushButton, QSplitter,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from prototypes.measures.model import DIRECTIONS, MEASURE_LABELS, Measure, format_value
from prototypes.ui.binding import SaveAtOnce
from prototypes.ui.measures.chart_view import RunChartView, chart_image
from workshop.errors import ValidationError
from workshop.text import plural, safe_filename
from workshop.timefmt import DAY_EDIT_FORMAT, day
from workshop.ui import dialogs
from workshop.ui.theme import INVALID_STYLE, style_error
from workshop.ui.undo import SavedCommand
from workshop.ui.widgets import plain_label

PROMPTS = {
    "name": "What you will count or time, e.g. “Minutes of independent reading”",
    "unit": "min, %, students…",
    "goal": "Where you want it to be (optional)",
    "how": "Who collects it, from what (exit tickets, the reading log, a tally)",
    "how_often": "daily, weekly, each Friday…",
}


class MeasuresView(QWidget):
    """A prototype's measures with their points, run chart and signals."""

    changed = Signal()          # a measure, point or prediction was saved
    notified = Signal(str)      # payload: a short message for the status bar

    def __init__(self, service, stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = service      # PrototypeService (its .measures does the work)
        self.stack = stack
        self.prototype_id: int | None = None
        self.setStyleSheet(INVALID_STYLE)

        self.chooser = QComboBox()
        self.chooser.setAccessibleName("Measure")
        self.chooser.currentIndexChanged.connect(lambda _i: self._show_current())
        self.new_button = QPushButton("&New measure…")
        self.new_button.clicked.connect(lambda: self.new_measure())
        self.delete_button = QPushButton("Delete meas&ure…")
        self.delete_button.clicked.connect(self.delete_measure)
        self.png_button = QPushButton("Save chart as PNG…")
        self.png_button.clicked.connect(self.ask_png)
        top = QHBoxLayout()
        top.addWidget(self.chooser, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.delete_button)
        top.addWidget(self.png_button)

        self.empty = plain_label("No measures yet. A measure is what your cycles are judged by "
                                 "(minutes of reading, exit tickets at 3 or 4): add one, then "
                                 "its data points, and the run chart shows what changed.",
                                 word_wrap=True)
        self.error_label = plain_label("", word_wrap=True)
        style_error(self.error_label)
        self.error_label.hide()
        self.binder = SaveAtOnce(stack, self._save, self.error_label, self)
        self.binder.saved.connect(lambda _key: self._after_edit())
        form = QFormLayout()
        for key, label in MEASURE_LABELS.items():
            if key == "direction":
                widget = QComboBox()
                for value, text in DIRECTIONS.items():
                    widget.addItem(text, value)
            elif key == "how":
                widget = QPlainTextEdit()
                widget.setMaximumHeight(60)
            else:
                widget = QLineEdit()
            if key in PROMPTS:
                widget.setPlaceholderText(PROMPTS[key])
            form.addRow(label, self.binder.bind(key, widget, label))

        self.chart = RunChartView()
        self.words = plain_label("", word_wrap=True)
        self.words.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.points = QTableWidget(0, 3)
        self.points.setHorizontalHeaderLabels(["Date", "Value", "Note"])
        self.points.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.points.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.points.horizontalHeader()
        for col in (0, 1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.points.verticalHeader().hide()
        self.point_date = QDateEdit(calendarPopup=True)
        self.point_date.setDisplayFormat(DAY_EDIT_FORMAT)
        self.point_date.setAccessibleName("Date of the point")
        self.point_value = QLineEdit()
        self.point_value.setPlaceholderText("Value")
        self.point_value.setAccessibleName("Value of the point")
        self.point_value.returnPressed.connect(self.add_point)
        self.point_note = QLineEdit()
        self.point_note.setPlaceholderText("Note (optional)")
        self.point_note.setAccessibleName("Note of the point")
        self.point_note.returnPressed.connect(self.add_point)
        self.add_point_button = QPushButton("Add poin&t")
        self.add_point_button.clicked.connect(self.add_point)
        self.delete_point_button = QPushButton("Delete point")
        self.delete_point_button.setToolTip("Delete the selected point (Delete in the table)")
        self.delete_point_button.clicked.connect(self.delete_point)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.points,
                  activated=self.delete_point, context=Qt.ShortcutContext.WidgetShortcut)
        adder = QHBoxLayout()
        adder.addWidget(self.point_date)
        adder.addWidget(self.point_value, 1)
        adder.addWidget(self.point_note, 2)
        point_buttons = QHBoxLayout()
        point_buttons.addStretch()
        point_buttons.addWidget(self.add_point_button)
        point_buttons.addWidget(self.delete_point_button)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(form)
        left_layout.addWidget(self.points, 1)
        left_layout.addLayout(adder)
        left_layout.addLayout(point_buttons)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.chart, 1)
        right_layout.addWidget(self.words)
        self.body = QSplitter(Qt.Orientation.Horizontal)
        self.body.addWidget(left)
        self.body.addWidget(right)
        self.body.setStretchFactor(1, 2)
        self.body.setSizes([430, 800])          # the chart is what the team came to read
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.error_label)
        layout.addWidget(self.body, 1)

    # -- showing -----------------------------------------------------------------------------
    def open(self, prototype_id: int) -> None:
        """Show a prototype's measures (the first one selected)."""
        self.prototype_id = prototype_id
        self.point_date.setDate(QDate(self.service.clock.now().date()))
        self.refresh()

    def refresh_if_open(self) -> None:
        """Re-read after a change elsewhere in the editor (a cycle added or decided)."""
        if self.prototype_id is not None:
            self.refresh()

    def current(self) -> Measure | None:
        """The measure on show."""
        mid = self.chooser.currentData()
        return self.service.measures.measure(mid) if mid is not None else None

    def refresh(self, select: int | None = None) -> None:
        """Re-read the measures; keep the one on show, or show ``select``."""
        keep = select if select is not None else self.chooser.currentData()
        measures = self.service.measures.measures(self.prototype_id)
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for m in measures:
            self.chooser.addItem(m.label, m.id)
        index = self.chooser.findData(keep)
        self.chooser.setCurrentIndex(index if index >= 0 else 0)
        self.chooser.blockSignals(False)
        has = bool(measures)
        self.empty.setVisible(not has)
        self.body.setVisible(has)
        self.chooser.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.png_button.setEnabled(has)
        self._show_current()

    def _show_current(self) -> None:
        m = self.current()
        if m is None:
            self.binder.load(None, {})
            self.chart.show_series(None)
            return
        values = {key: getattr(m, key) for key in MEASURE_LABELS}
        values["goal"] = format_value(m.goal)
        self.binder.load(m.id, values)
        self._show_data(m.id)

    def _show_data(self, measure_id: int) -> None:
        series = self.service.measures.series(measure_id)
        self.points.setRowCount(len(series.points))
        for row, p in enumerate(series.points):
            for col, text in enumerate((day(p.on), format_value(p.value), p.note)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, p.id)
                self.points.setItem(row, col, item)
        self.delete_point_button.setEnabled(bool(series.points))
        self.chart.show_series(series)
        self.words.setText("\n".join(series.words()))

    # -- saving ------------------------------------------------------------------------------
    def _save(self, measure_id: int, key: str, value) -> None:
        self.service.measures.update_measure(measure_id, **{key: value})

    def _after_edit(self) -> None:
        m = self.current()
        if m is not None:
            self.chooser.setItemText(self.chooser.currentIndex(), m.label)
            self._show_data(m.id)
        self.changed.emit()

    def _after(self, select: int | None = None) -> None:
        if self.prototype_id is not None:
            self.refresh(select)
        self.changed.emit()

    # -- actions -----------------------------------------------------------------------------
    def new_measure(self, name: str | None = None) -> Measure | None:
        """Ask for a name and add a measure (undoable)."""
        if self.prototype_id is None:
            return None
        if name is None:
            name = dialogs.ask_text(self, "New measure", "What will you count or time?")
            if name is None:
                return None
        try:
            m = self.service.measures.add_measure(self.prototype_id, name)
        except ValidationError as exc:
            self.notified.emit(str(exc))
            dialogs.error(self, "New measure", str(exc))
            return None
        state = {"deleted": None}

        def undo() -> None:
            state["deleted"] = self.service.measures.delete_measure(m.id)
            self._after()

        def redo() -> None:
            self.service.measures.restore_measure(state["deleted"])
            self._after(m.id)
        self.stack.push(SavedCommand(f"New measure “{m.name}”", redo, undo))
        self._after(m.id)
        self.notified.emit(f"Added the measure “{m.name}”.")
        return m

    def delete_measure(self) -> None:
        m = self.current()
        if m is None:
            return
        count = len(self.service.measures.points(m.id))
        if not dialogs.confirm(self, "Delete measure", f"Delete “{m.name}” and its "
                               f"{plural(count, 'data point')}? (Edit ▸ Undo brings it back.)",
                               "Delete measure"):
            return
        state = {"deleted": self.service.measures.delete_measure(m.id)}

        def redo() -> None:
            state["deleted"] = self.service.measures.delete_measure(m.id)
            self._after()

        def undo() -> None:
            self.service.measures.restore_measure(state["deleted"])
            self._after(m.id)
        self.stack.push(SavedCommand(f"Delete measure “{m.name}”", redo, undo))
        self._after()

    def ask_png(self) -> Path | None:
        """Save the chart on show as a PNG (for a slide or a newsletter)."""
        m = self.current()
        if m is None:
            return None
        name = safe_filename(f"run-chart-{m.name}") + ".png"
        path = dialogs.save_file(self, "Save chart as PNG", name, "PNG (*.png)")
        if not path:
            return None
        path = Path(path).with_suffix(".png")
        if not chart_image(self.service.measures.series(m.id), 1600, 700).save(str(path)):
            dialogs.error(self, "Save chart as PNG", f"Could not write {path}.")
            return None
        self.notified.emit(f"Saved {path}")
        return path

    def add_point(self) -> None:
        """Add the point typed in the row under the table (undoable)."""
        m = self.current()
        if m is None:
            return
        try:
            p = self.service.measures.add_point(m.id, self.point_value.text(),
                                                on=self.point_date.date().toPython(),
                                                note=self.point_note.text())
        except ValidationError as exc:
            self.point_value.setProperty("invalid", True)
            self.point_value.style().polish(self.point_value)
            self.error_label.setText(str(exc))
            self.error_label.show()
            self.notified.emit(str(exc))
            return
        self.point_value.setProperty("invalid", False)
        self.point_value.style().polish(self.point_value)
        self.error_label.hide()
        self.point_value.clear()
        self.point_note.clear()
        self._push_point(p, added=True)
        self.notified.emit(f"Added {format_value(p.value)} on {day(p.on)} to “{m.name}”.")

    def delete_point(self) -> None:
        """Delete the selected point (undoable)."""
        row = self.points.currentRow()
        item = self.points.item(row, 0) if row >= 0 else None
        if item is None:
            return
        p = self.service.measures.delete_point(item.data(Qt.ItemDataRole.UserRole))
        self._push_point(p, added=False)

    def _push_point(self, p, added: bool) -> None:
        mid = p.measure_id
        measures = self.service.measures

        def put() -> None:
            measures.restore_point(p)
            self._after(mid)

        def remove() -> None:
            measures.delete_point(p.id)
            self._after(mid)
        text = f"{'Add' if added else 'Delete'} point {format_value(p.value)}"
        self.stack.push(SavedCommand(text, put if added else remove, remove if added else put))
        self._after(mid)
