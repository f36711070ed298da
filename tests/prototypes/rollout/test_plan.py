"""The vision-and-plan model and its checks (pure), then the service on a real database."""
from __future__ import annotations

from datetime import date

import pytest

from prototypes.check import RiskRating, SafeToTryCheck
from prototypes.maps.model import InitiativeMap
from prototypes.rollout.checks import warnings
from prototypes.rollout.plan import (Checkpoint, Communication, EarlyWin, Measure, Milestone,
                                     RolloutPlan, checkpoints_text, parse_checkpoints)
from workshop.errors import ValidationError

SCHOOL = "Lincoln Elementary"


def full_plan(**changes) -> RolloutPlan:
    plan = RolloutPlan(
        vision="Every student owns their learning", rallying_cry="Own it!",
        priorities="Literacy by grade 3\nMTSS", evangelists=["Ana Núñez"], skeptics=["Bo"],
        milestones=[Milestone("Pilot stations in grade 4", phase="Try", owner="Ana",
                              due="2027-01-11", status="planned",
                              prototypes=["Reading stations"], initiatives=["MTSS"])],
        measures=[Measure("Reading growth", checkpoints="2027-02-01: 60% on target\n"
                                                        "2027-04-01: 75% on target",
                          on_track="At least 60% growing", support="Coach visits weekly")],
        communications=[Communication("Parents", "Letter about stations", "2027-01-04", "Ana")],
        wins=[EarlyWin("First full rotation", "2027-01-15")])
    return plan.edit(**changes)


def test_a_plan_round_trips_through_its_dict():
    plan = full_plan()
    assert RolloutPlan.from_dict(plan.to_dict()) == plan
    assert plan.priorities == ("Literacy by grade 3", "MTSS")
    assert plan.phases() == ["Try"]
    assert plan.measures[0].checkpoints[0] == Checkpoint(date(2027, 2, 1), "60% on target")
    assert "vision" not in plan.to_dict(with_vision=False)


@pytest.mark.parametrize("text, expected", [
    ("2027-02-01: 60%", ((date(2027, 2, 1), "60%"),)),
    ("2027-02-01 — half the class\n\n2027-03-01", ((date(2027, 2, 1), "half the class"),
                                                  (date(2027, 3, 1), ""))),
])
def test_checkpoints_are_typed_one_per_line(text, expected):
    points = parse_checkpoints(text)
    assert [(c.on, c.target) for c in points] == list(expected)
    assert parse_checkpoints(checkpoints_text(points)) == points


@pytest.mark.parametrize("build, message", [
    (lambda: Milestone(""), "needs a name"),
    (lambda: Milestone("x", due="next week"), "date like"),
    (lambda: Milestone("x", status="maybe"), "status must be one of"),
    (lambda: parse_checkpoints("soon: 50%"), "date like"),
    (lambda: parse_checkpoints("2027-01-01 50%"), "then “:”"),
    (lambda: EarlyWin("x", celebrated="false"), "true or false"),
    (lambda: RolloutPlan.from_dict({"colour": "red"}), "unknown field"),
    (lambda: RolloutPlan.from_dict({"milestones": [{"phase": "x"}]}), "lacks a required"),
    (lambda: RolloutPlan(evangelists=[3]), "list of names"),
])
def test_bad_values_are_refused_in_words(build, message):
    with pytest.raises(ValidationError, match=message):
        build()


class P:
    """The little of a prototype the checks read."""
    def __init__(self, title, history=(), check=None):
        self.title, self.history, self.check = title, history, check or SafeToTryCheck()


class H:
    def __init__(self, status, on):
        self.status, self.on = status, on


def test_a_complete_plan_on_an_aligned_map_has_no_warning():
    m = InitiativeMap.build("Every student owns their learning", ["MTSS"], [("hub", "MTSS", 3)])
    assert warnings(full_plan(), m, [P("Reading stations")]) == []


