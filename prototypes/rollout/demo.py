"""The demo team's vision and rollout plan: the elementary team that brought "Math stations
in grade 5" leaves with a full plan — phases, measures with checkpoints, who is told when,
early wins — and one open risk the checks point at (a milestone relying on the device
rollout, which its map does not link to the vision). Idempotent."""
from __future__ import annotations

from datetime import date, timedelta

from prototypes.rollout.plan import (Communication, EarlyWin, Measure, Milestone,
                                     RolloutPlan)

DEMO_PROTOTYPE = "Math stations in grade 5"
VISION = "Students set goals, choose paths and show what they know"


def demo_plan(vision: str = VISION, today: date = date(2026, 11, 25)) -> RolloutPlan:
    """A full plan, the kind a team writes on the last afternoon; dated around ``today`` as
    the demo prototypes are (their trying dates are weeks before it)."""
    def on(days: int) -> str:
        return (today + timedelta(days=days)).isoformat()
    return RolloutPlan(
        vision=vision, rallying_cry="Every student, every day, a next step",
        priorities=("Grade-level math proficiency", "MTSS: the right support at the right time",
                    "Student goal-setting (strategic plan, goal 2)"),
        evangelists=("The grade 5 math team", "Math coach"),
        skeptics=("Grade 4 team lead", "Parent council chair"),
        milestones=(
            Milestone("Consent round with the grade 5 team", phase="Prepare", owner="Principal",
                      due=on(-42), status="done", prototypes=(DEMO_PROTOTYPE,)),
            Milestone("Set up three stations and the rotation chart", phase="Prepare",
                      owner="Math coach", due=on(7), status="under_way",
                      initiatives=("Station rotation in math",)),
            Milestone("Try stations in two grade 5 classes", phase="Try", owner="Grade 5 team",
                      due=on(21), prototypes=(DEMO_PROTOTYPE,),
                      initiatives=("Station rotation in math", "PLC data meetings")),
            Milestone("Students log practice on the new laptops", phase="Try",
                      owner="Tech lead", due=on(42), initiatives=("1:1 device rollout",)),
            Milestone("Study the exit tickets; adopt, adapt or abandon", phase="Study and spread",
                      owner="PLC", due=on(70), initiatives=("PLC data meetings",)),
            Milestone("Grade 4 observes and plans its own try", phase="Study and spread",
                      owner="Grade 4 team lead", due=on(112))),
        measures=(
            Measure("Exit-ticket mastery in grade 5 math",
                    checkpoints=(on(35) + ": 55% of students at mastery\n"
                                 + on(70) + ": 65% of students at mastery"),
                    on_track="At least 55% at mastery by the first checkpoint",
                    support="The math coach co-teaches the targeted station twice a week"),
            Measure("Students who set and review a weekly goal",
                    checkpoints=on(56) + ": 80% of students", on_track="4 in 5 students",
                    support="Goal-setting mini-lessons in advisory")),
        communications=(
            Communication("Grade 5 families", "Letter: why stations, what changes at home",
                          on(14), "Grade 5 team"),
            Communication("All staff", "Staff meeting: the vision and the pilot", on(-49),
                          "Principal"),
            Communication("District office", "Checkpoint results and the support asked for",
                          on(77), "Principal")),
        wins=(EarlyWin("First full rotation with no lost minutes", on(-14)),
              EarlyWin("Every student in one class set a goal", on(28))))


def add_demo_plan(rollout, academy_id: int) -> str | None:
    """Write the demo plan for the team of the demo prototype (its map keeps its own vision);
    returns the team, or None when there is none or it already has a plan."""
    rows = [r for r in rollout.prototypes.search(academy_id) if r.title == DEMO_PROTOTYPE]
    if not rows or not rows[0].team:
        return None
    team = rows[0].team
    if rollout.repo.get(academy_id, team) is not None:
        return None
    current = rollout.plan(academy_id, team).vision
    rollout.save(academy_id, team, demo_plan(current or VISION, rollout.clock.now().date()))
    return team
