"""The LAN server transport: aiohttp on a background thread with its own asyncio event loop.

Why this and not Qt's own server: QtHttpServer in PySide6 6.12 crashes when a route handler is a
Python closure and cannot return binary or typed (Content-Type) responses, which a phone page with
JSON, CSS and server-sent events needs. aiohttp is a well-kept server; on its own thread it keeps
answering phones while the Qt thread paints (and a busy GUI never delays an acknowledgement),
and the same code runs headless (`workshop serve`). Work crosses back to the GUI only as events
through ``workshop.ui.bridge.Bridge``.

This module knows nothing about stations: a feature passes ``setup(app)`` to add its routes.
Every response carries a Content-Security-Policy allowing only this origin — aiohttp's own error
answers (a malformed request line, a header too long) included, with a fixed body that echoes
nothing of the request; unknown paths get a plain 404 page; bodies over 16 KB are refused; each
client has a token-bucket rate limit and a cap on its connections (``workshop.net.limits``).
"""
from __future__ import annotations

import asyncio
import errno
import logging
import socket
import threading
import time
from concurrent.futures import Future
from http import HTTPStatus
from typing import Callable

from aiohttp import HttpVersion11, web
from aiohttp.web_protocol import RequestHandler

from workshop.net import collector
from workshop.net.address import lan_address
from workshop.net.limits import ConnectionGate, ConnectionLimits
from workshop.net.listening import Bound, ServerError
from workshop.net.ratelimit import RateLimit, RateLimiter
from workshop.net.request import MAX_BODY, ApiError, error_response

log = logging.getLogger(__name__)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}
NOT_FOUND_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Not found</title></head>
<body><h1>This link does not work</h1>
<p>Scan the QR code at your station again, or ask the facilitator for the current link.</p>
</body></html>
"""
# A feature's note of each request the rate limit let through (``app[NOTE_REQUEST] = fn`` in
# its setup): called from the server's own middleware, since one more middleware layer per
# request was a few per cent of the server's time with 1,000 phones (issue 19).
NOTE_REQUEST: web.AppKey[Callable[[web.Request], None]] = web.AppKey("note_request")
STARTUP_TIMEOUT_S = 10.0
SHUTDOWN_TIMEOUT_S = 1.0


def default_cost(request: web.Request) -> float:
    """What a request costs from its client's rate-limit bucket."""
    # Reads are cheap; a write (check-in, walk-in, reflection) costs five so a flood of writes is
    # stopped sooner than a phone that reloads its page.
    return 1.0 if request.method in ("GET", "HEAD") else 5.0


def bind_socket(host: str, port: int) -> tuple[socket.socket, int]:
    """A listening socket on ``port``, or on a free port if that one is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        sock = socket.create_server((host, port), family=family, backlog=512)
    except OSError as exc:
        if port == 0 or exc.errno not in (errno.EADDRINUSE, errno.EACCES):
            raise ServerError(f"Cannot listen on {host}:{port}: {exc.strerror or exc}.") from exc
        try:
            sock = socket.create_server((host, 0), family=family, backlog=512)
        except OSError as exc2:
            raise ServerError(f"Cannot listen on {host}: {exc2.strerror or exc2}.") from exc2
    sock.setblocking(False)
    return sock, sock.getsockname()[1]


class LanServer:
    """Runs one aiohttp application on a daemon thread. ``start`` returns once it listens."""

    def __init__(self, setup: Callable[[web.Application], None], *,
                 rate_limit: RateLimit | None = RateLimit(),
                 monotonic: Callable[[], float] = time.monotonic,
                 cost: Callable[[web.Request], float] = default_cost,
                 limits: ConnectionLimits | None = None):
        self._setup = setup
        self.limits = limits or ConnectionLimits()
        self.gate: ConnectionGate | None = None
        self._listener: asyncio.AbstractServer | None = None
        self._limiter = RateLimiter(rate_limit, monotonic) if rate_limit else None
        self._cost = cost
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._note: Callable[[web.Request], None] | None = None
        self.bound: Bound | None = None

    @property
    def running(self) -> bool:
        """Whether the server thread is serving."""
        return self._thread is not None and self._thread.is_alive()

    # -- lifecycle (called from the GUI or CLI thread) -------------------------------------
    def start(self, host: str | None = None, port: int = 0) -> Bound:
        """Listen on ``host:port`` (a busy port falls back to a free one); raises ServerError."""
        if self.running:
            raise ServerError("The join server is already running.")
        self.stop()  # a thread that ended by itself gives back what it held
        bind_host = host or "0.0.0.0"
        sock, actual = bind_socket(bind_host, port)
        advertised = host if host and host not in ("0.0.0.0", "::") else lan_address()
        ready: Future = Future()
        self._thread = threading.Thread(target=self._run, args=(sock, ready),
                                        name="join-server", daemon=True)
        self._thread.start()
        try:
            ready.result(timeout=STARTUP_TIMEOUT_S)
        except Exception as exc:
            self._thread.join(timeout=1)
            self._thread = None
            sock.close()
            raise ServerError(f"The join server did not start: {exc}") from exc
        self.bound = Bound(bind_host, advertised, actual, port)
        collector.serving()  # full collections walk only what is new while phones are served
        return self.bound

    def stop(self) -> None:
        """Stop serving and wait for the thread (a no-op when stopped)."""
        if self._thread is None:
            return
        loop, thread = self._loop, self._thread
        if thread.is_alive():
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=SHUTDOWN_TIMEOUT_S + 5)
        self._thread = None
        self.bound = None
        collector.served()

    def call(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` on the server's loop (thread-safe); ignored when stopped."""
        if self.running and self._loop is not None:
            self._loop.call_soon_threadsafe(fn)

    # -- the server thread -----------------------------------------------------------------
    def _run(self, sock: socket.socket, ready: Future) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._serve(sock))
        except Exception as exc:  # reported to start(), which raises ServerError
            ready.set_exception(exc)
            loop.close()
            return
        ready.set_result(None)
        try:
            loop.run_forever()
        finally:
            self._listener.close()  # accept nothing more; the runner then closes every connection
            loop.run_until_complete(self._runner.cleanup())
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _serve(self, sock: socket.socket) -> None:
        app = web.Application(client_max_size=MAX_BODY, middlewares=[self._guard])
        app.on_response_prepare.append(_add_security_headers)
        self._setup(app)
        self._note = app.get(NOTE_REQUEST)
        # Last, so it only catches what no route of the feature does: every unknown path, and a
        # known path asked with another method, gets the plain 404 page (never aiohttp's 405).
        app.router.add_route("*", "/{tail:.*}", _unknown_path, expect_handler=expect_continue)
        handler_args = {"access_log": None, **self.limits.handler_args()}
        self._runner = runner = web.AppRunner(app, shutdown_timeout=SHUTDOWN_TIMEOUT_S,
                                              handle_signals=False, **handler_args)
        await runner.setup()
        gate = self.gate = ConnectionGate(self.limits)
        loop = asyncio.get_running_loop()
        # Our own listener rather than web.SockSite: aiohttp has no hook at accept time, and the
        # cap must act there, before a socket costs more than a descriptor.
        self._listener = await loop.create_server(
            lambda: GuardedHandler(runner.server, gate, loop=loop, **handler_args), sock=sock,
            backlog=512)

    @web.middleware
    async def _guard(self, request: web.Request, handler) -> web.StreamResponse:
        if self._limiter is not None:
            wait = self._limiter.allow(request.remote or "?", self._cost(request))
            if wait:
                response = error_response(ApiError(
                    429, "Too many requests from this phone. Wait a few seconds and try again."))
                response.headers["Retry-After"] = str(max(1, round(wait)))
                return response
        if self._note is not None:
            self._note(request)
        try:
            return await handler(request)
        except ApiError as exc:
            return error_response(exc)
        except web.HTTPRequestEntityTooLarge:
            return error_response(ApiError(413, "That is too much text to send at once."))
        except (web.HTTPNotFound, web.HTTPMethodNotAllowed):
            return not_found()
        except web.HTTPException:
            raise
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("join server: %s %s failed", request.method, request.path)
            return error_response(ApiError(500, "Something went wrong in the app. Try again."))


