"""The live event stream: server-sent events that follow a changing state.

A phone keeps one ``text/event-stream`` open; the server re-reads what it shows every
``interval`` seconds, or at once when the owner says something changed (``Broadcast.nudge``),
and sends it when the owner's ``due`` rule says the phone would otherwise be wrong. A nudge wakes
every stream at the same instant, so each one waits a random moment up to ``spread`` first: 300
phones do not re-read all in the same tick. Nothing here knows what a state means.
"""
from __future__ import annotations

import asyncio
import json
import random
from typing import Awaitable, Callable

from aiohttp import web

from workshop.net.request import API_VERSION

RETRY_MS = 3000  # how soon a phone's browser reconnects a dropped stream
# A stream that sent nothing for this long sends an ``event: beat``: a phone that hears nothing
# for a few beats knows the link is gone (a Wi-Fi drop closes no connection) and says so.
HEARTBEAT_S = 5.0
BEAT = b"event: beat\ndata: {}\n\n"


class Broadcast:
    """Wakes every live stream at once; counts the nudges so a stream that was reading during
    one reads again instead of sleeping on a stale state."""

    def __init__(self, interval: float, spread: float):
        self.interval = interval
        self.spread = spread
        self.generation = 0
        self._stir: asyncio.Event | None = None  # set (then replaced) to wake every stream
        self._closing: asyncio.Event | None = None

    def open(self) -> None:
        """Start (on the server's loop)."""
        self._stir, self._closing = asyncio.Event(), asyncio.Event()

    @property
    def closing(self) -> bool:
        """True once the server is stopping: streams end."""
        return self._closing is None or self._closing.is_set()

    def nudge(self) -> None:
        """(On the server's loop.) Something streams show changed: wake them all now."""
        if self.closing:
            return
        self.generation += 1
        stir, self._stir = self._stir, asyncio.Event()
        stir.set()

    def close(self) -> None:
        """(On the server's loop.) Wake every stream to end it."""
        if self._closing is not None:
            self._closing.set()
            self._stir.set()

    async def wait(self, seen: int) -> None:
        """Sleep until the next look: ``interval`` or a nudge, unless one came since ``seen``."""
        if seen != self.generation:
            return
        try:
            await asyncio.wait_for(self._stir.wait(), self.interval)
            await asyncio.sleep(random.uniform(0, self.spread))
        except TimeoutError:
            pass


async def serve_events(request: web.Request, broadcast: Broadcast, first: dict, seen: int,
                       read: Callable[[], Awaitable[dict]],
                       due: Callable[[dict, dict | None, float], bool],
                       gone: tuple[type[BaseException], ...],
                       heartbeat: float = HEARTBEAT_S) -> web.StreamResponse:
    """Stream ``first``, then each ``read()`` for which ``due(state, last_sent, seconds since
    it was sent)`` holds, until the client leaves, the server stops, or a read raises one of
    ``gone`` (the client is then sent an ``event: gone``). ``seen``: the broadcast's generation
    before ``first`` was read; ``heartbeat``: the longest silence (an ``event: beat`` then)."""
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream; charset=utf-8",
                                           "Cache-Control": "no-store"})
    await response.prepare(request)
    loop = asyncio.get_running_loop()
    state, last, sent_at = first, None, 0.0
    wrote_at = loop.time()
    try:
        await response.write(f"retry: {RETRY_MS}\n\n".encode())
        while True:
            if due(state, last, loop.time() - sent_at):
                data = json.dumps({"v": API_VERSION, **state}, ensure_ascii=False)
                await response.write(f"data: {data}\n\n".encode())
                last, sent_at = state, loop.time()
                wrote_at = sent_at
            elif loop.time() - wrote_at >= heartbeat:
                await response.write(BEAT)
                wrote_at = loop.time()
            await broadcast.wait(seen)
            if broadcast.closing:
                break
            seen = broadcast.generation
            try:
                state = await read()
            except gone:
                await response.write(b"event: gone\ndata: {}\n\n")
                break
    except (ConnectionResetError, RuntimeError):
        pass  # the client went away
    return response
