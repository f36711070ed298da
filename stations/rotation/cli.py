"""``workshop rotation …``: run, inspect and simulate rotations without a window.

``simulate`` runs a whole rotation on an accelerated clock and prints JSON lines: the schedule,
then one object per event as it happens (``t`` = simulated seconds since the start), then a
summary. By default it is a dry run (the academy's real rotation is not touched); ``--save``
records it as the academy's rotation (the demo and the debrief handout use that): once it has
finished, in one transaction, moved to end at the moment it is saved.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from typing import TYPE_CHECKING

from workshop.clock import AcceleratedClock
from workshop.errors import ValidationError

if TYPE_CHECKING:  # the real imports are late, inside the handlers (start-up time: every
    # command, `--help` included, imports this module to build its parser)
    from stations.rotation.service import RotationService, RotationSettings


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``workshop rotation simulate | status | log`` to the command line."""
    rotation = sub.add_parser("rotation", help="run, inspect and simulate the station rotation")
    actions = rotation.add_subparsers(dest="rotation_command", required=True, metavar="ACTION")

    sim = actions.add_parser("simulate", help="run a whole rotation on an accelerated clock and "
                             "print the schedule and event log as JSON lines")
    sim.add_argument("--academy", required=True, metavar="TITLE")
    sim.add_argument("--groups", type=int, help="number of groups (default: the saved grouping, "
                     "or the academy's rotation setting)")
    sim.add_argument("--minutes", default="", help="one length for all stations (12) or one per "
                     "station (12,10,15); default: each station's own minutes")
    sim.add_argument("--transition", type=float, help="minutes between rounds")
    sim.add_argument("--debrief", type=float, help="minutes of debrief after the last round")
    sim.add_argument("--warning", type=float, help="minutes before a round ends to warn")
    sim.add_argument("--speed", type=float, default=600.0,
                     help="how many times faster than real time (600: an hour in 6 s; "
                          "0: as fast as possible)")
    sim.add_argument("--save", action="store_true",
                     help="record it as the academy's rotation instead of a dry run")
    sim.set_defaults(handler=cmd_simulate)

    show = actions.add_parser("status", help="the current rotation as one JSON object")
    show.add_argument("--academy", required=True, metavar="TITLE")
    show.set_defaults(handler=cmd_status)

    log = actions.add_parser("log", help="the rotation's event log as JSON lines")
    log.add_argument("--academy", required=True, metavar="TITLE")
    log.set_defaults(handler=cmd_log)


def _academy(ctx, title: str):
    try:
        return ctx.academies.find(title)
    except (ValueError, KeyError, LookupError):
        names = ", ".join(f"“{a.title}”" for a in ctx.academies.list()) or "none yet"
        raise ValidationError(f"No academy is called “{title}” (academies: {names}).") from None


def _settings(base: RotationSettings, args, station_count: int) -> RotationSettings:
    from stations.rotation.schedule import parse_minutes
    changes = {}
    if args.groups is not None:
        changes["groups"] = args.groups
    minutes = parse_minutes(args.minutes, station_count)
    if minutes is not None:
        changes["minutes"] = tuple(minutes)
    for field, value in (("transition_minutes", args.transition),
                         ("debrief_minutes", args.debrief), ("warning_minutes", args.warning)):
        if value is not None:
            changes[field] = value
    return replace(base, planned_start=None, **changes)


def cmd_simulate(args, open_context) -> int:
    # The service and its SQL are imported here, not at the top: parsing the command line of
    # any `workshop` command imports this module, and should stay fast.
    """``workshop rotation simulate``: a whole rotation on an accelerated clock."""
    from stations.repository.rotation import MemoryRotationRepository
    from stations.rotation.service import RotationService

    ctx = open_context()
    academy = _academy(ctx, args.academy)
    if args.speed < 0:
        raise ValidationError("--speed is 0 (as fast as possible) or more.")
    stations = ctx.stations.stations(academy.id)
    settings = _settings(ctx.rotation.settings(academy.id), args, len(stations))
    clock = AcceleratedClock(args.speed or 1.0, base=(lambda: 0.0) if args.speed == 0 else None)
    groups = ctx.rotation.saved_groups if args.groups is None else None
    if args.save and ctx.rotation.state(academy.id).running:
        raise ValidationError("A rotation is already running; end it before saving a simulation.")
    # Even with --save the run happens in memory and is written at the end, in one transaction:
    # a simulation killed half way must not leave events stamped by the fast clock (minutes in
    # the future) in the real log, where a real clock would read them as the current round.
    memory = MemoryRotationRepository()
    service = RotationService(memory, clock, ctx.stations, groups=groups)
    simulate(service, academy.id, clock, args.speed, settings)
    if args.save:
        save_simulated(ctx, academy.id, memory, ctx.clock.now().timestamp())
    return 0