class GuardedHandler(RequestHandler):
    """aiohttp's connection handler, counted by a ConnectionGate, answering its own errors with
    the security headers and a fixed body."""

    def __init__(self, manager: web.Server, gate: ConnectionGate, **kwargs):
        super().__init__(manager, **kwargs)
        self._gate = gate
        self._client: str | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Count the connection, or drop it at once when its client (or everyone) is at the cap."""
        peer = transport.get_extra_info("peername")
        client = str(peer[0]) if peer else "?"
        if not self._gate.admit(client):
            transport.abort()  # a reset: nothing more is spent on it, nothing is read
            return
        self._client = client
        super().connection_made(transport)

    def connection_lost(self, exc: BaseException | None) -> None:
        """Release the connection's place (a refused one never had one)."""
        if self._client is None:
            return
        self._gate.release(self._client)
        self._client = None
        super().connection_lost(exc)

    def handle_error(self, request, status: int = 500, exc: BaseException | None = None,
                     message: str | None = None) -> web.StreamResponse:
        """The answer to a request aiohttp could not parse or serve: never the request echoed
        (aiohttp quotes the bad request line), never a traceback, always the security headers."""
        if status >= 500:  # a bug of ours: worth the traceback in the log (never in the answer)
            log.error("join server: %s answering %s", status, request.remote, exc_info=exc)
        else:  # a malformed request: a hostile client could fill the log with these
            log.debug("join server: %s from %s: %s", status, request.remote, exc)
        if request.writer.output_size > 0:  # as aiohttp's own: a half-sent answer cannot change
            raise ConnectionError("an answer was already under way")
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        response = web.Response(status=status, text=f"{status} {phrase}\n",
                                content_type="text/plain", headers=SECURITY_HEADERS)
        response.force_close()
        return response


async def expect_continue(request: web.Request) -> None:
    """The ``Expect`` header's handler for every route (``add_get(..., expect_handler=…)``):
    aiohttp's own answers an unknown expectation with a 417 that quotes the header back."""
    if request.version == HttpVersion11:
        if request.headers.get("Expect", "").lower() != "100-continue":
            raise web.HTTPExpectationFailed(text="417 Expectation Failed\n")
        await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        request.writer.output_size = 0  # as aiohttp's own: the answer itself has not started


async def _unknown_path(request: web.Request) -> web.Response:
    return not_found()


def not_found() -> web.Response:
    """The plain page for any link that is not (or no longer) valid."""
    return web.Response(status=404, text=NOT_FOUND_PAGE, content_type="text/html", charset="utf-8")


async def _add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(SECURITY_HEADERS)
    if request.path.startswith("/api/"):
        response.headers["Cache-Control"] = "no-store"
