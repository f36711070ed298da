"""Phone join handlers: what each request of the phone page does. No Qt.

``JoinDesk`` holds the logic, synchronous, on one SQLite connection of the join server's own.
``JoinApp`` maps URLs onto two desks for ``workshop.net.LanServer``: one on a reading thread, one
on a writing thread whose writes are committed (and only then acknowledged) in batches, while the
event loop keeps serving pages and live updates. Both the window ("Let phones join") and
``workshop serve`` use them.

Phones never receive the roster or an email: a name search needs two letters and returns at most
five names; each name comes with the person's *key* (an HMAC of their id under a per-academy
secret), which later requests carry instead of an id that could be counted through.
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import html
import json
import logging
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable

from aiohttp import web

from assets import asset_path
from stations.join.model import (MAX_SUGGESTIONS, JoinEvent, clean_name, clean_reflection,
                                 name_index, name_matches)
from stations.join.room import Room, RoomReader, station_payload
from stations.setup.model import Group, Station
from stations.repository.join import JoinRepository, immediate
from workshop.academy.model import ValidationError, clean_text, fold
from workshop.net import (API_PREFIX, ApiError, field, json_response, not_found, read_json)
from workshop.store import open_database

log = logging.getLogger(__name__)

ROOM_TTL_S = 0.5       # phones following live updates share one read of the rotation
LIVE_INTERVAL_S = 1.0  # how often a live stream looks for changes
RESYNC_S = 15.0        # a live stream re-sends the time left at least this often
DRIFT_S = 1.5          # … and at once when the phone's own countdown would be off by more
NUDGE_SPREAD_S = 0.4   # a rotation change reaches every phone within this (plus a read)
PAGE_FILES = {"app.js": "text/javascript", "app.css": "text/css"}


class NotFound(Exception):
    """No such station link (never was, or regenerated): the phone gets the plain 404 page."""


class UnknownPerson(ApiError):
    def __init__(self):
        super().__init__(403, "This phone's sign-in is no longer valid. Find your name again.")


def participant_key(secret: bytes, participant_id: int) -> str:
    digest = hmac.new(secret, f"participant:{participant_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


class JoinDesk:
    def __init__(self, db, clock, notify: Callable[[JoinEvent], None] = lambda e: None,
                 groups: Callable[[int], list[Group] | None] | None = None,
                 room: Callable[[int], Room] | None = None):
        """``groups``: the saved grouping on this connection; ``room``: how to read the rotation
        (default: read-only from this connection's log; the window passes its own service's)."""
        self.db = db
        self.clock = clock
        self.notify = notify
        self.repo = JoinRepository(db)
        self.rooms = RoomReader(db, clock, groups)
        self.room = room or self.rooms.room
        self._keys: dict[int, dict[str, int]] = {}
        self._cache: dict[int, _View] = {}
        self._secrets: dict[int, bytes] = {}
        self._deferred: list[JoinEvent] | None = None

    # -- lookups ---------------------------------------------------------------------------
    def resolve(self, token: str) -> tuple[int, Station]:
        found = self.repo.station_for_token(token) if 16 <= len(token) <= 64 else None
        if found is None:
            raise NotFound(token)
        academy_id, station_id = found
        for station in self.view(academy_id).stations.values():
            if station.id == station_id:
                return academy_id, station
        raise NotFound(token)

    def secret(self, academy_id: int) -> bytes:
        if academy_id not in self._secrets:
            self._secrets[academy_id] = self.repo.secret(academy_id)
        return self._secrets[academy_id]

    def key_of(self, academy_id: int, participant_id: int) -> str:
        return participant_key(self.secret(academy_id), participant_id)

    def person(self, academy_id: int, key: object) -> int:
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

    def view(self, academy_id: int) -> "_View":
        """The rotation, the people and the stations, read at most every ROOM_TTL_S: 300
        phones following live updates share one read (a check-in does not change them)."""
        now = self.clock.monotonic()
        cached = self._cache.get(academy_id)
        if cached is None or not 0 <= now - cached.room.read_at < ROOM_TTL_S:
            people = self.repo.people(academy_id)
            cached = _View(self.room(academy_id), people,
                           {s.position: s for s in self.rooms.stations.repo.stations(academy_id)},
                           name_index({pid: name for pid, (name, _) in people.items()}))
            self._cache[academy_id] = cached
        return cached

    def forget(self) -> None:
        """Drop the shared reads (the rotation moved)."""
        self._cache.clear()

    def _name(self, academy_id: int, pid: int) -> tuple[str, bool]:
        people = self.view(academy_id).people
        if pid not in people:  # someone added since the last read (a walk-in)
            self._cache.pop(academy_id, None)
            people = self.view(academy_id).people
        return people.get(pid, ("", False))

    def _changed(self, event: JoinEvent) -> None:
        if self._deferred is not None:
            self._deferred.append(event)  # announced once the batch has committed
        else:
            self.notify(event)

    def run_batch(self, calls: list[tuple[Callable, tuple]]) -> list:
        """Run several writes in one transaction (one commit for a burst of check-ins); each
        call in its own savepoint, so one refused request does not undo the others. Returns
        each call's result or exception; events are announced after the commit."""
        self._deferred, outcomes = [], []
        try:
            with immediate(self.db):
                for fn, args in calls:
                    announced = len(self._deferred)
                    try:
                        with self.db.atomic():
                            outcomes.append(fn(*args))
                    except Exception as exc:  # the phone gets its own error
                        del self._deferred[announced:]  # nothing happened: nothing to announce
                        outcomes.append(exc)
            events = self._deferred
        finally:
            self._deferred = None
        for event in events:
            self.notify(event)
        return outcomes

    # -- requests --------------------------------------------------------------------------
    def info(self, token: str) -> dict:
        academy_id, station = self.resolve(token)
        title = self.db.execute("SELECT title FROM academies WHERE id = ?", [academy_id]).fetchone()
        return {"academy": title[0] if title else "", "station": station_payload(station)}

    def names(self, token: str, query: str) -> dict:
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

    def check_in(self, token: str, key: object) -> dict:
        academy_id, station = self.resolve(token)
        pid = self.person(academy_id, key)
        result, event = self._record(academy_id, station, pid)
        self._changed(event)
        return result

    def _record(self, academy_id: int, station: Station, pid: int,
                walk_in: bool = False) -> tuple[dict, JoinEvent]:
        """Commit a check-in; the caller announces the event once its transaction is over."""
        round_ = self.view(academy_id).room.checkin_round
        _, duplicate = self.repo.add_checkin(academy_id, pid, station.id, round_, self.clock.now())
        name, is_walk_in = self._name(academy_id, pid)
        result = {"checked_in": True, "duplicate": duplicate, "name": name,
                  "key": self.key_of(academy_id, pid), "walk_in": is_walk_in,
                  "station": station.position, "round": round_}
        return result, JoinEvent("walked_in" if walk_in else "checked_in", academy_id, pid,
                                 station.position, round_)

    def walk_in(self, token: str, name: object) -> dict:
        academy_id, station = self.resolve(token)
        name = clean_name(name)
        rostered = [pid for pid, (other, walk_in) in self.repo.people(academy_id).items()
                    if not walk_in and fold(other) == fold(name)]
        if len(rostered) == 1:  # they are on the roster after all: no duplicate person
            result, event = self._record(academy_id, station, rostered[0])
        else:
            with immediate(self.db):  # the new person and their check-in, or neither
                pid, _ = self.repo.walk_in(academy_id, name, self.clock.now())
                result, event = self._record(academy_id, station, pid, walk_in=True)
            self._keys.pop(academy_id, None)
        self._changed(event)
        return result

    def reflect(self, token: str, key: object, position: int, text: object, anonymous: bool,
                request_id: str | None) -> dict:
        academy_id, _ = self.resolve(token)
        pid = self.person(academy_id, key)
        text = clean_reflection(text)
        visited = {c.station_position: c.station_id for c in self.repo.checkins(academy_id, pid)}
        if position not in visited:
            raise ValidationError(f"You have not checked in at Station {position}, so you cannot "
                                  "reflect on it.")
        request_id = clean_text(request_id, limit=64) if request_id else None
        _, duplicate = self.repo.add_reflection(academy_id, visited[position], pid, text,
                                                anonymous, request_id, self.clock.now())
        if not duplicate:
            self._changed(JoinEvent("reflected", academy_id, None if anonymous else pid, position))
        return {"saved": True, "duplicate": duplicate, "station": position}

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


