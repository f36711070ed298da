"""How the join server runs: on a thread of this process, or in a child process of its own.

``InProcess`` is the window's (issue 19 item 6): the UI thread and the server's threads (its
loop, the reader, the batching writer) no longer share one interpreter lock, so a room of phones
arriving at once no longer stalls the window, nor a busy window the phones. The child
(``workshop.net.process``) builds its own ``JoinApp`` from ``ServerArgs`` with its own system
clock; it learns of the window's commits by ``PRAGMA data_version`` as the thread does, so the
data crosses no channel. What does: the window's changes a phone must hear of at once
(``tell``, ``nudge``), the room check's figures, and every ``JoinEvent`` of the server's commits.

``InThread`` is ``workshop serve``'s (no window to share with) and the tests' that inject a fake
clock (a fake clock cannot cross a process). Both have the same face for ``JoinService``.
"""
from __future__ import annotations

import functools
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

# The store first, as the window's start has it: it imports sqlite-utils without numpy (about
# 100 ms), which holds only if no repository imported sqlite-utils before; a server process
# starts its imports here.
from workshop.store import open_database
from stations.join.desk import JoinDesk
from stations.join.identity.guard import Guard, JoinLimits
from stations.join.model import JoinEvent
from stations.join.roomcheck import SHOWN, Seen
from workshop.clock import Clock, SystemClock
from workshop.net.limits import ConnectionLimits
from workshop.net.ratelimit import RateLimit

if TYPE_CHECKING:   # aiohttp: imported when phones are let in, not before
    from stations.join.routes import JoinApp
    from workshop.net.listening import Bound

log = logging.getLogger(__name__)


ROOM_ASK_S = 1.0   # how often the window asks a server process for the room check's figures


@dataclass(frozen=True)
class ServerArgs:
    """What a join server is built from (picklable: a child process builds its own)."""
    db_path: Path
    live_interval: float | None   # None: stations.join.routes.LIVE_INTERVAL_S
    academy_id: int | None = None
    join_limits: JoinLimits = JoinLimits()
    # groups(db, clock): the saved-grouping reader on the server's connection; a module-level
    # function, so that a child process imports it by name.
    groups: Callable | None = None


def open_desk(args: ServerArgs, clock: Clock, guard: Guard) -> JoinDesk:
    """(On a server worker's thread.) A desk on a connection of its own, so a busy window
    never holds up a phone; it reads the rotation there, read-only. Durable: a phone is told
    "checked in" only after a commit that survives a power cut (synchronous=FULL)."""
    db = open_database(args.db_path, durable=True, check=False)  # checked at start
    return JoinDesk.on(db, clock, args.groups(db, clock) if args.groups else None, guard)


def build_app(args: ServerArgs, clock: Clock,
              notify: Callable[[JoinEvent], None]) -> tuple[JoinApp, Guard]:
    """The routes of one server and the budgets its desks share."""
    from stations.join.routes import LIVE_INTERVAL_S, JoinApp
    guard = Guard(args.join_limits, clock.monotonic)
    app = JoinApp(lambda: open_desk(args, clock, guard), notify, live_interval=LIVE_INTERVAL_S
                  if args.live_interval is None else args.live_interval,
                  academy_id=args.academy_id, monotonic=clock.monotonic)
    return app, guard


def seen_now(app: JoinApp, guard: Guard, academy_id: int) -> Seen:
    """The room check's figures: open streams, the latest phones (who each is bound to, how
    long ago it spoke) and how many were heard."""
    now = app.heard.monotonic()
    latest = app.heard.recent(SHOWN)
    return Seen(app.live.streams, tuple((guard.bound(academy_id, client), now - at)
                                        for client, at in latest), len(app.heard))


class _Serving:
    """The face both kinds show ``JoinService``: ``start``, ``running``, ``bound`` and ``stop``
    are the listener's own (a ``LanServer`` and a ``ServerProcess`` have the same four)."""

    @property
    def _listener(self) -> Any:
        raise NotImplementedError

    def start(self, host: str | None, port: int) -> Bound:
        return self._listener.start(host, port)

    @property
    def running(self) -> bool:
        return self._listener.running

    @property
    def bound(self) -> Bound | None:
        return self._listener.bound

    def stop(self) -> None:
        self._listener.stop()


class InThread(_Serving):
    """The server on a thread of this process (``workshop.net.LanServer``)."""

    def __init__(self, args: ServerArgs, clock: Clock, notify: Callable[[JoinEvent], None],
                 rate_limit: RateLimit | None, limits: ConnectionLimits | None):
        from workshop.net.server import LanServer
        self.app, self.guard = build_app(args, clock, notify)
        self.server = LanServer(self.app.setup, rate_limit=rate_limit, monotonic=clock.monotonic,
                                limits=limits)

    @property
    def _listener(self) -> Any:
        return self.server

    def tell(self, key: str | None) -> None:
        self.app.tell(key)

    def nudge(self) -> None:
        self.server.call(self.app.nudge)

    def seen(self, academy_id: int) -> Seen:
        return seen_now(self.app, self.guard, academy_id)


