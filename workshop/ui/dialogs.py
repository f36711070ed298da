"""The dialog seam: every modal question or error box the app shows goes through here.

Pages call the functions below (``dialogs.confirm(self, …)``); they ask whichever
implementation is installed, :class:`QtDialogs` in the app, ``tests.fakes.FakeDialogs`` in tests
(which answers without showing a box and records what was asked). Paths come back as ``str``,
``None`` meaning the person cancelled.
"""
from __future__ import annotations

import sys
from pathlib import Path
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

    # A bare name ("Spring.academy") opened the file box in the process's working folder —
    # "/" for an app started from a menu or a bundle. Where no folder is given, the boxes open
    # in the folder last used (the roster came from there, the handouts went there), else home.
    last_folder: Path | None = None

    def _folder(self, directory: str = "") -> str:
        return directory or str(self.last_folder or Path.home())

    def _used(self, path: str, is_folder: bool = False) -> str | None:
        if path:
            self.last_folder = Path(path) if is_folder else Path(path).parent
        return path or None

    def open_file(self, parent, title, filters, directory=""):
        path, _ = QFileDialog.getOpenFileName(parent, title, self._folder(directory), filters)
        return self._used(path)

    def save_file(self, parent, title, suggested, filters):
        if not Path(suggested).is_absolute():
            suggested = str(Path(self._folder()) / suggested)
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
        return self._used(path)

    def pick_folder(self, parent, title, directory=""):
        return self._used(QFileDialog.getExistingDirectory(parent, title, self._folder(directory)),
                          is_folder=True)


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
