"""The rotation timer: a state machine folded over an event log. Pure; time comes from a Clock.

ready → round 1 → transition → round 2 → … → round n → debrief → finished

Every change is an :class:`Event` stamped with a time in seconds on the *wall* timeline
(POSIX seconds), so a log written by one process can be replayed by another after a crash and
carry on at the right second — time that passed while the app was down counts, and a paused
rotation stays paused with the same remainder. Within one process the timeline is driven by
the monotonic clock (see :class:`Timeline`), so a wall-clock jump mid-session cannot make a
round longer or shorter.

Nothing counts ticks: a running phase stores its deadline and ``remaining(now)`` is computed;
a paused phase stores what was left. When a deadline passes, the next phase begins *at the
deadline* (not when somebody next looks), so no error accumulates however long it runs.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from workshop.errors import ValidationError

PHASES = ("ready", "round", "transition", "debrief", "finished")
RUNNING = ("round", "transition", "debrief")
DEFAULT_WARNING_S = 120.0
MAX_SET_S = 6 * 3600.0
#: Kinds of event. Facilitator actions, then the two the clock produces by itself.
ACTIONS = ("start", "pause", "resume", "adjust", "set", "next", "restart", "end")
AUTOMATIC = ("warning", "advance")


class RotationError(ValidationError):
    """An action that does not fit the rotation's state (the message says why)."""


@dataclass(frozen=True)
class Plan:
    """What a started rotation runs: frozen into its ``start`` event."""
    rounds_s: tuple[float, ...]
    transition_s: float = 60.0
    debrief_s: float = 600.0
    warning_s: float = DEFAULT_WARNING_S

    def to_dict(self) -> dict:
        """JSON-ready, for the ``start`` event."""
        return {"rounds_s": list(self.rounds_s), "transition_s": self.transition_s,
                "debrief_s": self.debrief_s, "warning_s": self.warning_s}

    @classmethod
    def from_dict(cls, data: dict) -> "Plan":
        """The plan a ``start`` event froze."""
        return cls(tuple(float(s) for s in data["rounds_s"]), float(data["transition_s"]),
                   float(data["debrief_s"]), float(data.get("warning_s", DEFAULT_WARNING_S)))

    def duration(self, phase: str, round_number: int) -> float:
        """Seconds a phase lasts as planned."""
        if phase == "round":
            return self.rounds_s[round_number - 1]
        return self.transition_s if phase == "transition" else self.debrief_s

    @property
    def total_s(self) -> float:
        """Seconds of the whole rotation as planned, from the start to the end of the debrief."""
        gaps = self.transition_s * (len(self.rounds_s) - 1)
        return sum(self.rounds_s) + gaps + self.debrief_s


@dataclass(frozen=True)
class Event:
    """One entry of the rotation log: an action or something the clock did."""
    kind: str
    at: float                       # POSIX seconds on the wall timeline
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class TimerState:
    """The timer as folded from its log: phase, round, deadline or remainder."""
    phase: str = "ready"
    round: int = 0                  # 1-based; during a transition, the round just finished
    plan: Plan | None = None
    deadline: float | None = None   # while running and not paused
    remainder: float | None = None  # while paused
    paused: bool = False
    warned: bool = False            # the warning of this round has been given (or is not due)
    since: float | None = None      # when the current phase began
    started_at: float | None = None
    finished_at: float | None = None

    @property
    def rounds_total(self) -> int:
        """How many rounds the plan has (0 before the start)."""
        return len(self.plan.rounds_s) if self.plan else 0

    @property
    def running(self) -> bool:
        """True during a round, a transition or the debrief."""
        return self.phase in RUNNING

    def remaining(self, now: float) -> float:
        """Seconds left in the current phase (0 when ready or finished)."""
        if not self.running:
            return 0.0
        if self.paused:
            return self.remainder
        return max(0.0, self.deadline - now)

    def warning(self, now: float) -> bool:
        """True in the last ``warning_s`` seconds of a round."""
        return (self.phase == "round" and self.plan.warning_s > 0
                and 0 < self.remaining(now) <= self.plan.warning_s)

    def still_to_come(self) -> float:
        """Planned seconds of the phases after the current one (0 when finished)."""
        if self.plan is None or self.phase == "finished":
            return 0.0
        if self.phase == "ready":
            return self.plan.total_s
        total, phase, number = 0.0, self.phase, self.round
        probe = self
        while True:
            phase, number = probe.next_phase()
            if phase == "finished":
                return total
            total += self.plan.duration(phase, number)
            probe = replace(probe, phase=phase, round=number)

    def next_phase(self) -> tuple[str, int]:
        """(phase, round) that follows the current phase."""
        plan = self.plan
        if self.phase == "round":
            if self.round < self.rounds_total:
                return ("transition", self.round) if plan.transition_s > 0 else ("round", self.round + 1)
            return ("debrief", self.round) if plan.debrief_s > 0 else ("finished", self.round)
        if self.phase == "transition":
            return "round", self.round + 1
        return "finished", self.round


