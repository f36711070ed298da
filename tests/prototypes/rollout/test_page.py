"""The Vision & plan page as a team uses it: type the vision, pick people from the roster,
fill the plan's tables, see the checks, undo, switch pages and come back."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from workshop.academy.model import Participant

pytestmark = pytest.mark.pages("maps", "rollout")
SCHOOL = "Lincoln Elementary"


@pytest.fixture
def page(window, ctx, academy, qtbot):
    for name, school in [("Ana Núñez", SCHOOL), ("Bo Chen", SCHOOL), ("Cy", "Adams Middle")]:
        ctx.academies.add_participant(academy.id, Participant(name, school=school))
    window.open_academy(academy.id)
    window.show_page("rollout")
    window.show()
    qtbot.waitExposed(window)
    page = window.page("rollout")
    page.open_team(SCHOOL)
    return page


def type_into(widget, text):
    widget.setFocus()
    QTest.keyClicks(widget, text)


def enter(text):
    """Type into the open cell editor and press Enter (the delegate commits on a queued call)."""
    editor = QApplication.focusWidget()
    editor.selectAll()
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()


def edit_cell(table, row, column, text):
    """Click a cell, press F2, type over what is there, press Enter: as a hand would."""
    view = table.table
    view.setFocus()
    view.scrollToItem(view.item(row, column))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualItemRect(view.item(row, column)).center())
    QTest.keyClick(view, Qt.Key.Key_F2)
    enter(text)


def undo(window):
    next(a for a in window.edit_menu.actions() if a.shortcut() == QKeySequence.StandardKey.Undo
         or a.text().startswith("&Undo")).trigger()


def test_a_team_writes_its_vision_and_plan_and_undoes(page, window, ctx, academy, qtbot):
    assert page.chooser.currentText() == SCHOOL
    type_into(page.lines["vision"], "Every student owns their learning")
    type_into(page.lines["rallying_cry"], "Own it!")
    type_into(page.lists["priorities"], "Literacy by grade 3")
    page.roster.setCurrentText("Ana Núñez")
    qtbot.mouseClick(page.add_evangelist, Qt.MouseButton.LeftButton)
    page.roster.setCurrentText("Bo Chen")
    qtbot.mouseClick(page.add_skeptic, Qt.MouseButton.LeftButton)

    milestones = page.tables["milestones"]
    qtbot.mouseClick(milestones.add_button, Qt.MouseButton.LeftButton)
    enter("Pilot stations")
    edit_cell(milestones, 0, 3, "2027-01-11")
    edit_cell(milestones, 0, 4, "Under way")
    edit_cell(milestones, 0, 6, "Laptops for all")
    measures = page.tables["measures"]
    qtbot.mouseClick(measures.add_button, Qt.MouseButton.LeftButton)
    enter("Reading growth")

    saved = ctx.rollout.plan(academy.id, SCHOOL)
    assert saved.vision == "Every student owns their learning"
    assert ctx.maps.open(academy.id, SCHOOL).vision == saved.vision   # the map's hub
    assert saved.rallying_cry == "Own it!" and saved.priorities == ("Literacy by grade 3",)
    assert saved.evangelists == ("Ana Núñez",) and saved.skeptics == ("Bo Chen",)
    (m,) = saved.milestones
    assert (m.title, m.due.isoformat(), m.status, m.initiatives) == (
        "Pilot stations", "2027-01-11", "under_way", ("Laptops for all",))
    assert saved.measures[0].name == "Reading growth"
    checks = [page.checks.item(i).text() for i in range(page.checks.count())]
    assert any("“Laptops for all”, which is not on the team's initiative map" in c for c in checks)
    assert any("“Reading growth” has no checkpoint" in c for c in checks)

    # A bad date is refused in words; nothing changes and the cell shows the saved date again.
    edit_cell(milestones, 0, 3, "next week")
    assert "date like 2026-11-25" in page.message.text()
    assert ctx.rollout.plan(academy.id, SCHOOL).milestones[0].due.isoformat() == "2027-01-11"
    assert milestones.table.item(0, 3).text() == "11 Jan 2027"

    # The checkpoint typed into the cell ends that warning.
    edit_cell(measures, 0, 1, "2027-02-01: 60% on target")
    assert ctx.rollout.plan(academy.id, SCHOOL).measures[0].checkpoints[0].target == "60% on target"
    checks = [page.checks.item(i).text() for i in range(page.checks.count())]
    assert not any("has no checkpoint" in c for c in checks)

    undo(window)    # the checkpoint
    assert ctx.rollout.plan(academy.id, SCHOOL).measures[0].checkpoints == ()
    assert measures.table.item(0, 1).text() == ""
    for _ in range(7):   # the measure's name and row, the milestone's four edits and its row
        undo(window)
    assert ctx.rollout.plan(academy.id, SCHOOL).milestones == ()
    assert milestones.table.rowCount() == 0
    undo(window)
    undo(window)         # the skeptic, the evangelist
    assert ctx.rollout.plan(academy.id, SCHOOL).evangelists == ()
    assert page.lists["evangelists"].toPlainText() == ""
    undo(window)         # the priorities: typing merged into one step
    assert ctx.rollout.plan(academy.id, SCHOOL).priorities == ()
    assert page.lists["priorities"].toPlainText() == ""
    assert page.lines["vision"].text() == "Every student owns their learning"


def test_plan_dates_read_as_every_date_on_screen_and_edit_either_way(page, ctx, academy, qtbot):
    """The tables show "11 Jan 2027" as the rest of the app does (they showed 2027-01-11);
    typing over it in that form, or in ISO as before, saves the date."""
    milestones, measures = page.tables["milestones"], page.tables["measures"]
    qtbot.mouseClick(milestones.add_button, Qt.MouseButton.LeftButton)
    enter("Pilot stations")
    edit_cell(milestones, 0, 3, "2027-01-11")                         # ISO, as before
    assert milestones.table.item(0, 3).text() == "11 Jan 2027"
    edit_cell(milestones, 0, 3, milestones.table.item(0, 3).text().replace("11", "12"))
    assert ctx.rollout.plan(academy.id, SCHOOL).milestones[0].due.isoformat() == "2027-01-12"
    assert milestones.table.item(0, 3).text() == "12 Jan 2027"
    qtbot.mouseClick(measures.add_button, Qt.MouseButton.LeftButton)
    enter("Reading growth")
    edit_cell(measures, 0, 1, "2027-02-01: 60% on target; 15 mar 2027: 70%")
    (first, second) = ctx.rollout.plan(academy.id, SCHOOL).measures[0].checkpoints
    assert (first.on.isoformat(), second.on.isoformat(), second.target) == ("2027-02-01", "2027-03-15", "70%")
    assert measures.table.item(0, 1).text() == "01 Feb 2027: 60% on target; 15 Mar 2027: 70%"
    wins = page.tables["wins"]
    qtbot.mouseClick(wins.add_button, Qt.MouseButton.LeftButton)
    enter("First playlist")
    edit_cell(wins, 0, 1, "3 dec 2026")
    assert ctx.rollout.plan(academy.id, SCHOOL).wins[0].on.isoformat() == "2026-12-03"
    assert wins.table.item(0, 1).text() == "03 Dec 2026"


def test_the_vision_edited_on_the_map_shows_here(page, window, ctx, academy):
    type_into(page.lines["vision"], "Learning that fits")
    window.show_page("maps")
    maps = window.page("maps")
    maps.open_map(SCHOOL)
    assert maps.current.vision == "Learning that fits"
    ctx.maps.set_vision(maps.map_id, "Learning that fits each student")
    window.show_page("rollout")
    assert page.lines["vision"].text() == "Learning that fits each student"


def test_plain_text_and_a_screenshot(page, ctx, academy, tmp_path):
    from prototypes.rollout.demo import demo_plan
    ctx.rollout.save(academy.id, SCHOOL, demo_plan().edit(rallying_cry="<b>bold</b>"))
    page.open_team(SCHOOL)
    assert page.lines["rallying_cry"].text() == "<b>bold</b>"
    assert page.tables["milestones"].table.rowCount() == len(demo_plan().milestones)
    out = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    out /= "rollout-page.png"
    assert page.window().grab().save(str(out))


@pytest.mark.pages("prototypes", "rollout")
def test_the_library_finds_a_team_by_its_plan_and_opens_it(window, ctx, academy, qtbot):
    ctx.rollout.save(academy.id, SCHOOL, demo_plan_for_search())
    window.open_academy(academy.id)
    window.show_page("prototypes")
    window.show()
    library = window.page("prototypes").library
    type_into(library.search, "parent council")          # a skeptic of the plan
    button = library.plan_hits.itemAt(1).widget()
    assert library.plan_hits_label.text() == "Also in the vision and plan of:"
    assert button.text() == SCHOOL
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.current_page_key() == "rollout"
    assert window.page("rollout").chooser.currentText() == SCHOOL
    window.show_page("prototypes")
    library.search.clear()
    type_into(library.search, "robots")
    assert library.plan_hits.count() == 2 and library.plan_hits_label.text() == ""


def demo_plan_for_search():
    from prototypes.rollout.demo import demo_plan
    return demo_plan()


def test_removing_a_row_and_ticking_a_win_are_undone(page, window, ctx, academy, qtbot):
    from prototypes.rollout.demo import demo_plan
    ctx.rollout.save(academy.id, SCHOOL, demo_plan())
    page.open_team(SCHOOL)
    milestones = page.tables["milestones"]
    view = milestones.table
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualItemRect(view.item(1, 1)).center())
    qtbot.mouseClick(milestones.remove_button, Qt.MouseButton.LeftButton)
    titles = [m.title for m in ctx.rollout.plan(academy.id, SCHOOL).milestones]
    assert "Set up three stations and the rotation chart" not in titles and len(titles) == 5
    wins = page.tables["wins"].table
    wins.item(0, 2).setCheckState(Qt.CheckState.Checked)   # the tick box, as a click sets it
    assert ctx.rollout.plan(academy.id, SCHOOL).wins[0].celebrated is True
    undo(window)
    undo(window)
    again = ctx.rollout.plan(academy.id, SCHOOL)
    assert again.wins[0].celebrated is False
    assert [m.title for m in again.milestones] == [m.title for m in demo_plan().milestones]
    assert view.rowCount() == 6 and view.item(1, 1).text().startswith("Set up three stations")
