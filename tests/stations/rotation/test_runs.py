"""Issue 13, items 4 and 5: "Start again" asks and keeps each run with its own check-ins; arrival
check-ins count for round 1, and phones and the projector say each round needs a new scan.
Driven through the rotation page's buttons, the attendance page and real phones on loopback."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.fakes import FakeDialogs
from tests.stations.join.phone import Phone

pytestmark = pytest.mark.pages("rotation", "attendance")


@pytest.fixture
def answers(monkeypatch):
    """The dialog seam: every question must be answered by the test (none is standing)."""
    return FakeDialogs().install(monkeypatch)


@pytest.fixture
def day(window, qtbot, ctx, demo_academy, answers):
    """The demo academy with its grouping, open on the rotation page, phones let in."""
    from stations.grouping.service import ensure_demo_grouping
    academy_id = demo_academy.id
    ensure_demo_grouping(ctx, academy_id, lambda text: None)
    window.open_academy(academy_id)
    window.show_page("rotation")
    window.page("attendance").serve_button.click()
    yield academy_id
    ctx.join.stop_server()


def click(qtbot, window, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    window.ticker.tick()


def first_station_people(ctx, academy_id) -> tuple[int, list[int]]:
    """Station 1 and the people whose group starts there."""
    plan = ctx.rotation.plan(academy_id)
    position = plan.rounds[0].stations[0]
    return position, list(plan.groups[0].member_ids)


def names(ctx, academy_id) -> dict[int, str]:
    return {p.id: p.name for p in ctx.academies.participants(academy_id)}


def test_arrival_check_ins_count_for_round_one_on_attendance_and_projector(
        qtbot, window, ctx, day, answers):
    academy_id, rotation = day, window.page("rotation")
    attendance = window.page("attendance")
    position, people = first_station_people(ctx, academy_id)
    token = ctx.join.links(academy_id)[position - 1].token
    who = names(ctx, academy_id)
    phones = [Phone(ctx.join.bound.base_url, source=f"127.0.0.{10 + i}", cookies=True)
              for i in range(2)]
    keys = []
    for phone, pid in zip(phones, people[:2]):
        key = phone.key_for(token, who[pid])
        reply = phone.check_in(token, key).json
        assert reply["round"] == 0 and "counts for round 1" not in reply["expect"]
        assert reply["expect"].startswith("You're checked in for round 1.")
        keys.append(key)
    walk_in = Phone(ctx.join.bound.base_url, source="127.0.0.20", cookies=True).walk_in(
        token, "Dana Walk-in")
    assert walk_in.status == 200
    state = phones[0].state(token, keys[0]).json
    assert "scan again at your next station" in state["expect"]

    click(qtbot, window, rotation.buttons["start"])            # nothing to ask: run 1 starts
    assert ctx.rotation.snapshot(academy_id).phase == "round"
    assert answers.asked == []
    attendance.refresh()
    # The three who arrived before the start are at their station in round 1.
    summary = attendance.summary.text()   # two from the roster at their station, one walk-in
    assert "Round 1: 2 of 36 people expected are at their station" in summary
    assert "1 walk-in" in summary
    assert attendance.cards[position - 1].here.texts()[:1] != ["Nobody yet"]
    assert "Dana Walk-in" in attendance.walk_ins.texts()
    expected = ctx.join.attendance(academy_id).counts()[position][1]
    assert attendance.cards[position - 1].counts.text().startswith(f"Expected here: 2 of {expected}")
    assert attendance.corner.counts.text().startswith("3 of ")   # what the projector shows
    state = phones[0].state(token, keys[0]).json
    assert state["expect"] == ("You're checked in for round 1. When the room moves, scan again "
                               "at your next station.")
    # The projector says what is expected when the room moves.
    click(qtbot, window, rotation.buttons["next"])
    assert "Move to your next station and scan again" in rotation.projector.texts()
    state = phones[0].state(token, keys[0]).json
    assert state["expect"].startswith("Scan again at your next station when you get there")


def test_start_again_asks_and_keeps_run_one_with_its_check_ins(qtbot, window, ctx, day, answers):
    academy_id, rotation = day, window.page("rotation")
    attendance = window.page("attendance")
    position, people = first_station_people(ctx, academy_id)
    ctx.rotation.start(academy_id)
    ctx.join.record_checkin(academy_id, people[0], position)
    ctx.rotation.end(academy_id)
    window.ticker.tick()
    run_one = ctx.rotation.timings(academy_id)
    assert rotation.buttons["start"].text() == "Start again"

    answers.queue("confirm", False)                            # Cancel: nothing changes
    click(qtbot, window, rotation.buttons["start"])
    assert answers.asked[-1][:2] == ("confirm", "Start the rotation again?")
    assert "Run 1 stays in the history" in answers.asked[-1][2]
    assert ctx.rotation.snapshot(academy_id).phase == "finished"
    assert ctx.rotation.run_number(academy_id) == 1

    answers.queue("confirm", True)
    click(qtbot, window, rotation.buttons["start"])
    assert ctx.rotation.snapshot(academy_id).phase == "round"
    assert ctx.rotation.run_number(academy_id) == 2 and len(ctx.rotation.runs(academy_id)) == 2
    assert "Run 2" in rotation.phase_label.text()
    # Run 2 starts with nobody checked in; run 1 keeps its check-in and its timings.
    attendance.refresh()
    assert "Round 1: 0 of 36 people expected are at their station" in attendance.summary.text()
    assert ctx.join.checkins(academy_id) == []
    assert [c.participant_id for c in ctx.join.checkins(academy_id, run=1)] == [people[0]]
    assert ctx.rotation.timings(academy_id, run=1) == run_one
    # A check-in now belongs to run 2 only.
    ctx.join.record_checkin(academy_id, people[0], position)
    assert [c.run for c in ctx.join.checkins(academy_id)] == [2]
    assert len(ctx.join.checkins(academy_id, run=1)) == 1
