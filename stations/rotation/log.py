"""The rotation log: the only code that appends rotation events.

Two kinds of write, both explicit:

- the facilitator's actions (``start``, ``act("pause" | "resume" | "adjust" | "set" | "next" |
  "restart" | "end")``), each checked against the state and appended in one transaction together
  with the warnings and phase ends that had come due before it;
- ``record_due``: "record what has come due" — the warnings and phase ends the clock has
  produced, stamped with the instants they happened. The window's ticker calls it ten times a
  second, the CLI's simulation on every wake-up; reading never does (see ``reader``).

The log keeps each academy's current run in memory and reloads it when another process
(``workshop serve``, a second window) has written since: one indexed count per call. A lock
keeps a run whole between threads; no behaviour depends on which thread calls.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable

from stations.rotation.countdown import Countdown, Event, Plan, RotationError, Timeline
from stations.rotation.schedule import Schedule, freeze, thaw


@dataclass(frozen=True)
class Recorded:
    """A copy of what the log holds for an academy's current rotation."""
    rotation_id: int | None         # None: no rotation has ever started
    events: tuple[Event, ...]
    schedule: Schedule | None       # frozen at start, its times counted from the actual start


@dataclass
class _Run:
    rotation_id: int | None
    schedule: Schedule | None
    countdown: Countdown
    saved: int = 0                  # how many of the countdown's events are in the database


class RotationLog:
    """Appends rotation events to the repository; ``appended(academy_id, events)`` is called
    after every persisted change, on the thread that made it."""

    def __init__(self, repo, clock, appended: Callable[[int, list[Event]], None] | None = None):
        self.repo = repo
        self.clock = clock
        self.timeline = Timeline(clock)   # one per process: every run stamps on the same scale
        self.appended = appended or (lambda academy_id, events: None)
        self._runs: dict[int, _Run] = {}
        self._lock = threading.RLock()

    def now(self) -> float:
        """Now on the log's timeline (POSIX seconds), the ``now`` readers are given."""
        return self.timeline.now()

    def recorded(self, academy_id: int) -> Recorded:
        """What is recorded now (another process's writes included). Never writes."""
        with self._lock:
            run = self._current(academy_id)
            return Recorded(run.rotation_id, tuple(run.countdown.events), run.schedule)

    # -- writing -----------------------------------------------------------------------------
    def record_due(self, academy_id: int) -> list[Event]:
        """Append the warnings and phase ends that have come due; returns them."""
        with self._lock:
            run = self._current(academy_id)
            new = run.countdown.catch_up()
            self._persist(academy_id, run, new)
        self._appended(academy_id, new)
        return new

    def start(self, academy_id: int, prepare: Callable[[], tuple[Plan, Schedule]]) -> list[Event]:
        """Start a new rotation (a finished one stays in the history). ``prepare()`` gives the
        plan and schedule; it is called only once the rotation is known not to be running, so
        "already running" is said before any complaint about the set-up."""
        with self._lock:
            run = self._current(academy_id)
            due = run.countdown.catch_up()
            self._persist(academy_id, run, due)
            if run.countdown.state.running:
                self._appended(academy_id, due)
                raise RotationError("A rotation is already running; end it before starting another.")
            plan, schedule = prepare()
            fresh = Countdown(self.clock, timeline=self.timeline)
            new = fresh.start(plan)
            frozen = freeze(schedule)
            rotation_id = self.repo.create(academy_id, new[0].at, frozen, new)
            started = self.timeline.datetime(new[0].at)
            self._runs[academy_id] = _Run(rotation_id, thaw(frozen, started), fresh,
                                          saved=len(new))
        self._appended(academy_id, due + new)
        return new

    def act(self, academy_id: int, kind: str, **data) -> list[Event]:
        """One facilitator action (after what had come due); returns every event appended."""
        with self._lock:
            run = self._current(academy_id)
            if run.rotation_id is None:
                raise RotationError("The rotation has not started yet.")
            new = run.countdown.act(kind, **data)
            self._persist(academy_id, run, new)
        self._appended(academy_id, new)
        return new

    # -- internals ---------------------------------------------------------------------------
    def _appended(self, academy_id: int, new: list[Event]) -> None:
        if new:
            self.appended(academy_id, list(new))

    def _current(self, academy_id: int) -> _Run:
        """The run, reloaded if another process has written to the log since we read it."""
        run = self._runs.get(academy_id)
        if run is not None and self.repo.version(academy_id) == (run.rotation_id, run.saved):
            return run
        run = self._load(academy_id)
        self._runs[academy_id] = run
        return run

    def _load(self, academy_id: int) -> _Run:
        latest = self.repo.latest(academy_id)
        if latest is None:
            return _Run(None, None, Countdown(self.clock, timeline=self.timeline))
        rotation_id, frozen = latest
        events = self.repo.events(rotation_id)
        countdown = Countdown(self.clock, events, timeline=self.timeline)
        start = self.timeline.datetime(events[0].at) if events else None
        return _Run(rotation_id, thaw(frozen, start) if frozen else None, countdown,
                    saved=len(events))

    def _persist(self, academy_id: int, run: _Run, new: list[Event]) -> None:
        if not new or run.rotation_id is None:
            return
        try:
            self.repo.append(run.rotation_id, run.countdown.events[run.saved:])
        except Exception:
            # Not persisted means not acknowledged: forget the in-memory change, reload the log.
            self._runs.pop(academy_id, None)
            raise
        run.saved = len(run.countdown.events)
