"""The rotation schedule: which group is at which station in which round. Pure, no clock.

The design is a cyclic Latin rectangle: groups are dealt into *lanes* (a lane is a starting
station) and every lane moves one station along per round. With ``S`` stations and ``S``
rounds, each lane — so each group — visits every station exactly once. Dealing the groups into
lanes as evenly as possible gives balanced sharing (more groups than stations: lane sizes
differ by at most one, and every station gets each lane once) and balanced rest (fewer groups
than stations: each station rests in the same number of rounds). A known closed-form design is
preferred to a search because it is exact, instant and explainable to a facilitator
("Group D starts where Group A started").
"""
from __future__ import annotations

import math

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from stations.setup.model import MAX_MINUTES, MAX_STATIONS, MIN_STATIONS, Group, Station
from workshop.errors import ValidationError
from workshop.text import plural, shown

MAX_GROUPS = 60
MAX_TRANSITION_MINUTES = 30
MAX_DEBRIEF_MINUTES = 120


@dataclass(frozen=True)
class RoundPlan:
    """One round: ``stations[g]`` is the position (1-based) of group index ``g``'s station."""
    number: int                 # 1-based
    stations: tuple[int, ...]   # by group index
    seconds: float              # how long the round lasts
    start_s: float              # planned offset from the rotation's start
    end_s: float

    def groups_at(self, position: int) -> tuple[int, ...]:
        """Indexes of the groups at a station in this round."""
        return tuple(g for g, p in enumerate(self.stations) if p == position)


@dataclass(frozen=True)
class PhasePlan:
    """A planned block of time: a round, a transition or the debrief."""
    phase: str        # "round" | "transition" | "debrief"
    round: int        # the round it belongs to (a transition belongs to the round it follows)
    start_s: float
    end_s: float


