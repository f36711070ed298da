"""The pure reader: event logs → what the room sees; and reading never writes, on any thread."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from stations.join.room import RoomReader
from stations.rotation import reader
from stations.rotation.countdown import Countdown, Plan
from stations.rotation.schedule import build_schedule, numbered_groups
from stations.setup.model import Station
from tests.fakes import FakeClock
from workshop.store import open_database

PLAN = Plan(rounds_s=(600.0, 600.0, 600.0), transition_s=60.0, debrief_s=300.0, warning_s=120.0)
STATIONS = [Station(i + 1, f"Station {i + 1}", kind, 10)
            for i, kind in enumerate(("targeted", "independent", "collaborative"))]
SCHEDULE = build_schedule(numbered_groups(3), STATIONS, transition_minutes=1, debrief_minutes=5)

# (steps: (seconds to wait, action and its argument), seconds to wait before reading) →
# (phase, round, remaining_s, paused, warning)
CASES = [
    ([], 0, ("ready", 0, 600.0, False, False)),
    ([(0, "start")], 100, ("round", 1, 500.0, False, False)),
    ([(0, "start")], 500, ("round", 1, 100.0, False, True)),
    ([(0, "start")], 610, ("transition", 1, 50.0, False, False)),        # due, not recorded
    ([(0, "start")], 660, ("round", 2, 600.0, False, False)),
    ([(0, "start"), (100, "pause")], 5000, ("round", 1, 500.0, True, False)),
    ([(0, "start"), (100, "pause"), (300, "resume")], 100, ("round", 1, 400.0, False, False)),
    ([(0, "start"), (100, ("adjust", 60))], 0, ("round", 1, 560.0, False, False)),
    ([(0, "start"), (100, ("set", 30))], 100, ("round", 2, 590.0, False, False)),  # two ends due
    ([(0, "start"), (10, "next")], 0, ("transition", 1, 60.0, False, False)),
    ([(0, "start"), (10, "next"), (0, "next")], 30, ("round", 2, 570.0, False, False)),
    ([(0, "start"), (50, "restart")], 100, ("round", 1, 500.0, False, False)),
    ([(0, "start")], 3 * 600 + 2 * 60 + 200, ("debrief", 3, 100.0, False, False)),
    ([(0, "start")], 3 * 600 + 2 * 60 + 300, ("finished", 3, 0.0, False, False)),
    ([(0, "start"), (10, "end")], 1000, ("finished", 1, 0.0, False, False)),
]


def run(steps):
    """A log written by the countdown's own rules on a FakeClock."""
    clock = FakeClock()
    timer = Countdown(clock)
    for wait, action in steps:
        clock.advance(wait)
        kind, *args = action if isinstance(action, tuple) else (action,)
        timer.start(PLAN) if kind == "start" else timer.act(kind, seconds=args[0]) if args \
            else timer.act(kind)
    return clock, timer


@pytest.mark.parametrize("steps, wait, expected", CASES)
def test_a_log_reads_as_the_room_should_see_it(steps, wait, expected):
    clock, timer = run(steps)
    clock.advance(wait)
    events = list(timer.events)
    snap = reader.snapshot(events, SCHEDULE, timer.now(), tz=timer.timeline.tz)
    assert (snap.phase, snap.round_number, snap.remaining_s, snap.paused, snap.warning) == \
        pytest.approx(expected, abs=1e-6)
    assert events == timer.events                  # the log handed in is left as it was
    assert snap.rounds_total == 3 and snap.group_names == ("Group A", "Group B", "Group C")


@pytest.mark.parametrize("steps, wait, expected", CASES)
def test_reading_before_and_after_recording_what_came_due_agrees(steps, wait, expected):
    clock, timer = run(steps)
    clock.advance(wait)
    before = reader.snapshot(timer.events, SCHEDULE, timer.now(), tz=timer.timeline.tz)
    due = reader.as_of(timer.events, timer.now())[len(timer.events):]
    assert timer.catch_up() == due                 # what the reader folds in is what gets written
    after = reader.snapshot(timer.events, SCHEDULE, timer.now(), tz=timer.timeline.tz)
    assert after == before
    assert [e.kind for e in reader.logged_events(timer.events, timer.now())] == \
        [e.kind for e in timer.events]


