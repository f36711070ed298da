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
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import partial
from typing import Callable, Generic, TypeVar

log = logging.getLogger(__name__)

R = TypeVar("R")  # the resource a worker owns
T = TypeVar("T")  # what one call returns


class BatchFailed(Exception):
    """The batch a write joined could not be committed: none of its writes was saved."""


class Worker(Generic[R]):
    """One thread owning one resource: every call runs there, in the order it was made."""

    def __init__(self, open_: Callable[[], R], close: Callable[[R], None], name: str):
        self._open = open_
        self._close = close
        self._pool = ThreadPoolExecutor(1, thread_name_prefix=name)
        self.resource: R | None = None

    async def start(self) -> R:
        """Open the resource on the worker's thread (on the caller's event loop)."""
        self.resource = await self._run(self._open)
        return self.resource

    async def call(self, fn: Callable[[R], T]) -> T:
        """``fn(resource)`` on the worker's thread; its result (or exception) once it ran."""
        return await self._run(partial(fn, self.resource))

    def submit(self, fn: Callable[[R], object]) -> None:
        """``fn(resource)`` queued without waiting: it runs before any call made after it."""
        if self.resource is not None:
            self._pool.submit(fn, self.resource)

    async def stop(self) -> None:
        """Close the resource on its thread, after everything queued, and end the thread."""
        if self.resource is not None:
            await self._run(self._close, self.resource)
            self.resource = None
        self._pool.shutdown(wait=True)

    async def _run(self, fn: Callable, *args):
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)


@dataclass(frozen=True)
class _Write(Generic[R, T]):
    work: Callable[[R], T]
    done: asyncio.Future


@dataclass(frozen=True)
class _Outcome:
    result: object = None
    error: Exception | None = None


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
        self._wake: asyncio.Event | None = None
        self._batcher: asyncio.Task | None = None

    async def start(self) -> R:
        """Open the resource and start collecting writes (on the loop that will submit them)."""
        resource = await super().start()
        self._wake = asyncio.Event()
        self._batcher = asyncio.create_task(self._write_batches())
        return resource

    async def write(self, work: Callable[[R], T]) -> T:
        """Queue ``work(resource)``; its result once the batch it joined has committed.

        Raises what ``work`` raised (its savepoint was undone, the rest of the batch stands), or
        ``BatchFailed`` when the commit itself failed.
        """
        done = asyncio.get_running_loop().create_future()
        self._pending.append(_Write(work, done))
        self._wake.set()
        return await done

    async def stop(self) -> None:
        """Stop collecting (writes still queued are not run) and close the resource."""
        if self._batcher is not None:
            self._batcher.cancel()
            self._batcher = None
        for write in self._pending:
            if not write.done.done():
                write.done.set_exception(BatchFailed("the writer stopped before this write ran"))
        self._pending = []
        await super().stop()

    async def _write_batches(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            batch, self._pending = self._pending, []
            if not batch:
                continue
            try:
                outcomes = await self._run(self.run_batch, [w.work for w in batch])
            except Exception as exc:  # the commit itself failed: nobody is acknowledged
                log.exception("a batch of %d writes failed", len(batch))
                failed = BatchFailed(str(exc) or type(exc).__name__)
                outcomes = [_Outcome(error=failed)] * len(batch)
            for write, outcome in zip(batch, outcomes):
                if write.done.done():  # the caller went away (a phone hung up)
                    continue
                if outcome.error is not None:
                    write.done.set_exception(outcome.error)
                else:
                    write.done.set_result(outcome.result)

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
