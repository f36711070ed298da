"""Issue 13 item 16 on the prototype pages: local dates and times, no "1 Jan 2000" placeholder,
distinct Adopt/Adapt decisions, and a delete that Ctrl+Z brings back."""
from __future__ import annotations


import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDateEdit

from tests.fakes import FakeDialogs

pytestmark = pytest.mark.pages("prototypes")



@pytest.fixture
def page(window, academy, qtbot):
    window.open_academy(academy.id)
    window.show_page("prototypes")
    window.show()
    qtbot.waitExposed(window)
    return window.page("prototypes")


def test_saved_time_and_updated_day_are_local(page, ctx, academy, clock, local_zone):
    local_zone("Pacific/Kiritimati")       # UTC+14: 21:00 UTC is 11:00 the next day
    clock.advance(12 * 3600)               # 2026-11-25 21:00 UTC
    proto = ctx.prototypes.create(academy.id, "Math stations", team="Lincoln Elementary")
    page.library.refresh()
    model = page.library.model
    updated = model.index(0, model.columnCount() - 1).data()
    assert updated == "26 Nov 2026"
    page.open_prototype(proto.id)
    title = page.editor.fields["title"]
    title.setFocus()
    QTest.keyClicks(title, "!")
    QTest.keyClick(title, Qt.Key.Key_Tab)
    assert page.editor.saved_label.text() == "Saved 11:00"


def test_no_cycle_shows_no_placeholder_date(page, ctx, academy):
    proto = ctx.prototypes.create(academy.id, "Math stations", team="Lincoln Elementary")
    page.open_prototype(proto.id)
    timeline = page.editor.timeline
    page.editor.tabs.setCurrentWidget(timeline)
    assert not timeline.form.isVisible()
    assert timeline.empty.isVisible()
    timeline.new_cycle()
    assert timeline.form.isVisible()
    started = timeline.binder.widgets["started_on"]
    assert isinstance(started, QDateEdit)
    assert started.date().toPython() == ctx.prototypes.iterations(proto.id)[0].started_on
    assert started.displayFormat() == "d MMM yyyy"


def test_adopt_and_adapt_read_differently(page, ctx, academy):
    proto = ctx.prototypes.create(academy.id, "Math stations", team="Lincoln Elementary")
    for key in ctx.prototypes.get(proto.id).check.risks:
        ctx.prototypes.set_check(proto.id, ctx.prototypes.get(proto.id).check.with_risk(
            key, level="low"))
    ctx.prototypes.change_status(proto.id, "trying")
    page.open_prototype(proto.id)
    buttons = [page.editor.status_buttons.itemAt(i).widget().text()
               for i in range(page.editor.status_buttons.count())]
    assert "→ Adopt as is" in buttons and "→ Adapt and continue" in buttons
    assert "→ Adopted" not in buttons and "→ Adapted" not in buttons
    page.editor.timeline.new_cycle()
    decision = page.editor.timeline.binder.widgets["decision"]
    choices = [decision.itemText(i) for i in range(decision.count())]
    assert choices == ["Not decided", "Adopt as is", "Adapt and test again", "Abandon"]


def test_a_deleted_prototype_comes_back_with_undo(window, page, ctx, academy, monkeypatch):
    proto = ctx.prototypes.create(academy.id, "Math stations", team="Lincoln Elementary")
    ctx.prototypes.start_iteration(proto.id)
    before = ctx.prototypes.get(proto.id)
    page.library.refresh()
    page.open_prototype(proto.id)
    fakes = FakeDialogs(confirm=True).install(monkeypatch)
    page.delete_action.trigger()
    [question] = fakes.questions("confirm")
    assert "cannot be undone" not in question and "Undo" in question
    assert "1 cycle?" in question
    assert ctx.prototypes.search(academy.id) == []

    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    back = ctx.prototypes.get(proto.id)
    assert back == before
    assert [it.number for it in ctx.prototypes.iterations(proto.id)] == [1]
    assert [r.title for r in page.library.model.rows] == ["Math stations"]
    assert ctx.prototypes.search(academy.id, "Math")   # found by search again

    window.undo_group.redo()
    assert ctx.prototypes.search(academy.id) == []