class Launch:
    """A join server on its way up (``JoinService.starting``): the server and where it will
    listen. The window waits for it on a thread of its own: a process takes from half a second
    to several to listen, and the projector's countdown must keep ticking meanwhile."""

    def __init__(self, server: InThread | InProcess, host: str | None, port: int):
        self.server, self.host, self.port = server, host, port
        self.thread: threading.Thread | None = None   # in_background's
        self._lock = threading.Lock()
        self._stopped = False   # ``stop`` came: a start that gets there afterwards ends itself

    def run(self) -> Bound:
        """(Any thread.) Start it and wait until it listens; raises ``ServerError`` (with
        ``workshop.net.process.STOPPED`` when the server was stopped meanwhile)."""
        from workshop.net.listening import ServerError
        from workshop.net.process import STOPPED
        with self._lock:
            if self._stopped:
                raise ServerError(STOPPED)
        bound = self.server.start(self.host, self.port)
        with self._lock:
            stopped = self._stopped
        if stopped:   # the stop came before this thread reached the server: its start ends here
            self.server.stop()
            raise ServerError(STOPPED)
        return bound

    def stop(self) -> None:
        """(Any thread.) End the start wherever it is, or the server it started: a double-click
        on a busy laptop lands before the start's thread has even spawned the process."""
        with self._lock:
            self._stopped = True
        self.server.stop()

    def settle(self, then: Callable[[Bound | None, str], None]) -> None:
        """``run``, then ``then(bound, "")``, or ``then(None, reason)`` in the facilitator's
        one line."""
        from workshop.net.listening import ServerError
        try:
            outcome: tuple[Bound | None, str] = (self.run(), "")
        except ServerError as exc:
            outcome = (None, str(exc))
        except Exception as exc:   # a bug: one line for the facilitator, the whole in the log
            log.exception("join: the server's start failed")
            outcome = (None, f"The join server did not start: {exc}")
        then(*outcome)

    def in_background(self, then: Callable[[Bound | None, str], None]) -> threading.Thread:
        """``settle(then)`` on a thread of its own (``then`` is called there)."""
        def wait() -> None:
            try:
                self.settle(then)
            except RuntimeError:   # the window that asked is gone (its Bridge deleted)
                self.server.stop()
        self.thread = threading.Thread(target=wait, name="join-start", daemon=True)
        self.thread.start()
        return self.thread


class InProcess(_Serving):
    """The server in a child process; its events reach ``notify`` on a reader thread here."""

    def __init__(self, args: ServerArgs, clock: Clock, notify: Callable[[JoinEvent], None],
                 rate_limit: RateLimit | None, limits: ConnectionLimits | None,
                 on_exit: Callable[[], None] = lambda: None):
        from workshop.net.process import ServerProcess
        self._clock = clock
        self._notify = notify
        self._seen: dict[int, tuple[Seen, float]] = {}  # academy -> its latest figures, when
        self._asked: dict[int, float] = {}  # academy -> when its figures were last asked for
        self._lock = threading.Lock()
        self.process = ServerProcess(functools.partial(host, args), rate_limit=rate_limit,
                                     limits=limits, on_message=self._message, on_exit=on_exit,
                                     name="join-server")

    @property
    def _listener(self) -> Any:
        return self.process

    def tell(self, key: str | None) -> None:
        self.process.tell(("tell", key))

    def nudge(self) -> None:
        self.process.tell(("nudge",))

    def seen(self, academy_id: int) -> Seen:
        """The figures the child sent last (aged since), and a request for the next: the
        window's tick never waits on the child, which may be busy with a room of phones. Asked
        for once every ROOM_ASK_S, not on each of the window's ten ticks a second: each ask
        wakes three of the child's threads (its reader, loop and sender), and the line the
        figures make counts whole seconds."""
        now = self._clock.monotonic()
        if now - self._asked.get(academy_id, float("-inf")) >= ROOM_ASK_S:
            self._asked[academy_id] = now
            self.process.tell(("room", academy_id))
        with self._lock:
            found = self._seen.get(academy_id)
        if found is None:
            return Seen(0, (), 0)
        seen, at = found
        late = self._clock.monotonic() - at
        return Seen(seen.connected, tuple((pid, ago + late) for pid, ago in seen.phones),
                    seen.heard)

    def _message(self, message: tuple) -> None:
        """(The reader thread.) An event of the child's commits, or room check figures."""
        if message[0] == "event":
            self._notify(message[1])
        elif message[0] == "room":
            with self._lock:
                self._seen[message[1]] = (message[2], self._clock.monotonic())


# -- in the child --------------------------------------------------------------------------
class Hosted:
    """The join server as the child process hosts it (``workshop.net.process.Hosted``)."""

    def __init__(self, args: ServerArgs, send: Callable[[Any], None]):
        self._send = send
        self.app, self.guard = build_app(args, SystemClock(),
                                         lambda event: send(("event", event)))
        self.setup = self.app.setup

    def receive(self, message: tuple) -> Any:
        """(On the server's loop.) The window's word; an ask of the room check is answered."""
        kind = message[0]
        if kind == "tell":
            self.app.tell(message[1])
        elif kind == "nudge":
            self.app.nudge()
        elif kind == "room":
            seen = seen_now(self.app, self.guard, message[1])
            self._send(("room", message[1], seen))
            return seen
        return None


def host(args: ServerArgs, send: Callable[[Any], None]) -> Hosted:
    """(In the child.) ``ServerProcess``'s ``host``: the join server built there."""
    return Hosted(args, send)
