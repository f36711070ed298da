"""A rotation's set-up (groups, lengths, warning, planned start, sound) and the schedule it
gives. Pure: the service, the join server's reader and the CLI all plan with the same rules.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from stations.rotation.schedule import MAX_GROUPS, Schedule, build_schedule, numbered_groups
from stations.setup.model import Group, Station
from workshop.errors import ValidationError

#: The warning takes at most this share of the shortest round: a 2-minute warning in 1-minute
#: rounds would say "wrap up" the whole round, so it shrinks to 20 seconds there.
WARNING_SHARE = 1 / 3


@dataclass(frozen=True)
class RotationSettings:
    """The facilitator's set-up of one academy's rotation, saved as JSON."""
    groups: int = 6                     # used when no grouping has been saved
    minutes: tuple[int, ...] | None = None   # per station; None: each station's own minutes
    transition_minutes: float = 1.0
    debrief_minutes: float = 10.0
    warning_minutes: float = 2.0
    planned_start: str | None = None    # ISO datetime; the "forgot to start" nudge
    muted: bool = False
    volume: float = 0.7                 # 0..1

    @classmethod
    def from_dict(cls, data: dict) -> "RotationSettings":
        """Settings from their saved JSON; unknown keys (from a newer version) are ignored."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if known.get("minutes") is not None:
            known["minutes"] = tuple(known["minutes"])
        return cls(**known)

    def to_dict(self) -> dict:
        """JSON-ready, for the repository."""
        data = asdict(self)
        data["minutes"] = list(self.minutes) if self.minutes is not None else None
        return data

    @property
    def planned_start_at(self) -> datetime | None:
        """The planned start as a datetime, or None when none is set."""
        return datetime.fromisoformat(self.planned_start) if self.planned_start else None


def check_settings(settings: RotationSettings) -> None:
    """Raise ValidationError (a message for the facilitator) for settings no rotation can run
    with; the schedule's own limits are checked by planning (:func:`plan_schedule`)."""
    if not isinstance(settings.groups, int) or not 1 <= settings.groups <= MAX_GROUPS:
        raise ValidationError(f"A rotation has 1 to {MAX_GROUPS} groups (got {settings.groups}).")
    if not 0 <= settings.warning_minutes <= 30:
        raise ValidationError("The warning comes 0 to 30 minutes before a round ends.")
    if not 0 <= settings.volume <= 1:
        raise ValidationError("The volume is between 0 and 1.")
    if settings.planned_start:
        try:
            datetime.fromisoformat(settings.planned_start)
        except ValueError:
            raise ValidationError(f"“{settings.planned_start}” is not a date and time.") from None


def warning_seconds(settings: RotationSettings, schedule: Schedule) -> float:
    """Seconds before a round's end that the warning comes: the set-up's, clamped to
    :data:`WARNING_SHARE` of the shortest round (whole seconds)."""
    asked = settings.warning_minutes * 60.0
    rounds = schedule.round_durations()
    if not rounds:
        return asked
    return min(asked, float(int(min(rounds) * WARNING_SHARE)))


def plan_schedule(settings: RotationSettings, saved_groups: list[Group] | None,
                  stations: list[Station], now: datetime) -> Schedule:
    """The schedule these settings give: the saved grouping (or numbered groups), planned from
    the planned start, or from ``now`` when none is set."""
    groups = list(saved_groups) if saved_groups else numbered_groups(settings.groups)
    start = settings.planned_start_at or now.replace(microsecond=0)
    minutes = list(settings.minutes) if settings.minutes else None
    if minutes and len(set(minutes)) == 1:
        minutes = minutes[:1] * len(stations)   # "one length for all" survives a new station
    return build_schedule(groups, stations, minutes=minutes,
                          transition_minutes=settings.transition_minutes,
                          debrief_minutes=settings.debrief_minutes, planned_start=start)
