"""Reading the rotation: pure functions of (events, schedule, now). No database, no threads.

Everyone who shows the rotation reads it here — the window, the projector, the CLI, the
handouts and the join server — from the events it has read on its own connection. Reading
never writes: the warnings and phase ends that have come due by ``now`` but are not recorded
yet are folded in as they will be recorded (stamped with the instant they happened, see
:func:`~stations.rotation.countdown.due_events`), so a reader sees the same second whether or
not the log's writer has looked yet.

``now`` is POSIX seconds on the log's timeline (:class:`~stations.rotation.countdown.Timeline`);
``tz`` is the zone the datetimes of the answer are shown in.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from typing import Iterable

from stations.rotation.countdown import (DEFAULT_WARNING_S, Event, TimerState, apply, due_events,
                                         fold, spans)
from stations.rotation.schedule import Schedule
from stations.setup.model import Station


@dataclass(frozen=True)
class RotationSnapshot:
    """What the room sees now. Group names and station names only: never anyone's email."""
    academy_id: int
    phase: str                      # "ready" | "round" | "transition" | "debrief" | "finished"
    round_number: int               # 1-based; 0 when ready; the round just ended in a transition
    rounds_total: int
    remaining_s: float              # of the current part; when ready, round 1's full length
    paused: bool
    warning: bool                   # in the last minutes of a round
    phase_ends_at: datetime | None  # when the running phase ends (None if paused or not running)
    assignments: dict[int, int]     # group index -> station position in the current round
    next_assignments: dict[int, int]  # where each group goes next: in a transition, or when
                                      # ready (round 1: where each group starts)
    group_names: tuple[str, ...]
    stations: tuple[Station, ...]
    planned_end: datetime | None
    warning_s: float
    expected_end: datetime | None = None  # at this pace: now + what is left, pauses included

    def groups_at(self, position: int, upcoming: bool = False) -> tuple[str, ...]:
        """Names of the groups at a station now (or, with ``upcoming``, the ones coming)."""
        source = self.next_assignments if upcoming else self.assignments
        return tuple(self.group_names[g] for g, p in sorted(source.items()) if p == position)

    def to_dict(self) -> dict:
        """JSON-ready, for the phones and the CLI."""
        def iso(when):
            return when.isoformat(timespec="milliseconds") if when else None
        return {"phase": self.phase, "round": self.round_number, "rounds_total": self.rounds_total,
                "remaining_s": round(self.remaining_s, 3), "paused": self.paused,
                "warning": self.warning, "phase_ends_at": iso(self.phase_ends_at),
                "planned_end": iso(self.planned_end), "expected_end": iso(self.expected_end),
                "stations": [{"position": s.position, "name": s.name,
                              "groups": list(self.groups_at(s.position)),
                              "next_groups": list(self.groups_at(s.position, upcoming=True))}
                             for s in self.stations]}


@dataclass(frozen=True)
class LoggedEvent:
    """One event of the log with its wall-clock time and the phase it led to."""
    kind: str
    at: datetime
    phase: str          # the phase after the event
    round: int
    data: dict

    def to_dict(self) -> dict:
        """JSON-ready, for ``workshop rotation log``."""
        return {"kind": self.kind, "at": self.at.isoformat(timespec="milliseconds"),
                "phase": self.phase, "round": self.round, **self.data}


@dataclass(frozen=True)
class PhaseTiming:
    """One phase that ran, planned against actual (the debrief handout)."""
    phase: str
    round: int
    planned_start: datetime | None
    planned_end: datetime | None
    actual_start: datetime
    actual_end: datetime | None
    paused_s: float
    adjusted_s: float
    skipped: bool


def _when(at: float, tz: tzinfo) -> datetime:
    return datetime.fromtimestamp(at, tz=tz)


def as_of(events: Iterable[Event], now: float) -> list[Event]:
    """The log as it stands at ``now``: the recorded events, then those the clock has produced
    since (exactly what the writer's next ``record_due`` appends)."""
    events = list(events)
    return events + due_events(fold(events), now)


def state_at(events: Iterable[Event], now: float) -> TimerState:
    """The timer's state at ``now``."""
    state = fold(events)
    for event in due_events(state, now):
        state = apply(state, event)
    return state


def snapshot(events: Iterable[Event], schedule: Schedule, now: float, *,
             tz: tzinfo = timezone.utc, academy_id: int = 0,
             warning_s: float = DEFAULT_WARNING_S) -> RotationSnapshot:
    """What the room should see at ``now``.

    ``schedule``: the rotation's frozen schedule, or before a start the one the set-up gives;
    ``warning_s``: the set-up's warning, shown before a start (a started rotation's own plan
    says it after).
    """
    state = state_at(events, now)
    rounds = schedule.rounds
    current: dict[int, int] = {}
    upcoming: dict[int, int] = {}
    if state.phase in ("round", "transition") and state.round:
        current = dict(enumerate(rounds[state.round - 1].stations))
    if state.phase == "ready":
        upcoming = dict(enumerate(rounds[0].stations))   # where each group starts
    if state.phase == "transition" and state.round < len(rounds):
        upcoming = dict(enumerate(rounds[state.round].stations))
    ends = None
    if state.running and not state.paused:
        ends = _when(state.deadline, tz)
    # Before the start the countdown shows round 1's full length; after the end, nothing.
    remaining = (state.remaining(now) if state.running
                 else rounds[0].seconds if state.phase == "ready" else 0.0)
    planned_end = None
    if state.plan is not None and state.started_at is not None:
        planned_end = _when(state.started_at + state.plan.total_s, tz)
    elif schedule.planned_end is not None:
        planned_end = schedule.planned_end
    expected_end = (_when(now + remaining + state.still_to_come(), tz) if state.running else None)
    return RotationSnapshot(
        academy_id=academy_id, phase=state.phase, round_number=state.round,
        rounds_total=len(rounds), remaining_s=remaining, paused=state.paused,
        warning=state.warning(now), phase_ends_at=ends, assignments=current,
        next_assignments=upcoming, group_names=tuple(g.name for g in schedule.groups),
        stations=tuple(schedule.stations), planned_end=planned_end,
        warning_s=state.plan.warning_s if state.plan else warning_s, expected_end=expected_end)


def logged_events(events: Iterable[Event], now: float,
                  tz: tzinfo = timezone.utc) -> list[LoggedEvent]:
    """The log as of ``now`` with wall-clock times and the phase each event led to."""
    out, state = [], TimerState()
    for e in as_of(events, now):
        state = apply(state, e)
        out.append(LoggedEvent(e.kind, _when(e.at, tz), state.phase, state.round, dict(e.data)))
    return out


def timings(events: Iterable[Event], schedule: Schedule | None, now: float,
            tz: tzinfo = timezone.utc) -> list[PhaseTiming]:
    """Each phase that has run by ``now``: planned (from the actual start) against actual."""
    planned = {(p.phase, p.round): p for p in schedule.phases} if schedule else {}
    out = []
    for span in spans(as_of(events, now)):
        p = planned.get((span.phase, span.round))
        out.append(PhaseTiming(
            span.phase, span.round,
            schedule.at(p.start_s) if p else None, schedule.at(p.end_s) if p else None,
            _when(span.start, tz), _when(span.end, tz) if span.end is not None else None,
            span.paused_s, span.adjusted_s, span.skipped))
    return out
