"""pytest-qt: the stations page saves every valid change at once, explains invalid ones,
keeps 2–6 stations, and undoes."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from stations.setup.model import MAX_STATIONS, MIN_STATIONS
from tests.fakes import FakeDialogs

pytestmark = pytest.mark.pages("stations")  # the window holds only what these tests drive


@pytest.fixture
def page(window, academy):
    window.open_academy(academy.id)
    window.show_page("stations")
    window.show()
    return window.page("stations")


def saved(ctx, academy):
    return ctx.stations.stations(academy.id)


def undo(window):
    window.undo_group.undo()


def test_three_default_stations_are_shown(page, ctx, academy):
    assert page.list.count() == 3
    assert [s.kind for s in saved(ctx, academy)] == ["targeted", "independent", "collaborative"]
    assert page.list.item(1).text() == "2. Independent learning\nIndependent learning · 15 min"
    assert page.name.text() == "Teacher-led targeted instruction"
    assert page.minutes.value() == 15
    assert "45 min in all" in page.total.text()


def test_typing_a_name_saves_each_keystroke_and_undo_takes_it_back_in_one_step(
        qtbot, page, window, ctx, academy):
    page.list.setCurrentRow(2)
    page.name.selectAll()
    qtbot.keyClicks(page.name, "Design sprint")
    assert saved(ctx, academy)[2].name == "Design sprint"
    assert page.list.item(2).text().startswith("3. Design sprint\n")
    assert page.undo_stack.count() == 1  # the keystrokes merged into one undo step
    undo(window)
    assert saved(ctx, academy)[2].name == "Small-group collaboration"
    assert page.name.text() == "Small-group collaboration"


def test_invalid_changes_are_explained_and_not_saved(qtbot, page, ctx, academy):
    page.name.selectAll()
    qtbot.keyClick(page.name, Qt.Key.Key_Delete)
    assert "needs a name" in page.error.text()
    assert saved(ctx, academy)[0].name == "Teacher-led targeted instruction"
    qtbot.keyClicks(page.name, "Independent learning")  # the name of station 2
    assert "share the name" in page.error.text()
    # Every valid prefix was saved as it was typed; the clashing last keystroke was not.
    assert saved(ctx, academy)[0].name == "Independent learnin"
    qtbot.keyClick(page.name, Qt.Key.Key_Backspace)
    qtbot.keyClicks(page.name, "g 2")
    assert page.error.text() == ""
    assert saved(ctx, academy)[0].name == "Independent learning 2"


def test_kind_minutes_and_texts_are_saved(qtbot, page, ctx, academy):
    page.list.setCurrentRow(1)
    qtbot.keyClick(page.kind, Qt.Key.Key_Down)  # independent → collaborative, as a person would
    page.minutes.setValue(20)
    page.texts["prompt"].setPlainText("")
    qtbot.keyClicks(page.texts["prompt"], "Pick a playlist")
    page.texts["debrief_prompt"].moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(page.texts["debrief_prompt"], " Why?")
    s = saved(ctx, academy)[1]
    assert (s.kind, s.minutes, s.prompt) == ("collaborative", 20, "Pick a playlist")
    assert s.debrief_prompt.endswith("Why?")
    assert "50 min in all" in page.total.text()


def test_two_to_six_stations_with_confirmation_and_undo(qtbot, page, window, ctx, academy,
                                                       monkeypatch):
    while page.add_button.isEnabled():
        qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert len(saved(ctx, academy)) == MAX_STATIONS
    assert [s.name for s in saved(ctx, academy)][3:] == ["Station 4", "Station 5", "Station 6"]
    assert "At most 6" in page.add_button.toolTip()
    FakeDialogs(confirm=True).install(monkeypatch).queue("confirm", False)
    page.list.setCurrentRow(0)
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)  # declined
    assert len(saved(ctx, academy)) == MAX_STATIONS
    while page.remove_button.isEnabled():
        qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    stations = saved(ctx, academy)
    assert len(stations) == MIN_STATIONS and page.list.count() == MIN_STATIONS
    assert [s.position for s in stations] == [1, 2]
    for _ in range(4):
        undo(window)
    assert [s.name for s in saved(ctx, academy)][:3] == [
        "Teacher-led targeted instruction", "Independent learning", "Small-group collaboration"]


def test_move_station_changes_the_order(qtbot, page, window, ctx, academy):
    page.list.setCurrentRow(2)
    qtbot.mouseClick(page.up_button, Qt.MouseButton.LeftButton)
    assert [s.kind for s in saved(ctx, academy)] == ["targeted", "collaborative", "independent"]
    assert page.list.currentRow() == 1 and page.down_button.isEnabled()
    undo(window)
    assert [s.kind for s in saved(ctx, academy)] == ["targeted", "independent", "collaborative"]


def test_no_academy_disables_the_page(window):
    window.open_academy(None)
    page = window.page("stations")
    assert page.list.count() == 0 and not page.add_button.isEnabled()
    assert not page.name.isEnabled()
