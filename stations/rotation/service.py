"""Rotation actions, one call per facilitator action, shared by the window, the CLI, the join
server and the handouts.

Public contract (other areas depend on these names):

- ``plan(academy_id) -> Schedule``: the rotation as it runs (frozen at start, its planned times
  counted from the actual start) or, before a start, as it would run now.
- ``snapshot(academy_id) -> RotationSnapshot``: what the room should see right now.
- ``events(academy_id) -> list[LoggedEvent]`` and ``timings(academy_id) -> list[PhaseTiming]``:
  the log with wall-clock times, and planned against actual per phase (the debrief handout).
- actions: ``start, pause, resume, toggle_pause, adjust, set_remaining, next, restart_round,
  end``; each appends to the SQLite log inside one transaction before anything else sees it.
- ``add_listener(fn)``: ``fn(academy_id, events, snapshot)`` after every persisted change. It is
  called on the thread that made the change: Qt code must hop to the GUI thread (Bridge).

Phase ends and warnings happen by the clock: they are appended (stamped with the instant they
happened) by whichever call next looks — the window looks ten times a second.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Callable

from stations.rotation.countdown import (Countdown, Event, Plan, RotationError, TimerState, apply,
                                due_events, fold_into, spans)
from stations.setup.model import Group, Station
from stations.rotation.schedule import (MAX_GROUPS, Schedule, build_schedule, freeze, numbered_groups,
                               thaw)
from workshop.academy.model import ValidationError

log = logging.getLogger(__name__)

__all__ = ["RotationService", "RotationSettings", "RotationSnapshot", "LoggedEvent",
           "PhaseTiming", "RotationError"]


@dataclass(frozen=True)
class RotationSettings:
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
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if known.get("minutes") is not None:
            known["minutes"] = tuple(known["minutes"])
        return cls(**known)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["minutes"] = list(self.minutes) if self.minutes is not None else None
        return data

    @property
    def planned_start_at(self) -> datetime | None:
        return datetime.fromisoformat(self.planned_start) if self.planned_start else None


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
    kind: str
    at: datetime
    phase: str          # the phase after the event
    round: int
    data: dict

    def to_dict(self) -> dict:
        return {"kind": self.kind, "at": self.at.isoformat(timespec="milliseconds"),
                "phase": self.phase, "round": self.round, **self.data}


@dataclass(frozen=True)
class PhaseTiming:
    phase: str
    round: int
    planned_start: datetime | None
    planned_end: datetime | None
    actual_start: datetime
    actual_end: datetime | None
    paused_s: float
    adjusted_s: float
    skipped: bool


@dataclass
class _Run:
    rotation_id: int | None
    schedule: Schedule | None       # frozen at start; None before
    countdown: Countdown
    saved: int = 0                  # how many of the countdown's events are in the database


class RotationService:
    def __init__(self, repo, clock, stations, groups: Callable[[int], list[Group] | None] | None = None):
        """``stations``: the StationService; ``groups(academy_id)``: the saved grouping, or
        None/[] when there is none (numbered groups are used then)."""
        self.repo = repo
        self.clock = clock
        self.station_service = stations
        self.saved_groups = groups or (lambda academy_id: None)
        self._runs: dict[int, _Run] = {}
        self._listeners: list[Callable] = []
        # The join server may read from its own thread; one lock keeps the cached runs whole,
        # and only the thread that owns the connection writes the clock's own events.
        self._lock = threading.RLock()
        self._owner = threading.get_ident()

    # -- listeners ---------------------------------------------------------------------------
    def add_listener(self, fn: Callable[[int, list, RotationSnapshot], None]) -> None:
        self._listeners.append(fn)

    def remove_listener(self, fn) -> None:
        if fn in self._listeners:
            self._listeners.remove(fn)

    # -- set-up ------------------------------------------------------------------------------
    def settings(self, academy_id: int) -> RotationSettings:
        return RotationSettings.from_dict(self.repo.settings(academy_id))

    def save_settings(self, academy_id: int, settings: RotationSettings) -> RotationSettings:
        """Validate (by planning with them) and save; nothing is written if they are wrong."""
        self._check(academy_id, settings)
        self.repo.save_settings(academy_id, settings.to_dict())
        return settings

    def _check(self, academy_id: int, settings: RotationSettings) -> Schedule:
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
        return self._build(academy_id, settings)

    def update_settings(self, academy_id: int, **changes) -> RotationSettings:
        return self.save_settings(academy_id, replace(self.settings(academy_id), **changes))

    def groups(self, academy_id: int) -> tuple[list[Group], bool]:
        """The groups that would rotate, and whether they come from a saved grouping."""
        saved = self.saved_groups(academy_id)
        if saved:
            return list(saved), True
        return numbered_groups(self.settings(academy_id).groups), False

    def preview(self, academy_id: int, settings: RotationSettings | None = None) -> Schedule:
        """The schedule the current settings give, planned from the planned start (or now)."""
        return self._build(academy_id, settings or self.settings(academy_id))

    def _build(self, academy_id: int, settings: RotationSettings) -> Schedule:
        saved = self.saved_groups(academy_id)
        groups = list(saved) if saved else numbered_groups(settings.groups)
        start = settings.planned_start_at or self.clock.now().replace(microsecond=0)
        stations = self.station_service.stations(academy_id)
        minutes = list(settings.minutes) if settings.minutes else None
        if minutes and len(set(minutes)) == 1:
            minutes = minutes[:1] * len(stations)   # "one length for all" survives a new station
        return build_schedule(groups, stations, minutes=minutes,
                              transition_minutes=settings.transition_minutes,
                              debrief_minutes=settings.debrief_minutes, planned_start=start)

    # -- reading -----------------------------------------------------------------------------
    def plan(self, academy_id: int) -> Schedule:
        run = self._run(academy_id)
        return run.schedule if run.schedule is not None else self.preview(academy_id)

    def state(self, academy_id: int) -> TimerState:
        return self.snapshot_state(academy_id)[1]

    def snapshot(self, academy_id: int) -> RotationSnapshot:
        return self.snapshot_state(academy_id)[0]

    def snapshot_state(self, academy_id: int) -> tuple[RotationSnapshot, TimerState]:
        self._catch_up_if_owner(academy_id)
        with self._lock:
            run = self._run(academy_id)
            countdown = run.countdown
            now = countdown.now()
            state = countdown.state
            if threading.get_ident() != self._owner:
                # Another thread reads without writing: the clock's events are computed, and
                # the owner thread records them on its next look.
                state = fold_into(state, due_events(state, now))
            schedule = run.schedule
        return self._snapshot(academy_id, schedule, state, now, countdown), state

    def _snapshot(self, academy_id, schedule, state: TimerState, now: float, countdown) -> RotationSnapshot:
        if schedule is None:
            schedule = self.preview(academy_id)
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
            ends = countdown.timeline.datetime(state.deadline)
        # Before the start the countdown shows round 1's full length; after the end, nothing.
        remaining = (state.remaining(now) if state.running
                     else rounds[0].seconds if state.phase == "ready" else 0.0)
        planned_end = None
        if state.plan is not None and state.started_at is not None:
            planned_end = countdown.timeline.datetime(state.started_at + state.plan.total_s)
        elif schedule.planned_end is not None:
            planned_end = schedule.planned_end
        warning_s = state.plan.warning_s if state.plan else self.settings(academy_id).warning_minutes * 60
        expected_end = (countdown.timeline.datetime(now + remaining + state.still_to_come())
                        if state.running else None)
        return RotationSnapshot(
            academy_id=academy_id, phase=state.phase, round_number=state.round,
            rounds_total=len(rounds), remaining_s=remaining, paused=state.paused,
            warning=state.warning(now), phase_ends_at=ends, assignments=current,
            next_assignments=upcoming, group_names=tuple(g.name for g in schedule.groups),
            stations=tuple(schedule.stations), planned_end=planned_end, warning_s=warning_s,
            expected_end=expected_end)

    def events(self, academy_id: int) -> list[LoggedEvent]:
        self._catch_up_if_owner(academy_id)
        with self._lock:
            run = self._run(academy_id)
            events = list(run.countdown.events)
            timeline = run.countdown.timeline
        out, state = [], TimerState()
        for e in events:
            state = apply(state, e)
            out.append(LoggedEvent(e.kind, timeline.datetime(e.at), state.phase, state.round, dict(e.data)))
        return out

    def timings(self, academy_id: int) -> list[PhaseTiming]:
        """Each phase that ran: planned (from the actual start) against actual times."""
        self._catch_up_if_owner(academy_id)
        with self._lock:
            run = self._run(academy_id)
            events = list(run.countdown.events)
            timeline = run.countdown.timeline
            schedule = run.schedule
        planned = {(p.phase, p.round): p for p in schedule.phases} if schedule else {}
        out = []
        for span in spans(events):
            p = planned.get((span.phase, span.round))
            out.append(PhaseTiming(
                span.phase, span.round,
                schedule.at(p.start_s) if p else None, schedule.at(p.end_s) if p else None,
                timeline.datetime(span.start),
                timeline.datetime(span.end) if span.end is not None else None,
                span.paused_s, span.adjusted_s, span.skipped))
        return out

    # -- actions -----------------------------------------------------------------------------
    def poll(self, academy_id: int) -> list[Event]:
        """Append the warnings and phase ends that are due; the ticker's repaint calls this."""
        with self._lock:
            run = self._current(academy_id)
            new = run.countdown.catch_up()
            self._persist(academy_id, run, new)
        self._notify(academy_id, new)
        return new

    def start(self, academy_id: int, settings: RotationSettings | None = None) -> list[Event]:
        """Start a rotation with the saved settings, or these (a finished rotation is kept in
        the history)."""
        with self._lock:
            run = self._current(academy_id)
            self._persist(academy_id, run, run.countdown.catch_up())
            if run.countdown.state.running:
                raise RotationError("A rotation is already running; end it before starting another.")
            settings = settings or self.settings(academy_id)
            schedule = self._check(academy_id, settings)
            plan = Plan(schedule.round_durations(), schedule.transition_s, schedule.debrief_s,
                        settings.warning_minutes * 60.0)
            fresh = Countdown(self.clock)
            new = fresh.start(plan)
            frozen = freeze(schedule)
            rotation_id = self.repo.create(academy_id, new[0].at, frozen, new)
            self._runs[academy_id] = _Run(rotation_id, thaw(frozen, fresh.timeline.datetime(new[0].at)),
                                          fresh, saved=len(new))
        self._notify(academy_id, new)
        return new

    def pause(self, academy_id: int) -> list[Event]:
        return self._act(academy_id, "pause")

    def resume(self, academy_id: int) -> list[Event]:
        return self._act(academy_id, "resume")

    def toggle_pause(self, academy_id: int) -> list[Event]:
        paused = self.state(academy_id).paused
        return self._act(academy_id, "resume" if paused else "pause")

    def adjust(self, academy_id: int, seconds: float) -> list[Event]:
        """+1 / +5 / −1 minute: add (or take) time from the current part."""
        return self._act(academy_id, "adjust", seconds=float(seconds))

    def set_remaining(self, academy_id: int, seconds: float) -> list[Event]:
        return self._act(academy_id, "set", seconds=float(seconds))

    def next(self, academy_id: int) -> list[Event]:
        """Skip: end the current part now and move on."""
        return self._act(academy_id, "next")

    def restart_round(self, academy_id: int) -> list[Event]:
        return self._act(academy_id, "restart")

    def end(self, academy_id: int) -> list[Event]:
        return self._act(academy_id, "end")

    def _act(self, academy_id: int, kind: str, **data) -> list[Event]:
        with self._lock:
            run = self._current(academy_id)
            if run.rotation_id is None:
                raise RotationError("The rotation has not started yet.")
            new = run.countdown.act(kind, **data)
            self._persist(academy_id, run, new)
        self._notify(academy_id, new)
        return new

    # -- internals ---------------------------------------------------------------------------
    def _current(self, academy_id: int) -> _Run:
        """The run, reloaded if another process (``workshop serve``, a second window) has
        written to the log since we read it: one indexed count per call."""
        run = self._run(academy_id)
        if self.repo.version(academy_id) != (run.rotation_id, run.saved):
            self._runs.pop(academy_id, None)
            run = self._run(academy_id)
        return run

    def _catch_up_if_owner(self, academy_id: int) -> None:
        if threading.get_ident() == self._owner:
            self.poll(academy_id)

    def _run(self, academy_id: int) -> _Run:
        with self._lock:
            run = self._runs.get(academy_id)
            if run is None:
                latest = self.repo.latest(academy_id)
                if latest is None:
                    run = _Run(None, None, Countdown(self.clock))
                else:
                    rotation_id, frozen = latest
                    events = self.repo.events(rotation_id)
                    countdown = Countdown(self.clock, events)
                    start = countdown.timeline.datetime(events[0].at) if events else None
                    run = _Run(rotation_id, thaw(frozen, start) if frozen else None, countdown,
                               saved=len(events))
                self._runs[academy_id] = run
            return run

    def _unsaved(self, run: _Run) -> list[Event]:
        return run.countdown.events[run.saved:]

    def _persist(self, academy_id: int, run: _Run, new: list[Event]) -> None:
        if not new or run.rotation_id is None:
            return
        pending = self._unsaved(run)
        try:
            self.repo.append(run.rotation_id, pending)
        except Exception:
            # Not persisted means not acknowledged: forget the in-memory change, reload the log.
            self._runs.pop(academy_id, None)
            raise
        run.saved = len(run.countdown.events)

    def _notify(self, academy_id: int, new: list[Event]) -> None:
        if not new or not self._listeners:
            return
        with self._lock:
            run = self._run(academy_id)
            snap = self._snapshot(academy_id, run.schedule, run.countdown.state,
                                  run.countdown.now(), run.countdown)
        for fn in list(self._listeners):
            try:
                fn(academy_id, list(new), snap)
            except Exception:
                # The change is already saved; a broken listener (a closed window) must not
                # make the action look failed to the facilitator.
                log.exception("rotation listener %r failed", fn)
