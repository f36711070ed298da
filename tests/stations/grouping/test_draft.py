"""The draft model the Groups page and the grouping service share: rules ↔ JSON ↔ engine
options (older saved shapes too), and every edit as a new draft that leaves the old one whole."""
from __future__ import annotations

import pytest

from stations.grouping.draft import Draft, GroupingRules, SavedGrouping, district_leaders
from stations.grouping.request import GroupingOptions, prepare, prepare_placed
from stations.setup.model import Group
from workshop.errors import ValidationError


@pytest.mark.parametrize("rules", [
    GroupingRules(),
    GroupingRules(strategy="readiness", groups=4, rounds=3, mix_readiness=True, protect_leaders=False, seed=7),
    GroupingRules(strategy="teams", group_size=5),
])
def test_rules_read_back_as_they_were_written(rules):
    assert GroupingRules.from_json(rules.to_json()) == rules


@pytest.mark.parametrize("saved, protect", [
    ({"protect": True}, True), ({"protect": False}, False), ({}, True),
    ({"protect": {"role": ["District leader"]}}, True),   # the service's old shape
    ({"protect": {}}, False),                            # the page's old draft, box unticked
])
def test_protect_is_one_yes_or_no_whatever_shape_was_saved(saved, protect):
    rules = GroupingRules.from_json(saved)
    assert rules.protect_leaders is protect
    assert rules.to_json()["protect"] is protect


def test_corrupt_rules_fall_back_to_the_defaults():
    rules = GroupingRules.from_json({"strategy": "clever", "groups": "3", "rounds": 0, "seed": True})
    assert rules == GroupingRules(strategy="balanced", groups=None, rounds=1, seed=0)


def test_rules_become_engine_options_for_the_roster_at_hand():
    rules = GroupingRules(groups=3, mix_readiness=True, seed=2)
    assert rules.options(["Teacher", "Principal"], 3.0) == GroupingOptions(
        groups=3, balance=("school", "role", "readiness"), protect={}, seed=2, time_limit_s=3.0)
    assert rules.options(["District leader", "Teacher", "district coach"]).protect == {
        "role": ["District leader", "district coach"]}
    assert GroupingRules(protect_leaders=False).options(["District leader"]).protect == {}
    assert district_leaders(["", "Teacher"]) == {}


def draft() -> Draft:
    return Draft(rounds=[[[1, 2], [3, 4]], [[1, 3], [2, 4]]], names=["Group A", "Group B"],
                 locked=frozenset({4}), rules=GroupingRules(groups=2, rounds=2))


def test_a_draft_reads_back_from_json_and_from_a_saved_grouping():
    d = draft()
    assert Draft.from_json(d.to_json()) == d
    assert Draft.from_json({"rounds": [[[1], [2]]]}).names == ["Group A", "Group B"]
    saved = SavedGrouping(rounds=d.groups(), locked={4}, options=d.rules.to_json())
    assert Draft.from_saved(saved) == d
    assert d.groups()[0] == [Group(0, "Group A", [1, 2]), Group(1, "Group B", [3, 4])]


def test_edits_return_new_drafts_and_leave_the_old_one_whole():
    d = draft()
    moved = d.moved(1, 1, round=1)
    assert moved.rounds[1] == [[3], [2, 4, 1]] and d.rounds[1] == [[1, 3], [2, 4]]
    assert d.moved(1, 0, round=1) is None and d.moved(1, 5) is None and d.moved(1, 0, round=2) is None
    assert d.with_lock(1, True).locked == {1, 4} and d.with_lock(4, False).locked == frozenset()
    assert d.with_lock(4, True) is None
    assert d.renamed(1, "  Owls ").names == ["Group A", "Owls"] and d.names == ["Group A", "Group B"]
    assert d.renamed(1, "Owls").renamed(1, "  ").names == ["Group A", "Group B"]   # blank: its letter
    assert d.renamed(0, "Group A") is None
    with pytest.raises(ValidationError, match="Another group is already called “group b”"):
        d.renamed(0, "group b")
    gone = d.on_roster([1, 2, 3])
    assert gone.rounds[0] == [[1, 2], [3]] and gone.locked == frozenset()


def test_locks_say_where_people_stay_and_who_a_smaller_grouping_strands():
    d = draft()
    assert d.locked_positions() == {4: 1}
    assert d.stranded_locks(2) == [] and d.stranded_locks(1) == [4]
    again = d.regrouped([[[4, 1, 2, 3]], [[1, 2, 3, 4]]], 1)
    assert again.names == ["Group A"] and again.locked == d.locked
    assert d.regrouped([[[1], [2], [3, 4]]], 3).names == ["Group A", "Group B", "Group C"]


def test_hand_placed_groups_are_read_with_the_same_rules_as_a_request():
    people = [{"id": f"P{i}", "school": "AB"[i % 2]} for i in range(6)]
    options = GroupingOptions(groups=2, keep_together=[["P0", "P1"], ["P1", "P2"], ["P4", "P5"]],
                              keep_apart=[["P0", "P3"]])
    asked = prepare(people, options)
    placed = prepare_placed(people, [[["P0", "P1", "P2"], ["P3", "P4", "P5"]]], options)
    assert asked.ids == placed.ids and asked.g == placed.g
    assert asked.blocks == placed.blocks == ((0, 1, 2), (4, 5))
    assert asked.apart == placed.apart
