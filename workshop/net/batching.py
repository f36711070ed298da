"""Worker threads that own a resource, and the batching writer: acknowledged means committed.

A server answering phones from an asyncio loop must not touch SQLite on the loop (a slow disk
would stall every phone), and a SQLite connection must stay on the thread that made it. A
``Worker`` is one thread that opens its resource (a connection, or anything built on one) and runs
every call on it. A ``BatchWriter`` is a worker whose writes are grouped: whatever arrived while
the previous batch was committing runs in one transaction — a burst of 300 check-ins costs a few
commits, not 300 — each write in its own savepoint, so one refused write does not undo the
others. Each caller is answered only after the commit; if the commit fails, nobody is told
"saved".

Nothing here knows what is written or how: the owner passes how to open, close, begin a
transaction and a savepoint on its resource, and each write is a callable on that resource.
"""
from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Callable, Generic, TypeVar

log = logging.getLogger(__name__)

R = TypeVar("R")  # the resource a worker owns
T = TypeVar("T")  # what one call returns


class BatchFailed(Exception):
    """The batch a write joined could not be committed: none of its writes was saved."""


class Worker(Generic[R]):
    """One thread owning one resource: every call runs there, in the order it was made.

    Hand-written rather than a ``ThreadPoolExecutor`` (``run_in_executor``): each call there
    costs a concurrent future, its chaining to an asyncio one and a wake-up of the loop; here a
    call is a queue entry, and results that are ready together (a burst of phones) go back to
    the loop in one wake-up, at most ``HAND_BACK_S`` after the first of them was ready."""

    HAND_BACK_S = 0.001

    def __init__(self, open_: Callable[[], R], close: Callable[[R], None], name: str):
        self._open = open_
        self._close = close
        self._name = name
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._later: list[tuple[Callable, tuple]] = []   # only the worker's thread touches it
        self.resource: R | None = None

    async def start(self) -> R:
        """Open the resource on the worker's thread (on the caller's event loop)."""
        self._loop = asyncio.get_running_loop()
        self._thread = threading.Thread(target=self._serve, name=f"{self._name}_0", daemon=True)
        self._thread.start()
        self.resource = await self._run(self._open)
        return self.resource

    async def call(self, fn: Callable[[R], T]) -> T:
        """``fn(resource)`` on the worker's thread; its result (or exception) once it ran."""
        return await self._run(fn, self.resource)

    def later(self, fn: Callable, *args) -> None:
        """(On the worker's thread, from a call it runs.) ``fn(*args)`` on the loop, in the
        wake-up that hands back this call's result, before any result of it is delivered:
        one wake-up of the loop, not two."""
        self._later.append((fn, args))

    def submit(self, fn: Callable[[R], object]) -> None:
        """``fn(resource)`` queued without waiting: it runs before any call made after it."""
        if self.resource is not None:
            self._queue.put((fn, (self.resource,), None))

    async def stop(self) -> None:
        """Close the resource on its thread, after everything queued, and end the thread."""
        if self._thread is None:
            return
        if self.resource is not None:
            await self._run(self._close, self.resource)
            self.resource = None
        self._queue.put(_STOP)
        self._thread.join()
        self._thread = None

    def _run(self, fn: Callable, *args) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self._queue.put((fn, args, future))
        return future

    def _serve(self) -> None:
        done: list[tuple[asyncio.Future, _Outcome]] = []
        first_ready = 0.0
        while True:
            try:
                item = self._queue.get_nowait() if done or self._later else self._queue.get()
            except queue.Empty:  # nothing more to run now: hand back what is ready
                done = self._hand_back(done)
                continue
            if item is _STOP:
                self._hand_back(done)
                return
            fn, args, future = item
            try:
                outcome = _Outcome(result=fn(*args))
            except Exception as exc:  # the caller gets it; a submitted call's is logged
                outcome = _Outcome(error=exc)
            if future is None:
                if outcome.error is not None:
                    log.error("%s: a queued call failed", self._name, exc_info=outcome.error)
                continue
            if not done:
                first_ready = time.perf_counter()
            done.append((future, outcome))
            if time.perf_counter() - first_ready >= self.HAND_BACK_S:
                done = self._hand_back(done)

    def _hand_back(self, done: list) -> list:
        later, self._later = self._later, []
        if (done or later) and self._loop is not None:
            try:
                self._loop.call_soon_threadsafe(_deliver, done, later)
            except RuntimeError:  # the loop closed: nobody waits for these any more
                pass
        return []


_STOP = object()


def _deliver(done: list, later: list) -> None:
    for fn, args in later:
        try:
            fn(*args)
        except Exception:  # the results are delivered all the same
            log.exception("a call handed to the loop failed")
    for future, outcome in done:
        if future.done():  # the caller went away (a phone hung up)
            continue
        if outcome.error is not None:
            future.set_exception(outcome.error)
        else:
            future.set_result(outcome.result)