@dataclass(frozen=True)
class Schedule:
    """A rotation planned in full: groups, stations, rounds and the phases in time."""
    groups: tuple[Group, ...]
    stations: tuple[Station, ...]
    rounds: tuple[RoundPlan, ...]
    transition_s: float
    debrief_s: float
    planned_start: datetime | None = None
    phases: tuple[PhasePlan, ...] = field(default=())

    @property
    def total_s(self) -> float:
        """Seconds from the start of round 1 to the end of the debrief."""
        return self.phases[-1].end_s if self.phases else 0.0

    @property
    def planned_end(self) -> datetime | None:
        """When the rotation should end, if it has a planned start."""
        return self.at(self.total_s)

    def at(self, offset_s: float) -> datetime | None:
        """The clock time of an offset from the start (None when no start is planned)."""
        return None if self.planned_start is None else self.planned_start + timedelta(seconds=offset_s)

    def station(self, position: int) -> Station:
        """The station at this position."""
        return self.stations[position - 1]

    def path(self, group_index: int) -> tuple[int, ...]:
        """The station positions a group visits, round by round."""
        return tuple(r.stations[group_index] for r in self.rounds)

    def round_durations(self) -> tuple[float, ...]:
        """Seconds of each round, in order (the countdown's plan)."""
        return tuple(r.seconds for r in self.rounds)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (group names and station names only: no people)."""
        def clock(offset: float) -> str | None:
            when = self.at(offset)
            return when.isoformat(timespec="seconds") if when else None
        return {
            "planned_start": clock(0), "planned_end": clock(self.total_s),
            "total_s": self.total_s, "transition_s": self.transition_s, "debrief_s": self.debrief_s,
            "groups": [g.name for g in self.groups],
            "stations": [{"position": s.position, "name": s.name, "kind": s.kind} for s in self.stations],
            "rounds": [{"round": r.number, "start_s": r.start_s, "end_s": r.end_s,
                        "start": clock(r.start_s), "end": clock(r.end_s), "seconds": r.seconds,
                        "stations": {str(p.position): [self.groups[g].name for g in r.groups_at(p.position)]
                                     for p in self.stations}}
                       for r in self.rounds],
        }


def numbered_groups(count: int) -> list[Group]:
    """Groups A, B, … when no grouping has been saved."""
    count = _whole(count, "The number of groups")
    if not 1 <= count <= MAX_GROUPS:
        raise ValidationError(f"A rotation has 1 to {MAX_GROUPS} groups (got {count}).")
    return [Group(i, Group.default_name(i), []) for i in range(count)]


def parse_minutes(text: str, station_count: int) -> list[int] | None:
    """``"12"`` (one length for all) or ``"12,10,15"`` (one per station); blank means the stations'
    own minutes (None)."""
    text = (text or "").strip()
    if not text:
        return None
    parts = [p.strip() for p in text.split(",")]
    values = [_whole(p, "Minutes") for p in parts]
    if len(values) == 1:
        values = values * station_count
    if len(values) != station_count:
        raise ValidationError(f"Give one length for all stations or one per station "
                              f"({plural(station_count, 'station')}; got {plural(len(values), 'length')}).")
    return values


def assign_lanes(groups: list[Group], station_count: int) -> list[int]:
    """The starting lane (0-based) of each group.

    Groups are dealt in order (A→lane 0, B→lane 1, …), so lane sizes differ by at most one.
    When the groups hold different numbers of people, pairs of groups in different lanes are
    swapped while that narrows the gap between the fullest and emptiest lane — swaps keep lane
    sizes, so the sharing stays balanced in both groups and people. Deterministic: scans in
    index order and stops at the first non-improvement.
    """
    lanes = [g % station_count for g in range(len(groups))]
    sizes = [len(g.member_ids) for g in groups]
    if len(groups) <= station_count or len(set(sizes)) <= 1:
        return lanes

    def spread(assign: list[int]) -> int:
        load = [0] * station_count
        for g, lane in enumerate(assign):
            load[lane] += sizes[g]
        return max(load) - min(load)

    best = spread(lanes)
    improved = True
    while improved and best > 0:
        improved = False
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                if lanes[a] == lanes[b] or sizes[a] == sizes[b]:
                    continue
                lanes[a], lanes[b] = lanes[b], lanes[a]
                value = spread(lanes)
                if value < best:
                    best, improved = value, True
                else:
                    lanes[a], lanes[b] = lanes[b], lanes[a]
    return lanes


def build_schedule(groups: list[Group], stations: list[Station], *,
                   minutes: list[int] | None = None, transition_minutes: float = 1,
                   debrief_minutes: float = 10, planned_start: datetime | None = None) -> Schedule:
    """The rotation for these groups and stations.

    ``minutes``: one per station (None: each station's own minutes). A round lasts as long as
    the longest station in use in it, because the whole room moves together.
    """
    if not MIN_STATIONS <= len(stations) <= MAX_STATIONS:
        raise ValidationError(f"A rotation has {MIN_STATIONS} to {MAX_STATIONS} stations "
                              f"(this one has {len(stations)}).")
    if not groups:
        raise ValidationError("A rotation needs at least one group.")
    if len(groups) > MAX_GROUPS:
        raise ValidationError(f"A rotation has at most {MAX_GROUPS} groups (got {len(groups)}).")
    stations = sorted(stations, key=lambda s: s.position)
    lengths = list(minutes) if minutes is not None else [s.minutes for s in stations]
    if len(lengths) != len(stations):
        raise ValidationError(f"Give one length per station ({plural(len(stations), 'station')}; "
                              f"got {plural(len(lengths), 'length')}).")
    for value in lengths:
        if not 1 <= _whole(value, "Minutes") <= MAX_MINUTES:
            raise ValidationError(f"A station lasts 1 to {MAX_MINUTES} minutes (got {value}).")
    transition_s = _minutes_to_s(transition_minutes, 0, MAX_TRANSITION_MINUTES, "The transition")
    debrief_s = _minutes_to_s(debrief_minutes, 0, MAX_DEBRIEF_MINUTES, "The debrief")

    count = len(stations)
    lanes = assign_lanes(list(groups), count)
    rounds, phases, t = [], [], 0.0
    for r in range(count):
        at = tuple(stations[(lane + r) % count].position for lane in lanes)
        used = sorted(set(at))
        seconds = 60.0 * max(int(lengths[p - 1]) for p in used)
        rounds.append(RoundPlan(r + 1, at, seconds, t, t + seconds))
        phases.append(PhasePlan("round", r + 1, t, t + seconds))
        t += seconds
        if r + 1 < count and transition_s > 0:
            phases.append(PhasePlan("transition", r + 1, t, t + transition_s))
            t += transition_s
    if debrief_s > 0:
        phases.append(PhasePlan("debrief", count, t, t + debrief_s))
    return Schedule(tuple(groups), tuple(stations), tuple(rounds), transition_s, debrief_s,
                    planned_start, tuple(phases))


def _whole(value: Any, what: str) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{what} must be a whole number (got “{shown(value)}”).") from None
    if not math.isfinite(number) or number != int(number):   # nan, inf: no whole number
        raise ValidationError(f"{what} must be a whole number (got “{shown(value)}”).")
    return int(number)


def _minutes_to_s(value: Any, low: float, high: float, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{what} must be a number of minutes (got “{shown(value)}”).") from None
    if not low <= number <= high:
        raise ValidationError(f"{what} lasts {low:g} to {plural(high, 'minute')} (got {number:g}).")
    return round(number * 60.0, 3)


def freeze(schedule: Schedule) -> dict[str, Any]:
    """Everything needed to rebuild the schedule later, exactly (stored when a rotation starts)."""
    return {
        "groups": [{"index": g.index, "name": g.name, "member_ids": list(g.member_ids)}
                   for g in schedule.groups],
        "stations": [{"position": s.position, "name": s.name, "kind": s.kind, "minutes": s.minutes,
                      "prompt": s.prompt, "materials": s.materials,
                      "debrief_prompt": s.debrief_prompt, "id": s.id} for s in schedule.stations],
        "rounds": [{"number": r.number, "stations": list(r.stations), "seconds": r.seconds,
                    "start_s": r.start_s, "end_s": r.end_s} for r in schedule.rounds],
        "phases": [[p.phase, p.round, p.start_s, p.end_s] for p in schedule.phases],
        "transition_s": schedule.transition_s, "debrief_s": schedule.debrief_s,
    }


def thaw(data: dict[str, Any], planned_start: datetime | None = None) -> Schedule:
    """The schedule a rotation froze at its start, its times counted from ``planned_start``."""
    return Schedule(
        groups=tuple(Group(g["index"], g["name"], list(g["member_ids"])) for g in data["groups"]),
        stations=tuple(Station(**s) for s in data["stations"]),
        rounds=tuple(RoundPlan(r["number"], tuple(r["stations"]), r["seconds"], r["start_s"],
                               r["end_s"]) for r in data["rounds"]),
        transition_s=data["transition_s"], debrief_s=data["debrief_s"],
        planned_start=planned_start,
        phases=tuple(PhasePlan(*p) for p in data["phases"]))