def render_page(template: bytes, info: dict) -> bytes:
    """The phone page with its station filled in, so the name shows before any script runs and
    the page needs one request fewer. Escaped: titles are typed by people."""
    text = template.decode("utf-8")
    data = json.dumps({"v": 1, **info}, ensure_ascii=False)
    text = text.replace('<meta name="join-station" content="">',
                        f'<meta name="join-station" content="{html.escape(data, quote=True)}">', 1)
    text = text.replace('<p id="academy" class="academy"></p>',
                        f'<p id="academy" class="academy">{html.escape(info["academy"])}</p>', 1)
    text = text.replace('<h1 id="station">Loading your station…</h1>',
                        f'<h1 id="station">{html.escape(info["station"]["title"])}</h1>', 1)
    text = text.replace("<title>Check in at your station</title>",
                        f"<title>{html.escape(info['station']['title'])}</title>", 1)
    return text.encode("utf-8")


@dataclass(frozen=True)
class _View:
    room: Room
    people: dict[int, tuple[str, bool]]    # participant id -> (name, walk-in?)
    stations: dict[int, Station]           # position -> station
    index: list                            # name_index of the people, for the search


class JoinApp:
    """The phone-join routes, for ``LanServer(setup=JoinApp(...).setup)``.

    Two worker threads, each with its own SQLite connection: one reads (pages, searches, live
    updates), one writes. Writes that arrive together are committed together — a burst of 300
    check-ins costs a few commits, not 300 — and each phone is answered once its write has
    committed. Reads never wait behind writes (WAL).
    """

    def __init__(self, db_path: Path | str, clock, notify: Callable[[JoinEvent], None],
                 groups_factory: Callable[[object], Callable] | None = None,
                 live_interval: float = LIVE_INTERVAL_S):
        self.db_path = db_path
        self.clock = clock
        self.notify = notify
        self.groups_factory = groups_factory
        self.live_interval = live_interval
        self.page = asset_path("join", "index.html").read_bytes()
        self.files = {name: asset_path("join", name).read_bytes() for name in PAGE_FILES}
        self.tags = {name: '"%s"' % hashlib.sha256(body).hexdigest()[:16]
                     for name, body in self.files.items()}
        self.desk: JoinDesk | None = None      # the reader's
        self.writer: JoinDesk | None = None
        self._reads: ThreadPoolExecutor | None = None
        self._writes: ThreadPoolExecutor | None = None
        self._closing: asyncio.Event | None = None
        self._stir: asyncio.Event | None = None  # set (then replaced) to wake every live stream
        self._generation = 0  # counts nudges: a stream that read during one reads again
        self._pending: list[tuple[Callable, tuple, asyncio.Future]] = []
        self._wake: asyncio.Event | None = None
        self._batcher: asyncio.Task | None = None

    def setup(self, app: web.Application) -> None:
        self._reads = ThreadPoolExecutor(1, thread_name_prefix="join-read")
        self._writes = ThreadPoolExecutor(1, thread_name_prefix="join-write")
        self._closing = asyncio.Event()
        self._stir = asyncio.Event()
        self._wake = asyncio.Event()
        app.on_startup.append(self._open)
        app.on_shutdown.append(self._close_streams)
        app.on_cleanup.append(self._cleanup)
        p = API_PREFIX
        app.router.add_get("/s/{token}", self.page_view)
        app.router.add_get("/join/{name}", self.file_view)
        app.router.add_get(p + "/s/{token}", self.info_view)
        app.router.add_get(p + "/s/{token}/names", self.names_view)
        app.router.add_post(p + "/s/{token}/checkin", self.checkin_view)
        app.router.add_post(p + "/s/{token}/walkin", self.walkin_view)
        app.router.add_post(p + "/s/{token}/reflections", self.reflection_view)
        app.router.add_get(p + "/s/{token}/state", self.state_view)
        app.router.add_get(p + "/s/{token}/live", self.live_view)

    # -- the worker threads that own the connections ---------------------------------------
    async def _open(self, app) -> None:
        loop = asyncio.get_running_loop()
        self.desk = await loop.run_in_executor(self._reads, self._make_desk)
        self.writer = await loop.run_in_executor(self._writes, self._make_desk)
        self._batcher = asyncio.create_task(self._write_batches())

    def _make_desk(self) -> JoinDesk:
        db = open_database(self.db_path)
        groups = self.groups_factory(db) if self.groups_factory else None
        return JoinDesk(db, self.clock, self.notify, groups)

    async def _close_streams(self, app) -> None:
        self._closing.set()
        self._stir.set()

    def nudge(self) -> None:
        """(On the server's loop.) The rotation moved: read it again and wake every live stream
        now rather than at its next look."""
        if self.desk is None or self._closing.is_set():
            return
        self._reads.submit(self.desk.forget)  # the reader's queue runs it before their reads
        self._generation += 1
        stir, self._stir = self._stir, asyncio.Event()
        stir.set()

    async def _cleanup(self, app) -> None:
        loop = asyncio.get_running_loop()
        if self._batcher is not None:
            self._batcher.cancel()
        for desk, pool in ((self.desk, self._reads), (self.writer, self._writes)):
            if desk is not None:
                await loop.run_in_executor(pool, desk.db.close)
            pool.shutdown(wait=True)

    async def call(self, fn: Callable, *args):
        """Run a reading desk method on the reader's thread."""
        return await asyncio.get_running_loop().run_in_executor(self._reads, partial(fn, *args))

    async def write(self, method: str, *args):
        """Queue a write; its result once the batch it joined has committed."""
        future = asyncio.get_running_loop().create_future()
        self._pending.append((getattr(self.writer, method), args, future))
        self._wake.set()
        outcome = await future
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    async def _write_batches(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._wake.wait()
            self._wake.clear()
            batch, self._pending = self._pending, []
            if not batch:
                continue
            try:
                outcomes = await loop.run_in_executor(
                    self._writes, self.writer.run_batch, [(fn, args) for fn, args, _ in batch])
            except Exception as exc:  # the commit itself failed: nobody is acknowledged
                log.exception("join: a batch of %d writes failed", len(batch))
                outcomes = [ApiError(503, "The laptop could not save that. Try again.")] * len(batch)
            if any(getattr(fn, "__name__", "") == "walk_in" for fn, _, _ in batch):
                self._reads.submit(self.desk.forget)  # searches find the new person at once
            for (_, _, future), outcome in zip(batch, outcomes):
                if not future.done():
                    future.set_result(outcome)

    # -- views -----------------------------------------------------------------------------
    async def page_view(self, request: web.Request) -> web.Response:
        try:
            info = await self.call(self.desk.info, request.match_info["token"])
        except NotFound:
            return not_found()
        return web.Response(body=render_page(self.page, info), content_type="text/html",
                            charset="utf-8", headers={"Cache-Control": "no-store"})

    async def file_view(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in self.files:
            return not_found()
        # The next station's scan revalidates instead of downloading again (a 304).
        tag = self.tags[name]
        headers = {"Cache-Control": "no-cache", "ETag": tag}
        if request.headers.get("If-None-Match") == tag:
            return web.Response(status=304, headers=headers)
        return web.Response(body=self.files[name], content_type=PAGE_FILES[name], charset="utf-8",
                            headers=headers)

    async def _api(self, fn: Callable | str, *args) -> web.Response:
        try:
            if isinstance(fn, str):
                return json_response(await self.write(fn, *args))
            return json_response(await self.call(fn, *args))
        except NotFound:
            return not_found()
        except ValidationError as exc:
            raise ApiError(400, str(exc)) from None

    async def info_view(self, request: web.Request) -> web.Response:
        return await self._api(self.desk.info, request.match_info["token"])

    async def names_view(self, request: web.Request) -> web.Response:
        query = request.query.get("q", "")
        if len(query) > 200:
            raise ApiError(400, "That is longer than any name.")
        return await self._api(self.desk.names, request.match_info["token"], query)

    async def checkin_view(self, request: web.Request) -> web.Response:
        body = await read_json(request)
        return await self._api("check_in", request.match_info["token"],
                               field(body, "key", str))

    async def walkin_view(self, request: web.Request) -> web.Response:
        body = await read_json(request)
        return await self._api("walk_in", request.match_info["token"],
                               field(body, "name", str))

    async def reflection_view(self, request: web.Request) -> web.Response:
        body = await read_json(request)
        return await self._api(
            "reflect", request.match_info["token"], field(body, "key", str),
            field(body, "station", int), field(body, "text", str),
            field(body, "anonymous", bool, required=False, default=False),
            field(body, "request_id", str, required=False))

    async def state_view(self, request: web.Request) -> web.Response:
        return await self._api(self.desk.state, request.match_info["token"],
                               request.query.get("key", ""))

    async def live_view(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events: the phone's state when it changes (and every RESYNC_S)."""
        token, key = request.match_info["token"], request.query.get("key", "")
        generation = self._generation
        try:
            state = await self.call(self.desk.state, token, key)
        except NotFound:
            return not_found()
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream; charset=utf-8",
                                               "Cache-Control": "no-store"})
        await response.prepare(request)
        loop = asyncio.get_running_loop()
        last, sent_at, sent_left = None, 0.0, 0.0
        try:
            await response.write(b"retry: 3000\n\n")
            while True:
                comparable = {k: v for k, v in state.items() if k != "remaining_s"}
                # The phone counts down by itself: resend when it would now be wrong (+1 min).
                counting = state["phase"] in ("round", "transition", "debrief") and not state["paused"]
                expected = sent_left - (loop.time() - sent_at) if counting else sent_left
                if (comparable != last or loop.time() - sent_at >= RESYNC_S
                        or abs(expected - state["remaining_s"]) > DRIFT_S):
                    data = json.dumps({"v": 1, **state}, ensure_ascii=False)
                    await response.write(f"data: {data}\n\n".encode())
                    last, sent_at, sent_left = comparable, loop.time(), state["remaining_s"]
                if generation == self._generation:  # else: nudged while reading, read again
                    try:
                        await asyncio.wait_for(self._stir.wait(), self.live_interval)
                        # Woken with every other phone: spread the re-reads so 300 phones do
                        # not take the interpreter from the window all in the same instant.
                        await asyncio.sleep(random.uniform(0, NUDGE_SPREAD_S))
                    except asyncio.TimeoutError:
                        pass
                if self._closing.is_set():
                    break  # the server is stopping
                generation = self._generation
                try:
                    state = await self.call(self.desk.state, token, key)
                except (NotFound, ApiError):
                    await response.write(b"event: gone\ndata: {}\n\n")
                    break
        except (ConnectionResetError, RuntimeError):
            pass  # the phone went away
        return response
