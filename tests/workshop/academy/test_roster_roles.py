"""pytest-qt: the Roster page shows each role's category and lets the facilitator change it
(saved at once, undoable), and offers to merge look-alike school names (issue 15, item 2)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from workshop.academy.model import Participant
from tests.fakes import FakeDialogs

pytestmark = pytest.mark.pages("academies", "roster")


@pytest.fixture
def page(window, ctx, academy):
    for i, (role, school) in enumerate([("Teacher", "Lincoln HS"), ("teacher", "Lincoln High School"),
                                        ("Professional learning lead", "Lincoln High School"),
                                        ("Principal", "Oak Elementary")]):
        ctx.academies.add_participant(academy.id, Participant(name=f"Person {i}", role=role, school=school))
    window.open_academy(academy.id)
    window.show_page("roster")
    return window.page("roster")


def test_roles_are_shown_by_category_and_a_change_is_saved_with_undo(page, window, ctx, academy, qtbot):
    roles = page.roles
    assert roles.table.item(0, 0).text() == "Teacher" and roles.table.item(0, 1).text() == "2"
    assert roles.category_of("teacher") == "teacher"
    assert roles.category_of("Professional learning lead") == "other"
    combo = roles.combo_for("Professional learning lead")
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Up)   # other → specialist: chosen, and saved at once
    assert ctx.academies.role_overrides(academy.id) == {"professional learning lead": "specialist"}
    lead = next(p for p in ctx.academies.participants(academy.id) if p.role.startswith("Prof"))
    assert ctx.grouping.records(academy.id)[[p.id for p in ctx.academies.participants(academy.id)].index(lead.id)]["role"] == "specialist"
    window.undo_group.undo()
    assert ctx.academies.role_overrides(academy.id) == {}
    assert roles.category_of("Professional learning lead") == "other"
    window.undo_group.redo()
    assert roles.category_of("Professional learning lead") == "specialist"


def test_look_alike_schools_are_offered_with_both_spellings_and_merged(page, window, ctx, academy, qtbot, monkeypatch):
    roles = page.roles
    assert "“Lincoln HS” / “Lincoln High School”" in roles.schools_note.text()
    assert "4 people, 3 schools" in page.summary.text()
    dialogs = FakeDialogs().install(monkeypatch).queue("choose", "b")
    qtbot.mouseClick(roles.merge_button, Qt.MouseButton.LeftButton)
    question = dialogs.questions("choose")[0]
    assert "“Lincoln HS” (1 person) and “Lincoln High School” (2 people)" in question
    schools = sorted(p.school for p in ctx.academies.participants(academy.id))
    assert schools == ["Lincoln High School"] * 3 + ["Oak Elementary"]
    assert "4 people, 2 schools" in page.summary.text()
    assert not roles.merge_button.isEnabled()
    window.undo_group.undo()
    assert "Lincoln HS" in {p.school for p in ctx.academies.participants(academy.id)}
    assert roles.merge_button.isEnabled()


def test_keeping_both_spellings_changes_nothing(page, ctx, academy, qtbot, monkeypatch):
    FakeDialogs().install(monkeypatch).queue("choose", "keep")
    qtbot.mouseClick(page.roles.merge_button, Qt.MouseButton.LeftButton)
    assert "Lincoln HS" in {p.school for p in ctx.academies.participants(academy.id)}


def test_a_dropped_school_word_is_offered_as_a_look_alike_after_an_import(window, ctx, academy,
                                                                        qtbot):
    """"Lincoln High" and "Lincoln High School" — the likeliest two spellings on a sign-up
    form — are offered for merging once the import is in (they were "no look-alikes")."""
    window.open_academy(academy.id)
    window.show_page("roster")
    page = window.page("roster")
    dialog = page.import_text("Name\tSchool\nZoë Brennan\tLincoln High School\n"
                              "Mark Obi\tLincoln High\nAna López\tRiverside Middle School\n")
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    note = page.roles.schools_note.text()
    assert "1 pair" in note and "“Lincoln High”" in note and "“Lincoln High School”" in note
    assert "Riverside" not in note
    assert page.roles.merge_button.isEnabled()
