"""The phone-join routes: URLs onto the join desk, for ``workshop.net.LanServer``.

The only module of the stations feature that speaks aiohttp. Two desks, each on a worker thread
with its own SQLite connection: one reads (pages, searches, live updates), one writes through
``workshop.net.BatchWriter`` — writes that arrive together are committed together, and each
phone is answered once its write has committed. Reads never wait behind writes (WAL).

What a phone (or anything else) can be answered, whatever it sends — the fuzz of
tests/stations/join/test_fuzz_requests.py holds the server to it: 200, 304 (the page's files), 400 (a
malformed or out-of-date request), 403 (an unknown person's key), 404 (an unknown link, another
academy's link under ``workshop serve --academy``, any other path or method), 408 (a body that
stopped arriving), 413 (too large), 415 (not JSON), 417 (an ``Expect`` other than 100-continue),
429 (too many requests), 503 (the laptop could not save). Never 500.
"""
from __future__ import annotations

import asyncio
import logging
import secrets
from time import monotonic as _monotonic
from typing import Awaitable, Callable

from aiohttp import web

from stations.join.desk import (RESYNC_S, CheckInRequest, JoinDesk, NotFound, ReflectionRequest,
                                UnknownPerson, WalkInRequest, Written, changes_in, worth_sending)
from stations.join.identity.guard import DEVICE_COOKIE, Client
from stations.join.model import JoinEvent, Refused
from stations.join.page import PhonePage
from stations.join.identity.personal import personal
from stations.join.roomcheck import Heard
from stations.join.search import StationSearch
from stations.join.shared import PhoneBooks
from workshop.errors import ValidationError
from workshop.net.server import NOTE_REQUEST
from workshop.net import (API_PREFIX, ApiError, BatchFailed, BatchWriter, Broadcast, Worker,
                          expect_continue, field, json_response, not_found, read_json,
                          serve_events)

log = logging.getLogger(__name__)

# Live streams re-read when told something changed (pushed), when a countdown ends, and at
# least this often; they no longer poll (1,000 idle streams polling each second took 32 % of a
# core).
LIVE_INTERVAL_S = RESYNC_S
WATCH_S = 1.0          # how often the server looks whether the window changed what phones see
NUDGE_SPREAD_S = 0.4   # a rotation change reaches every phone within this (plus a read)
MAX_QUERY = 200        # characters: longer than any name
# A station link's token as the repository makes them (secrets.token_urlsafe); anything else is
# refused by the router, before any lookup, like an unknown link.
TOKEN = "{token:[A-Za-z0-9_-]{16,64}}"
PERSONAL = "{personal:[A-Za-z0-9_-]{16,64}}"  # not "{token": scoped by its own academy below
MAX_SCOPED_TOKENS = 1024  # tokens remembered as belonging to the served academy (or not)


