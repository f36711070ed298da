"""What every phone of an academy shares: the rotation, the people, the stations, the name index.

Built once and kept in memory (the join server's desks serve every read from it) until the data
changes — ``PRAGMA data_version`` says another connection committed — or the rotation's current
part ends by itself; and at most once per ``REBUILD_S`` however busy the database is. Rebuilding
it for 1,100 people takes ~3 ms: every 0.5 s on every thread, on the write path too, it made the
check-in p99 four times the floor's.
"""
from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Awaitable, Callable

from stations.join.model import counts_for, name_index
from stations.join.identity.names import NameIndex
from stations.join.room import Room, station_payload
from stations.rotation.wording import scan_hint
from stations.repository.join import JoinRepository
from stations.setup.model import Station

if TYPE_CHECKING:   # asyncio (~30 ms) loads with the server: the Attendance page needs no loop
    import asyncio

REBUILD_S = 0.5  # a burst of commits rebuilds at most this often


@dataclass
class SharedView:
    """One academy's shared reads, and until when they hold."""
    room: Room
    people: dict[int, tuple[str, bool]]    # participant id -> (name, walk-in?)
    stations: dict[int, Station]           # position -> station
    index: NameIndex                       # name_index of the people, for the search
    version: int                           # the data_version it was read at
    until: float                           # (monotonic) when the rotation's part ends by itself
    checked: float = -math.inf             # (monotonic) when the data was last seen the same

    def shown(self) -> tuple:
        """What phones see of it: two views that differ here need every phone told."""
        room = replace(self.room, remaining_s=0.0, read_at=0.0)
        ends = round(self.until, 1) if math.isfinite(self.until) else None
        return room, ends, self.people, self.stations


class SharedViews:
    """The shared reads of each academy on one connection (a desk's)."""

    def __init__(self, repo: JoinRepository, clock, room: Callable[[int], Room]):
        self.repo = repo
        self.clock = clock
        self.room = room
        self._views: dict[int, SharedView] = {}
        self._indexes: dict[int, tuple[dict, NameIndex]] = {}  # academy -> (its people, index)
        self.looked_at: int | None = None  # the data_version ``changed`` last saw

    def get(self, academy_id: int) -> SharedView:
        """The academy's view: kept while the data and the rotation's part are the same."""
        now = self.clock.monotonic()
        view = self._views.get(academy_id)
        if view is not None and now < view.until:
            if 0 <= now - view.room.read_at < REBUILD_S:
                return view
            if self.repo.data_version() == view.version:
                view.checked = now  # the data as read: what is built from it holds from now
                return view
        return self._build(academy_id)

    def _build(self, academy_id: int) -> SharedView:
        checked = self.clock.monotonic()
        version = self.repo.data_version()  # before reading: a commit during the read shows
        people = self.repo.people(academy_id)
        room = self.room(academy_id)
        until = (room.read_at + room.remaining_s if room.running and not room.paused
                 else math.inf)
        # Check-ins move data_version too, and change nobody's name: the name index (40 ms for
        # 1,000 people, every 0.5 s through a storm of check-ins) is kept while the people are.
        # (Kept apart from the views, so a rotation's ``forget`` keeps it too.)
        kept = self._indexes.get(academy_id)
        if kept is None or kept[0] != people:
            kept = self._indexes[academy_id] = (
                people, name_index({pid: name for pid, (name, _) in people.items()}))
        index = kept[1]
        view = SharedView(room, people, {s.position: s for s in self.repo.stations(academy_id)},
                          index, version, until, checked)
        self._views[academy_id] = view
        return view

    def forget(self, academy_id: int | None = None) -> None:
        """Drop the views (all, or one academy's): the next read rebuilds."""
        if academy_id is None:
            self._views.clear()
        else:
            self._views.pop(academy_id, None)

    def changed(self) -> bool:
        """Whether what phones see changed since the last call: one ``data_version`` when
        nothing was committed; else each view rebuilt and compared (check-ins change none)."""
        version = self.repo.data_version()
        if version == self.looked_at:
            return False
        self.looked_at = version
        changed = False
        for academy_id, old in list(self._views.items()):
            if self._build(academy_id).shown() != old.shown():
                changed = True
        return changed


def phone_state(view: SharedView, scanned: Station, pid: int,
                visits: list[tuple[int, int]], now: float) -> dict:
    """What one phone shows now (``JoinDesk.state`` and ``PhoneBook.state`` alike): phase, time
    left, their group and where to be. ``visits``: the person's check-ins of the current run as
    (station position, round), oldest first (a repeated tap counts as the latest); ``now`` on the
    reading desk's monotonic clock."""
    room, stations = view.room, view.stations
    latest = visits[-1] if visits else None
    expected = room.expected_station(pid)
    name, walk_in = view.people.get(pid, ("", False))
    where = (stations.get(expected) or stations.get(latest[0] if latest else 0) or scanned)
    visited = sorted({position for position, _ in visits if position in stations})
    counted = latest is not None and counts_for(latest[1], room.checkin_round)
    arrived = counted and latest is not None and latest[0] == expected
    return {
        "phase": room.phase, "round": room.round, "rounds_total": room.rounds_total,
        "remaining_s": round(room.remaining(now), 3), "paused": room.paused,
        "you": {"name": name, "group": room.group_name(pid), "walk_in": walk_in},
        "scanned": scanned.position,
        "checked_in": {"station": latest[0], "round": latest[1]} if latest else None,
        "station": station_payload(where),
        "move_to": (station_payload(stations[expected]) if room.phase == "transition"
                    and expected in stations and not arrived else None),
        "visited": [station_payload(stations[p]) for p in visited],
        "expect": scan_hint(room.phase, room.checkin_round, room.rounds_total, counted),
    }


