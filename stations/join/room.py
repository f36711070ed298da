"""The rotation as phones and the attendance panel see it: a ``Room`` read from the rotation.

The join server reads on its own SQLite connection, so it builds a fresh, read-only
RotationService over that connection for each read (the log is small): it sees exactly what
the window has committed, and never writes the clock's events itself (the window does, once).
Before a rotation starts there are no assignments; phones then show the station they scanned.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Callable

from stations.setup.model import Group, Station
from stations.repository.rotation import RotationRepository
from stations.repository.stations import StationRepository
from stations.rotation.service import RotationService, RotationSnapshot
from stations.setup.service import StationService

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Room:
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

    @property
    def running(self) -> bool:
        return self.phase in ("round", "transition", "debrief")

    def remaining(self, now: float) -> float:
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
              read_at: float) -> Room:
    members = {pid: g.index for g in groups for pid in g.member_ids}
    return Room(snapshot.phase, snapshot.round_number, snapshot.rounds_total,
                snapshot.remaining_s, snapshot.paused, dict(snapshot.assignments),
                dict(snapshot.next_assignments), tuple(snapshot.group_names), members, read_at)


def read_room(rotation: RotationService, academy_id: int, monotonic: float) -> Room:
    """The room from a rotation service. Before the start, people are expected where their
    group starts (round 1), as the projector tells them."""
    snapshot = rotation.snapshot(academy_id)
    schedule = rotation.plan(academy_id)
    room = room_from(snapshot, schedule.groups, monotonic)
    if room.phase == "ready" and schedule.rounds:
        room = replace(room, here=dict(enumerate(schedule.rounds[0].stations)))
    return room


class _ReadOnlyRotation(RotationService):
    """Reads the log another connection writes. The clock's own events (phase ends, warnings)
    are computed on read, never appended: the window's service records them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._owner = None  # no thread owns this one, so reads never write

    def poll(self, academy_id: int) -> list:
        return []


class RoomReader:
    """Reads rooms on a connection of its own (the join server's)."""

    def __init__(self, db, clock, groups: Callable[[int], list[Group] | None] | None = None):
        self.db = db
        self.clock = clock
        self.groups = groups
        self.stations = StationService(StationRepository(db))

    def room(self, academy_id: int) -> Room:
        rotation = _ReadOnlyRotation(RotationRepository(self.db), self.clock, self.stations,
                                     groups=self.groups)
        try:
            return read_room(rotation, academy_id, self.clock.monotonic())
        except Exception:  # a phone still gets its station and can check in
            log.exception("join: cannot read the rotation of academy %s", academy_id)
            return Room(read_at=self.clock.monotonic())


def station_payload(station: Station) -> dict:
    return {"position": station.position, "title": station.title, "kind": station.kind_label,
            "prompt": station.prompt, "debrief_prompt": station.debrief_prompt}
