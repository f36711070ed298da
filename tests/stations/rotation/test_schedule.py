"""The schedule's promises, for every size a room can have (1–12 groups, 2–6 stations)."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings, strategies as st

from stations.setup.model import Group, Station, default_stations
from stations.rotation.schedule import (assign_lanes, build_schedule, freeze, numbered_groups,
                               parse_minutes, thaw)
from workshop.errors import ValidationError


def stations_of(count: int, minutes=None) -> list[Station]:
    kinds = ("targeted", "independent", "collaborative")
    return [Station(i + 1, f"Station {i + 1}", kinds[i % 3], (minutes or [15] * count)[i])
            for i in range(count)]


sizes = st.tuples(st.integers(1, 12), st.integers(2, 6))


@settings(max_examples=200, deadline=None)
@given(sizes, st.lists(st.integers(0, 9), min_size=12, max_size=12))
def test_every_group_visits_every_station_exactly_once(shape, members):
    groups_n, stations_n = shape
    groups = [Group(i, Group.default_name(i), list(range(members[i]))) for i in range(groups_n)]
    schedule = build_schedule(groups, stations_of(stations_n))
    assert len(schedule.rounds) == stations_n  # one round per station
    for g in range(groups_n):
        assert sorted(schedule.path(g)) == list(range(1, stations_n + 1))


@settings(max_examples=200, deadline=None)
@given(sizes)
def test_sharing_and_resting_are_balanced(shape):
    groups_n, stations_n = shape
    schedule = build_schedule(numbered_groups(groups_n), stations_of(stations_n))
    rests = Counter()
    for r in schedule.rounds:
        load = [len(r.groups_at(p)) for p in range(1, stations_n + 1)]
        assert max(load) - min(load) <= 1, load          # groups spread as evenly as possible
        assert sum(load) == groups_n
        rests.update(p for p in range(1, stations_n + 1) if not r.groups_at(p))
    if groups_n < stations_n:                            # each station rests equally often
        assert set(rests.values()) == {stations_n - groups_n}
    else:
        assert not rests


@settings(max_examples=100, deadline=None)
@given(sizes, st.lists(st.integers(1, 9), min_size=12, max_size=12))
def test_people_are_balanced_no_worse_than_plain_dealing(shape, members):
    groups_n, stations_n = shape
    groups = [Group(i, "G", list(range(members[i]))) for i in range(groups_n)]

    def spread(lanes):
        load = Counter()
        for g, lane in enumerate(lanes):
            load[lane] += members[g]
        used = [load[lane] for lane in range(min(groups_n, stations_n))]
        return max(used) - min(used)

    lanes = assign_lanes(groups, stations_n)
    assert spread(lanes) <= spread([g % stations_n for g in range(groups_n)])
    assert max(Counter(lanes).values()) - min(Counter(lanes).values()) <= 1


@settings(max_examples=50, deadline=None)
@given(sizes)
def test_deterministic_and_round_trips_through_storage(shape):
    groups_n, stations_n = shape
    start = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
    a = build_schedule(numbered_groups(groups_n), stations_of(stations_n), planned_start=start)
    b = build_schedule(numbered_groups(groups_n), stations_of(stations_n), planned_start=start)
    assert a == b
    assert thaw(freeze(a), start) == a


def test_clock_times_include_transitions_and_debrief():
    start = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
    s = build_schedule(numbered_groups(6), stations_of(3), minutes=[12, 12, 12],
                       transition_minutes=1, debrief_minutes=10, planned_start=start)
    assert [(r.start_s, r.end_s) for r in s.rounds] == [(0, 720), (780, 1500), (1560, 2280)]
    assert s.planned_end == datetime(2026, 11, 25, 9, 48, tzinfo=timezone.utc)
    assert [p.phase for p in s.phases] == ["round", "transition", "round", "transition", "round",
                                           "debrief"]
    assert s.rounds[0].groups_at(1) == (0, 3)   # Group D starts where Group A started


def test_a_round_lasts_as_long_as_its_longest_station_in_use():
    s = build_schedule(numbered_groups(1), stations_of(3), minutes=[10, 20, 5],
                       transition_minutes=0, debrief_minutes=0)
    assert [r.seconds for r in s.rounds] == [600, 1200, 300]   # one group: its own pace
    s = build_schedule(numbered_groups(3), stations_of(3), minutes=[10, 20, 5])
    assert [r.seconds for r in s.rounds] == [1200] * 3        # the room moves together


@pytest.mark.parametrize("kwargs, message", [
    ({"minutes": [10, 10]}, "one length per station"),
    ({"minutes": [0, 10, 10]}, "1 to 180 minutes"),
    ({"transition_minutes": -1}, "The transition lasts 0 to 30"),
    ({"debrief_minutes": "soon"}, "The debrief must be a number"),
])
def test_bad_settings_name_the_problem(kwargs, message):
    with pytest.raises(ValidationError, match=message):
        build_schedule(numbered_groups(3), default_stations(), **kwargs)


def test_station_and_group_counts_are_checked():
    with pytest.raises(ValidationError, match="2 to 6 stations"):
        build_schedule(numbered_groups(3), stations_of(7))
    with pytest.raises(ValidationError, match="at least one group"):
        build_schedule([], stations_of(3))
    with pytest.raises(ValidationError, match="1 to 60 groups"):
        numbered_groups(0)


@pytest.mark.parametrize("text, expected", [("", None), ("12", [12, 12, 12]),
                                            ("12, 10,15", [12, 10, 15])])
def test_parse_minutes(text, expected):
    assert parse_minutes(text, 3) == expected


@pytest.mark.parametrize("text, message", [("12,10", "one per station"), ("a", "whole number"),
                                           ("1.5", "whole number")])
def test_parse_minutes_rejects(text, message):
    with pytest.raises(ValidationError, match=message):
        parse_minutes(text, 3)