@dataclass(frozen=True)
class _Write(Generic[R, T]):
    work: Callable[[R], T]
    done: asyncio.Future


@dataclass(frozen=True)
class _Outcome:
    result: object = None
    error: Exception | None = None


class _Batch:
    """A batch's place in the worker's hand-back: its outcomes (or its failure) go straight to
    each write's future, on the loop, in the wake-up that brings them back."""

    __slots__ = ("writer", "writes")

    def __init__(self, writer: BatchWriter, writes: list[_Write]):
        self.writer = writer
        self.writes = writes

    def done(self) -> bool:
        return False

    def set_result(self, outcomes: list[_Outcome]) -> None:
        for write, outcome in zip(self.writes, outcomes):
            if write.done.done():  # the caller went away (a phone hung up)
                continue
            if outcome.error is not None:
                write.done.set_exception(outcome.error)
            else:
                write.done.set_result(outcome.result)
        self.writer._batch_done()

    def set_exception(self, exc: BaseException) -> None:
        # The commit itself failed: nobody is acknowledged.
        log.error("a batch of %d writes failed", len(self.writes), exc_info=exc)
        failed = BatchFailed(str(exc) or type(exc).__name__)
        self.set_result([_Outcome(error=failed)] * len(self.writes))


class BatchWriter(Worker[R]):
    """A worker whose writes are committed in batches and acknowledged only after the commit.

    ``transaction(resource)`` and ``savepoint(resource)`` are context managers: the first commits
    on a clean exit and rolls back on an exception, the second undoes one write that raised.
    ``committed(resource, results)`` runs on the writer's thread after each commit, before anyone
    is answered, with the results of the writes that succeeded (to announce them, say).
    """

    def __init__(self, open_: Callable[[], R], close: Callable[[R], None], *,
                 transaction: Callable[[R], AbstractContextManager],
                 savepoint: Callable[[R], AbstractContextManager],
                 committed: Callable[[R, list], None] = lambda resource, results: None,
                 name: str = "writer"):
        super().__init__(open_, close, name)
        self._transaction = transaction
        self._savepoint = savepoint
        self._committed = committed
        self._pending: list[_Write] = []
        # A batch is with the thread, or about to be: later writes wait for the next one.
        # (A loop callback, not a task waiting on an event: two wake-ups of a task fewer.)
        self._writing = False
        self._stopped = False

    async def start(self) -> R:
        """Open the resource and start collecting writes (on the loop that will submit them)."""
        self._stopped = False
        return await super().start()

    async def write(self, work: Callable[[R], T]) -> T:
        """Queue ``work(resource)``; its result once the batch it joined has committed.

        Raises what ``work`` raised (its savepoint was undone, the rest of the batch stands), or
        ``BatchFailed`` when the commit itself failed or the writer has stopped.
        """
        if self._stopped:
            raise BatchFailed("the writer has stopped")
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        self._pending.append(_Write(work, done))
        if not self._writing:
            self._writing = True
            loop.call_soon(self._flush)   # what else arrives in this turn of the loop joins
        return await done

    async def stop(self) -> None:
        """Stop collecting (writes still queued are not run) and close the resource."""
        self._stopped = True
        for write in self._pending:
            if not write.done.done():
                write.done.set_exception(BatchFailed("the writer stopped before this write ran"))
        self._pending = []
        await super().stop()

    def _flush(self) -> None:
        """(On the loop.) Hand what is pending to the thread as one batch."""
        batch, self._pending = self._pending, []
        if not batch or self._stopped:
            self._writing = False
            return
        self._queue.put((self.run_batch, ([w.work for w in batch],), _Batch(self, batch)))

    def _batch_done(self) -> None:
        """(On the loop.) A batch was answered: what arrived meanwhile goes next, together."""
        self._writing = False
        if self._pending:
            self._writing = True
            self._flush()

    def run_batch(self, works: list[Callable[[R], T]]) -> list[_Outcome]:
        """(On the writer's thread.) Run ``works`` in one transaction, each in a savepoint;
        returns each one's outcome. Raises if the transaction fails to commit."""
        resource = self.resource
        outcomes: list[_Outcome] = []
        with self._transaction(resource):
            for work in works:
                try:
                    with self._savepoint(resource):
                        outcomes.append(_Outcome(result=work(resource)))
                except Exception as exc:  # the caller gets its own error
                    outcomes.append(_Outcome(error=exc))
        try:
            self._committed(resource, [o.result for o in outcomes if o.error is None])
        except Exception:  # what is saved stays saved, and is acknowledged
            log.exception("announcing a committed batch failed")
        return outcomes
