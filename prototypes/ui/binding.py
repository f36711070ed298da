"""Save-at-once form fields with undo: the one mechanism behind every prototype form.

A ``SaveAtOnce`` binder joins widgets to a ``save(scope, key, value)`` function (one service
call). Each change a person makes is validated and written at once; if it is valid an undo
command is pushed that is *already applied* (the first ``redo`` does nothing), and consecutive
typing in one text field merges into one undo step. A refused value stays in the widget, the
field is marked and the message says why; the last valid value stays saved.

``scope`` says what the form is showing (a prototype id, an iteration id): undo of an edit made
while the form showed something else still saves to the right record, and only touches the
widgets if the form shows that record again.
"""
from __future__ import annotations

import html
from datetime import date
from typing import Callable

from PySide6.QtCore import QDate, QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QWidget)

from workshop.errors import ValidationError
from workshop.timefmt import DAY_EDIT_FORMAT



class OptionalDate(QWidget):
    """A date that may be unset: a check box ("Finished", "Held") and the date beside it.

    Why not a QDateEdit with a "not set" special value: its calendar then opens in the year of
    that sentinel, and a person would have to page forward years to reach today.
    """
    changed = Signal()  # the person set, moved or cleared the date

    def __init__(self, label: str, today: Callable[[], date], parent: QWidget | None = None):
        """``today``: the clock's day, where the calendar opens while no date is set."""
        super().__init__(parent)
        self._today = today
        self.check = QCheckBox(label)
        self.edit = QDateEdit(calendarPopup=True)
        self.edit.setDisplayFormat(DAY_EDIT_FORMAT)
        self.edit.setEnabled(False)
        self.edit.setAccessibleName(label.replace("&", ""))
        self.check.toggled.connect(self._toggled)
        self.edit.dateChanged.connect(lambda _d: self.check.isChecked() and self.changed.emit())
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.check)
        row.addWidget(self.edit, 1)
        self.setFocusProxy(self.check)

    def value(self) -> date | None:
        return self.edit.date().toPython() if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        shown = value or self._today()
        for w in (self.check, self.edit):
            w.blockSignals(True)
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.edit.setDate(QDate(shown.year, shown.month, shown.day))
        for w in (self.check, self.edit):
            w.blockSignals(False)

    def _toggled(self, on: bool) -> None:
        self.edit.setEnabled(on)
        if on:
            today = self._today()
            self.edit.blockSignals(True)
            self.edit.setDate(QDate(today.year, today.month, today.day))
            self.edit.blockSignals(False)
        self.changed.emit()


class FieldEdit(QUndoCommand):
    """One field saved by ``SaveAtOnce``; consecutive typing in one text field merges."""

    MERGE_ID = 0x50524F54

    def __init__(self, binder: "SaveAtOnce", scope, key: str, old, new):
        super().__init__(f"Edit {binder.labels.get(key, key).lower()}")
        self.binder, self.scope, self.key, self.old, self.new = binder, scope, key, old, new
        self._done = True

    def id(self) -> int:
        return self.MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (isinstance(other, FieldEdit) and other.binder is self.binder
                and other.scope == self.scope and other.key == self.key
                and self.binder.is_text(self.key)):
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self.binder.apply(self.scope, self.key, self.new)

    def undo(self) -> None:
        self.binder.apply(self.scope, self.key, self.old)


