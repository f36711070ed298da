"""The join desk: what each phone request may read and write. No Qt, no SQL, no network.

``JoinDesk`` holds the rules, synchronous, over the join repository of one SQLite connection.
Each write is a typed request (``CheckInRequest``, ``WalkInRequest``, ``ReflectionRequest``) with
a method of its own, and returns ``Written``: the phone's reply and the events to announce once
the write has committed — the caller commits (``routes`` in batches, the service one by one),
so nobody hears of a change that is not saved. Both the window ("Let phones join") and
``workshop serve`` use it, through ``routes``.

Phones never receive the roster or an email: a name search needs two letters and returns at most
five names; each name comes with the person's *key* (an HMAC of their id under a per-academy
secret), which later requests carry instead of an id that could be counted through.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, replace
from typing import Callable

from stations.join.model import (MAX_SUGGESTIONS, JoinEvent, clean_name, clean_reflection,
                                 name_index, name_matches)
from stations.join.room import Room, RoomReader, station_payload
from stations.repository.join import JoinRepository
from stations.setup.model import Group, Station
from workshop.academy.model import ValidationError, clean_text, fold

ROOM_TTL_S = 0.5       # phones following live updates share one read of the rotation
RESYNC_S = 15.0        # a live stream re-sends the time left at least this often
DRIFT_S = 1.5          # … and at once when the phone's own countdown would be off by more
COUNTING_PHASES = ("round", "transition", "debrief")


class NotFound(Exception):
    """No such station link (never was, or regenerated): the phone gets the plain 404 page."""


class UnknownPerson(Exception):
    """The phone's key names nobody (any more): it must find its name again."""

    def __init__(self):
        super().__init__("This phone's sign-in is no longer valid. Find your name again.")


@dataclass(frozen=True)
class CheckInRequest:
    """A phone says: the person with this key is at the station of this link."""
    token: str
    key: str


@dataclass(frozen=True)
class WalkInRequest:
    """Someone not found on the roster types their name at a station."""
    token: str
    name: str


@dataclass(frozen=True)
class ReflectionRequest:
    """A person writes about a station they checked in at; ``request_id`` makes a retry safe."""
    token: str
    key: str
    station: int
    text: str
    anonymous: bool = False
    request_id: str | None = None


@dataclass(frozen=True)
class Written:
    """What a write did: the phone's reply, the events to announce once it has committed, and
    whether someone new joined the roster (searches must find them at once)."""
    reply: dict
    events: tuple[JoinEvent, ...] = ()
    new_person: bool = False