@dataclass
class PhoneBook:
    """One academy's shared view with everyone's check-ins of the current run and their keys:
    what the server's loop answers every live stream's state from, with no hop to the reader
    thread (in bench_room the first state's hop was a queue entry, a thread wake-up and a loop
    wake-up per phone). Built by the reading desk; then changed only on the loop, by the
    check-ins the writer commits (``checked_in``), until the data changes otherwise."""
    academy_id: int
    view: SharedView
    keys: dict[str, int]                            # a phone's key -> participant id
    visits: dict[int, dict[tuple[int, int], int]]   # pid -> {(position, round): seq}
    clock: object                                   # the reading desk's (``view.room.read_at``)

    def checked_in(self, pid: int, position: int, round_: int, run: int, seq: int) -> None:
        """A committed check-in (replayed ones too: the latest tap's seq wins)."""
        if run == self.view.room.checkin_run:
            mine = self.visits.setdefault(pid, {})
            mine[(position, round_)] = max(seq, mine.get((position, round_), 0))

    def fresh(self) -> bool:
        """Whether the rotation's current part still runs as read (its end changes phases)."""
        return self.clock.monotonic() < self.view.until  # type: ignore[attr-defined]

    def state(self, scanned: Station, key: object) -> dict | None:
        """The phone's state, or None when this book cannot say (an unknown key, someone new,
        or the rotation's part has ended): the reader answers then."""
        now = self.clock.monotonic()  # type: ignore[attr-defined]
        pid = self.keys.get(key) if isinstance(key, str) else None
        if pid is None or pid not in self.view.people or now >= self.view.until:
            return None
        mine = self.visits.get(pid, {})
        return phone_state(self.view, scanned, pid, sorted(mine, key=mine.__getitem__), now)


class PhoneBooks:
    """(On the server's loop.) Each academy's ``PhoneBook`` and the links' stations; the builds
    under way (one per link however many streams ask at once, as after a rotation change); and
    the check-ins committed lately, numbered, to replay onto a book that was being read while
    they committed."""

    LOG = 4096  # committed check-ins kept for that replay

    def __init__(self, read: Callable[[str], Awaitable[tuple[int, Station, PhoneBook]]],
                 max_links: int):
        """``read(token)``: (academy id, station, book) from the reading desk (NotFound)."""
        self._read = read
        self._max_links = max_links
        self._books: dict[int, PhoneBook] = {}
        self._links: dict[str, tuple[int, Station]] = {}
        self._building: dict[str, asyncio.Future] = {}
        self._log: deque[tuple[int, tuple[int, int, int, int, int, int]]] = deque(maxlen=self.LOG)
        self._commits = 0
        self._dropped = 0

    def committed(self, checkins: list[tuple[int, int, int, int, int, int]]) -> None:
        """Check-ins the writer committed, as ``Written.checkins``."""
        for checkin in checkins:
            self._commits += 1
            self._log.append((self._commits, checkin))
            book = self._books.get(checkin[0])
            if book is not None:
                book.checked_in(*checkin[1:])

    def forget(self) -> None:
        """Someone joined: the next state reads a book with them in it."""
        self._books.clear()

    def drop(self) -> None:
        """The data changed otherwise (the window, links, the rotation): read every book again,
        and keep none that was being read meanwhile."""
        self._books.clear()
        self._links.clear()
        self._dropped += 1

    async def state(self, token: str, key: object) -> dict | None:
        """The phone's state from its academy's book (None: the book cannot say); raises
        NotFound for an unknown link."""
        import asyncio   # loaded already by the server that runs this coroutine
        link = self._links.get(token)
        book = self._books.get(link[0]) if link is not None else None
        if link is None or book is None or not book.fresh():
            pending = self._building.get(token)
            if pending is None:
                pending = self._building[token] = asyncio.ensure_future(self._build(token))
                pending.add_done_callback(lambda _: self._building.pop(token, None))
            link, book = await asyncio.shield(pending)
        return book.state(link[1], key)

    async def _build(self, token: str) -> tuple[tuple[int, Station], PhoneBook]:
        dropped, commits = self._dropped, self._commits
        academy_id, station, book = await self._read(token)
        # Replay what committed while it was read (in it already or not: the latest seq wins).
        for number, checkin in self._log:
            if number > commits and checkin[0] == academy_id:
                book.checked_in(*checkin[1:])
        # Kept unless a change overtook the read or the log no longer reaches back to it; it
        # answers this once either way, as a read by the reader at that moment would.
        if dropped == self._dropped and self._commits - commits <= len(self._log) \
                and len(self._links) < self._max_links:
            self._links[token] = (academy_id, station)
            self._books[academy_id] = book
        return (academy_id, station), book