def test_each_open_risk_is_said_in_words():
    m = InitiativeMap.build("v", ["MTSS", "Laptops"], [("hub", "MTSS", 0)])
    plan = full_plan(
        vision="",
        milestones=[Milestone("Pilot", due="2027-01-11", prototypes=["Reading stations"],
                              initiatives=["MTSS", "Laptops", "Robots"])],
        measures=[Measure("Attendance")], communications=[])
    risky = SafeToTryCheck(risks={"communication": RiskRating("high")})
    found = warnings(plan, m, [P("Reading stations", (H("trying", date(2027, 1, 5)),), risky)])
    text = "\n".join(found)
    assert "No vision statement yet" in text
    assert "relies on “MTSS”, which is not linked to the vision" in text
    assert "relies on “Laptops”, which is not linked to the vision" in text
    assert "relies on “Robots”, which is not on the team's initiative map" in text
    assert "No one is told before 2027-01-05, when “Reading stations” was tried" in text
    assert "No one is told before 2027-01-11, when milestone “Pilot” tries" in text
    assert "“Attendance” has no checkpoint" in text
    assert "“Attendance” says no support" in text
    assert "“Reading stations”: the risk “People not told” is rated high" in text


def test_telling_people_on_the_trying_day_is_too_late():
    plan = full_plan(communications=[Communication("Parents", on="2027-01-11")])
    assert any("No one is told before 2027-01-11" in w for w in warnings(
        plan, InitiativeMap.build("v", ["MTSS"], [("hub", "MTSS", 2)]), [P("Reading stations")]))


# -- the service --------------------------------------------------------------------------
def test_the_vision_is_the_map_hub_edited_in_one_place(ctx, academy):
    plan = ctx.rollout.save(academy.id, SCHOOL, full_plan())
    m = ctx.maps.open(academy.id, SCHOOL)
    assert m.vision == "Every student owns their learning"
    ctx.maps.set_vision(m.id, "Learning that fits each student")
    again = ctx.rollout.plan(academy.id, SCHOOL)
    assert again.vision == "Learning that fits each student"
    assert again.edit(vision=plan.vision) == plan
    assert ctx.rollout.teams(academy.id) == [SCHOOL]


def test_saving_stamps_the_plan_and_search_finds_its_words(ctx, academy, clock):
    plan = ctx.rollout.save(academy.id, SCHOOL, full_plan())
    assert plan.updated_at == clock.now().isoformat(timespec="seconds")
    assert ctx.rollout.search(academy.id, "nunez coach") == [(academy.id, SCHOOL)]
    assert ctx.rollout.search(academy.id, "robots") == []
    assert ctx.rollout.search(None, "OWN IT") == [(academy.id, SCHOOL)]
    m = ctx.maps.open(academy.id, SCHOOL)
    ctx.maps.set_vision(m.id, "Curiosity first")       # edited on the map, found at once
    assert ctx.rollout.search(academy.id, "curiosity nunez") == [(academy.id, SCHOOL)]
    assert ctx.rollout.search(academy.id, "learning") == []


def test_a_refused_edit_saves_nothing(ctx, academy):
    ctx.rollout.save(academy.id, SCHOOL, full_plan())
    before = ctx.rollout.plan(academy.id, SCHOOL)
    with pytest.raises(ValidationError):
        ctx.rollout.edit(academy.id, SCHOOL, wins=[{"text": ""}])
    with pytest.raises(ValidationError, match="choose one"):
        ctx.rollout.save(academy.id, "  ", full_plan())
    assert ctx.rollout.plan(academy.id, SCHOOL) == before


def test_a_duplicated_academy_keeps_its_plans(ctx, academy):
    ctx.rollout.save(academy.id, SCHOOL, full_plan())
    copy = ctx.academies.duplicate(academy.id, "Copy")
    assert ctx.rollout.plan(copy.id, SCHOOL).milestones == full_plan().milestones


def test_warnings_read_the_team_map_and_prototypes(ctx, academy):
    ctx.prototypes.create(academy.id, "Reading stations", team=SCHOOL)
    ctx.rollout.save(academy.id, SCHOOL, full_plan())
    found = ctx.rollout.warnings(academy.id, SCHOOL)
    assert found == ["Milestone “Pilot stations in grade 4” relies on “MTSS”, which is not on "
                     "the team's initiative map."]