def _enter(state: TimerState, phase: str, round_number: int, at: float) -> TimerState:
    if phase == "finished":
        return replace(state, phase=phase, round=round_number, deadline=None, remainder=None,
                       paused=False, since=at, finished_at=at)
    length = state.plan.duration(phase, round_number)
    return replace(state, phase=phase, round=round_number, deadline=at + length, remainder=None,
                   paused=False, since=at, warned=phase != "round" or length <= state.plan.warning_s)


def _with_remaining(state: TimerState, left: float, at: float) -> TimerState:
    left = max(0.0, left)
    warned = state.phase != "round" or left <= state.plan.warning_s
    if state.paused:
        return replace(state, remainder=left, warned=warned)
    return replace(state, deadline=at + left, warned=warned)


def apply(state: TimerState, event: Event) -> TimerState:
    """The state after one event. Events are trusted here: they were checked when made."""
    kind, at = event.kind, event.at
    if kind == "start":
        state = replace(state, plan=Plan.from_dict(event.data["plan"]), started_at=at)
        return _enter(state, "round", 1, at)
    if not state.running:
        return state
    if kind == "pause" and not state.paused:
        return replace(state, paused=True, remainder=max(0.0, state.deadline - at), deadline=None)
    if kind == "resume" and state.paused:
        return replace(state, paused=False, deadline=at + state.remainder, remainder=None)
    if kind == "adjust":
        return _with_remaining(state, state.remaining(at) + float(event.data["seconds"]), at)
    if kind == "set":
        return _with_remaining(state, float(event.data["seconds"]), at)
    if kind == "advance" and (state.paused or abs(state.deadline - at) > 1e-6):
        # Stamped at the deadline it ended; a copy written by a second process (the GUI and
        # `workshop serve` on one file) no longer matches and must not skip a phase.
        return state
    if kind in ("next", "advance"):
        return _enter(state, *state.next_phase(), at)
    if kind == "restart" and state.phase == "round":
        return _enter(state, "round", state.round, at)
    if kind == "warning":
        return replace(state, warned=True)
    if kind == "end":
        return _enter(state, "finished", state.round, at)
    return state


def fold(events) -> TimerState:
    """The state a whole log leads to."""
    state = TimerState()
    for event in events:
        state = apply(state, event)
    return state


def due_events(state: TimerState, now: float) -> list[Event]:
    """The events the clock has produced by ``now`` (warnings, phase ends), each stamped with
    the instant it happened rather than ``now``."""
    out = []
    while state.running and not state.paused:
        if not state.warned:
            at = max(state.deadline - state.plan.warning_s, state.since)
            if at <= now:
                event = Event("warning", at, {"round": state.round})
                out.append(event)
                state = apply(state, event)
                continue
        if state.deadline <= now:
            following = state.next_phase()
            event = Event("advance", state.deadline, {"to": following[0], "round": following[1]})
            out.append(event)
            state = apply(state, event)
            continue
        break
    return out


def check(state: TimerState, kind: str, data: dict, now: float) -> None:
    """Raise :class:`RotationError` (a message for the facilitator) if the action does not fit."""
    if kind == "start":
        if state.phase != "ready":
            raise RotationError("This rotation has already started; end it or start a new one.")
        return
    if state.phase == "ready":
        raise RotationError("The rotation has not started yet.")
    if state.phase == "finished":
        raise RotationError("The rotation is over; start a new one to run it again.")
    if kind == "pause" and state.paused:
        raise RotationError("The timer is already paused.")
    if kind == "resume" and not state.paused:
        raise RotationError("The timer is not paused.")
    if kind == "restart" and state.phase != "round":
        raise RotationError("Only a round can be restarted (this is the "
                            f"{state.phase}).")
    if kind == "adjust":
        seconds = float(data["seconds"])
        if state.remaining(now) + seconds < 0:
            raise RotationError("Less than that is left; use Next to end this part now.")
        if state.remaining(now) + seconds > MAX_SET_S:
            raise RotationError("A part of the rotation lasts at most 6 hours.")
    if kind == "set":
        seconds = float(data["seconds"])
        if not 0 < seconds <= MAX_SET_S:
            raise RotationError("Set a time between 1 second and 6 hours.")


