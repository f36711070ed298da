"""What a person's hands do to the window in the day's test: find a visible control by its
words, click it, press keys where the focus is, answer a modal dialog, take a screenshot."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QTimer, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QWidget

SHOTS_COPY = Path("/work/tools_tmp/shots-day")


def words(text: str) -> str:
    """A control's text as a person reads it (no mnemonic ampersands)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def button(root: QWidget, text: str) -> QAbstractButton:
    """The one visible, enabled button under ``root`` reading ``text``."""
    found = [b for b in root.findChildren(QAbstractButton)
             if words(b.text()) == text and b.isVisible()]
    assert len(found) == 1, f"{len(found)} visible buttons read {text!r}"
    assert found[0].isEnabled(), f"{text!r} is greyed out"
    return found[0]


def click(qtbot, root: QWidget, text: str) -> None:
    """Click the visible button reading ``text``, as a mouse does."""
    qtbot.mouseClick(button(root, text), Qt.MouseButton.LeftButton)


def menu_action(window, menu: str, item: str):
    """The action ``item`` of the menu bar's menu ``menu`` (both by their words)."""
    bar = [a for a in window.menuBar().actions() if words(a.text()) == menu and a.isVisible()]
    assert bar, f"no visible menu {menu!r}: {[words(a.text()) for a in window.menuBar().actions()]}"
    actions = [a for a in bar[0].menu().actions() if words(a.text()) == item]
    assert actions, f"no {item!r} in {menu!r}: {[words(a.text()) for a in bar[0].menu().actions()]}"
    assert actions[0].isEnabled(), f"{menu} ▸ {item} is greyed out"
    return actions[0]


def choose(window, menu: str, item: str) -> None:
    """Choose ``menu ▸ item`` from the menu bar."""
    menu_action(window, menu, item).trigger()


def key(qtbot, window, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """Press a key where a person's key goes: to the widget with the focus."""
    qtbot.keyClick(QApplication.focusWidget() or window, k, modifier)


def type_into(qtbot, field: QWidget, text: str) -> None:
    """Click into a field, select what is there and type over it."""
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    field.selectAll()
    qtbot.keyClicks(field, text)


def when_modal(qtbot, fill: Callable[[QDialog], None]) -> list:
    """Answer the next modal dialog (one opened with exec(), which blocks the test until it
    closes) by running ``fill`` on it once it shows; the returned list receives the dialog."""
    seen: list = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog)
        fill(dialog)
    QTimer.singleShot(0, answer)
    return seen


class Shots:
    """Screenshots of each step, numbered, into ``folder`` and copied where people look."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.taken: list[Path] = []

    def take(self, widget: QWidget, name: str) -> Path:
        QApplication.processEvents()
        path = self.folder / f"{len(self.taken) + 1:02d}-{name}.png"
        assert widget.grab().save(str(path)), f"could not save {path}"
        self.taken.append(path)
        return path

    def copy_out(self) -> None:
        shutil.rmtree(SHOTS_COPY, ignore_errors=True)
        SHOTS_COPY.mkdir(parents=True, exist_ok=True)
        for path in self.taken:
            shutil.copy2(path, SHOTS_COPY / path.name)