class JoinApp:
    """The phone-join routes, for ``LanServer(setup=JoinApp(...).setup)``."""

    def __init__(self, open_desk: Callable[[], JoinDesk], notify: Callable[[JoinEvent], None],
                 live_interval: float = LIVE_INTERVAL_S, academy_id: int | None = None,
                 monotonic: Callable[[], float] | None = None):
        """``open_desk()``: a desk on a new connection of its own (called on each worker's
        thread); ``notify(event)``: after each committed change, on the writer's thread;
        ``academy_id``: serve only this academy's links (``workshop serve --academy``);
        ``monotonic``: the clock the room check counts with."""
        self.notify = notify
        self.academy_id = academy_id
        self._academy_of: dict[str, int] = {}  # token -> its academy, once looked up
        # token -> (its info, the page rendered with it), served from memory on the loop: a
        # scan costs no hop to the reader and no rendering. Dropped whenever the data or the
        # links may have changed (``_drop_pages``), so an old code 404s as before.
        self._pages: dict[str, tuple[dict, bytes]] = {}
        self._searches: dict[str, StationSearch] = {}  # token -> its name search, likewise
        # The live streams' states, answered on the loop from each academy's phone book.
        self.books = PhoneBooks(lambda token: self.reader.call(lambda desk: desk.book(token)),
                                MAX_SCOPED_TOKENS)
        self._data_seen: int | None = None
        self._pages_dropped = 0
        self.page = PhonePage()
        self.reader: Worker[JoinDesk] = Worker(open_desk, JoinDesk.close, "join-read")
        self.writer: BatchWriter[JoinDesk] = BatchWriter(
            open_desk, JoinDesk.close, name="join-write",
            transaction=lambda desk: desk.repo.transaction(),
            savepoint=lambda desk: desk.repo.savepoint(), committed=self._committed)
        self.live = Broadcast(live_interval, NUDGE_SPREAD_S)
        self._monotonic = monotonic or _monotonic
        self.heard = Heard(self._monotonic)  # the room check: when each phone spoke
        self._loop: asyncio.AbstractEventLoop | None = None
        self._watch: asyncio.Task | None = None

    def setup(self, app: web.Application) -> None:
        """Add the routes and the workers' lifecycle to the server's application."""
        self.live.open()

        app[NOTE_REQUEST] = lambda request: self.heard.note(_client(request))  # the room check
        app.on_startup.append(self._start)
        app.on_shutdown.append(self._close_streams)
        app.on_cleanup.append(self._cleanup)
        link = API_PREFIX + "/s/" + TOKEN
        routes = [("GET", "/s/" + TOKEN, self.page_view), ("GET", "/join/{name}", self.file_view),
                  ("GET", "/p/" + PERSONAL, self.personal_view),
                  ("GET", link, self.info_view), ("GET", link + "/names", self.names_view),
                  ("POST", link + "/checkin", self.checkin_view),
                  ("POST", link + "/walkin", self.walkin_view),
                  ("GET", link + "/walkin", self.walkin_status_view),
                  ("POST", link + "/reflections", self.reflection_view),
                  ("GET", link + "/state", self.state_view), ("GET", link + "/live", self.live_view)]
        for method, path, view in routes:
            app.router.add_route(method, path, self._scoped(view) if "{token" in path else view,
                                 expect_handler=expect_continue)

    # -- one academy only (``workshop serve --academy``) -----------------------------------
    def _scoped(self, view: Callable[[web.Request], Awaitable[web.StreamResponse]]):
        if self.academy_id is None:  # the window serves every academy's links
            return view

        async def scoped(request: web.Request) -> web.StreamResponse:
            if not await self._serves(request.match_info["token"]):
                return not_found()  # another academy's link is as unknown as a made-up one
            return await view(request)
        scoped.__doc__ = view.__doc__
        return scoped

    async def _serves(self, token: str) -> bool:
        """Whether ``token`` is a link of the served academy (an unknown one is not)."""
        academy = self._academy_of.get(token)
        if academy is None:
            found = await self.reader.call(lambda desk: desk.repo.station_for_token(token))
            if found is None:
                return False  # not remembered: a regenerated academy's token may be new later
            academy = found[0]
            if len(self._academy_of) < MAX_SCOPED_TOKENS:  # a token's academy never changes
                self._academy_of[token] = academy
        return academy == self.academy_id

    # -- the worker threads that own the connections ---------------------------------------
    async def _start(self, app) -> None:
        self._loop = asyncio.get_running_loop()
        await self.reader.start()
        await self.writer.start()
        self._watch = asyncio.create_task(self._watch_data())

    async def _watch_data(self) -> None:
        """Once a second: did a commit elsewhere (the window: groups, names, stations, the
        rotation) change what phones see? One ``PRAGMA data_version`` on the writer's connection
        when not: it alone does not count the server's own writes (through a storm of check-ins
        the reader rebuilt every view, book and page each second; walk-ins: ``_committed``)."""
        seen = None
        while not self.live.closing:
            await asyncio.sleep(WATCH_S)
            try:
                if seen == (outside := await self.writer.call(lambda d: d.repo.data_version())):
                    continue
                changed, version = await self.reader.call(
                    lambda desk: (desk.changed(), desk.shared.looked_at))
                if version != self._data_seen:  # a title renamed, a link renewed elsewhere
                    self._data_seen = version
                    self._drop_pages()
                if changed:
                    self.live.nudge()
                seen = outside
            except Exception:  # a failed look is retried at the next; phones keep their state
                log.exception("join: cannot look for changes")

    async def _close_streams(self, app) -> None:
        self.live.close()
        if self._watch is not None:
            self._watch.cancel()

    async def _cleanup(self, app) -> None:
        await self.writer.stop()
        await self.reader.stop()

    def _committed(self, desk: JoinDesk, written: list[Written]) -> None:
        # On the writer's thread, after the commit; the loop's part before any phone's answer.
        if any(w.new_person for w in written):
            self.reader.submit(JoinDesk.forget)  # searches find the new person at once
            self.writer.later(self._searches.clear)   # (before this batch's phones are answered)
            self.writer.later(self.books.forget)      # (their streams: read with them in it)
        people = set()
        for w in written:
            for event in w.events:
                self.notify(event)
                if event.academy_id is not None and event.participant_id is not None:
                    people.add(desk.key_of(event.academy_id, event.participant_id))
        checkins = [c for w in written for c in w.checkins]
        if people or checkins:  # only their own streams read again: a check-in changes nobody
            # else's; the books hear of the check-ins first.
            self.writer.later(self._nudge_each, people, checkins)

    def _nudge_each(self, keys: set[str], checkins: list) -> None:
        self.books.committed(checkins)
        for key in keys:
            self.live.nudge(key)

    def tell(self, key: str | None = None) -> None:
        """(Any thread.) What the phones of the person with ``key`` (None: every phone) show
        changed: their streams read it again now."""
        self._on_loop(self._nudge, key)

    def _on_loop(self, fn: Callable, *args) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(fn, *args)

    def _nudge(self, key: str | None) -> None:
        if key is None:  # not one person's change: links or titles may be new too
            self._drop_pages()
        else:  # the window changed someone's check-ins (undo, a merge): the books read again
            self.books.drop()
        self.live.nudge(key)

    def nudge(self) -> None:
        """(On the server's loop.) The rotation moved: read it again and wake every live stream
        now rather than at its next look."""
        if self.reader.resource is None or self.live.closing:
            return
        self.reader.submit(JoinDesk.forget)  # the reader's queue runs it before their reads
        self._drop_pages()
        self.live.nudge()

    def _drop_pages(self) -> None:
        """(On the loop.) Forget the pages read so far: the next scan reads its link again."""
        self._pages.clear()
        self._searches.clear()
        self._pages_dropped += 1
        self.books.drop()

    # -- answering -------------------------------------------------------------------------
    async def _answer(self, pending: Awaitable[dict]) -> web.Response:
        try:
            return json_response(await pending)
        except NotFound:
            return not_found()
        except UnknownPerson as exc:
            raise ApiError(403, str(exc)) from None
        except ValidationError as exc:
            raise ApiError(400, str(exc)) from None
        except Refused as exc:
            raise ApiError(exc.status, str(exc)) from None
        except BatchFailed:
            raise ApiError(503, "The laptop could not save that. Try again.") from None

    async def _write(self, work: Callable[[JoinDesk], Written]) -> dict:
        return (await self.writer.write(work)).reply

    async def _state(self, token: str, key: str) -> dict:
        """A phone's state: on the loop from its academy's phone book, else (an unknown key,
        someone new, the rotation's part just ended) from the reader."""
        found = await self.books.state(token, key)
        return found if found is not None else await self.reader.call(
            lambda desk: desk.state(token, key))

    # -- views -----------------------------------------------------------------------------
    async def page_view(self, request: web.Request) -> web.Response:
        """The phone page of a station link, its station already named."""
        try:
            _, body = await self._page_of(request.match_info["token"])
        except NotFound:
            return not_found()
        response = web.Response(body=body, content_type="text/html",
                                charset="utf-8", headers={"Cache-Control": "no-store"})
        return _with_device(response, _client(request))

    async def personal_view(self, request: web.Request) -> web.Response:
        """A personal link (the QR code on a group card): the page that tells the phone who it
        is; a phone bound to someone else is told why not."""
        token, client = request.match_info["personal"], _client(request)
        try:
            found = await self.reader.call(lambda desk: personal(desk, token, client))
        except NotFound:
            return not_found()
        except Refused as exc:
            body = self.page.render_personal("", None, str(exc))
            return web.Response(status=exc.status, body=body, content_type="text/html",
                                charset="utf-8", headers={"Cache-Control": "no-store"})
        if self.academy_id is not None and found["academy_id"] != self.academy_id:
            return not_found()  # another academy's card, under ``workshop serve --academy``
        response = web.Response(body=self.page.render_personal(found["academy"], found["person"],
                                                               None),
                                content_type="text/html", charset="utf-8",
                                headers={"Cache-Control": "no-store"})
        return _with_device(response, client)

    async def file_view(self, request: web.Request) -> web.Response:
        """The page's script or stylesheet; nothing else, by name only."""
        found = self.page.file(request.match_info["name"])
        if found is None:
            return not_found()
        # The next station's scan revalidates instead of downloading again (a 304).
        headers = {"Cache-Control": "no-cache", "ETag": found.etag}
        if request.headers.get("If-None-Match") == found.etag:
            return web.Response(status=304, headers=headers)
        return web.Response(body=found.body, content_type=found.content_type, charset="utf-8",
                            headers=headers)

    async def info_view(self, request: web.Request) -> web.Response:
        """The academy and station of a link."""
        async def info() -> dict:
            return (await self._page_of(request.match_info["token"]))[0]
        return await self._answer(info())

    async def _page_of(self, token: str) -> tuple[dict, bytes]:
        """A link's info and page, from memory once read (raises NotFound)."""
        found = self._pages.get(token)
        if found is None:
            dropped = self._pages_dropped
            info = await self.reader.call(lambda desk: desk.info(token))
            found = (info, self.page.render(info))
            # Made-up tokens are never kept (NotFound); nor a read that a change overtook.
            if dropped == self._pages_dropped and len(self._pages) < MAX_SCOPED_TOKENS:
                self._pages[token] = found
        return found

    async def names_view(self, request: web.Request) -> web.Response:
        """The name search."""
        token, query = request.match_info["token"], request.query.get("q", "")
        if len(query) > MAX_QUERY:
            raise ApiError(400, "That is longer than any name.")
        client = _client(request)
        # Answered here on the loop, from the link's search as the reader last built it (one
        # hop per link every REBUILD_S at most, instead of one per keystroke of every phone).
        search = self._searches.get(token)
        if search is None or self._monotonic() >= search.until:
            try:
                search = await self._search_of(token)
            except NotFound:
                return not_found()
        return json_response(search.answer(query, client))

    async def _search_of(self, token: str) -> StationSearch:
        dropped = self._pages_dropped
        search = await self.reader.call(lambda desk: desk.search(token))
        if dropped == self._pages_dropped and len(self._searches) < MAX_SCOPED_TOKENS:
            self._searches[token] = search  # not a read that a change overtook
        return search

    async def checkin_view(self, request: web.Request) -> web.Response:
        """A check-in, answered once committed."""
        body = await read_json(request)
        checkin = CheckInRequest(request.match_info["token"], field(body, "key", str),
                                 _client(request))
        return await self._answer(self._write(lambda desk: desk.check_in(checkin)))

    async def walkin_view(self, request: web.Request) -> web.Response:
        """A walk-in, answered once committed."""
        body = await read_json(request)
        walk_in = WalkInRequest(request.match_info["token"], field(body, "name", str),
                                _client(request))
        return await self._answer(self._write(lambda desk: desk.walk_in(walk_in)))

    async def walkin_status_view(self, request: web.Request) -> web.Response:
        """Whether a walk-in waiting for the facilitator has been let in."""
        token, ticket, client = (request.match_info["token"], request.query.get("ticket", ""),
                                 _client(request))
        return await self._answer(self.reader.call(
            lambda desk: desk.walk_in_status(token, ticket, client)))

    async def reflection_view(self, request: web.Request) -> web.Response:
        """A reflection, answered once committed."""
        body = await read_json(request)
        reflection = ReflectionRequest(
            request.match_info["token"], field(body, "key", str), field(body, "station", int),
            field(body, "text", str), field(body, "anonymous", bool, required=False, default=False),
            field(body, "request_id", str, required=False))
        return await self._answer(self._write(lambda desk: desk.reflect(reflection)))

    async def state_view(self, request: web.Request) -> web.Response:
        """What the phone shows now."""
        return await self._answer(self._state(request.match_info["token"],
                                              request.query.get("key", "")))

    async def live_view(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events: the phone's state when it changes (and every RESYNC_S)."""
        token, key = request.match_info["token"], request.query.get("key", "")
        seen = self.live.generation
        try:
            first = await self._state(token, key)
        except NotFound:
            return not_found()
        except UnknownPerson as exc:
            raise ApiError(403, str(exc)) from None
        return await serve_events(request, self.live, first, seen, lambda: self._state(token, key),
                                  worth_sending, gone=(NotFound, UnknownPerson), topic=key,
                                  changes_in=changes_in)


def _with_device(response: web.Response, client: Client) -> web.Response:
    """Give a phone without one its own id (budgets and "one person, one phone")."""
    if client.device is None:
        response.set_cookie(DEVICE_COOKIE, secrets.token_urlsafe(18), max_age=7 * 86400,
                            path="/", httponly=True, samesite="Lax")
    return response


def _client(request: web.Request) -> Client:
    """Who sent the request: the phone's device cookie and its address on the Wi-Fi."""
    return Client.of_header(request.headers.get("Cookie"), request.remote, lambda: request.cookies)