class Timeline:
    """POSIX seconds for the events of this process, driven by the monotonic clock.

    Anchored once: ``now() = wall_at_anchor + (monotonic() - monotonic_at_anchor)``. Persisted
    stamps are wall time (so another process can replay them), but within a session they
    advance exactly with the monotonic clock, immune to NTP or daylight-saving jumps.
    """

    def __init__(self, clock):
        self.clock = clock
        wall = clock.now()
        self.tz = wall.tzinfo or timezone.utc
        self._mono0 = clock.monotonic()
        self._wall0 = wall.timestamp()

    def now(self) -> float:
        """Now, in POSIX seconds on this timeline."""
        return self._wall0 + (self.clock.monotonic() - self._mono0)

    def datetime(self, at: float) -> datetime:
        """A time on this timeline as a datetime in the local zone."""
        return datetime.fromtimestamp(at, tz=self.tz)


class Countdown:
    """The timer of one rotation: its log and the state folded from it.

    Each action first catches up with the clock (appending the warnings and phase ends that are
    due), checks the action against the state, then appends it. It returns every new event, in
    order, so the caller can persist them together.
    """

    def __init__(self, clock, events=(), timeline: Timeline | None = None):
        """``timeline``: share one (the log's), so every run of a process stamps alike."""
        self.timeline = timeline or Timeline(clock)
        self.events: list[Event] = list(events)
        self.state = fold(self.events)

    def now(self) -> float:
        """Now on the countdown's timeline."""
        return self.timeline.now()

    def remaining(self) -> float:
        """Seconds left of the current phase now (by the recorded state)."""
        return self.state.remaining(self.now())

    def catch_up(self, now: float | None = None) -> list[Event]:
        """Append the warnings and phase ends due by ``now``; returns them."""
        new = due_events(self.state, self.now() if now is None else now)
        self._append(new)
        return new

    def act(self, kind: str, **data) -> list[Event]:
        """Check a facilitator action and append it after what had come due; returns every
        new event."""
        if kind not in ACTIONS:
            raise ValueError(f"unknown action {kind!r}")
        now = self.now()
        if self.events and now < self.events[-1].at:
            now = self.events[-1].at  # a log never runs backwards, even across a clock change
        new = due_events(self.state, now)
        state = fold_into(self.state, new)
        check(state, kind, data, now)
        new.append(Event(kind, now, data))
        self._append(new)
        return new

    def _append(self, events: list[Event]) -> None:
        for event in events:
            self.events.append(event)
            self.state = apply(self.state, event)

    # Facilitator actions, by name.
    def start(self, plan: Plan) -> list[Event]:
        """Start with this plan (round 1 begins now)."""
        return self.act("start", plan=plan.to_dict())

    def pause(self) -> list[Event]:
        """Stop the countdown, keeping what is left."""
        return self.act("pause")

    def resume(self) -> list[Event]:
        """Carry on from what was left."""
        return self.act("resume")

    def adjust(self, seconds: float) -> list[Event]:
        """Add (or, negative, take) seconds from the current phase."""
        return self.act("adjust", seconds=float(seconds))

    def set_remaining(self, seconds: float) -> list[Event]:
        """Set the seconds left of the current phase."""
        return self.act("set", seconds=float(seconds))

    def next(self) -> list[Event]:
        """End the current phase now and move on."""
        return self.act("next")

    def restart_round(self) -> list[Event]:
        """Start the current round again with its full time."""
        return self.act("restart")

    def end(self) -> list[Event]:
        """Finish the rotation now."""
        return self.act("end")


def fold_into(state: TimerState, events) -> TimerState:
    """The state after these events, from ``state``."""
    for event in events:
        state = apply(state, event)
    return state


@dataclass(frozen=True)
class Span:
    """A phase as it really ran, for planned-against-actual reports."""
    phase: str
    round: int
    start: float
    end: float | None            # None while it runs
    paused_s: float = 0.0
    adjusted_s: float = 0.0      # net minutes added or taken (+1, −1, set …)
    skipped: bool = False        # ended early with Next or End


def spans(events) -> list[Span]:
    """Replay the log into the phases that actually ran."""
    out: list[Span] = []
    state = TimerState()
    pause_at = None
    for event in events:
        before = state
        state = apply(state, event)
        current = out[-1] if out and out[-1].end is None else None
        if current and event.kind == "pause" and state.paused and not before.paused:
            pause_at = event.at
        elif current and event.kind == "resume" and before.paused and not state.paused:
            out[-1] = replace(current, paused_s=current.paused_s + event.at - pause_at)
            pause_at = None
        elif current and event.kind in ("adjust", "set") and before.running:
            delta = state.remaining(event.at) - before.remaining(event.at)
            out[-1] = replace(current, adjusted_s=current.adjusted_s + delta)
        if (state.phase, state.round, state.since) != (before.phase, before.round, before.since):
            if current:
                paused = current.paused_s + (event.at - pause_at if pause_at is not None else 0)
                out[-1] = replace(out[-1], end=event.at, paused_s=paused,
                                  skipped=event.kind in ("next", "end"))
                pause_at = None
            if state.running:
                out.append(Span(state.phase, state.round, event.at, None))
    return out