class SaveAtOnce(QObject):
    """Binds form widgets to a save call: every change is saved at once and undoable."""

    saved = Signal(str)           # payload: key of the field just written to the database
    refused = Signal(str, str)    # payload: key, the message saying why the value was refused

    def __init__(self, stack: QUndoStack, save: Callable[[object, str, object], None],
                 error_label: QLabel | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.stack = stack
        self._save = save
        self.error_label = error_label
        self.scope = None
        self.widgets: dict[str, QWidget] = {}
        self.labels: dict[str, str] = {}
        self.values: dict[str, object] = {}
        self._loading = False
        self._errors: dict[str, str] = {}

    # -- binding ---------------------------------------------------------------------------
    def bind(self, key: str, widget: QWidget, label: str) -> QWidget:
        self.widgets[key], self.labels[key] = widget, label
        if not widget.accessibleName() and not isinstance(widget, (QCheckBox, OptionalDate)):
            widget.setAccessibleName(label)  # a screen reader says the field's own label
        changed = lambda *_: self._changed(key)  # noqa: E731
        if isinstance(widget, QLineEdit):
            widget.textChanged.connect(changed)
        elif isinstance(widget, QPlainTextEdit):
            widget.setTabChangesFocus(True)  # Tab moves on, as in every other field
            widget.textChanged.connect(changed)
        elif isinstance(widget, QComboBox):
            if widget.isEditable():
                widget.currentTextChanged.connect(changed)
            else:
                widget.currentIndexChanged.connect(changed)
        elif isinstance(widget, QCheckBox):
            widget.toggled.connect(changed)
        elif isinstance(widget, QDateEdit):
            widget.dateChanged.connect(changed)
        elif isinstance(widget, OptionalDate):
            widget.changed.connect(changed)
        else:
            raise TypeError(f"cannot bind {type(widget).__name__}")
        return widget

    def unbind(self, prefix: str) -> None:
        """Forget the widgets whose keys start with ``prefix`` (rows about to be rebuilt)."""
        for key in [k for k in self.widgets if k.startswith(prefix)]:
            for store in (self.widgets, self.labels, self.values, self._errors):
                store.pop(key, None)

    def is_text(self, key: str) -> bool:
        w = self.widgets.get(key)
        return isinstance(w, (QLineEdit, QPlainTextEdit)) or (
            isinstance(w, QComboBox) and w.isEditable())

    def load(self, scope, values: dict) -> None:
        """Show a record's values without saving anything."""
        self.scope = scope
        self._errors.clear()
        for key in self.widgets:
            if key in values:
                self.values[key] = values[key]
                self._write(key, values[key])
            self._mark(key, "")

    # -- reading and writing widgets -------------------------------------------------------
    def read(self, key: str):
        w = self.widgets[key]
        if isinstance(w, QLineEdit):
            return w.text()
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        if isinstance(w, QComboBox):
            return w.currentText() if w.isEditable() else w.currentData()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QDateEdit):
            return w.date().toPython()
        if isinstance(w, OptionalDate):
            return w.value()
        raise TypeError(key)

    def _write(self, key: str, value) -> None:
        w = self.widgets[key]
        self._loading = True
        try:
            if isinstance(w, QLineEdit):
                if w.text() != value:
                    w.setText(value or "")
            elif isinstance(w, QPlainTextEdit):
                if w.toPlainText() != value:
                    w.setPlainText(value or "")
            elif isinstance(w, QComboBox):
                if w.isEditable():
                    w.setCurrentText(value or "")
                else:
                    w.setCurrentIndex(max(0, w.findData(value)))
            elif isinstance(w, QCheckBox):
                w.setChecked(bool(value))
            elif isinstance(w, QDateEdit):
                w.setDate(QDate(value.year, value.month, value.day))
            elif isinstance(w, OptionalDate):
                w.set_value(value)
        finally:
            self._loading = False

    # -- saving ----------------------------------------------------------------------------
    def _changed(self, key: str) -> None:
        if self._loading or self.scope is None:
            return
        value = self.read(key)
        old = self.values.get(key)
        if value == old and key not in self._errors:
            return
        try:
            self._save(self.scope, key, value)
        except ValidationError as exc:
            self._mark(key, str(exc))
            self.refused.emit(key, str(exc))
            return
        self._mark(key, "")
        self.values[key] = value
        if value != old:
            self.stack.push(FieldEdit(self, self.scope, key, old, value))
        self.saved.emit(key)

    def apply(self, scope, key: str, value) -> None:
        """Undo/redo: save ``value`` for ``scope`` and show it if the form shows that record."""
        self._save(scope, key, value)
        if scope == self.scope:
            self.values[key] = value
            self._write(key, value)
            self._mark(key, "")
        self.saved.emit(key)

    def _mark(self, key: str, message: str) -> None:
        if message:
            self._errors[key] = message
        else:
            self._errors.pop(key, None)
        w = self.widgets[key]
        if bool(w.property("invalid")) != bool(message):
            w.setProperty("invalid", bool(message))
            w.style().unpolish(w)
            w.style().polish(w)
        w.setToolTip(plain_tooltip(message))
        if self.error_label is not None:
            shown = "\n".join(f"{self.labels[k]}: {m}" for k, m in self._errors.items())
            self.error_label.setText(shown)
            self.error_label.setVisible(bool(shown))

    @property
    def errors(self) -> dict[str, str]:
        return dict(self._errors)


def plain_tooltip(text: str) -> str:
    """Tooltips guess rich text like labels do; messages quote what people typed, so escape."""
    if not text:
        return ""
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"
