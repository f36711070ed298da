"""The safe-to-try check: six rollout risks rated with a mitigation each, and the consent
record (date, who was present, "no one sees a reason it is unsafe", objections and how each
was resolved). Saved at once and undoable like every other field."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGridLayout,
                               QGroupBox, QHBoxLayout, QLineEdit, QPushButton,
                               QVBoxLayout, QWidget)

from prototypes.check import RISKS, Objection, SafeToTryCheck
from prototypes.ui.binding import OptionalDate, SaveAtOnce
from workshop.ui.theme import GOOD, INVALID_STYLE, MUTED, WARNING, colour_text, style_error
from workshop.ui.undo import SavedCommand
from workshop.ui.widgets import plain_label, scrolled

LEVEL_LABELS = {"": "— not rated", "low": "Low", "medium": "Medium", "high": "High"}


class SafeToTryView(QWidget):
    """The safe-to-try check of a prototype: risks, consent and objections."""

    changed = Signal()  # the check was saved (by an edit, an undo or a redo)

    def __init__(self, service, stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = service
        self.stack = stack
        self.prototype_id: int | None = None
        self.safe = False   # whether the summary shows the green "Safe to try"
        self.setStyleSheet(INVALID_STYLE)
        self.error_label = plain_label("", word_wrap=True)
        style_error(self.error_label)
        self.error_label.hide()
        self.binder = SaveAtOnce(stack, self._save, self.error_label, self)
        self.binder.saved.connect(lambda _key: self._saved())

        risks = QGroupBox("Rollout risks")
        grid = QGridLayout(risks)
        grid.addWidget(plain_label("Risk"), 0, 0)
        grid.addWidget(plain_label("Rating"), 0, 1)
        grid.addWidget(plain_label("How we lower it (mitigation)"), 0, 2)
        self.risk_widgets: dict[str, tuple[QComboBox, QLineEdit]] = {}
        for row, (key, label) in enumerate(RISKS.items(), start=1):
            level = QComboBox()
            for value, text in LEVEL_LABELS.items():
                level.addItem(text, value)
            mitigation = QLineEdit()
            mitigation.setPlaceholderText("What will you do so this risk does not stop you?")
            self.binder.bind(f"risk.{key}.level", level, f"{label}: rating")
            self.binder.bind(f"risk.{key}.mitigation", mitigation, f"{label}: mitigation")
            grid.addWidget(plain_label(label), row, 0)
            grid.addWidget(level, row, 1)
            grid.addWidget(mitigation, row, 2)
            self.risk_widgets[key] = (level, mitigation)
        grid.setColumnStretch(2, 1)

        consent = QGroupBox("Consent (not consensus)")
        form = QFormLayout(consent)
        self.consent_date = OptionalDate("Held &on", lambda: service.clock.now().date())
        self.present = QLineEdit()
        self.present.setPlaceholderText("Who was in the room")
        self.no_objection = QCheckBox("No one sees a reason this is unsafe to try")
        self.binder.bind("consent.date", self.consent_date, "Consent date")
        self.binder.bind("consent.present", self.present, "Present")
        self.binder.bind("consent.no_objection", self.no_objection, "No objection")
        form.addRow("Consent check", self.consent_date)
        form.addRow("&Present", self.present)
        form.addRow("", self.no_objection)
        self.objection_rows = QVBoxLayout()
        form.addRow("Objections", self.objection_rows)
        self.add_objection_button = QPushButton("Add o&bjection")
        self.add_objection_button.clicked.connect(self.add_objection)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_objection_button)
        add_row.addStretch()
        form.addRow("", add_row)

        self.summary = plain_label("", word_wrap=True)
        self.reminders = plain_label("", word_wrap=True)
        colour_text(self.reminders, MUTED)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(plain_label(
            "Rate each rollout risk and name how you will lower it. A risk rated high needs a "
            "mitigation, and every objection needs a resolution, before the prototype can move "
            "to Trying.", word_wrap=True))
        layout.addWidget(risks)
        layout.addWidget(consent)
        layout.addWidget(self.error_label)
        layout.addWidget(self.summary)
        layout.addWidget(self.reminders)
        layout.addStretch()
        scroll = scrolled(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # -- showing -----------------------------------------------------------------------------
    def open(self, prototype_id: int) -> None:
        self.prototype_id = prototype_id
        self._show(self.service.get(prototype_id).check)

    def _show(self, check: SafeToTryCheck) -> None:
        self._build_objection_rows(len(check.objections))
        values = {"consent.date": check.consent_on, "consent.present": check.present,
                  "consent.no_objection": check.no_objection}
        for key, rating in check.risks.items():
            values[f"risk.{key}.level"] = rating.level
            values[f"risk.{key}.mitigation"] = rating.mitigation
        for i, o in enumerate(check.objections):
            values[f"objection.{i}.text"] = o.text
            values[f"objection.{i}.resolution"] = o.resolution
        self.binder.load(self.prototype_id, values)
        self._summarise(check)

    def _build_objection_rows(self, n: int) -> None:
        if self.objection_rows.count() == n:
            return
        self.binder.unbind("objection.")
        while self.objection_rows.count():
            row = self.objection_rows.takeAt(0).widget()
            row.deleteLater()
        for i in range(n):
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            text, resolution = QLineEdit(), QLineEdit()
            text.setPlaceholderText("The reason someone gave")
            resolution.setPlaceholderText("How it was resolved (open until written)")
            self.binder.bind(f"objection.{i}.text", text, f"Objection {i + 1}")
            self.binder.bind(f"objection.{i}.resolution", resolution,
                             f"Objection {i + 1}: resolution")
            remove = QPushButton("Remove")
            remove.setToolTip(f"Remove objection {i + 1} (undo brings it back)")
            remove.clicked.connect(lambda checked=False, index=i: self.remove_objection(index))
            line.addWidget(plain_label(f"{i + 1}."))
            line.addWidget(text, 2)
            line.addWidget(resolution, 2)
            line.addWidget(remove)
            self.objection_rows.addWidget(row)

    def _summarise(self, check: SafeToTryCheck) -> None:
        # Green means complete, not merely unblocked: an empty check used to show green.
        missing = check.missing()
        if missing:
            text = "Not yet safe to try:\n• " + "\n• ".join(missing)
            colour_text(self.summary, WARNING)
        else:
            text = ("Safe to try: all six risks rated, every high risk has a mitigation, and "
                    "consent is held with no objection.")
            colour_text(self.summary, GOOD)
        self.summary.setText(text)
        self.safe = not missing
        # What does not block moving to Trying is said beside the list, once.
        note = ("These do not stop a move to Trying, but the check is not complete."
                if missing and not check.blockers() else "")
        self.reminders.setText(note)
        self.reminders.setVisible(bool(note))

    # -- saving ------------------------------------------------------------------------------
    def _save(self, prototype_id: int, key: str, value) -> None:
        check = self.service.get(prototype_id).check
        parts = key.split(".")
        if parts[0] == "risk":
            check = check.with_risk(parts[1], **{parts[2]: value})
        elif key == "consent.date":
            check = replace(check, consent_on=value)
        elif key == "consent.present":
            check = replace(check, present=value)
        elif key == "consent.no_objection":
            check = replace(check, no_objection=value)
        elif parts[0] == "objection":
            objections = list(check.objections)
            index = int(parts[1])
            objections[index] = replace(objections[index], **{parts[2]: value})
            check = replace(check, objections=tuple(objections))
        self.service.set_check(prototype_id, check)

    def _saved(self) -> None:
        if self.prototype_id is not None:
            self._summarise(self.service.get(self.prototype_id).check)
        self.changed.emit()

    def _replace_check(self, text: str, new: SafeToTryCheck) -> None:
        pid = self.prototype_id
        old = self.service.get(pid).check

        def apply(check: SafeToTryCheck) -> None:
            self.service.set_check(pid, check)
            if pid == self.prototype_id:
                self._show(check)
            self.changed.emit()
        self.stack.push(SavedCommand(text, lambda: apply(new), lambda: apply(old), saved=False))

    def add_objection(self) -> None:
        check = self.service.get(self.prototype_id).check
        self._replace_check("Add objection", replace(check, objections=check.objections
                                                     + (Objection(""),)))
        last = self.objection_rows.itemAt(self.objection_rows.count() - 1).widget()
        last.findChildren(QLineEdit)[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def remove_objection(self, index: int) -> None:
        check = self.service.get(self.prototype_id).check
        objections = check.objections[:index] + check.objections[index + 1:]
        self._replace_check(f"Remove objection {index + 1}",
                            replace(check, objections=objections))
