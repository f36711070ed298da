"""A LanServer in a child process of its own, with a message channel (issue 19 item 6).

In the window's process the server's threads and the UI thread shared one interpreter lock: a
room of phones arriving at once stalled the window, and a busy window delayed the phones. Here
the server runs in a *spawned* child (never forked: the window has Qt's threads), which builds
its application itself from picklable arguments — ``host(send)`` is an importable callable that
returns the hosted application (``Hosted``); ``send(message)`` posts a message to the parent
from any of the child's threads.

The channel is one duplex pipe. Parent → child: ``tell(message)`` runs ``hosted.receive(message)``
on the server's loop; ``ask(message)`` also waits for what it returns; ``stop()``. Child → parent:
every ``send(message)`` reaches ``on_message(message)`` on the parent's reader thread, in order;
``send`` never waits (a sender thread of the child carries what was sent meanwhile as one batch,
so a busy parent never holds up, say, the thread that commits phones' writes). The child
dies with the parent: the end of the pipe (the parent exited, cleanly or not) stops it, and it
is a daemon process besides. A child that ends by itself is noticed by the reader thread
(``running`` turns False and ``on_exit()`` is called).

This module knows nothing about stations; it imports aiohttp only in the child.
"""
from __future__ import annotations

import itertools
import logging
import multiprocessing
import queue
import signal
import sys
import threading
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Callable, Protocol

from workshop.net.limits import ConnectionLimits
from workshop.net.ratelimit import RateLimit

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from workshop.net.listening import Bound

log = logging.getLogger(__name__)

# A fresh interpreter imports aiohttp and the feature before it listens: about half a second
# on a quiet laptop, several on a loaded one.
STARTUP_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 7.0     # the server's own shutdown (1 s) and its workers' last commits
ASK_TIMEOUT_S = 5.0
MODULES = "__modules__"  # ask(MODULES): the modules the child has imported (tests)
STOPPED = "The join server was stopped before it was ready."


class Hosted(Protocol):
    """What ``host(send)`` returns in the child."""

    def setup(self, app) -> None:
        """Add the routes to the server's aiohttp application (``LanServer``'s ``setup``)."""

    def receive(self, message: Any) -> Any:
        """(On the server's loop.) A message from the parent; the answer of an ``ask``."""


