"""The measures of one PDSA cycle, in its form on the timeline: what the plan predicts for
each measure, and a point added from the cycle (dated today) — both saved at once, undoable."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QLineEdit, QPushButton, QWidget

from prototypes.measures.model import format_value
from workshop.errors import ValidationError
from workshop.ui.theme import style_error
from workshop.ui.undo import SavedCommand
from workshop.ui.widgets import plain_label


class CycleMeasures(QGroupBox):
    """Predictions and new points for each measure, from one cycle's form."""

    changed = Signal()      # a prediction or point was saved

    def __init__(self, service, stack: QUndoStack, parent: QWidget | None = None):
        super().__init__("Measures: predictions and data", parent)
        self.service = service
        self.stack = stack
        self.scope: tuple[int, int] | None = None     # (prototype id, cycle number)
        self.grid = QGridLayout(self)
        self.predicted: dict[int, QLineEdit] = {}
        self.values: dict[int, QLineEdit] = {}
        self.error = plain_label("", word_wrap=True)
        style_error(self.error)

    def show_cycle(self, prototype_id: int | None, number: int | None) -> None:
        """Rebuild the rows for a cycle (None: hide)."""
        while self.grid.count():
            w = self.grid.takeAt(0).widget()
            if w is not None and w is not self.error:
                w.setParent(None)
                w.deleteLater()
        self.predicted.clear()
        self.values.clear()
        self.scope = (prototype_id, number) if prototype_id and number else None
        if self.scope is None:
            self.hide()
            return
        measures = self.service.measures.measures(prototype_id)
        self.setVisible(True)
        if not measures:
            self.grid.addWidget(plain_label("No measures yet: add them on the Measures tab, then "
                                            "predict here what this cycle will show.",
                                            word_wrap=True), 0, 0, 1, 4)
            return
        for c, head in enumerate(("Measure", "We predict", "Value today", "")):
            self.grid.addWidget(QLabel(head), 0, c)
        for row, m in enumerate(measures, 1):
            self.grid.addWidget(plain_label(m.label), row, 0)
            pred = QLineEdit(next((format_value(p.value) for p in
                                   self.service.measures.predictions(m.id) if p.cycle == number), ""))
            pred.setAccessibleName(f"Prediction for {m.name}")
            pred.setPlaceholderText("e.g. 20")
            pred.editingFinished.connect(lambda mid=m.id: self._predict(mid))
            self.predicted[m.id] = pred
            value = QLineEdit()
            value.setAccessibleName(f"Value today for {m.name}")
            value.returnPressed.connect(lambda mid=m.id: self._add(mid))
            self.values[m.id] = value
            add = QPushButton("Add point")
            add.clicked.connect(lambda _=False, mid=m.id: self._add(mid))
            for c, w in enumerate((pred, value, add), 1):
                self.grid.addWidget(w, row, c)
        self.grid.addWidget(self.error, len(measures) + 1, 0, 1, 4)
        self.error.hide()

    def _fail(self, exc: ValidationError) -> None:
        self.error.setText(str(exc))
        self.error.show()

    def _predict(self, measure_id: int) -> None:
        # editingFinished also fires while a row is being rebuilt (its field loses focus).
        field = self.predicted.get(measure_id)
        if self.scope is None or field is None:
            return
        number = self.scope[1]
        text = field.text()
        measures = self.service.measures
        try:
            old = measures.set_prediction(measure_id, number, text)
        except ValidationError as exc:
            self._fail(exc)
            return
        self.error.hide()
        new = measures.predictions(measure_id)
        value = next((p.value for p in new if p.cycle == number), None)
        if value == old:
            return
        scope = self.scope

        def put(v) -> None:
            measures.set_prediction(measure_id, number, "" if v is None else v)
            if self.scope == scope and measure_id in self.predicted:
                self.predicted[measure_id].setText(format_value(v))
            self.changed.emit()
        self.stack.push(SavedCommand(f"Prediction for cycle {number}", lambda: put(value),
                                     lambda: put(old)))
        self.changed.emit()

    def _add(self, measure_id: int) -> None:
        measures = self.service.measures
        field = self.values.get(measure_id)
        if field is None:
            return
        try:
            p = measures.add_point(measure_id, field.text())
        except ValidationError as exc:
            self._fail(exc)
            return
        self.error.hide()
        field.clear()

        def redo() -> None:
            measures.restore_point(p)
            self.changed.emit()

        def undo() -> None:
            measures.delete_point(p.id)
            self.changed.emit()
        self.stack.push(SavedCommand(f"Add point {format_value(p.value)}", redo, undo))
        self.changed.emit()
