"""Rotation actions and reads, one call per facilitator action, shared by the window, the CLI,
the join server and the handouts.

Public contract (other areas depend on these names):

- ``plan(academy_id) -> Schedule``: the rotation as it runs (frozen at start, its planned times
  counted from the actual start) or, before a start, as it would run now.
- ``snapshot(academy_id) -> RotationSnapshot``: what the room should see right now.
- ``events(academy_id) -> list[LoggedEvent]`` and ``timings(academy_id) -> list[PhaseTiming]``:
  the log with wall-clock times, and planned against actual per phase (the debrief handout).
- actions: ``start, pause, resume, toggle_pause, adjust, set_remaining, next, restart_round,
  end``; each appends to the SQLite log inside one transaction before anything else sees it.
- ``record_due(academy_id)``: record the warnings and phase ends that have come due — the
  window's ticker calls it ten times a second.
- ``add_listener(fn)``: ``fn(academy_id, events, snapshot)`` after every persisted change. It is
  called on the thread that made the change: Qt code must hop to the GUI thread (Bridge).

Reads never write. Every write goes through the rotation log (``stations.rotation.log``); every
read is the pure reader (``stations.rotation.reader``) over what the log has recorded, so a
reader that looks before the ticker has recorded a phase end already sees it, at its second.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Callable

from stations.rotation.countdown import DEFAULT_WARNING_S, Event, Plan, RotationError, TimerState
from stations.rotation.log import Recorded, RotationLog
from stations.rotation.reader import (LoggedEvent, PhaseTiming, RotationSnapshot, logged_events,
                                      snapshot, state_at, timings)
from stations.rotation.schedule import Schedule, numbered_groups, thaw
from stations.rotation.settings import (RotationSettings, check_settings, plan_schedule,
                                        warning_seconds)
from stations.setup.model import Group

log = logging.getLogger(__name__)

__all__ = ["RotationService", "RotationSettings", "RotationSnapshot", "LoggedEvent",
           "PhaseTiming", "RotationError"]


class RotationService:
    """One academy's rotation as the facilitator runs it: set-up, actions, reads, listeners."""

    def __init__(self, repo, clock, stations, groups: Callable[[int], list[Group] | None] | None = None):
        """``stations``: the StationService; ``groups(academy_id)``: the saved grouping, or
        None/[] when there is none (numbered groups are used then)."""
        self.repo = repo
        self.clock = clock
        self.station_service = stations
        self.saved_groups = groups or (lambda academy_id: None)
        self._listeners: list[Callable] = []
        self.log = RotationLog(repo, clock, appended=self._notify)

    # -- listeners ---------------------------------------------------------------------------
    def add_listener(self, fn: Callable[[int, list, RotationSnapshot], None]) -> None:
        """Call ``fn(academy_id, events, snapshot)`` after every persisted change."""
        self._listeners.append(fn)

    def remove_listener(self, fn) -> None:
        """Stop calling ``fn`` (no error if it was not listening)."""
        if fn in self._listeners:
            self._listeners.remove(fn)

    # -- set-up ------------------------------------------------------------------------------
    def settings(self, academy_id: int) -> RotationSettings:
        """The academy's saved set-up (defaults when none is saved)."""
        return RotationSettings.from_dict(self.repo.settings(academy_id))

    def save_settings(self, academy_id: int, settings: RotationSettings) -> RotationSettings:
        """Validate (by planning with them) and save; nothing is written if they are wrong."""
        self._check(academy_id, settings)
        self.repo.save_settings(academy_id, settings.to_dict())
        return settings

    def _check(self, academy_id: int, settings: RotationSettings) -> Schedule:
        check_settings(settings)
        return self._build(academy_id, settings)

    def update_settings(self, academy_id: int, **changes) -> RotationSettings:
        """Change some fields of the saved set-up (validated as :meth:`save_settings`)."""
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
        return plan_schedule(settings, self.saved_groups(academy_id),
                             self.station_service.stations(academy_id), self.clock.now())

    # -- reading (never writes) --------------------------------------------------------------
    def plan(self, academy_id: int) -> Schedule:
        """The running (or last) rotation's frozen schedule; before any start, the preview."""
        schedule = self.log.recorded(academy_id).schedule
        return schedule if schedule is not None else self.preview(academy_id)

    def state(self, academy_id: int) -> TimerState:
        """The timer's state now."""
        return state_at(self.log.recorded(academy_id).events, self.log.now())

    def snapshot(self, academy_id: int) -> RotationSnapshot:
        """What the room should see now."""
        return self._read(academy_id, self.log.recorded(academy_id))

    def _read(self, academy_id: int, recorded: Recorded) -> RotationSnapshot:
        schedule = recorded.schedule if recorded.schedule is not None else self.preview(academy_id)
        # Before a start the set-up says how long the warning is; after it, the frozen plan.
        warning_s = (warning_seconds(self.settings(academy_id), schedule) if not recorded.events
                     else DEFAULT_WARNING_S)
        return snapshot(recorded.events, schedule, self.log.now(), tz=self.log.timeline.tz,
                        academy_id=academy_id, warning_s=warning_s)

    def run_number(self, academy_id: int) -> int:
        """The current run's number (1 for the first start, 2 after "Start again"…; 0 before
        any start): check-ins carry it, so each run has its own."""
        return len(self.repo.runs(academy_id))

    def runs(self, academy_id: int) -> list[datetime]:
        """When each run started, run 1 first: the history "Start again" keeps."""
        return [self.log.timeline.datetime(at) for _, at in self.repo.runs(academy_id)]

    def events(self, academy_id: int, run: int | None = None) -> list[LoggedEvent]:
        """The log as of now, with wall-clock times (of the current run, or of run ``run``)."""
        return logged_events(self._recorded(academy_id, run).events, self.log.now(),
                             self.log.timeline.tz)

    def timings(self, academy_id: int, run: int | None = None) -> list[PhaseTiming]:
        """Each phase that ran: planned (from the actual start) against actual times (of the
        current run, or of an earlier run ``run``)."""
        recorded = self._recorded(academy_id, run)
        return timings(recorded.events, recorded.schedule, self.log.now(), self.log.timeline.tz)

    def _recorded(self, academy_id: int, run: int | None) -> Recorded:
        if run is None or run == self.run_number(academy_id):
            return self.log.recorded(academy_id)
        found = self.repo.run(academy_id, run)
        if found is None:
            raise RotationError(f"There is no run {run} of this rotation.")
        rotation_id, frozen = found
        events = tuple(self.repo.events(rotation_id))
        start = self.log.timeline.datetime(events[0].at) if events else None
        return Recorded(rotation_id, events, thaw(frozen, start) if frozen else None)

    # -- writing (through the log) -----------------------------------------------------------
    def record_due(self, academy_id: int) -> list[Event]:
        """Record the warnings and phase ends that have come due; the ticker calls this."""
        return self.log.record_due(academy_id)

    def start(self, academy_id: int, settings: RotationSettings | None = None) -> list[Event]:
        """Start a rotation with the saved settings, or these (a finished rotation is kept in
        the history)."""
        def prepare() -> tuple[Plan, Schedule]:
            chosen = settings or self.settings(academy_id)
            schedule = self._check(academy_id, chosen)
            return (Plan(schedule.round_durations(), schedule.transition_s, schedule.debrief_s,
                         warning_seconds(chosen, schedule)), schedule)
        return self.log.start(academy_id, prepare)

    def pause(self, academy_id: int) -> list[Event]:
        """Stop the countdown, keeping what is left."""
        return self.log.act(academy_id, "pause")

    def resume(self, academy_id: int) -> list[Event]:
        """Carry on from what was left at the pause."""
        return self.log.act(academy_id, "resume")

    def toggle_pause(self, academy_id: int) -> list[Event]:
        """Pause a running timer, resume a paused one (the Space key)."""
        paused = self.state(academy_id).paused
        return self.log.act(academy_id, "resume" if paused else "pause")

    def adjust(self, academy_id: int, seconds: float) -> list[Event]:
        """+1 / +5 / −1 minute: add (or take) time from the current part."""
        return self.log.act(academy_id, "adjust", seconds=float(seconds))

    def set_remaining(self, academy_id: int, seconds: float) -> list[Event]:
        """Set what is left of the current part."""
        return self.log.act(academy_id, "set", seconds=float(seconds))

    def next(self, academy_id: int) -> list[Event]:
        """Skip: end the current part now and move on."""
        return self.log.act(academy_id, "next")

    def restart_round(self, academy_id: int) -> list[Event]:
        """Start the current round again with its full time."""
        return self.log.act(academy_id, "restart")

    def end(self, academy_id: int) -> list[Event]:
        """Finish the rotation now."""
        return self.log.act(academy_id, "end")

    # -- internals ---------------------------------------------------------------------------
    def _notify(self, academy_id: int, new: list[Event]) -> None:
        if not self._listeners:
            return
        snap = self.snapshot(academy_id)
        for fn in list(self._listeners):
            try:
                fn(academy_id, list(new), snap)
            except Exception:
                # The change is already saved; a broken listener (a closed window) must not
                # make the action look failed to the facilitator.
                log.exception("rotation listener %r failed", fn)
