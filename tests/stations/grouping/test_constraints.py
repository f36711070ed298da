"""The constraints report (each rule met or not, people named) and the rules' JSON, old and
hostile shapes included (issue 15, item 1)."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from stations.grouping.constraints import report
from stations.grouping.draft import GroupingRules
from tests.fuzzing import fuzz_settings

WHO = {1: "Ann", 2: "Bo", 3: "Cy", 4: "Di", 5: "Ed", 6: "Flo"}
PEOPLE = {1: {"school": "N", "role": "teacher"}, 2: {"school": "N", "role": "teacher"},
          3: {"school": "S", "role": "district_leader"}, 4: {"school": "S", "role": "district_leader"},
          5: {"school": "E", "role": "coach"}, 6: {"school": "S", "role": "teacher"}}
NAMES = ["Group A", "Group B"]


def lines(rules, rounds):
    return [s.line for s in report(rules, rounds, NAMES, PEOPLE, WHO)]


def test_each_kind_is_reported_met_or_not_with_the_people_named():
    rules = GroupingRules(protect_leaders=True, keep_together=((1, 2),), keep_apart=((3, 6),),
                          absent=frozenset({5}), no_lone="school")
    rounds = [[[1, 3, 6], [2, 4, 5]]]
    assert lines(rules, rounds) == [
        "✗ Keep together: Ann, Bo — split: Ann in Group A; Bo in Group B",
        "✗ Keep apart: Cy and Flo — both in Group A",
        "✗ Absent: Ed — still in a group: Ed (Group B); Regroup to leave them out",
        "✗ Never leave a district leader alone — alone: Cy (district leader, Group A); Di (district leader, Group B)",
        "✗ Nobody is the only one of their school — alone: Ann (N, Group A); Bo (N, Group B); Di (S, Group B)",
    ]
    good = [[[1, 2, 5], [3, 4, 6]]]
    rules = GroupingRules(protect_leaders=True, keep_together=((1, 2),), keep_apart=((3, 5),),
                          no_lone="school")
    assert lines(rules, good) == [
        "✓ Keep together: Ann, Bo", "✓ Keep apart: Cy and Ed", "✓ Never leave a district leader alone",
        "✓ Nobody is the only one of their school — cannot be met for Ed (the only E)"]


def test_a_later_round_is_named_when_it_breaks_a_rule():
    rules = GroupingRules(protect_leaders=False, keep_apart=((1, 2),))
    assert lines(rules, [[[1, 3, 5], [2, 4, 6]], [[1, 2, 3], [4, 5, 6]]]) == [
        "✗ Keep apart: Ann and Bo — both in Group A in round 2"]


def test_rules_round_trip_and_old_or_hostile_json_never_crashes():
    rules = GroupingRules(keep_together=((1, 2, 3),), keep_apart=((4, 5),), absent=frozenset({6}),
                          no_lone="readiness")
    assert GroupingRules.from_json(rules.to_json()) == rules
    old = {"strategy": "balanced", "protect": True}   # saved before issue 15
    assert GroupingRules.from_json(old).keep_together == () and GroupingRules.from_json(old).no_lone is None
    bad = {"keep_together": [[1], "x", [True, 2], [2, 2, 3]], "keep_apart": [[1, 2, 3], [4, "5"], [7, 8]],
           "absent": "everyone", "no_lone": "email"}
    parsed = GroupingRules.from_json(bad)
    assert parsed.keep_together == ((2, 3),) and parsed.keep_apart == ((7, 8),)
    assert parsed.absent == frozenset() and parsed.no_lone is None


def test_people_who_left_the_roster_leave_the_rules():
    rules = GroupingRules(keep_together=((1, 2, 3),), keep_apart=((4, 5),), absent=frozenset({6, 3}))
    assert rules.on_roster({1, 2, 4}) == GroupingRules(keep_together=((1, 2),))


def test_options_carry_the_rules_as_engine_ids():
    rules = GroupingRules(keep_together=((1, 2),), keep_apart=((3, 4),), absent=frozenset({5}),
                          no_lone="school", protect_leaders=False)
    people = [{"id": str(i), **PEOPLE[i]} for i in PEOPLE]
    o = rules.options([p["role"] for p in people], people=people)
    assert o.keep_together == [["1", "2"]] and o.keep_apart == [["3", "4"]] and o.absent == ["5"]
    assert o.protect == {"school": ["N", "S"]}   # Ed (absent) is the only E: not protected


json_values = st.recursive(st.none() | st.booleans() | st.integers(-3, 9) | st.text(max_size=5),
                           lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)


@pytest.mark.fuzz
@fuzz_settings(200)
@given(st.dictionaries(st.sampled_from(["keep_together", "keep_apart", "absent", "no_lone",
                                        "strategy", "groups", "rounds", "seed"]), json_values))
def test_any_saved_rules_json_reads_back_as_valid_rules(data):
    rules = GroupingRules.from_json(data)
    assert GroupingRules.from_json(rules.to_json()) == rules
    assert report(rules, [[[1, 2, 3], [4, 5, 6]]], NAMES, PEOPLE, WHO) is not None
