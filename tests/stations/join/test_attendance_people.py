"""From the Attendance page: check in someone without a phone, merge a walk-in into the roster
person they are, put a walk-in in a group; each undoable (issue 13, item 11)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.fakes import FakeDialogs
from workshop.academy.model import Participant

pytestmark = pytest.mark.pages("rotation", "attendance")


@pytest.fixture
def people(ctx, academy):
    return {n: ctx.academies.add_participant(academy.id, Participant(n, email=f"p{i}@x.example")).id
            for i, n in enumerate(["Zoë Brennan", "Mark Obi", "Ana López", "Zoltan Brown"])}


@pytest.fixture
def page(qtbot, window, ctx, academy, people):
    window.open_academy(academy.id)
    window.show_page("attendance")
    window.show()
    qtbot.waitExposed(window)
    return window.page("attendance")


def shown(window, page):
    """Let the queued join events arrive, then the window's next tick redraws the page."""
    QApplication.processEvents()
    window.ticker.tick()
    return page


def choose(qtbot, names, text):
    """Tab to a list and move to the row with ``text`` by keyboard, as a person would."""
    names.setFocus()
    QTest.keyClick(names, Qt.Key.Key_Home)
    for _ in range(len(names.texts())):
        if names.currentIndex().data() == text:
            return
        QTest.keyClick(names, Qt.Key.Key_Down)
    assert names.currentIndex().data() == text


def test_someone_without_a_phone_is_checked_in_from_the_page_and_undone(
        qtbot, monkeypatch, window, page, ctx, academy, people):
    dialogs = FakeDialogs().install(monkeypatch)
    shown(window, page)
    assert not page.people.check_in_button.isEnabled()
    choose(qtbot, page.nowhere, "Mark Obi")
    assert page.people.check_in_button.isEnabled()
    dialogs.queue("choose", "2")   # "Where is Mark Obi now?" → Station 2
    QTest.mouseClick(page.people.check_in_button, Qt.MouseButton.LeftButton)
    assert dialogs.questions("choose") == ["Where is Mark Obi now?"]
    shown(window, page)
    assert [c.participant_id for c in ctx.join.checkins(academy.id)] == [people["Mark Obi"]]
    assert page.cards[1].here.texts() == ["Mark Obi"]
    assert "Mark Obi" not in page.nowhere.texts()
    page.undo_stack.undo()
    shown(window, page)
    assert ctx.join.checkins(academy.id) == [] and "Mark Obi" in page.nowhere.texts()
    assert not dialogs.errors


def test_a_hand_check_in_undone_redone_and_undone_again_is_gone(
        qtbot, monkeypatch, window, page, ctx, academy, people):
    """Edit ▸ Undo, Redo, Undo of a hand check-in while phones check in: the second undo took
    back nothing (it looked for the first check-in's row and place in the order, which the
    redo had made anew after Zoë's phone), and Mark stayed checked in."""
    from tests.stations.join.phone import Phone
    dialogs = FakeDialogs().install(monkeypatch)
    shown(window, page)
    choose(qtbot, page.nowhere, "Mark Obi")
    dialogs.queue("choose", "2")
    QTest.mouseClick(page.people.check_in_button, Qt.MouseButton.LeftButton)
    page.undo_stack.undo()
    bound = ctx.join.start_server()
    phone, token = Phone(bound.base_url), ctx.join.links(academy.id)[0].token
    assert phone.check_in(token, phone.key_for(token, "Zoë Brennan")).status == 200
    page.undo_stack.redo()
    assert {c.participant_id for c in ctx.join.checkins(academy.id)} == {
        people["Mark Obi"], people["Zoë Brennan"]}
    page.undo_stack.undo()
    assert [c.participant_id for c in ctx.join.checkins(academy.id)] == [people["Zoë Brennan"]]
    assert "Mark Obi" in shown(window, page).nowhere.texts() and not dialogs.errors


