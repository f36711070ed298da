"""The live event stream: server-sent events that follow a changing state.

A phone keeps one ``text/event-stream`` open. The server re-reads what it shows only when told
something changed — ``Broadcast.nudge()`` for everyone, ``nudge(topic)`` for the streams of one
topic (one person) — when the state says it will change by itself (``changes_in``: a countdown
reaching its end), and every ``interval`` seconds as a resync; it sends it when the owner's
``due`` rule says the phone would otherwise be wrong. Between those a stream costs nothing but
a heartbeat. A nudge for everyone wakes every stream at the same instant, so each waits a random
moment up to ``spread`` first: 1,000 phones do not re-read in the same tick. Nothing here knows
what a state means.
"""
from __future__ import annotations

import asyncio
import math
import random
from typing import Awaitable, Callable, Hashable

from aiohttp import web

from workshop.net.request import API_VERSION, dumps

RETRY_MS = 3000  # how soon a phone's browser reconnects a dropped stream
# A stream that sent nothing for this long sends an ``event: beat``: a phone that hears nothing
# for a few beats knows the link is gone (a Wi-Fi drop closes no connection) and says so.
HEARTBEAT_S = 5.0
BEAT = b"event: beat\ndata: {}\n\n"
# Beats fall on a grid of this much (a fifth of the heartbeat at most), never earlier than
# due: the beats of streams opened at different moments go out in one wake-up of the loop,
# not one each (the page calls a link lost after 12 s of silence).
BEAT_GRID_S = 1.0
LATE_S = 0.05  # a state that changes by itself is re-read this long after, not a moment early


RETRY = f"retry: {RETRY_MS}\n\n".encode()


class _EventStream(web.StreamResponse):
    """A stream whose headers leave with its first write, as aiohttp's own ``Response`` does
    (its switch; were it ignored, the headers would go alone first, as before): one send to
    the phone, not two."""

    _send_headers_immediately = False


class Broadcast:
    """Wakes the live streams — all, or one topic's — when what they show changed; counts the
    nudges for everyone so a stream that was reading during one reads again."""

    def __init__(self, interval: float, spread: float):
        """``interval``: the longest a stream goes without re-reading (a resync);
        ``spread``: streams woken together re-read over this long."""
        self.interval = interval
        self.spread = spread
        self.generation = 0
        self._bells: dict[Hashable, set[Bell]] = {}  # topic -> its streams' bells
        self._open = 0  # an int, so another thread may read it while the loop changes it
        self._closing: asyncio.Event | None = None

    def open(self) -> None:
        """Start (on the server's loop)."""
        self._closing = asyncio.Event()

    @property
    def closing(self) -> bool:
        """True once the server is stopping: streams end."""
        return self._closing is None or self._closing.is_set()

    @property
    def streams(self) -> int:
        """How many streams are open (any thread)."""
        return self._open

    def join(self, topic: Hashable) -> Bell:
        """(On the server's loop.) A new stream's bell, rung by ``nudge()`` and ``nudge(topic)``."""
        bell = Bell()
        self._bells.setdefault(topic, set()).add(bell)
        self._open += 1
        return bell

    def leave(self, topic: Hashable, bell: Bell) -> None:
        """(On the server's loop.) The stream ended."""
        bells = self._bells.get(topic)
        if bells is not None and bell in bells:
            bells.discard(bell)
            self._open -= 1
            if not bells:
                del self._bells[topic]

    def nudge(self, topic: Hashable | None = None) -> None:
        """(On the server's loop.) What streams show changed — every stream's, or only the
        streams of ``topic``: wake them now."""
        if self.closing:
            return
        if topic is None:
            self.generation += 1
            for bells in self._bells.values():
                for bell in bells:
                    bell.ring()
        else:
            for bell in self._bells.get(topic, ()):
                bell.ring()

    def close(self) -> None:
        """(On the server's loop.) Wake every stream to end it."""
        if self._closing is not None:
            self._closing.set()
            for bells in self._bells.values():
                for bell in bells:
                    bell.ring()

    async def wait(self, seen: int, bell: Bell, timeout: float) -> bool:
        """Sleep until ``bell`` rings or ``timeout``; True if it rang (or a nudge for everyone
        came since ``seen``). After a nudge for everyone, first a random moment of ``spread``."""
        if seen == self.generation and not bell.rung:
            await bell.sleep(timeout)
            if not bell.rung and seen == self.generation:
                return False
        bell.rung = False
        if seen != self.generation and self.spread > 0 and not self.closing:
            await asyncio.sleep(random.uniform(0, self.spread))
        return True


