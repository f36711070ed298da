"""The rotation as phones and the attendance panel see it: a ``Room`` read from the rotation.

The join server reads on its own SQLite connection: it reads the rotation's events and frozen
schedule through the repository and folds them with the pure reader, so it sees exactly what
the window has committed plus what has come due since, and never writes (the window's ticker
records the clock's events, once). Before a rotation starts there are no assignments; phones
then show the station they scanned.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Callable

from stations.repository.rotation import RotationRepository
from stations.repository.stations import StationRepository
from stations.rotation.countdown import Timeline
from stations.rotation.reader import RotationSnapshot, snapshot
from stations.rotation.schedule import Schedule, thaw
from stations.rotation.settings import RotationSettings, plan_schedule, warning_seconds
from stations.setup.model import Group, Station
from stations.setup.service import StationService

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Room:
    """The rotation as check-ins need it: where each group is expected, and for which round."""
    phase: str = "ready"          # "ready" | "round" | "transition" | "debrief" | "finished"
    round: int = 0                # 1-based; the round just ended during a transition
    rounds_total: int = 0
    remaining_s: float = 0.0      # when read (``read_at`` on the reader's monotonic clock)
    paused: bool = False
    here: dict[int, int] = field(default_factory=dict)      # group index -> station position
    upcoming: dict[int, int] = field(default_factory=dict)  # during a transition
    group_names: tuple[str, ...] = ()
    member_group: dict[int, int] = field(default_factory=dict)  # participant id -> group index
    read_at: float = 0.0
    run: int = 0                  # the rotation's current run (0 before any start)

    @property
    def checkin_run(self) -> int:
        """The run a check-in now counts for: arrivals before the first start are run 1's
        (they count for its first round); after "Start again", the new run's."""
        return max(1, self.run)

    @property
    def running(self) -> bool:
        """True during a round, a transition or the debrief."""
        return self.phase in ("round", "transition", "debrief")

    def remaining(self, now: float) -> float:
        """Seconds left of the current part at ``now`` (the reader's monotonic clock)."""
        if not self.running or self.paused:
            return self.remaining_s
        return max(0.0, self.remaining_s - (now - self.read_at))

    @property
    def checkin_round(self) -> int:
        """The round a check-in now counts for: 0 before the rotation, the next round during a
        transition (people are moving there), the last round during the debrief."""
        if self.phase == "round":
            return self.round
        if self.phase == "transition":
            return min(self.round + 1, self.rounds_total)
        if self.phase in ("debrief", "finished"):
            return self.rounds_total
        return 0

    def expected_station(self, participant_id: int) -> int | None:
        """Where the schedule wants this person now (their next station in a transition)."""
        group = self.member_group.get(participant_id)
        if group is None:
            return None
        source = self.upcoming if self.phase == "transition" else self.here
        return source.get(group)

    def group_name(self, participant_id: int) -> str | None:
        """The name of this person's group, or None if they are in none."""
        group = self.member_group.get(participant_id)
        if group is None or group >= len(self.group_names):
            return None
        return self.group_names[group]

    def expected_at(self) -> dict[int, list[int]]:
        """station position -> the participant ids the schedule puts there now."""
        out: dict[int, list[int]] = {}
        for pid in self.member_group:
            position = self.expected_station(pid)
            if position is not None:
                out.setdefault(position, []).append(pid)
        return out


def room_from(snapshot: RotationSnapshot, groups: tuple[Group, ...] | list[Group],
              read_at: float, run: int = 0) -> Room:
    """The room a snapshot shows, with each participant mapped to their group."""
    members = {pid: g.index for g in groups for pid in g.member_ids}
    return Room(snapshot.phase, snapshot.round_number, snapshot.rounds_total,
                snapshot.remaining_s, snapshot.paused, dict(snapshot.assignments),
                dict(snapshot.next_assignments), tuple(snapshot.group_names), members, read_at,
                run)


def room_of(snapshot: RotationSnapshot, schedule: Schedule, read_at: float,
            run: int = 0) -> Room:
    """The room from a snapshot and the schedule it was read with. Before the start, people are
    expected where their group starts (round 1), as the projector tells them."""
    room = room_from(snapshot, schedule.groups, read_at, run)
    if room.phase == "ready" and schedule.rounds:
        room = replace(room, here=dict(enumerate(schedule.rounds[0].stations)))
    return room


def read_room(rotation, academy_id: int, monotonic: float) -> Room:
    """The room from a RotationService (the window's: same connection, same reads)."""
    return room_of(rotation.snapshot(academy_id), rotation.plan(academy_id), monotonic,
                   rotation.run_number(academy_id))


class RoomReader:
    """Reads rooms on a connection of its own (the join server's); never writes."""

    def __init__(self, db, clock, groups: Callable[[int], list[Group] | None] | None = None):
        self.db = db
        self.clock = clock
        self.groups = groups or (lambda academy_id: None)
        self.repo = RotationRepository(db)
        self.stations = StationService(StationRepository(db))
        self.timeline = Timeline(clock)

    def room(self, academy_id: int) -> Room:
        """The room now; an empty one if the rotation cannot be read (a phone still gets its
        station and can check in)."""
        try:
            snap, schedule = self.read(academy_id)
            return room_of(snap, schedule, self.clock.monotonic(),
                           len(self.repo.runs(academy_id)))
        except Exception:
            log.exception("join: cannot read the rotation of academy %s", academy_id)
            return Room(read_at=self.clock.monotonic())

    def read(self, academy_id: int) -> tuple[RotationSnapshot, Schedule]:
        """The rotation's snapshot now and its schedule (the preview before any start)."""
        events, schedule, settings = [], None, None
        latest = self.repo.latest(academy_id)
        if latest is not None:
            rotation_id, frozen = latest
            events = self.repo.events(rotation_id)
            start = self.timeline.datetime(events[0].at) if events else None
            schedule = thaw(frozen, start) if frozen else None
        if schedule is None or not events:
            settings = RotationSettings.from_dict(self.repo.settings(academy_id))
        if schedule is None:
            schedule = plan_schedule(settings, self.groups(academy_id),
                                     self.stations.stations(academy_id), self.clock.now())
        warning_s = warning_seconds(settings, schedule) if settings is not None else 0.0
        snap = snapshot(events, schedule, self.timeline.now(), tz=self.timeline.tz,
                        academy_id=academy_id, warning_s=warning_s)
        return snap, schedule


def station_payload(station: Station) -> dict:
    """What a phone is told about the station it scanned."""
    return {"position": station.position, "title": station.title, "kind": station.kind_label,
            "prompt": station.prompt, "debrief_prompt": station.debrief_prompt}
