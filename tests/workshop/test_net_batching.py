"""The batching writer on a real SQLite file: acknowledged means committed, and a batch that
cannot commit acknowledges none of its writes."""
from __future__ import annotations

import asyncio
import threading
from contextlib import contextmanager

import pytest

from workshop.net.batching import BatchFailed, BatchWriter, Worker
from workshop.store import open_database


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "writes.sqlite"
    db = open_database(path)
    db.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    # Checked at COMMIT, not per statement: the way to make a real commit fail on demand.
    db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL, parent_id INTEGER"
               " REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)")
    db.close()
    return path


def committed(path) -> list[str]:
    """What another connection sees: only what has been committed."""
    db = open_database(path)
    try:
        return [r[0] for r in db.execute("SELECT text FROM notes ORDER BY id").fetchall()]
    finally:
        db.close()


class Log:
    """Records, in order, what the writer did: each write, each commit, each acknowledgement."""

    def __init__(self):
        self.entries: list[str] = []
        self._lock = threading.Lock()

    def add(self, entry: str) -> None:
        with self._lock:
            self.entries.append(entry)


def make_writer(path, log: Log, committed_hook=None) -> BatchWriter:
    @contextmanager
    def transaction(db):
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
            db.execute("COMMIT")
        except BaseException:
            if db.conn.in_transaction:
                db.conn.rollback()
            raise
        log.add("commit")

    return BatchWriter(lambda: open_database(path), lambda db: db.close(),
                       transaction=transaction, savepoint=lambda db: db.atomic(),
                       committed=committed_hook or (lambda db, results: None), name="test-write")


def note(text: str, parent_id: int | None = None, log: Log | None = None):
    def work(db):
        db.execute("INSERT INTO notes (text, parent_id) VALUES (?, ?)", [text, parent_id])
        if log is not None:
            log.add(f"write {text}")
        return text
    return work


def refuse(db):
    db.execute("INSERT INTO notes (text) VALUES ('refused')")
    raise ValueError("not this one")


async def write_all(writer: BatchWriter, works, log: Log | None = None) -> list:
    async def one(work):
        try:
            result = await writer.write(work)
        except Exception as exc:
            return exc
        if log is not None:
            log.add(f"ack {result}")
        return result
    return await asyncio.gather(*(one(w) for w in works))


def test_writes_that_arrive_together_commit_together_and_are_acknowledged_after(path):
    log = Log()
    seen_at_commit: list[list[str]] = []
    writer = make_writer(path, log, lambda db, results: seen_at_commit.append(committed(path)))

    async def scenario():
        await writer.start()
        try:
            return await write_all(writer, [note(t, log=log) for t in "abc"], log)
        finally:
            await writer.stop()
    results = asyncio.run(scenario())
    assert results == ["a", "b", "c"]
    assert log.entries[:4] == ["write a", "write b", "write c", "commit"]  # one commit for three
    assert sorted(log.entries[4:]) == ["ack a", "ack b", "ack c"]          # all after it
    assert seen_at_commit == [["a", "b", "c"]]  # committed (another connection sees them) first
    assert committed(path) == ["a", "b", "c"]


def test_a_refused_write_gets_its_own_error_and_the_rest_of_its_batch_is_saved(path):
    announced: list[list] = []
    writer = make_writer(path, Log(), lambda db, results: announced.append(results))

    async def scenario():
        await writer.start()
        try:
            return await write_all(writer, [note("kept"), refuse, note("also kept")])
        finally:
            await writer.stop()
    first, refused, last = asyncio.run(scenario())
    assert (first, last) == ("kept", "also kept")
    assert isinstance(refused, ValueError) and str(refused) == "not this one"
    assert committed(path) == ["kept", "also kept"]   # its insert was undone, theirs stand
    assert announced == [["kept", "also kept"]]       # only what succeeded is announced


def test_a_batch_that_cannot_commit_acknowledges_none_of_its_writes(path):
    log = Log()
    announced: list[list] = []
    writer = make_writer(path, log, lambda db, results: announced.append(results))

    async def scenario():
        await writer.start()
        try:
            # The second note points at a parent that does not exist: COMMIT fails.
            failed = await write_all(writer, [note("innocent"), note("orphan", parent_id=99)])
            after = await writer.write(note("later"))  # the writer carries on afterwards
            return failed, after
        finally:
            await writer.stop()
    failed, after = asyncio.run(scenario())
    assert all(isinstance(outcome, BatchFailed) for outcome in failed), failed
    assert log.entries == ["commit"] and announced == [["later"]]  # only the later batch's
    assert after == "later"
    assert committed(path) == ["later"]  # nothing of the failed batch was saved