def test_where_groups_are_and_where_they_go():
    clock, timer = run([(0, "start")])
    now = timer.now()
    snap = reader.snapshot(timer.events, SCHEDULE, now, tz=timer.timeline.tz)
    assert snap.assignments == dict(enumerate(SCHEDULE.rounds[0].stations))
    assert snap.phase_ends_at == clock.now() + timedelta(seconds=600)
    assert snap.planned_end == clock.now() + timedelta(seconds=PLAN.total_s) == snap.expected_end
    moving = reader.snapshot(timer.events, SCHEDULE, now + 630, tz=timer.timeline.tz)
    assert moving.next_assignments == dict(enumerate(SCHEDULE.rounds[1].stations))
    ready = reader.snapshot([], SCHEDULE, now, warning_s=90.0)
    assert ready.next_assignments == dict(enumerate(SCHEDULE.rounds[0].stations))
    assert ready.warning_s == 90.0 and ready.phase_ends_at is None


def test_timings_as_of_now_include_a_phase_end_not_yet_recorded():
    clock, timer = run([(0, "start"), (100, "pause"), (30, "resume")])
    clock.advance(510)                              # round 1 ended at 630 s; nobody recorded it
    first = reader.timings(timer.events, SCHEDULE, timer.now(), timer.timeline.tz)[0]
    assert (first.phase, first.round, first.paused_s, first.skipped) == ("round", 1, 30.0, False)
    assert first.actual_end - first.actual_start == timedelta(seconds=630)


# -- on a real database ------------------------------------------------------------------------
def stored(ctx) -> int:
    return ctx.db.execute("SELECT count(*) FROM rotation_events").fetchone()[0]


def read_everything(ctx, rooms, academy_id):
    ctx.rotation.snapshot(academy_id)
    ctx.rotation.state(academy_id)
    ctx.rotation.plan(academy_id)
    ctx.rotation.events(academy_id)
    ctx.rotation.timings(academy_id)
    rooms.room(academy_id)


def test_reading_never_writes_from_any_thread(ctx, clock, academy):
    rooms = RoomReader(open_database(ctx.config.db_path), clock)
    ctx.rotation.start(academy.id)
    clock.advance(900)                              # a warning and a phase end have come due
    assert stored(ctx) == 1
    read_everything(ctx, rooms, academy.id)         # the thread that made the service
    assert stored(ctx) == 1
    failures = []

    def elsewhere():
        try:
            read_everything(ctx, rooms, academy.id)
        except Exception as exc:                    # pragma: no cover - reported below
            failures.append(exc)
    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join(timeout=30)
    assert failures == [] and stored(ctx) == 1
    assert ctx.rotation.snapshot(academy.id).phase == "transition"   # seen, still unwritten
    assert [e.kind for e in ctx.rotation.record_due(academy.id)] == ["warning", "advance"]
    assert stored(ctx) == 3


@pytest.mark.parametrize("script", [
    [],                                             # before the start: round 1's full length
    [("start",), ("wait", 300)],
    [("start",), ("wait", 905)],                    # a transition nobody has recorded yet
    [("start",), ("wait", 905), ("record",)],
    [("start",), ("wait", 100), ("pause",), ("wait", 1000)],
    [("start",), ("next",), ("next",), ("wait", 42)],
])
def test_the_join_servers_room_sees_what_the_window_sees(ctx, clock, academy, script):
    rooms = RoomReader(open_database(ctx.config.db_path), clock)   # its own connection
    for step in script:
        if step[0] == "wait":
            clock.advance(step[1])
        elif step[0] == "record":
            ctx.rotation.record_due(academy.id)
        else:
            getattr(ctx.rotation, step[0])(academy.id)
    window = ctx.rotation.snapshot(academy.id)
    room = rooms.room(academy.id)
    assert (room.phase, room.round, room.paused) == \
        (window.phase, window.round_number, window.paused)
    assert room.remaining(clock.monotonic()) == pytest.approx(window.remaining_s, abs=1e-6)
    assert room.here == (window.assignments if window.phase != "ready"
                         else window.next_assignments)
    assert room.upcoming == window.next_assignments


def test_a_restarted_reader_carries_on_at_the_right_second(ctx, clock, academy):
    ctx.rotation.start(academy.id)
    clock.advance(300)
    later = FakeClock(start=clock.now() + timedelta(seconds=150), monotonic=42.0)
    room = RoomReader(open_database(ctx.config.db_path), later).room(academy.id)
    assert (room.phase, room.round) == ("round", 1)
    assert room.remaining(later.monotonic()) == pytest.approx(450, abs=1e-3)
