"""The team's vision and plan as a section of the prototype exchange document (format
version 2), so a team's plan travels with each of its prototypes and comes back with them.

Additive: a version-1 file has no section and imports as before; the section's own shape is
checked here, before anything is written, and refused in words naming the bad value::

    "rollout": {"team": "Lincoln Elementary",
                "plan": {"vision": …, "rallying_cry": …, "priorities": […], "evangelists": […],
                         "skeptics": […], "milestones": [{"title", "phase", "owner", "due",
                         "status", "prototypes", "initiatives"}], "measures": [{"name",
                         "checkpoints": [{"on", "target"}], "on_track", "support"}],
                         "communications": [{"audience", "message", "on", "by"}],
                         "wins": [{"text", "on", "celebrated"}], "updated_at": …}}
"""
from __future__ import annotations

from datetime import datetime

from prototypes.exchange.format import FormatError
from prototypes.rollout.plan import RolloutPlan
from workshop.errors import ValidationError

SECTION = "rollout"


def to_section(team: str, plan: RolloutPlan) -> dict | None:
    """The section for a document, or None when the team has written nothing yet."""
    if not team or plan.is_empty:
        return None
    return {"team": team, "plan": plan.to_dict()}


def parse_section(raw: object) -> RolloutPlan | None:
    """The plan a document carries (None if it has no section); FormatError if malformed."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) - {"team", "plan"}:
        raise FormatError("The file's “rollout” should be an object with “team” and “plan”.")
    if not isinstance(raw.get("team", ""), str):
        raise FormatError("The file's “rollout.team” should be text.")
    plan = raw.get("plan")
    if not isinstance(plan, dict):
        raise FormatError("The file's “rollout.plan” should be an object.")
    stamp = plan.get("updated_at", "")
    if stamp:
        try:
            ok = isinstance(stamp, str) and datetime.fromisoformat(stamp).tzinfo is not None
        except ValueError:
            ok = False
        if not ok:
            raise FormatError("The rollout plan's “updated_at” must be a date and time with its "
                              "UTC offset, like 2026-11-25T09:00:00+00:00.")
    try:
        return RolloutPlan.from_dict(plan)
    except ValidationError as exc:
        raise FormatError(f"The rollout plan: {exc}") from None
    except (TypeError, ValueError) as exc:
        raise FormatError(f"The rollout plan has an unexpected value ({exc}).") from None


def is_newer(incoming: RolloutPlan, local: RolloutPlan | None) -> bool:
    """Whether the file's plan should replace the one here: there is none here, or the file's
    was saved later (a plan edited here since stays)."""
    if local is None or not local.updated_at:
        return True
    if not incoming.updated_at:
        return False
    return datetime.fromisoformat(incoming.updated_at) > datetime.fromisoformat(local.updated_at)
