"""The checks that help: where the plan, the map or a safe-to-try check says a rollout risk is
still open, in words (pure).

Each warning names the row it is about, so a team knows what to fix:
- a milestone relying on an initiative that is not linked to the vision (or not on the map);
- a trying date (a prototype tried, or a milestone trying one) with no one told before it;
- a measure of success with no checkpoint, or no support agreed for when a school is off track;
- a high risk of a prototype's safe-to-try check without a mitigation;
- no vision statement while a plan is being written.
"""
from __future__ import annotations

from datetime import date

from prototypes.check import RISKS
from prototypes.maps.model import InitiativeMap
from prototypes.rollout.plan import RolloutPlan
from workshop.text import fold


def _short(text: str, n: int = 48) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def trying_dates(plan: RolloutPlan, prototypes: list) -> list[tuple[date, str]]:
    """(day, what is tried) for every prototype tried (its history) or to be tried (a dated
    milestone that involves it), earliest first."""
    out = []
    for p in prototypes:
        tried = [h.on for h in p.history if h.status == "trying"]
        if tried:
            out.append((min(tried), f"“{_short(p.title)}” was tried"))
    for m in plan.milestones:
        if m.due is not None and m.prototypes:
            out.append((m.due, f"milestone “{_short(m.title)}” tries "
                               f"{', '.join('“' + _short(n, 32) + '”' for n in m.prototypes)}"))
    return sorted(out, key=lambda x: x[0])


def warnings(plan: RolloutPlan, team_map: InitiativeMap | None = None,
             prototypes: list = ()) -> list[str]:
    """Every open risk the plan, the team's map and its prototypes' checks show, in words."""
    out: list[str] = []
    if not plan.vision and not plan.is_empty:
        out.append("No vision statement yet: a plan without a clear “why” is the first risk.")
    out += _initiative_warnings(plan, team_map)
    for m in plan.milestones:
        for name in unknown_prototypes(RolloutPlan(milestones=(m,)), list(prototypes)):
            out.append(f"Milestone “{_short(m.title)}” names the prototype “{_short(name, 32)}”, "
                       "which this team does not have.")
    told = sorted(c.on for c in plan.communications if c.on is not None)
    for day, what in trying_dates(plan, list(prototypes)):
        if not told or told[0] >= day:
            out.append(f"No one is told before {day.isoformat()}, when {what}: add a "
                       "communication step dated earlier.")
    for s in plan.measures:
        if not s.checkpoints:
            out.append(f"The measure “{_short(s.name)}” has no checkpoint: say when it is looked "
                       "at.")
        if not s.support:
            out.append(f"The measure “{_short(s.name)}” says no support for when a school is off "
                       "track.")
    for p in prototypes:
        for key, rating in p.check.risks.items():
            if rating.level == "high" and not rating.mitigation:
                out.append(f"“{_short(p.title)}”: the risk “{RISKS[key]}” is rated high and has "
                           "no mitigation.")
    return out


def _initiative_warnings(plan: RolloutPlan, team_map: InitiativeMap | None) -> list[str]:
    out = []
    for m in plan.milestones:
        for name in m.initiatives:
            node = team_map.find(name) if team_map is not None else None
            if node is None:
                out.append(f"Milestone “{_short(m.title)}” relies on “{_short(name, 32)}”, which "
                           "is not on the team's initiative map.")
                continue
            link = team_map.hub_link(node.id)
            if link is None or link.rating == 0:
                out.append(f"Milestone “{_short(m.title)}” relies on “{_short(node.name, 32)}”, "
                           "which is not linked to the vision: align it or stop it.")
    return out


def unknown_prototypes(plan: RolloutPlan, prototypes: list) -> list[str]:
    """Prototype names a milestone names that the team has no prototype for."""
    known = {fold(p.title) for p in prototypes}
    return [n for m in plan.milestones for n in m.prototypes if fold(n) not in known]
