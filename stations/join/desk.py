"""The join desk: what each phone request may read and write. No Qt, no SQL, no network.

``JoinDesk`` holds the rules, synchronous, over the join repository of one SQLite connection.
Each write is a typed request (``CheckInRequest``, ``WalkInRequest``, ``ReflectionRequest``) with
a method of its own, and returns ``Written``: the phone's reply and the events to announce once
the write has committed — the caller commits (``routes`` in batches, the service one by one),
so nobody hears of a change that is not saved. Both the window ("Let phones join") and
``workshop serve`` use it, through ``routes``.

Phones never receive the roster or an email. A name search finds a person only by their name
typed *exactly enough* (``name_matches``: "Maria N", a full name, a first name alone for the
people expected at this station) and shows at most three; each phone, and each address, is
shown at most ``JoinLimits.names_per_phone`` people in all (``guard``), however it asks. Each name
comes with the person's *key* (an HMAC of their id under a per-academy secret), which later
requests carry instead of an id that could be counted through; a phone that has checked in as
one person cannot check in as another, and walk-ins beyond a phone's allowance wait for the
facilitator's approval (``WaitingWalkIn``). Requests without a ``client`` (the window's own
records, the demo) are the facilitator's and are not limited.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from typing import Callable

from stations.join.identity.guard import Client, Guard
from stations.join.model import JoinEvent, Refused, clean_name, clean_reflection
from stations.join.search import StationSearch, participant_key
from stations.join.shared import REBUILD_S, PhoneBook, SharedView, SharedViews, phone_state
from stations.rotation.wording import scan_hint
from stations.join.room import Room, RoomReader, station_payload
from stations.repository.join import JoinRepository
from stations.setup.model import Group, Station
from workshop.errors import ValidationError
from workshop.text import clean_text, fold

RESYNC_S = 15.0        # a live stream re-sends the time left at least this often
DRIFT_S = 1.5          # … and at once when the phone's own countdown would be off by more
COUNTING_PHASES = ("round", "transition", "debrief")

WAITING = "The facilitator will let you in shortly. Keep this page open."
WAITING_FULL = ("This phone already has people waiting for the facilitator. "
                "Ask the facilitator to let them in.")
REJECTED = "The facilitator did not add you. Please ask them at the front."


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
    client: Client | None = None


@dataclass(frozen=True)
class WalkInRequest:
    """Someone not found on the roster types their name at a station."""
    token: str
    name: str
    client: Client | None = None


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
    # (academy id, participant id, position, round, run, seq) of each check-in it recorded:
    # the server's loop adds them to its ``PhoneBook`` once committed.
    checkins: tuple[tuple[int, int, int, int, int, int], ...] = ()


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


def changes_in(state: dict) -> float | None:
    """Seconds until a phone's state changes by itself: the countdown's end (None: it waits)."""
    if state["phase"] in COUNTING_PHASES and not state["paused"]:
        return state["remaining_s"]
    return None


class JoinDesk:
    """The check-in and reflection rules over one connection's join repository."""

    def __init__(self, repo: JoinRepository, clock, room: Callable[[int], Room],
                 guard: Guard | None = None):
        """``room(academy_id)``: how this desk reads the rotation; ``guard``: the running server's
        budgets, shared by its desks (None: the facilitator's own desk, unlimited)."""
        self.repo = repo
        self.clock = clock
        self.room = room
        self.guard = guard
        self._keys: dict[int, dict[str, int]] = {}
        self.shared = SharedViews(repo, clock, room)
        self._secrets: dict[int, bytes] = {}

    @classmethod
    def on(cls, db, clock, groups: Callable[[int], list[Group] | None] | None = None,
           guard: Guard | None = None) -> "JoinDesk":
        """A desk on a connection of its own (the join server's), reading the rotation there."""
        return cls(JoinRepository(db), clock, RoomReader(db, clock, groups).room, guard)

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

    def view(self, academy_id: int) -> SharedView:
        """The rotation, the people and the stations every phone shares, from memory while
        nothing changed (``stations.join.shared``; a check-in changes none of them)."""
        return self.shared.get(academy_id)

    def forget(self) -> None:
        """Drop the shared reads (the rotation moved, or someone joined)."""
        self.shared.forget()

    def changed(self) -> bool:
        """Whether a commit elsewhere changed what phones see (``SharedViews.changed``)."""
        return self.shared.changed()

    def _name(self, academy_id: int, pid: int) -> tuple[str, bool]:
        people = self.view(academy_id).people
        if pid not in people:  # someone added since the last read (a walk-in)
            self.shared.forget(academy_id)
            people = self.view(academy_id).people
        return people.get(pid, ("", False))

    # -- reads -----------------------------------------------------------------------------
    def info(self, token: str) -> dict:
        """The academy and station of a link: what the page shows before anyone signs in."""
        academy_id, station = self.resolve(token)
        return {"academy": self.repo.academy_title(academy_id),
                "station": station_payload(station)}

    def search(self, token: str) -> StationSearch:
        """A link's name search, to answer queries with (on any thread) until its ``until``."""
        academy_id, station = self.resolve(token)
        view = self.view(academy_id)
        # Kept as long as this desk would keep the view without looking at the data again,
        # counted from when it last did (not from when it read the view: past REBUILD_S, that
        # made every search a hop to the reader while the data stayed the same).
        until = min(view.until, max(view.room.read_at, view.checked) + REBUILD_S)
        return StationSearch(academy_id, view.index, view.people,
                             frozenset(view.room.expected_at().get(station.position, ())),
                             self.secret(academy_id), self.guard, until)

    def names(self, token: str, query: str, client: Client | None = None) -> dict:
        """The people the query names exactly enough (at most three, those expected at this
        station first), each with its key — within the phone's budget of names."""
        return self.search(token).answer(query, client)

    def _reveal(self, academy_id: int, client: Client | None, ids: list[int]) -> bool:
        return self.guard is None or client is None or self.guard.reveal(academy_id, client, ids)

    def walk_in_status(self, token: str, ticket: object, client: Client | None = None) -> dict:
        """What a phone whose walk-in waits for approval shows now: still waiting, let in (with
        the person's key, as a check-in answers), or turned away."""
        academy_id, _ = self.resolve(token)
        found = (self.repo.request(ticket=ticket)
                 if isinstance(ticket, str) and 16 <= len(ticket) <= 64 else None)
        if found is None or found.academy_id != academy_id:
            raise ValidationError("That request to join is not known here. Join again.")
        if found.status == "waiting":
            return {"waiting": True, "name": found.name, "message": WAITING}
        if found.status != "approved" or found.participant_id is None:
            return {"rejected": True, "message": REJECTED}
        pid = found.participant_id
        if self.guard is not None and client is not None:
            self.guard.bind(academy_id, client, pid, facilitator=True)  # they approved it
        mine = self.repo.checkins(academy_id, pid)
        return {"checked_in": True, "duplicate": False, "name": found.name,
                "key": self.key_of(academy_id, pid), "walk_in": True,
                "station": found.station_position, "round": mine[-1].round if mine else 0}

    def state(self, token: str, key: object) -> dict:
        """What one phone shows now: phase, time left, their group and where to be."""
        academy_id, scanned = self.resolve(token)
        pid = self.person(academy_id, key)
        self._name(academy_id, pid)  # someone added since the last read: read the view again
        view = self.view(academy_id)
        mine = self.repo.checkins(academy_id, pid, run=view.room.checkin_run)  # oldest first
        return phone_state(view, scanned, pid, [(c.station_position, c.round) for c in mine],
                           self.clock.monotonic())

    def book(self, token: str) -> tuple[int, Station, PhoneBook]:
        """(academy id, station, its academy's ``PhoneBook``) of a link: for the server's loop
        to answer live streams from; raises NotFound."""
        academy_id, station = self.resolve(token)
        view = self.view(academy_id)
        keys = self._keys.get(academy_id)
        if keys is None or set(keys.values()) != view.people.keys():  # someone joined or left
            secret = self.secret(academy_id)
            keys = self._keys[academy_id] = {participant_key(secret, pid): pid
                                             for pid in view.people}
        book = PhoneBook(academy_id, view, dict(keys), {}, self.clock)
        for pid, position, round_, seq in self.repo.visits(academy_id, view.room.checkin_run):
            book.checked_in(pid, position, round_, view.room.checkin_run, seq)
        return academy_id, station, book

    # -- writes (the caller commits, then announces ``Written.events``) --------------------
    def check_in(self, request: CheckInRequest) -> Written:
        """Check a known person in at the link's station, for the round now under way."""
        academy_id, station = self.resolve(request.token)
        pid = self.person(academy_id, request.key)
        self._act_as(academy_id, request.client, pid)
        return self._record(academy_id, station, pid, client=request.client)

    def _act_as(self, academy_id: int, client: Client | None, pid: int) -> None:
        """Refuse a phone that already acts as someone else (one phone, one person)."""
        bound = self.guard.bound(academy_id, client) if self.guard and client else None
        if bound is not None and bound != pid:
            raise Refused(409, f"This phone is checked in as {self._name(academy_id, bound)[0]}. "
                               "Ask the facilitator to check in someone else.")

    def walk_in(self, request: WalkInRequest) -> Written:
        """Add someone who is not on the roster (once, however often they tap) and check them
        in; a name already known (on the roster, or an earlier walk-in) checks that person in
        instead. Beyond the phone's or the station's allowance, the walk-in waits for the
        facilitator's approval and the phone is told so."""
        academy_id, station = self.resolve(request.token)
        name, client = clean_name(request.name), request.client
        people = self.repo.people(academy_id).items()
        rostered = [pid for pid, (other, walk_in) in people if not walk_in and fold(other) == fold(name)]
        earlier = [pid for pid, (other, walk_in) in people if walk_in and fold(other) == fold(name)]
        known = rostered if len(rostered) == 1 else earlier[:1] if not rostered else []
        if known and not self._reveal(academy_id, client, known):
            known = []  # past its budget: as for a name nobody has (a 429 said "on the roster")
        if known:  # no duplicate person: they claim that one, as a search and a tap would
            self._act_as(academy_id, client, known[0])
            return self._record(academy_id, station, known[0], client=client)
        if self.guard is not None and client is not None and (
                self.guard.bound(academy_id, client) is not None
                or not self.guard.may_walk_in(academy_id, client, station.id)):
            return self._wait(academy_id, station, name, client)
        with self.repo.transaction():  # the new person and their check-in, or neither
            pid, _ = self.repo.walk_in(academy_id, name, self.clock.now())
            written = self._record(academy_id, station, pid, walk_in=True, client=client)
        if self.guard is not None and client is not None:
            self.guard.walked_in(academy_id, client, station.id)
        self._keys.pop(academy_id, None)
        return replace(written, new_person=True)

    def _wait(self, academy_id: int, station: Station, name: str, client: Client) -> Written:
        with self.repo.transaction():
            if self.repo.waiting_from(academy_id, client.device, client.address) >= (
                    self.guard.limits.waiting_per_phone if self.guard else 0):
                raise Refused(429, WAITING_FULL)
            ticket, new = self.repo.add_waiting(academy_id, station.id, name, client.device,
                                                client.address, secrets.token_urlsafe(18),
                                                self.clock.now())
        return Written({"waiting": True, "ticket": ticket, "name": name, "message": WAITING},
                       (JoinEvent("walk_in_waiting", academy_id, None, station.position),)
                       if new else ())

    def admit(self, request_id: int) -> Written:
        """(The facilitator.) Let a waiting walk-in in: the new person, their check-in at the
        station they asked at, and the request marked approved — all or nothing."""
        found = self.repo.request(request_id)
        if found is None or found.status != "waiting":
            raise ValidationError("That walk-in is no longer waiting.")
        station = next((s for s in self.view(found.academy_id).stations.values()
                        if s.id == found.station_id), None)
        if station is None:
            raise ValidationError("The station that walk-in asked at no longer exists.")
        with self.repo.transaction():
            pid, _ = self.repo.walk_in(found.academy_id, found.name, self.clock.now())
            written = self._record(found.academy_id, station, pid, walk_in=True)
            if not self.repo.decide(request_id, "approved", pid, self.clock.now()):
                raise ValidationError("That walk-in is no longer waiting.")
        self._keys.pop(found.academy_id, None)
        self.shared.forget(found.academy_id)
        return replace(written, new_person=True, events=written.events + (
            JoinEvent("walk_in_decided", found.academy_id, pid, station.position),))

    def turn_away(self, request_id: int) -> Written:
        """(The facilitator.) Reject a waiting walk-in: nobody is added; their phone is told."""
        found = self.repo.request(request_id)
        if found is None or not self.repo.decide(request_id, "rejected", None, self.clock.now()):
            raise ValidationError("That walk-in is no longer waiting.")
        return Written({"rejected": True}, (JoinEvent("walk_in_decided", found.academy_id),))

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

    def _record(self, academy_id: int, station: Station, pid: int, walk_in: bool = False,
                client: Client | None = None) -> Written:
        room = self.view(academy_id).room
        round_ = room.checkin_round
        _, duplicate = self.repo.add_checkin(academy_id, pid, station.id, round_, self.clock.now(),
                                             room.checkin_run)
        if self.guard is not None and client is not None:
            self.guard.bind(academy_id, client, pid)
        name, is_walk_in = self._name(academy_id, pid)
        reply = {"checked_in": True, "duplicate": duplicate, "name": name,
                 "key": self.key_of(academy_id, pid), "walk_in": is_walk_in,
                 "station": station.position, "round": round_,
                 "expect": scan_hint(room.phase, round_, room.rounds_total, True)}
        return Written(reply, (JoinEvent("walked_in" if walk_in else "checked_in", academy_id,
                                         pid, station.position, round_),),
                       checkins=((academy_id, pid, station.position, round_, room.checkin_run,
                                  self.repo.last_seq),))
