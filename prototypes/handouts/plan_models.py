"""What the vision poster and the one-page rollout plan print: plain rows built from a team's
``RolloutPlan`` and its checks, no reportlab (``prototypes/handouts/plan.py`` renders them)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from prototypes.rollout.plan import MILESTONE_STATUS_LABELS, RolloutPlan


@dataclass
class PlanPrint:
    """A team's vision and plan as printed; dates already in words (``day``)."""
    team: str
    academy: str
    vision: str
    rallying_cry: str
    priorities: list[str]
    evangelists: list[str]
    skeptics: list[str]
    phases: list[tuple[str, list[tuple[str, str, str, str, str]]]]
    # ^ (phase, [(milestone, owner, date, status, what it involves)])
    measures: list[tuple[str, str, str, str]]       # (measure, checkpoints, on track, support)
    communications: list[tuple[str, str, str, str]]  # (when, who is told, what, by whom)
    wins: list[tuple[str, str, bool]]               # (early win, when, celebrated)
    warnings: list[str] = field(default_factory=list)
    printed_on: date | None = None


def build_plan_print(plan: RolloutPlan, team: str, academy: str, warnings: list[str],
                     day, printed_on: date | None = None) -> PlanPrint:
    """The print model; ``day(date) -> str`` words a date (``workshop.pdf.format.long_date``
    on paper), so this module needs no reportlab."""
    def when(d: date | None) -> str:
        return day(d) if d else ""
    phases: list[tuple[str, list]] = []
    for phase in plan.phases():
        rows = []
        for m in plan.milestones:
            if m.phase == phase:
                involves = "; ".join(x for x in (", ".join(m.prototypes),
                                                 ", ".join(m.initiatives)) if x)
                rows.append((m.title, m.owner, when(m.due), MILESTONE_STATUS_LABELS[m.status],
                             involves))
        rows.sort(key=lambda r: (r[2] == "",))   # undated ones last, otherwise as written
        phases.append((phase or "Milestones", rows))
    measures = [(s.name, "\n".join(f"{when(c.on)}: {c.target}" if c.target else when(c.on)
                                   for c in s.checkpoints), s.on_track, s.support)
                for s in plan.measures]
    steps = sorted(plan.communications, key=lambda c: (c.on is None, c.on or date.min))
    return PlanPrint(team=team, academy=academy, vision=plan.vision,
                     rallying_cry=plan.rallying_cry, priorities=list(plan.priorities),
                     evangelists=list(plan.evangelists), skeptics=list(plan.skeptics),
                     phases=phases, measures=measures,
                     communications=[(when(c.on), c.audience, c.message, c.by) for c in steps],
                     wins=[(w.text, when(w.on), w.celebrated) for w in plan.wins],
                     warnings=list(warnings), printed_on=printed_on)


def plan_print_for(rollout, academy_id: int, team: str, day, plan=None,
                   academy: str | None = None) -> PlanPrint | None:
    """The team's print model from the service, or None when it has written nothing
    (``plan``, ``academy``: the team's plan and the academy's title, already read)."""
    if rollout is None or not team:
        return None
    if plan is None:
        plan = rollout.plan(academy_id, team)
    if plan.is_empty:
        return None
    if academy is None:
        academy = rollout.prototypes.academies.get(academy_id).title
    return build_plan_print(plan, team, academy, rollout.warnings(academy_id, team, plan), day,
                            printed_on=rollout.clock.now().date())
