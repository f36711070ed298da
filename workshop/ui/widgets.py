"""Small shared widgets. Anything a participant typed goes through ``plain_label``,
``plain_item`` or ``plain_tooltip`` so Qt never interprets it as rich text."""
from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLayout,
                               QScrollArea, QVBoxLayout, QWidget)



def plain_label(text: str = "", parent: QWidget | None = None, *, word_wrap: bool = False) -> QLabel:
    """A label that shows its text as typed, never as rich text."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(word_wrap)
    return label


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` exactly as typed, line breaks kept.

    Qt shows a tooltip as rich text whenever it looks like HTML (``Qt.mightBeRichText``), and
    a tooltip has no text format to set: so the text is always escaped and given as HTML."""
    if not text:
        return ""
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"


def heading(text: str, parent: QWidget | None = None, size: int = 16) -> QLabel:
    """A bold plain-text heading of ``size`` points."""
    label = plain_label(text, parent)
    font = label.font()
    font.setPointSize(size)
    font.setBold(True)
    label.setFont(font)
    return label


def row_of(left: tuple[QWidget, ...], right: tuple[QWidget, ...] = ()) -> QHBoxLayout:
    """A row: ``left`` widgets, a stretch, then ``right`` widgets at the far end."""
    row = QHBoxLayout()
    for widget in left:
        row.addWidget(widget)
    row.addStretch(1)
    for widget in right:
        row.addWidget(widget)
    return row


def scrolled(content: QWidget | QLayout) -> QScrollArea:
    """A scroll area that resizes its content to the width available (a widget, or a layout
    that gets a holder widget)."""
    if isinstance(content, QLayout):
        holder = QWidget()
        holder.setLayout(content)
        content = holder
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(content)
    return scroll


def name_form_fields(form: QFormLayout) -> None:
    """Give each field of ``form`` its row label as accessible name (unless it has one).

    Qt's own fallback to a buddy label reaches some screen readers only; a name set on the
    widget is read by all of them, and the accessibility walk test can check it."""
    for row in range(form.rowCount()):
        label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        if label is None or field is None or not isinstance(label.widget(), QLabel):
            continue
        text = label.widget().text().replace("&&", "\0").replace("&", "").replace("\0", "&")
        text = text.rstrip(": ").strip()
        widget = field.widget()
        if widget is not None and text and not widget.accessibleName():
            widget.setAccessibleName(text)


def form_dialog_layout(dialog: QDialog, form: QFormLayout, error: QLabel, accept) -> None:
    """Lay out a small form dialog: its named fields, the error line, then OK and Cancel
    (OK calls ``accept``, which decides whether the dialog closes; Cancel rejects)."""
    name_form_fields(form)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(error)
    layout.addWidget(buttons)


@contextmanager
def busy() -> Iterator[None]:
    """The wait cursor while the window does something that takes a noticeable moment (a
    regrouping searches), restored whatever happens."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()
