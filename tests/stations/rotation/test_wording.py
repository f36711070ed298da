"""What the rotation says, from snapshots alone (no window)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from stations.rotation import reader, wording
from stations.rotation.countdown import Event, Plan
from stations.rotation.schedule import build_schedule, numbered_groups
from stations.setup.model import Station
from workshop.errors import ValidationError

STATIONS = [Station(i + 1, f"Station {i + 1}", "targeted", 10) for i in range(3)]
SCHEDULE = build_schedule(numbered_groups(6), STATIONS, transition_minutes=1, debrief_minutes=5)
T0 = 1_800_000_000.0
START = Event("start", T0, {"plan": Plan((600.0,) * 3, 60.0, 300.0, 120.0).to_dict()})


def snap(at: float, *more: Event):
    return reader.snapshot([START, *more] if at >= 0 else [], SCHEDULE, T0 + max(at, 0))


def test_clock_text():
    assert [wording.clock_text(s) for s in (0, 0.2, 59.01, 600, 3725)] == \
        ["0:00", "0:01", "1:00", "10:00", "1:02:05"]


@pytest.mark.parametrize("text, seconds", [("12", 720), ("1.5", 90), (" 12:30 ", 750),
                                           ("1:02:03", 3723), ("0:05", 5)])
def test_parse_clock(text, seconds):
    assert wording.parse_clock(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "12:", "-3", "1:2:3:4"])
def test_parse_clock_refuses_what_is_not_a_time(text):
    with pytest.raises(ValidationError, match="not a time"):
        wording.parse_clock(text)


@pytest.mark.parametrize("at, more, where, headline", [
    (-1, (), "Ready to start", ("Station rotation", "Starts soon · Round 1 of 3 · Scan in at your station")),
    (100, (), "Round 1 of 3", ("Round 1 of 3", "Work at your station")),
    (500, (), "Round 1 of 3", ("Round 1 of 3", "Wrap up — time is nearly up")),
    (200, (Event("pause", T0 + 100),), "Round 1 of 3", ("Round 1 of 3", "Paused")),
    (610, (), "Moving to round 2 of 3", ("Move to your next station and scan again", "Round 2 of 3 starts in")),
    (1950, (), "Debrief", ("Debrief", "How did it feel to be a learner at each station?")),
    (9000, (), "Rotation finished",
     ("Rotation finished", "Thank you — every group has visited every station.")),
])
def test_phase_wording(at, more, where, headline):
    shown = snap(at, *more)
    assert wording.where(shown) == where and wording.headline(shown) == headline


def test_cards_say_who_is_where_and_who_comes():
    assert wording.card_text(snap(-1), 1) == "Start here:\nGroup A\nGroup D"
    assert wording.card_text(snap(100), 1) == "Group A\nGroup D"
    assert wording.card_text(snap(610), 1) == "Move here:\nGroup C\nGroup F"
    assert wording.card_text(snap(1950), 1) == "How did it feel to be a learner here?"
    assert wording.group_lines(["A", "B", "C", "D"]) == "A · B · C · D"
    assert wording.headline(None)[1] == "Set up the rotation on the control page."


def test_banners():
    nine = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
    assert wording.pace_text(nine, nine + timedelta(seconds=59)) == "Planned end 09:00"
    assert wording.pace_text(nine, nine + timedelta(minutes=7)) == \
        "Planned end 09:00  ·  at this pace 09:07"
    assert wording.late_start(nine, nine + timedelta(minutes=7, seconds=30)) == \
        "The rotation was planned to start at 09:00 (7 min ago) and has not started."
    assert wording.cue_text("warning", 2.5) == "Warning: 2.5 min left in this round"
    assert wording.cue_text("end", 2) == "Time is up: the room moves on"
    paused = snap(220, Event("pause", T0 + 120))
    assert wording.resume_offer(paused) == ("A rotation was running when the app closed "
                                            "(Round 1 of 3). It is paused with 8:00 left.")


@pytest.mark.parametrize("typed", ["0\n0", "12\r\n:30", "x" * 200])
def test_a_refused_time_is_quoted_on_one_short_line(typed):
    with pytest.raises(ValidationError) as refused:
        wording.parse_clock(typed)
    message = str(refused.value)
    assert "\n" not in message and "\r" not in message and len(message) < 120