def test_the_writer_owns_its_connection_on_one_thread(path):
    writer = make_writer(path, Log())
    threads: set[str] = set()

    def where(db):
        threads.add(threading.current_thread().name)
        db.execute("INSERT INTO notes (text) VALUES ('x')")
        return db

    async def scenario():
        opened = await writer.start()
        try:
            used = [await writer.write(where) for _ in range(3)]
        finally:
            await writer.stop()
        return opened, used
    opened, used = asyncio.run(scenario())
    assert all(db is opened for db in used)
    assert len(threads) == 1 and threads.pop().startswith("test-write")
    assert threading.current_thread().name not in threads


def test_a_worker_runs_calls_in_order_on_its_resource(path):
    worker = Worker(lambda: open_database(path), lambda db: db.close(), "test-read")
    order: list[str] = []

    async def scenario():
        await worker.start()
        try:
            worker.submit(lambda db: order.append("queued first"))
            count = await worker.call(lambda db: (order.append("called"),
                                                  db.execute("SELECT count(*) FROM notes")
                                                  .fetchone()[0])[1])
        finally:
            await worker.stop()
        return count
    assert asyncio.run(scenario()) == 0
    assert order == ["queued first", "called"]
    assert worker.resource is None


def test_a_worker_hands_back_results_ready_together_in_one_wake_up(path, caplog):
    """(Issue 19 item 6.) A burst of reads wakes the loop a few times, not once per read; each
    caller still gets its own result or error, in order, and a queued call's error is logged."""
    worker = Worker(lambda: open_database(path), lambda db: db.close(), "test-read")
    gate = threading.Event()

    def value(i):
        def run(db):
            gate.wait(5)  # the calls queue up behind the first, as a roomful of phones do
            if i == 7:
                raise ValueError("seven")
            return db.execute("SELECT ?", [i]).fetchone()[0]
        return run

    async def scenario():
        await worker.start()
        loop = asyncio.get_running_loop()
        wakes = []
        original = loop.call_soon_threadsafe
        loop.call_soon_threadsafe = lambda *a: (wakes.append(a), original(*a))[1]
        try:
            worker.submit(lambda db: 1 / 0)
            pending = [asyncio.ensure_future(worker.call(value(i))) for i in range(40)]
            await asyncio.sleep(0.05)
            gate.set()
            results = await asyncio.gather(*pending, return_exceptions=True)
        finally:
            loop.call_soon_threadsafe = original
            await worker.stop()
        return results, wakes
    results, wakes = asyncio.run(scenario())
    assert [r for i, r in enumerate(results) if i != 7] == [i for i in range(40) if i != 7]
    assert isinstance(results[7], ValueError)
    assert len(wakes) < 10          # one wake-up per call before: 40
    assert "a queued call failed" in caplog.text


def test_a_batch_is_answered_in_one_wake_up_with_the_loop_work_its_commit_asked_for(path):
    """(Issue 19 item 6.) What ``committed`` hands to the loop (``later``) runs in the same
    wake-up that brings the batch's answers, before any of them: one wake-up per batch, not
    two, and the loop hears of the commit before a phone is told."""
    log = Log()
    writer = make_writer(path, log, lambda db, results: writer.later(log.add, f"told {results}"))

    async def scenario():
        await writer.start()
        loop = asyncio.get_running_loop()
        wakes = []
        original = loop.call_soon_threadsafe
        loop.call_soon_threadsafe = lambda *a: (wakes.append(a), original(*a))[1]
        try:
            await write_all(writer, [note(t) for t in "ab"], log)
        finally:
            loop.call_soon_threadsafe = original
            await writer.stop()
        return wakes
    wakes = asyncio.run(scenario())
    assert log.entries[:2] == ["commit", "told ['a', 'b']"]
    assert sorted(log.entries[2:]) == ["ack a", "ack b"]
    assert len(wakes) == 1


def test_writes_that_arrive_during_a_commit_go_together_in_the_next_batch(path):
    log = Log()
    gate = threading.Event()
    writer = make_writer(path, log)

    def slow(db):
        gate.wait(5)
        db.execute("INSERT INTO notes (text) VALUES ('first')")
        return "first"

    async def scenario():
        await writer.start()
        try:
            first = asyncio.ensure_future(writer.write(slow))
            await asyncio.sleep(0)          # the first batch is with the thread
            rest = asyncio.ensure_future(write_all(writer, [note(t, log=log) for t in "xyz"]))
            await asyncio.sleep(0.01)
            gate.set()
            return await first, await rest
        finally:
            await writer.stop()
    assert asyncio.run(scenario()) == ("first", ["x", "y", "z"])
    assert log.entries == ["commit", "write x", "write y", "write z", "commit"]
    assert committed(path) == ["first", "x", "y", "z"]


def test_a_write_after_the_writer_stopped_is_refused_not_left_waiting(path):
    writer = make_writer(path, Log())

    async def scenario():
        await writer.start()
        await writer.stop()
        with pytest.raises(BatchFailed):
            await asyncio.wait_for(writer.write(note("late")), 5)  # it hung before
    asyncio.run(scenario())
    assert committed(path) == []
