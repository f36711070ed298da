"""Small shared widgets. Anything a participant typed goes through ``plain_label`` or
``plain_item`` so Qt never interprets it as rich text."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLayout, QMessageBox, QScrollArea, QWidget


def plain_label(text: str = "", parent: QWidget | None = None, *, word_wrap: bool = False) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(word_wrap)
    return label


def heading(text: str, parent: QWidget | None = None, size: int = 16) -> QLabel:
    label = plain_label(text, parent)
    font = label.font()
    font.setPointSize(size)
    font.setBold(True)
    label.setFont(font)
    return label


def confirm(parent: QWidget, title: str, question: str, action: str) -> bool:
    """A destructive action asks first, naming what will happen; No is the default."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, question, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is yes


def show_error(parent: QWidget, title: str, message: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


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