def test_a_walk_in_is_merged_into_the_roster_person_and_back(qtbot, monkeypatch, window, page,
                                                             ctx, academy, people):
    dialogs = FakeDialogs().install(monkeypatch)
    ctx.join.record_walk_in(academy.id, "Zoe B.", 1)
    walk_in = next(c.participant_id for c in ctx.join.checkins(academy.id))
    shown(window, page)
    assert page.walk_ins.texts() == ["Zoe B."]
    choose(qtbot, page.walk_ins, "Zoe B.")
    assert page.people.merge_button.isEnabled()
    dialogs.queue("choose", str(people["Zoë Brennan"]))
    QTest.mouseClick(page.people.merge_button, Qt.MouseButton.LeftButton)
    assert "Who on the roster is the walk-in “Zoe B.”?" in dialogs.questions("choose")[0]
    shown(window, page)
    assert [(c.participant_id, c.station_position) for c in ctx.join.checkins(academy.id)] == [
        (people["Zoë Brennan"], 1)]
    assert ctx.academies.walk_in_ids(academy.id) == set()   # the roster person stays, alone
    assert page.walk_ins.texts() == ["No walk-ins"]
    assert page.cards[0].here.texts() == ["Zoë Brennan"]
    page.undo_stack.undo()
    shown(window, page)
    assert ctx.academies.walk_in_ids(academy.id) == {walk_in}
    assert [c.participant_id for c in ctx.join.checkins(academy.id)] == [walk_in]
    assert page.walk_ins.texts() == ["Zoe B."]
    assert not dialogs.errors


def test_merge_candidates_ignore_accents_dots_and_other_walk_ins(ctx, academy, people):
    ctx.join.record_walk_in(academy.id, "Zoe B.", 1)
    walk_in = next(iter(ctx.academies.walk_in_ids(academy.id)))
    assert ctx.join.merge_candidates(academy.id, walk_in) == [people["Zoë Brennan"]]
    assert ctx.join.merge_candidates(academy.id, walk_in, "br") == [
        people["Zoë Brennan"], people["Zoltan Brown"]]
    # Refusals: one line, nothing changed.
    from workshop.errors import ValidationError
    with pytest.raises(ValidationError, match="Only a walk-in"):
        ctx.join.merge_walk_in(academy.id, people["Mark Obi"], people["Zoë Brennan"])
    with pytest.raises(ValidationError, match="on the roster"):
        ctx.join.merge_walk_in(academy.id, walk_in, walk_in)
    assert ctx.academies.walk_in_ids(academy.id) == {walk_in}


def test_a_walk_in_is_put_in_a_group_that_runs(qtbot, monkeypatch, window, page, ctx, academy, people):
    from stations.setup.model import Group
    ctx.grouping.save(academy.id, [Group(0, "A", [people["Zoë Brennan"], people["Mark Obi"]]),
                                   Group(1, "B", [people["Ana López"], people["Zoltan Brown"]])])
    dialogs = FakeDialogs().install(monkeypatch)
    ctx.join.record_walk_in(academy.id, "Priya S.", 2)
    walk_in = next(iter(ctx.academies.walk_in_ids(academy.id)))
    shown(window, page)
    choose(qtbot, page.walk_ins, "Priya S.")
    dialogs.queue("choose", "1")
    QTest.mouseClick(page.people.group_button, Qt.MouseButton.LeftButton)
    assert dialogs.questions("choose") == ["Which group does Priya S. join?"]
    assert walk_in in ctx.grouping.saved_groups(academy.id)[1].member_ids
    assert ctx.rotation.plan(academy.id).groups[1].member_ids[-1] == walk_in  # it runs
    page.undo_stack.undo()
    assert walk_in not in ctx.grouping.saved_groups(academy.id)[1].member_ids
    assert not dialogs.errors


def test_undoing_a_merge_puts_the_walk_in_back_in_their_group(qtbot, monkeypatch, window, page,
                                                               ctx, academy, people):
    from stations.setup.model import Group
    ctx.grouping.save(academy.id, [Group(0, "A", [people["Zoë Brennan"], people["Mark Obi"]]),
                                   Group(1, "B", [people["Ana López"], people["Zoltan Brown"]])])
    dialogs = FakeDialogs().install(monkeypatch)
    ctx.join.record_walk_in(academy.id, "Zoe B.", 2)
    walk_in = next(iter(ctx.academies.walk_in_ids(academy.id)))
    shown(window, page)
    choose(qtbot, page.walk_ins, "Zoe B.")
    dialogs.queue("choose", "1")
    QTest.mouseClick(page.people.group_button, Qt.MouseButton.LeftButton)
    choose(qtbot, page.walk_ins, "Zoe B.")
    dialogs.queue("choose", str(people["Zoë Brennan"]))
    QTest.mouseClick(page.people.merge_button, Qt.MouseButton.LeftButton)
    assert walk_in not in ctx.grouping.saved_groups(academy.id)[1].member_ids
    page.undo_stack.undo()
    assert walk_in in ctx.grouping.saved_groups(academy.id)[1].member_ids
    assert not dialogs.errors


