"""Pure rules of phone join: name search, reflection text, live attendance."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from stations.join.model import (CheckIn, build_attendance, clean_name, clean_reflection,
                                 name_matches)
from stations.join.room import Room
from workshop.errors import ValidationError

NAMES = {1: "Maria Núñez", 2: "Mark Obi", 3: "Ana María López", 4: "Zoë Adams", 5: "Ольга Petrova",
         6: "张伟"}


@pytest.mark.parametrize("query,expected", [
    ("", None), ("m", None), ("  m ", None), ("-*", None),
    ("ma", []), ("MAR", []), ("maria", []), ("nunez", []), ("zoe", []),  # prefixes name nobody
    ("maria n", [1]), ("MARÍA NÚ", [1]),  # a first name and the start of the surname
    ("maria nunez", [1]), ("Zoë Adams", [4]), ("zoeadams", [4]),  # the whole name
    ("ana l", [3]), ("ana maria l", [3]), ("ana lopez", [3]),  # middle names may be left out
    ("maria lo", []),             # but the name starts with its first word
    ("ольга p", [5]), ("张伟", [6]), ("张 伟", [6]),
    ("xyz", []),
])
def test_name_matches(query, expected):
    assert name_matches(query, NAMES) == expected


def test_people_expected_here_are_found_by_their_first_name_and_come_first():
    assert name_matches("maria", NAMES, expected={1}) == [1]
    assert name_matches("zoe", NAMES, expected={1}) == []
    names = {1: "Sam Test", 2: "Sam Tran", 3: "Sam Tee"}
    assert name_matches("sam t", names, expected={2}) == [2, 3, 1]


def test_a_cjk_name_typed_without_its_space_is_found():
    assert name_matches("张伟", {7: "张 伟"}) == [7]
    # One Chinese character is a syllable, a whole word: searched (issue 14), and like a first
    # name alone it finds only the people expected here.
    assert name_matches("张", {7: "张 伟"}) == []
    assert name_matches("张", {7: "张 伟"}, expected={7}) == [7]


def test_reflections_keep_line_breaks_and_drop_control_characters():
    assert clean_reflection("  First\r\nsecond\u0000 \n\n\n\nthird  ") == "First\nsecond\n\nthird"
    assert len(clean_reflection("é" * 2000)) == 2000
    with pytest.raises(ValidationError, match="at most 2000"):
        clean_reflection("x" * 2001)
    with pytest.raises(ValidationError, match="Write something"):
        clean_reflection(" \u200b\n ")


def test_names_are_cleaned_and_limited():
    assert clean_name("  Ann \t Lee ") == "Ann Lee"
    with pytest.raises(ValidationError, match="at most 80"):
        clean_name("x" * 81)


def _c(pid, position, round_, seq):
    return CheckIn(seq, 1, pid, NAMES.get(pid, "?"), position * 10, position, round_,
                   datetime(2026, 3, 12, 9, seq, tzinfo=timezone.utc))


def test_attendance_compares_check_ins_with_the_schedule():
    stations = [(1, "Station 1 — A"), (2, "Station 2 — B")]
    room = Room(phase="round", round=2, rounds_total=2, here={0: 2, 1: 1},
                group_names=("Group A", "Group B"), member_group={1: 0, 2: 0, 3: 1, 4: 1})
    checkins = [_c(1, 1, 1, 1), _c(1, 2, 2, 2),   # moved on: counts at station 2
                _c(2, 1, 1, 3),                  # still only round 1: not here now
                _c(3, 2, 2, 4),                  # here, but expected at station 1
                _c(7, 2, 2, 5)]                  # a walk-in
    names = NAMES | {7: "Pat Walk"}
    att = build_attendance(stations, names, {7}, checkins, room.expected_at(), room.checkin_round)
    one, two = att.stations
    assert att.round == 2
    assert two.here == [3, 1, 7]  # by name: Ana María, Maria, Pat
    assert sorted(two.expected) == [1, 2] and two.missing == [2]
    assert two.unexpected == [3]
    assert sorted(one.expected) == [3, 4] and one.here == [] and sorted(one.missing) == [3, 4]
    assert att.walk_ins == [7]
    assert att.nowhere == [4, 5, 6]  # by folded name: Zoë, Ольга, 张伟
    assert att.counts() == {1: (0, 2), 2: (3, 2)}


def test_before_the_rotation_every_check_in_counts():
    att = build_attendance([(1, "S1"), (2, "S2")], NAMES, set(), [_c(1, 1, 0, 1), _c(2, 2, 0, 2)],
                           Room().expected_at(), Room().checkin_round)
    assert [s.here for s in att.stations] == [[1], [2]]
    assert [s.expected for s in att.stations] == [[], []]


@pytest.mark.parametrize("phase,round_,expected", [
    ("ready", 0, 0), ("round", 2, 2), ("transition", 1, 2), ("transition", 3, 3),
    ("debrief", 3, 3), ("finished", 3, 3)])
def test_the_round_a_check_in_counts_for(phase, round_, expected):
    assert Room(phase=phase, round=round_, rounds_total=3).checkin_round == expected


def test_a_transition_expects_people_at_their_next_station():
    room = Room(phase="transition", round=1, rounds_total=3, here={0: 1}, upcoming={0: 2},
                group_names=("Group A",), member_group={9: 0})
    assert room.expected_station(9) == 2 and room.group_name(9) == "Group A"
    assert room.expected_station(10) is None and room.group_name(10) is None