class ServerProcess:
    """A ``LanServer`` in a spawned child process; ``start`` returns once the child listens
    (from half a second to several: the window calls it off its UI thread), and ``stop`` from
    another thread ends a start under way."""

    def __init__(self, host: Callable[[Callable[[Any], None]], Hosted], *,
                 rate_limit: RateLimit | None = RateLimit(), limits: ConnectionLimits | None = None,
                 on_message: Callable[[Any], None] = lambda message: None,
                 on_exit: Callable[[], None] = lambda: None, name: str = "server"):
        self._host = host
        self._rate_limit = rate_limit
        self._limits = limits
        self._on_message = on_message
        self._on_exit = on_exit
        self._name = name
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self._send_lock = threading.Lock()
        self._reader: threading.Thread | None = None
        self._answers: dict[int, Future] = {}
        self._ids = itertools.count(1)
        self._gone = threading.Event()   # the pipe ended: the child exited (or is exiting)
        self._stopping = False
        self._lock = threading.Lock()    # a start under way against a stop from another thread
        self._stop_lock = threading.Lock()   # two stops (the UI's, a start's thread) one by one
        self._starting: threading.Event | None = None   # set once the start under way ends
        self._cancelled = False          # stop() came while starting
        self.bound: Bound | None = None

    @property
    def running(self) -> bool:
        """Whether the child is serving."""
        process = self._process
        return process is not None and self.bound is not None and not self._gone.is_set() \
            and process.is_alive()

    @property
    def pid(self) -> int | None:
        """The child's process id (None when stopped)."""
        return self._process.pid if self._process is not None else None

    # -- lifecycle (the parent's threads) --------------------------------------------------
    def start(self, host: str | None = None, port: int = 0) -> Bound:
        """Start the child and listen on ``host:port`` there (a busy port falls back to a free
        one); raises ``ServerError`` with the child's reason when it cannot, or ``STOPPED``
        when ``stop()`` (from another thread) ended the start meanwhile."""
        from workshop.net.listening import ServerError
        if self.running or self._starting is not None:
            raise ServerError("The join server is already running.")
        self.stop()   # a child that ended by itself gives back what it held
        spawn = multiprocessing.get_context("spawn")
        here, there = spawn.Pipe(duplex=True)
        process = spawn.Process(target=_child_main, name=self._name, daemon=True,
                                args=(there, self._host, self._rate_limit, self._limits, host,
                                      port))
        starting = threading.Event()   # set when this start has ended, either way
        with self._lock:
            self._starting, self._cancelled = starting, False
        try:
            return self._launch(process, here, there)
        finally:
            with self._lock:
                self._starting = None
            starting.set()

    def _launch(self, process, here: Connection, there: Connection) -> Bound:
        from workshop.net.listening import ServerError
        try:
            process.start()
        except Exception as exc:
            here.close()
            raise ServerError(f"The join server did not start: {exc}") from exc
        finally:
            there.close()   # the child's end is the child's alone: its exit ends the pipe here
        with self._lock:
            self._process, self._conn, self._gone, self._stopping = \
                process, here, threading.Event(), False
            if self._cancelled:   # stopped before the child was there to end
                process.terminate()
        told = False   # the child's own word (it then ends by itself)
        try:
            if here.poll(STARTUP_TIMEOUT_S):
                first, told = here.recv(), True
            else:
                first = ("failed", "it took too long")
        except (EOFError, OSError):   # it ended before it could say why (its stderr says)
            process.join(STOP_TIMEOUT_S)
            first = ("failed", f"it ended (exit code {process.exitcode})")
        with self._lock:   # ready, unless a stop came first: then stop() finds it serving
            cancelled = self._cancelled
            if first[0] == "ready" and not cancelled:
                self.bound = first[1]
                self._reader = threading.Thread(target=self._read, args=(here, self._gone),
                                                name=f"{self._name}-channel", daemon=True)
                self._reader.start()
                self._starting = None
                return self.bound
        if told and not cancelled:
            process.join(STOP_TIMEOUT_S)   # it said why and is ending: not "did not stop"
        self._end(process, here)
        if cancelled:
            raise ServerError(STOPPED)
        message = first[1]
        raise ServerError(message if first[0] == "refused" else
                          f"The join server did not start: {message}")

    @property
    def starting(self) -> bool:
        """Whether a start is under way (the child is not listening yet)."""
        return self._starting is not None

    def stop(self) -> None:
        """Stop the child and wait for it (a no-op when stopped). From another thread while
        ``start`` waits for the child: the child is ended at once (it serves nobody yet, and
        the port it may have taken is given back) and this returns once ``start`` has given
        everything back; ``start`` raises ``ServerError(STOPPED)``."""
        with self._lock:
            starting = self._starting
            if starting is not None:
                self._cancelled = True
                if self._process is not None:
                    self._process.terminate()
        if starting is not None:
            if not starting.wait(STARTUP_TIMEOUT_S):
                log.warning("%s: a start did not end after it was stopped", self._name)
            return
        with self._stop_lock:   # a second stop (another thread) waits, then has nothing to do
            process, conn = self._process, self._conn
            if process is None or conn is None:
                return
            self._stopping = True
            try:
                self._post(("stop",))
            except OSError:
                pass  # already gone
            process.join(STOP_TIMEOUT_S)
            self._end(process, conn)
            if self._reader is not None and self._reader is not threading.current_thread():
                self._reader.join(STOP_TIMEOUT_S)
            self._reader = None
            self.bound = None

    def _end(self, process, conn) -> None:
        if process.is_alive():
            log.warning("%s: the child did not stop; terminating it", self._name)
            process.terminate()
            process.join(STOP_TIMEOUT_S)
        conn.close()
        self._process = self._conn = None
        for future in list(self._answers.values()):
            future.cancel()
        self._answers.clear()

    # -- the channel -----------------------------------------------------------------------
    def tell(self, message: Any) -> None:
        """``hosted.receive(message)`` on the child's loop, without waiting (ignored when
        stopped)."""
        if self.running:
            try:
                self._post(("tell", message))
            except OSError:
                pass  # the child just ended: the reader thread says so

    def ask(self, message: Any, timeout: float = ASK_TIMEOUT_S) -> Any:
        """What ``hosted.receive(message)`` returns in the child; raises ``TimeoutError`` (or
        ``ConnectionError`` when the child is gone)."""
        if not self.running:
            raise ConnectionError("the server process is not running")
        ident = next(self._ids)
        future: Future = Future()
        self._answers[ident] = future
        try:
            self._post(("ask", ident, message))
            return future.result(timeout)
        except OSError as exc:
            raise ConnectionError("the server process ended") from exc
        finally:
            self._answers.pop(ident, None)

    def _post(self, message: tuple) -> None:
        conn = self._conn
        if conn is None:
            raise OSError("no channel")
        with self._send_lock:
            conn.send(message)

    def _deliver(self, item: tuple) -> None:
        if item[0] == "answer":
            future = self._answers.get(item[1])
            if future is not None and not future.done():
                future.set_result(item[2])
            return
        try:
            self._on_message(item[1])
        except Exception:
            log.exception("%s: handling a message failed", self._name)

    def _read(self, conn: Connection, gone: threading.Event) -> None:
        """(The reader thread.) The child's messages, until its end of the pipe closes."""
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                break
            except Exception:   # a message that does not unpickle here: a bug, not an exit
                log.exception("%s: an unreadable message", self._name)
                continue
            for item in message[1] if message[0] == "batch" else (message,):
                self._deliver(item)
        gone.set()
        for future in list(self._answers.values()):
            if not future.done():
                future.set_exception(ConnectionError("the server process ended"))
        if not self._stopping:
            log.error("%s: the server process ended by itself", self._name)
            try:
                self._on_exit()
            except Exception:
                log.exception("%s: on_exit failed", self._name)


