"""The real dialog seam's file boxes open in a folder a person knows: a bare suggested name
("Spring.academy") opened the box in the process's working folder ("/" for an app started from a
menu); now they open where the last file went or came from, else the home folder."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from workshop.ui import dialogs

pytestmark = pytest.mark.pages("academies")


@pytest.fixture
def boxes(monkeypatch):
    """Qt's file boxes, answered: each records where it opened and returns the queued path."""
    asked, answers = [], []

    def box(kind):
        def answer(parent, title, where, *rest):
            asked.append((kind, where))
            return (answers.pop(0) if answers else "", "")
        return answer
    monkeypatch.setattr(QFileDialog, "getSaveFileName", box("save"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", box("open"))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        lambda parent, title, where: asked.append(("folder", where)) or "")
    monkeypatch.setattr(dialogs, "_active", dialogs.QtDialogs())
    return asked, answers


def trigger(window, menu_title: str, text: str) -> None:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == menu_title)
    menu.aboutToShow.emit()
    next(a for a in menu.actions() if a.text() == text).trigger()


def test_file_boxes_open_at_home_then_where_the_last_file_went(window, academy, tmp_path, boxes):
    asked, answers = boxes
    window.open_academy(academy.id)
    trigger(window, "&File", "&Export academy…")             # cancelled: nothing written
    assert asked[-1] == ("save", str(Path.home() / "Test Academy.academy"))
    answers.append(str(tmp_path / "bundles" / "Test Academy.academy"))
    (tmp_path / "bundles").mkdir()
    trigger(window, "&File", "&Export academy…")
    assert (tmp_path / "bundles" / "Test Academy.academy").exists()
    trigger(window, "&File", "&Import academy…")             # the folder it just went to
    assert asked[-1] == ("open", str(tmp_path / "bundles"))