def test_a_check_in_from_the_page_after_start_again_counts_for_the_new_run(
        qtbot, monkeypatch, window, page, ctx, academy, people):
    """The facilitator's check-in carries the run, as a phone's does: after "Start again" it
    shows on the page (which reads the current run), not in the old run's history."""
    from stations.grouping.service import ensure_demo_grouping
    dialogs = FakeDialogs().install(monkeypatch)
    ensure_demo_grouping(ctx, academy.id, lambda text: None)
    ctx.rotation.start(academy.id)
    ctx.rotation.end(academy.id)
    ctx.rotation.start(academy.id)                       # "Start again": run 2
    shown(window, page)
    choose(qtbot, page.nowhere, "Mark Obi")
    dialogs.queue("choose", "2")
    QTest.mouseClick(page.people.check_in_button, Qt.MouseButton.LeftButton)
    shown(window, page)
    assert "Mark Obi" not in page.nowhere.texts()
    assert [c.run for c in ctx.join.checkins(academy.id)] == [2]
    assert not dialogs.errors


def test_a_storm_of_phones_redraws_once_a_second_and_the_facilitators_own_check_in_at_once(
        qtbot, monkeypatch, window, page, ctx, academy, people, clock):
    """Redrawing on every tick of 1,000 phones' check-ins took the core the phones' server
    needed (issue 19 item 6): phones redraw the page at most once every STORM_GAP_S; a check-in
    after a quiet spell, and the facilitator's own, show on the next tick."""
    from stations.ui.join.attendance_page import STORM_GAP_S
    from tests.stations.join.phone import Phone
    dialogs = FakeDialogs().install(monkeypatch)
    page.serve_button.click()
    token = ctx.join.links(academy.id)[0].token
    shown(window, page)
    clock.advance(STORM_GAP_S)

    def tap(name: str, source: str) -> None:
        phone = Phone(ctx.join.bound.base_url, source=source, cookies=True)
        assert phone.check_in(token, phone.key_for(token, name)).status == 200

    def here() -> set[str]:
        return set(shown(window, page).cards[0].here.texts())
    tap("Zoë Brennan", "127.0.0.2")
    assert here() == {"Zoë Brennan"}                 # after a quiet spell: the next tick
    tap("Ana López", "127.0.0.3")
    assert here() == {"Zoë Brennan"}                 # within the second: not yet
    clock.advance(STORM_GAP_S / 2)
    assert here() == {"Zoë Brennan"}
    clock.advance(STORM_GAP_S / 2)
    assert here() == {"Zoë Brennan", "Ana López"}    # a second after the last redraw
    choose(qtbot, page.nowhere, "Mark Obi")
    dialogs.queue("choose", "1")
    QTest.mouseClick(page.people.check_in_button, Qt.MouseButton.LeftButton)
    assert here() == {"Zoë Brennan", "Ana López", "Mark Obi"}   # the facilitator's: at once
    page.undo_stack.undo()
    assert here() == {"Zoë Brennan", "Ana López"}                # and its undo
    assert not dialogs.errors


def test_undoing_a_hand_check_in_keeps_the_phones_own_check_in_that_came_after(
        qtbot, monkeypatch, window, page, ctx, academy, people):
    """A storm at the door: the facilitator checks Mark in by hand at Station 2, his phone then
    scans Station 2 itself (told "checked in"); Edit ▸ Undo takes back only the hand's: Mark
    stays checked in, as his phone says (the undo deleted the row the phone had tapped again)."""
    from tests.stations.join.phone import Phone
    dialogs = FakeDialogs().install(monkeypatch)
    shown(window, page)
    choose(qtbot, page.nowhere, "Mark Obi")
    dialogs.queue("choose", "2")
    QTest.mouseClick(page.people.check_in_button, Qt.MouseButton.LeftButton)
    bound = ctx.join.start_server()
    phone, token = Phone(bound.base_url), ctx.join.links(academy.id)[1].token
    assert phone.check_in(token, phone.key_for(token, "Mark Obi")).status == 200
    page.undo_stack.undo()
    shown(window, page)
    assert [(c.participant_id, c.station_position) for c in ctx.join.checkins(academy.id)] == [
        (people["Mark Obi"], 2)]
    assert page.cards[1].here.texts() == ["Mark Obi"] and "Mark Obi" not in page.nowhere.texts()
    page.undo_stack.redo()   # and again: still one check-in, the undo of which leaves him there
    page.undo_stack.undo()
    assert [c.participant_id for c in ctx.join.checkins(academy.id)] == [people["Mark Obi"]]
    assert not dialogs.errors
