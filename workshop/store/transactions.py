"""The one way the product writes: ``with write(db): …`` — the write lock first, then the work.

Two connections write the one file (the window's and the join server's), and CLI commands are
a third. A transaction that reads before it writes (sqlite-utils' ``atomic()`` opens a deferred
``BEGIN``) cannot wait for the lock: when it finally writes, its snapshot may be stale and
SQLite answers "database is locked" at once, whatever the busy timeout. ``BEGIN IMMEDIATE``
takes the write lock before the first read, so it queues under the busy timeout instead, and
nothing inside the block can fail for being second.

SQLite waits under the busy timeout while the lock is held. A few cases return SQLITE_BUSY
without waiting (a WAL checkpoint being reset, a connection opening the WAL index); those are
retried a bounded number of times with a short growing pause. The pause counts attempts, not
time: the product's clocks are for the workshop's time, and no clock is read here.
"""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from workshop.store.errors import StoreBusy

if TYPE_CHECKING:   # annotations only: the migrations' imports stay light (store.migrate)
    import sqlite_utils

# Each attempt may itself wait the whole busy timeout (SQLite's handler), so the worst case is
# (RETRIES + 1) × BUSY_TIMEOUT_MS before StoreBusy: kept small, a window must not hang for long.
RETRIES = 2
FIRST_PAUSE_S = 0.05   # then 0.1: the no-wait cases clear within milliseconds

BUSY_MESSAGE = ("The data file is busy: another program kept it locked for too long. "
                "Nothing was saved; try again in a moment.")


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite's "database is locked"/"busy" (not a damaged or full file)."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def begin_immediate(db: sqlite_utils.Database, *, retries: int | None = None,
                    pause: Callable[[float], None] | None = None) -> None:
    """``BEGIN IMMEDIATE``, retried on SQLITE_BUSY; raises ``StoreBusy`` when it never comes."""
    retries = RETRIES if retries is None else retries
    pause = pause or time.sleep
    for attempt in range(retries + 1):
        try:
            db.conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
            if attempt == retries:
                raise StoreBusy(BUSY_MESSAGE) from exc
            pause(FIRST_PAUSE_S * 2 ** attempt)


@contextmanager
def write(db: sqlite_utils.Database, *, retries: int | None = None,
          pause: Callable[[float], None] | None = None) -> Iterator[sqlite_utils.Database]:
    """One write transaction, the lock taken up front; all of the block or none of it.

    Inside another ``write`` it is a savepoint: it undoes its own part on an error and leaves
    the outer transaction to commit the rest. A busy file raises ``StoreBusy`` (a
    ``DatabaseError`` whose message the window and the CLI show) before anything is written.
    """
    if db.conn.in_transaction:
        with _savepoint(db.conn):
            yield db
        return
    begin_immediate(db, retries=retries, pause=pause)
    try:
        yield db
        db.conn.execute("COMMIT")
    except BaseException as exc:
        # A COMMIT that fails (a deferred constraint, a full disk) leaves the transaction
        # open; every later write would nest in it and never be saved.
        if db.conn.in_transaction:
            db.conn.rollback()
        if is_busy(exc):   # with the lock held this should not happen; say it plainly if it does
            raise StoreBusy(BUSY_MESSAGE) from exc
        raise


@contextmanager
def _savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    """A savepoint inside the open transaction, as sqlite-utils' ``atomic()`` makes, under one
    name: savepoints of the same name nest (RELEASE and ROLLBACK TO take the latest), so the
    statements are the same each time and come from the connection's statement cache, where a
    fresh random name was parsed again on every write (four times per phone's check-in)."""
    conn.execute("SAVEPOINT workshop_write")
    try:
        yield
    except BaseException:
        # A RAISE(ROLLBACK) trigger (or a failed COMMIT) can end the whole transaction, the
        # savepoint with it: nothing is left to undo, and trying would mask the error.
        if conn.in_transaction:
            conn.execute("ROLLBACK TO SAVEPOINT workshop_write")
            conn.execute("RELEASE SAVEPOINT workshop_write")
        raise
    else:
        conn.execute("RELEASE SAVEPOINT workshop_write")