def save_simulated(ctx, academy_id: int, memory, now: float) -> int:
    """Record a finished in-memory run as the academy's rotation, moved on the real timeline
    so that it ends ``now`` (POSIX seconds): every stamp is one a real clock has passed."""
    from stations.rotation.countdown import Event
    from workshop.store.transactions import write

    latest = memory.latest(academy_id)
    assert latest is not None, "the simulation started a rotation"
    rotation_id, schedule = latest
    events = memory.events(rotation_id)
    shift = now - events[-1].at
    moved = [Event(e.kind, e.at + shift, e.data) for e in events]
    with write(ctx.db):   # the check and the write under one lock: no rotation starts between
        if ctx.rotation.state(academy_id).running:
            raise ValidationError("A rotation started while the simulation ran; nothing was "
                                  "saved. End it before saving a simulation.")
        return ctx.rotation.repo.create(academy_id, moved[0].at, schedule, moved)


def simulate(service: RotationService, academy_id: int, clock: AcceleratedClock, speed: float,
             settings: RotationSettings | None = None, out=None) -> None:
    """Start a rotation and let it run to the end, printing JSON lines as it goes.

    The loop records what has come due, then sleeps exactly until the next thing the clock will
    do (a warning or a phase end), or, at speed 0, jumps the clock there; the events themselves
    are stamped by the countdown at the instants they were due, so the printed times do not
    depend on how late the loop woke.
    """
    from stations.rotation.countdown import Timeline, TimerState, apply
    out = out or sys.stdout
    timeline = Timeline(clock)
    folded = {"timer": TimerState(), "t0": None}
    held: list[dict] | None = []  # the start event waits until the schedule has been printed

    def emit(obj):
        if held is not None and obj["type"] == "event":
            held.append(obj)
            return
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        out.flush()

    def on_events(_academy_id, events, _snapshot):
        for event in events:
            folded["timer"] = timer = apply(folded["timer"], event)
            if folded["t0"] is None:
                folded["t0"] = event.at
            emit({"type": "event", "t": round(event.at - folded["t0"], 3), "kind": event.kind,
                  "at": timeline.datetime(event.at).isoformat(timespec="milliseconds"),
                  "phase": timer.phase, "round": timer.round,
                  **{k: v for k, v in event.data.items() if k != "plan"}})

    real0 = time.monotonic()
    service.add_listener(on_events)
    try:
        service.start(academy_id, settings=settings)
        schedule = service.plan(academy_id)
        emit({"type": "schedule", **schedule.to_dict()})
        waiting, held = held, None
        for obj in waiting:
            emit(obj)
        while True:
            service.record_due(academy_id)   # reading never writes: the loop records
            timer = service.state(academy_id)
            if not timer.running:
                break
            upcoming = [timer.deadline]
            if not timer.warned:
                upcoming.append(max(timer.deadline - timer.plan.warning_s, timer.since))
            wait = max(0.0, min(upcoming) - timeline.now())
            if speed > 0:
                time.sleep(wait / speed)
            else:
                clock.jump(wait)
    finally:
        service.remove_listener(on_events)
    timings = service.timings(academy_id)
    planned_end = schedule.planned_end
    actual_end = timings[-1].actual_end if timings else None
    emit({"type": "summary", "rounds": schedule.rounds[-1].number, "groups": len(schedule.groups),
          "planned_end": planned_end.isoformat(timespec="milliseconds") if planned_end else None,
          "actual_end": actual_end.isoformat(timespec="milliseconds") if actual_end else None,
          "end_error_s": round((actual_end - planned_end).total_seconds(), 6)
          if planned_end and actual_end else None,
          "simulated_s": round(schedule.total_s, 3),
          "real_s": round(time.monotonic() - real0, 3)})


def cmd_status(args, open_context) -> int:
    """``workshop rotation status``: the current snapshot as one JSON object."""
    ctx = open_context()
    academy = _academy(ctx, args.academy)   # unknown: the CLI's error line and exit code 2
    print(json.dumps(ctx.rotation.snapshot(academy.id).to_dict(), ensure_ascii=False))
    return 0


def cmd_log(args, open_context) -> int:
    """``workshop rotation log``: the event log as JSON lines."""
    ctx = open_context()
    academy = _academy(ctx, args.academy)   # unknown: the CLI's error line and exit code 2
    for event in ctx.rotation.events(academy.id):
        data = event.to_dict()
        data.pop("plan", None)
        print(json.dumps(data, ensure_ascii=False))
    return 0