class Bell:
    """One stream's bell: rung by a nudge, or not by the time its sleep ends.

    Hand-written rather than ``asyncio.wait_for(event.wait(), timeout)``: that makes a task per
    wait and, at the timeout, cancels it and raises through both — 1,000 idle streams beating
    every few seconds paid that 200 times a second. Here a wait is one future and one timer."""

    __slots__ = ("rung", "_waiter")

    def __init__(self):
        self.rung = False
        self._waiter: asyncio.Future | None = None

    def ring(self) -> None:
        """(On the loop.) Wake the stream; it sees ``rung``."""
        self.rung = True
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def sleep(self, timeout: float) -> None:
        """Until rung or ``timeout`` seconds, whichever is first."""
        loop = asyncio.get_running_loop()
        self._waiter = waiter = loop.create_future()
        timer = loop.call_later(max(0.0, timeout), _wake, waiter)
        try:
            await waiter
        finally:
            timer.cancel()
            self._waiter = None


def next_beat(wrote_at: float, heartbeat: float) -> float:
    """When a stream that last wrote at ``wrote_at`` beats: ``heartbeat`` later, rounded up to
    the grid (``BEAT_GRID_S``, or a fifth of ``heartbeat`` when that is shorter)."""
    grid = min(BEAT_GRID_S, heartbeat / 5)
    return math.ceil((wrote_at + heartbeat) / grid) * grid


def _wake(waiter: asyncio.Future) -> None:
    if not waiter.done():
        waiter.set_result(None)


async def serve_events(request: web.Request, broadcast: Broadcast, first: dict, seen: int,
                       read: Callable[[], Awaitable[dict]],
                       due: Callable[[dict, dict | None, float], bool],
                       gone: tuple[type[BaseException], ...],
                       heartbeat: float = HEARTBEAT_S, topic: Hashable = None,
                       changes_in: Callable[[dict], float | None] | None = None
                       ) -> web.StreamResponse:
    """Stream ``first``, then each ``read()`` for which ``due(state, last_sent, seconds since
    it was sent)`` holds, until the client leaves, the server stops, or a read raises one of
    ``gone`` (the client is then sent an ``event: gone``). ``seen``: the broadcast's generation
    before ``first`` was read; ``heartbeat``: the longest silence (an ``event: beat`` then);
    ``topic``: what ``nudge(topic)`` wakes this stream for; ``changes_in(state)``: seconds until
    the state changes by itself (None: only when nudged)."""
    response = _EventStream(headers={"Content-Type": "text/event-stream; charset=utf-8",
                                     "Cache-Control": "no-store"})
    await response.prepare(request)
    loop = asyncio.get_running_loop()
    state, last, sent_at = first, None, 0.0
    wrote_at = read_at = loop.time()
    bell = broadcast.join(topic)
    opening = RETRY  # sent with the first state: headers, retry and state in one write
    try:
        while True:
            if due(state, last, loop.time() - sent_at):
                data = dumps({"v": API_VERSION, **state})
                await response.write(opening + f"data: {data}\n\n".encode())
                last, sent_at = state, loop.time()
                wrote_at = sent_at
            elif opening:
                await response.write(opening)
            opening = b""
            by_itself = changes_in(state) if changes_in is not None else None
            next_read = read_at + min(broadcast.interval, by_itself + LATE_S
                                      if by_itself is not None else broadcast.interval)
            rang = await broadcast.wait(seen, bell, min(next_read, next_beat(wrote_at, heartbeat))
                                        - loop.time())
            if broadcast.closing:
                break
            if not rang and loop.time() < next_read:
                await response.write(BEAT)  # nothing changed: only say the link is alive
                wrote_at = loop.time()
                continue
            seen = broadcast.generation
            try:
                state = await read()
            except gone:
                await response.write(b"event: gone\ndata: {}\n\n")
                break
            read_at = loop.time()
    except (ConnectionResetError, RuntimeError):
        pass  # the client went away
    finally:
        broadcast.leave(topic, bell)
    return response