def participant_key(secret: bytes, participant_id: int) -> str:
    """The key a phone carries for a person: unguessable, and not countable like an id."""
    digest = hmac.new(secret, f"participant:{participant_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


def worth_sending(state: dict, last: dict | None, since_sent: float) -> bool:
    """Whether a live stream sends ``state``, having sent ``last`` ``since_sent`` seconds ago:
    when it changed, every RESYNC_S, or when the phone's own countdown is now off by DRIFT_S."""
    if last is None:
        return True
    if {k: v for k, v in state.items() if k != "remaining_s"} != {
            k: v for k, v in last.items() if k != "remaining_s"}:
        return True
    counting = state["phase"] in COUNTING_PHASES and not state["paused"]
    expected = last["remaining_s"] - since_sent if counting else last["remaining_s"]
    return since_sent >= RESYNC_S or abs(expected - state["remaining_s"]) > DRIFT_S


@dataclass(frozen=True)
class _View:
    room: Room
    people: dict[int, tuple[str, bool]]    # participant id -> (name, walk-in?)
    stations: dict[int, Station]           # position -> station
    index: list                            # name_index of the people, for the search


class JoinDesk:
    """The check-in and reflection rules over one connection's join repository."""

    def __init__(self, repo: JoinRepository, clock, room: Callable[[int], Room]):
        """``room(academy_id)``: how this desk reads the rotation."""
        self.repo = repo
        self.clock = clock
        self.room = room
        self._keys: dict[int, dict[str, int]] = {}
        self._cache: dict[int, _View] = {}
        self._secrets: dict[int, bytes] = {}

    @classmethod
    def on(cls, db, clock, groups: Callable[[int], list[Group] | None] | None = None) -> "JoinDesk":
        """A desk on a connection of its own (the join server's), reading the rotation there."""
        return cls(JoinRepository(db), clock, RoomReader(db, clock, groups).room)

    def close(self) -> None:
        """Close the desk's connection."""
        self.repo.close()

    # -- lookups ---------------------------------------------------------------------------
    def resolve(self, token: str) -> tuple[int, Station]:
        """(academy id, station) of a valid link; raises NotFound."""
        found = self.repo.station_for_token(token) if 16 <= len(token) <= 64 else None
        if found is None:
            raise NotFound(token)
        academy_id, station_id = found
        for station in self.view(academy_id).stations.values():
            if station.id == station_id:
                return academy_id, station
        raise NotFound(token)

    def secret(self, academy_id: int) -> bytes:
        """The academy's key secret, read once."""
        if academy_id not in self._secrets:
            self._secrets[academy_id] = self.repo.secret(academy_id)
        return self._secrets[academy_id]

    def key_of(self, academy_id: int, participant_id: int) -> str:
        """The key a phone carries for this person."""
        return participant_key(self.secret(academy_id), participant_id)

    def person(self, academy_id: int, key: object) -> int:
        """The participant id a phone's key stands for; raises UnknownPerson."""
        if not isinstance(key, str) or not 10 <= len(key) <= 64:
            raise UnknownPerson()
        keys = self._keys.get(academy_id, {})
        if key not in keys:  # someone new (a walk-in) or a first look: rebuild once
            secret = self.secret(academy_id)
            keys = {participant_key(secret, pid): pid for pid in self.repo.people(academy_id)}
            self._keys[academy_id] = keys
        if key not in keys:
            raise UnknownPerson()
        return keys[key]

    def view(self, academy_id: int) -> _View:
        """The rotation, the people and the stations, read at most every ROOM_TTL_S: 300
        phones following live updates share one read (a check-in does not change them)."""
        now = self.clock.monotonic()
        cached = self._cache.get(academy_id)
        if cached is None or not 0 <= now - cached.room.read_at < ROOM_TTL_S:
            people = self.repo.people(academy_id)
            cached = _View(self.room(academy_id), people,
                           {s.position: s for s in self.repo.stations(academy_id)},
                           name_index({pid: name for pid, (name, _) in people.items()}))
            self._cache[academy_id] = cached
        return cached

    def forget(self) -> None:
        """Drop the shared reads (the rotation moved, or someone joined)."""
        self._cache.clear()

    def _name(self, academy_id: int, pid: int) -> tuple[str, bool]:
        people = self.view(academy_id).people
        if pid not in people:  # someone added since the last read (a walk-in)
            self._cache.pop(academy_id, None)
            people = self.view(academy_id).people
        return people.get(pid, ("", False))

    # -- reads -----------------------------------------------------------------------------
    def info(self, token: str) -> dict:
        """The academy and station of a link: what the page shows before anyone signs in."""
        academy_id, station = self.resolve(token)
        return {"academy": self.repo.academy_title(academy_id),
                "station": station_payload(station)}

    def names(self, token: str, query: str) -> dict:
        """At most five names matching two or more typed letters, each with its key."""
        academy_id, _ = self.resolve(token)
        view = self.view(academy_id)
        ids = name_matches(query, view.index)
        if ids is None:
            return {"matches": [], "more": False, "hint": "Type at least two letters of your name."}
        secret = self.secret(academy_id)
        shown = ids[:MAX_SUGGESTIONS]
        return {"matches": [{"key": participant_key(secret, pid), "name": view.people[pid][0]}
                            for pid in shown],
                "more": len(ids) > len(shown)}

    def state(self, token: str, key: object) -> dict:
        """What one phone shows now: phase, time left, their group and where to be."""
        academy_id, scanned = self.resolve(token)
        pid = self.person(academy_id, key)
        view = self.view(academy_id)
        room, stations = view.room, view.stations
        mine = self.repo.checkins(academy_id, pid)  # their own, always current
        latest = mine[-1] if mine else None
        expected = room.expected_station(pid)
        name, walk_in = self._name(academy_id, pid)
        where = (stations.get(expected) or stations.get(latest.station_position if latest else 0)
                 or scanned)
        visited = sorted({c.station_position for c in mine if c.station_position in stations})
        arrived = latest is not None and (latest.station_position, latest.round) == (
            expected, room.checkin_round)
        return {
            "phase": room.phase, "round": room.round, "rounds_total": room.rounds_total,
            "remaining_s": round(room.remaining(self.clock.monotonic()), 1), "paused": room.paused,
            "you": {"name": name, "group": room.group_name(pid), "walk_in": walk_in},
            "scanned": scanned.position,
            "checked_in": ({"station": latest.station_position, "round": latest.round}
                           if latest else None),
            "station": station_payload(where),
            "move_to": (station_payload(stations[expected]) if room.phase == "transition"
                        and expected in stations and not arrived else None),
            "visited": [station_payload(stations[p]) for p in visited],
        }

    # -- writes (the caller commits, then announces ``Written.events``) --------------------
    def check_in(self, request: CheckInRequest) -> Written:
        """Check a known person in at the link's station, for the round now under way."""
        academy_id, station = self.resolve(request.token)
        return self._record(academy_id, station, self.person(academy_id, request.key))

    def walk_in(self, request: WalkInRequest) -> Written:
        """Add someone who is not on the roster (once, however often they tap) and check them
        in; a name that is on the roster checks that person in instead."""
        academy_id, station = self.resolve(request.token)
        name = clean_name(request.name)
        rostered = [pid for pid, (other, walk_in) in self.repo.people(academy_id).items()
                    if not walk_in and fold(other) == fold(name)]
        if len(rostered) == 1:  # they are on the roster after all: no duplicate person
            return self._record(academy_id, station, rostered[0])
        with self.repo.transaction():  # the new person and their check-in, or neither
            pid, _ = self.repo.walk_in(academy_id, name, self.clock.now())
            written = self._record(academy_id, station, pid, walk_in=True)
        self._keys.pop(academy_id, None)
        return replace(written, new_person=True)

    def reflect(self, request: ReflectionRequest) -> Written:
        """Store a reflection on a station the person checked in at; a retry is the same one."""
        academy_id, _ = self.resolve(request.token)
        pid = self.person(academy_id, request.key)
        text = clean_reflection(request.text)
        position = request.station
        visited = {c.station_position: c.station_id for c in self.repo.checkins(academy_id, pid)}
        if position not in visited:
            raise ValidationError(f"You have not checked in at Station {position}, so you cannot "
                                  "reflect on it.")
        request_id = clean_text(request.request_id, limit=64) if request.request_id else None
        _, duplicate = self.repo.add_reflection(academy_id, visited[position], pid, text,
                                                request.anonymous, request_id, self.clock.now())
        events = () if duplicate else (
            JoinEvent("reflected", academy_id, None if request.anonymous else pid, position),)
        return Written({"saved": True, "duplicate": duplicate, "station": position}, events)

    def _record(self, academy_id: int, station: Station, pid: int,
                walk_in: bool = False) -> Written:
        round_ = self.view(academy_id).room.checkin_round
        _, duplicate = self.repo.add_checkin(academy_id, pid, station.id, round_, self.clock.now())
        name, is_walk_in = self._name(academy_id, pid)
        reply = {"checked_in": True, "duplicate": duplicate, "name": name,
                 "key": self.key_of(academy_id, pid), "walk_in": is_walk_in,
                 "station": station.position, "round": round_}
        return Written(reply, (JoinEvent("walked_in" if walk_in else "checked_in", academy_id,
                                         pid, station.position, round_),))
