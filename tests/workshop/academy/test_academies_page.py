"""pytest-qt: the academy list — open, rename, duplicate (roster and stations come along),
delete only after confirmation."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.fakes import FakeDialogs

pytestmark = pytest.mark.pages("academies", "roster")  # the window holds only what these tests drive


def select(page, academy_id):
    for row in range(page.list.count()):
        if page.list.item(row).data(Qt.ItemDataRole.UserRole) == academy_id:
            page.list.setCurrentRow(row)
            return
    raise KeyError(academy_id)


def test_open_rename_duplicate_and_delete(qtbot, window, ctx, demo_academy, monkeypatch):
    other = ctx.academies.create("Autumn Academy")
    window.open_academy(other.id)
    page = window.page("academies")
    select(page, demo_academy.id)
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert window.academy_id == demo_academy.id
    assert window.page("roster").model.rowCount() == 36

    dialogs = FakeDialogs(ask_text="Spring Academy 2026").install(monkeypatch)
    select(page, demo_academy.id)
    qtbot.mouseClick(page.rename_button, Qt.MouseButton.LeftButton)
    assert ctx.academies.get(demo_academy.id).title == "Spring Academy 2026"

    select(page, demo_academy.id)
    qtbot.mouseClick(page.duplicate_button, Qt.MouseButton.LeftButton)
    copy = ctx.academies.find("Spring Academy 2026 (copy)")
    assert window.academy_id == copy.id
    assert len(ctx.academies.participants(copy.id)) == 36
    assert [s.name for s in ctx.stations.stations(copy.id)] == [
        s.name for s in ctx.stations.stations(demo_academy.id)]

    dialogs.standing["confirm"] = True
    dialogs.queue("confirm", False)
    select(page, copy.id)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    asked = dialogs.questions("confirm")
    assert "36 people" in asked[0] and ctx.academies.get(copy.id)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert copy.id not in {a.id for a in ctx.academies.list()}
    assert window.academy_id in {a.id for a in ctx.academies.list()}
    assert window.page("roster").academy_id == window.academy_id