# -- the child -----------------------------------------------------------------------------
def _child_main(conn: Connection, host: Callable[[Callable[[Any], None]], Hosted],
                rate_limit: RateLimit | None, limits: ConnectionLimits | None,
                bind_host: str | None, port: int) -> None:
    """(The child's main thread.) Build the hosted application, serve it, and carry messages
    until the parent says stop or its end of the pipe closes."""
    # Ctrl+C in the window's terminal reaches the whole process group: the parent decides.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from workshop.net.server import LanServer, ServerError

    outbox: queue.SimpleQueue = queue.SimpleQueue()   # None: the sender's end

    def send(message: Any) -> None:
        outbox.put(("message", message))

    def reply(ident: int, answer: Callable[[], Any]) -> None:
        try:
            value = answer()
        except Exception as exc:   # the asker hears of it; the server keeps serving
            log.exception("server process: an ask failed")
            value = exc
        outbox.put(("answer", ident, value))

    def carry() -> None:
        """(The sender thread.) Whatever was sent meanwhile, as one batch, in order."""
        while True:
            batch = [outbox.get()]
            while True:
                try:
                    batch.append(outbox.get_nowait())
                except queue.Empty:
                    break
            last = None in batch
            try:
                conn.send(("batch", [item for item in batch if item is not None]))
            except OSError:   # the parent is gone
                return
            if last:
                return

    try:
        hosted = host(send)
        server = LanServer(hosted.setup, rate_limit=rate_limit, limits=limits)
        bound = server.start(bind_host, port)
    except ServerError as exc:
        conn.send(("refused", str(exc)))
        return
    except Exception as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        raise
    conn.send(("ready", bound))
    sender = threading.Thread(target=carry, name="server-channel", daemon=True)
    sender.start()
    try:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):   # the parent is gone: no orphan holds the port
                break
            if message[0] == "stop":
                break
            if message[0] == "tell":
                server.call(lambda m=message[1]: hosted.receive(m))
            elif message[0] == "ask":
                ident, asked = message[1], message[2]
                if asked == MODULES:
                    reply(ident, lambda: sorted(sys.modules))
                else:
                    server.call(lambda i=ident, m=asked: reply(i, lambda: hosted.receive(m)))
    finally:
        server.stop()     # its last commits' messages are sent before the pipe closes
        outbox.put(None)
        sender.join(5)
        conn.close()
