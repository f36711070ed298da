"""The dialog seam: every modal question or error box the app shows goes through here.

Pages call the functions below (``dialogs.confirm(self, …)``); they ask whichever
implementation is installed, :class:`QtDialogs` in the app, ``tests.fakes.FakeDialogs`` in tests
(which answers without showing a box and records what was asked). Paths come back as ``str``,
``None`` meaning the person cancelled.
"""
from __future__ import annotations

import sys
from typing import Callable, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from workshop.store.errors import DatabaseError


class Dialogs(Protocol):
    """What a dialog implementation answers (see the module functions for each question)."""

    def confirm(self, parent: QWidget | None, title: str, question: str, action: str) -> bool: ...
    def error(self, parent: QWidget | None, title: str, message: str) -> None: ...
    def ask_text(self, parent: QWidget | None, title: str, label: str,
                 text: str = "") -> str | None: ...
    def choose(self, parent: QWidget | None, title: str, message: str, choices: dict[str, str],
               default: str, destructive: str | None = None) -> str | None: ...
    def open_file(self, parent: QWidget | None, title: str, filters: str,
                  directory: str = "") -> str | None: ...
    def save_file(self, parent: QWidget | None, title: str, suggested: str,
                  filters: str) -> str | None: ...
    def pick_folder(self, parent: QWidget | None, title: str, directory: str = "") -> str | None: ...


class QtDialogs:
    """The real modal boxes; every text is shown as plain text."""

    def confirm(self, parent, title, question, action):
        box = QMessageBox(QMessageBox.Icon.Warning, title, question, parent=parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is yes

    def error(self, parent, title, message):
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()

    def ask_text(self, parent, title, label, text=""):
        value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
        return value if ok else None

    def choose(self, parent, title, message, choices, default, destructive=None):
        box = QMessageBox(QMessageBox.Icon.Question, title, message, parent=parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        buttons = {}
        for key, label in choices.items():
            role = (QMessageBox.ButtonRole.DestructiveRole if key == destructive
                    else QMessageBox.ButtonRole.AcceptRole)
            buttons[box.addButton(label, role)] = key
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(next(b for b, k in buttons.items() if k == default))
        box.exec()
        return buttons.get(box.clickedButton())

    def open_file(self, parent, title, filters, directory=""):
        path, _ = QFileDialog.getOpenFileName(parent, title, directory, filters)
        return path or None

    def save_file(self, parent, title, suggested, filters):
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
        return path or None

    def pick_folder(self, parent, title, directory=""):
        return QFileDialog.getExistingDirectory(parent, title, directory) or None


_active: Dialogs = QtDialogs()


def install(dialogs: Dialogs) -> Dialogs:
    """Make ``dialogs`` answer every question from now on; returns the one it replaces."""
    global _active
    previous, _active = _active, dialogs
    return previous


def confirm(parent: QWidget | None, title: str, question: str, action: str) -> bool:
    """A destructive action asks first, naming what will happen; Cancel is the default."""
    return _active.confirm(parent, title, question, action)


def error(parent: QWidget | None, title: str, message: str) -> None:
    """Tell the person something could not be done, and why."""
    _active.error(parent, title, message)


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """A one-line question; None when cancelled."""
    return _active.ask_text(parent, title, label, text)


def choose(parent: QWidget | None, title: str, message: str, choices: dict[str, str],
           default: str, destructive: str | None = None) -> str | None:
    """One of ``choices`` (key → button label), or None for Cancel."""
    return _active.choose(parent, title, message, choices, default, destructive)


def open_file(parent: QWidget | None, title: str, filters: str, directory: str = "") -> str | None:
    """A file to read, or None."""
    return _active.open_file(parent, title, filters, directory)


def save_file(parent: QWidget | None, title: str, suggested: str, filters: str) -> str | None:
    """Where to write a file (``suggested``: a name or path to start from), or None."""
    return _active.save_file(parent, title, suggested, filters)


def pick_folder(parent: QWidget | None, title: str, directory: str = "") -> str | None:
    """A folder to write into, or None."""
    return _active.pick_folder(parent, title, directory)


def report_store_errors(parent: Callable[[], QWidget | None]) -> Callable[[], None]:
    """From now on a write the data file refused (busy, full, read-only) that no page caught
    is said in an error box over ``parent()`` instead of a trace on the console; the page keeps
    what the person typed, since nothing after the failed write ran. Returns the undo."""
    previous = sys.excepthook

    def hook(kind, value, tb):
        if isinstance(value, DatabaseError):   # Qt slots end here: PySide prints through it
            error(parent(), "Not saved", str(value))
        else:
            previous(kind, value, tb)
    sys.excepthook = hook

    def undo() -> None:
        sys.excepthook = previous
    return undo
