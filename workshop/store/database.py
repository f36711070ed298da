"""Open the one SQLite file: WAL, foreign keys and a busy timeout on every connection.

Other threads (the join server) open their own connection with the same function; WAL lets
them write while the GUI reads, and the busy timeout makes a writer wait instead of failing.
"""
from __future__ import annotations

import importlib
import os
import sqlite3
import sys
import types
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from workshop.store.errors import DatabaseError
from workshop.store.health import (SQLITE_FAILURES, WRITE, FileHealth, check_file,
                                   connect_read_only, explain, health_of, remember)


def _import_sqlite_utils():
    """sqlite-utils imports numpy when it is installed, only to map numpy scalar types to
    column types, and numpy costs about 100 ms of every start-up. The app never stores numpy
    values, so the first import of sqlite-utils runs with numpy hidden; numpy stays importable
    afterwards for whoever needs it. Its recipes import dateutil's parser (13 ms, with its
    time zones) for two functions the app never calls: that module loads when first used."""
    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        import sqlite_utils
        return sqlite_utils
    _load_when_used("dateutil.parser")
    sys.modules["numpy"] = None  # type: ignore[assignment]  # import numpy → ImportError
    try:
        import sqlite_utils
    finally:
        del sys.modules["numpy"]
    return sqlite_utils


class _LoadedWhenUsed(types.ModuleType):
    """Stands in for a module until one of its names is read: then the module is imported
    (taking its own place in ``sys.modules``) and answers that and every later read. Reading
    a dunder name (``__file__``: tools looking over ``sys.modules``) imports nothing.
    importlib's LazyLoader is not enough here: ``from package import module`` reads the
    module's ``__spec__``, which loads it."""

    def __getattr__(self, attr: str):
        if attr.startswith("__"):
            raise AttributeError(attr)
        real = self.__dict__.get("_module")
        if real is None:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            real = self.__dict__["_module"] = importlib.import_module(self.__name__)
        return getattr(real, attr)


def _load_when_used(name: str) -> None:
    """Put a stand-in for module ``name`` in ``sys.modules`` (``_LoadedWhenUsed``), unless it
    is imported already."""
    sys.modules.setdefault(name, _LoadedWhenUsed(name))


if TYPE_CHECKING:
    import sqlite_utils
else:
    sqlite_utils = _import_sqlite_utils()


BUSY_TIMEOUT_MS = 5000


SYNCHRONOUS = ("NORMAL", "FULL")


def open_database(path: Path | str, *, wal: bool = True, durable: bool = False,
                  check: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the database file with the app's connection settings.

    ``wal=False`` leaves the journal mode alone: switching to WAL rewrites the file header, so
    the app first checks that the file is not from a newer version, then calls ``use_wal``.

    ``durable=True`` (the join server's connections, whose commits are acknowledged to phones):
    ``synchronous=FULL``, so every commit syncs the WAL before it returns and an acknowledged
    check-in survives a power cut. With NORMAL, WAL syncs only at checkpoints, and a power cut
    can roll back the last commits, acknowledged or not. The window keeps NORMAL: its writes are
    a person's, one at a time, and a lost last edit is seen and redone; a phone's is not.

    ``check=False`` skips the read-only health check (``workshop.store.health``): for the extra
    connections of a process that already opened, and so checked, this file — the join server's,
    which open while phones and the window write, when a look at a live file proves nothing.
    """
    path = Path(path) if str(path) != ":memory:" else path
    health = FileHealth()
    if isinstance(path, Path):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"Cannot create the data folder {path.parent}: {exc.strerror}.") from exc
        # Looked at read-only first: a damaged or unwritable file is then opened read-only.
        if check:
            health = check_file(path, BUSY_TIMEOUT_MS / 1000)
    try:
        if health.access == WRITE:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000,
                                   check_same_thread=False)
        else:
            conn = connect_read_only(Path(path), BUSY_TIMEOUT_MS / 1000,
                                     without_wal=health.without_wal)
        # No sqlite-utils plugins: the app uses none, one installed on the machine must not
        # change how its data file is read, and finding them scanned every installed
        # package's entry points (20–40 ms of every start, issue 20).
        db = sqlite_utils.Database(conn, execute_plugins=False)
        remember(db, health)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        if wal:
            use_wal(db)
        db.execute(f"PRAGMA synchronous = {SYNCHRONOUS[durable]}")
        # Touch the schema so a file that is not a database fails here, clearly.
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except SQLITE_FAILURES as exc:
        raise explain(exc, path, health) or DatabaseError(
            f"{path} is not a Design Academy Studio database, or it is damaged ({exc}). "
            "Choose another file with --db, or move this one aside.") from exc
    return db


def use_wal(db: sqlite_utils.Database) -> None:
    """Write-ahead logging: the join server writes while the window reads."""
    if health_of(db).access != WRITE:   # a read-only connection cannot change the header
        return
    if db.execute("PRAGMA database_list").fetchone()[2]:  # not an in-memory database
        db.execute("PRAGMA journal_mode = WAL")


BACKUP_STEP_PAGES = 256   # pages copied per step: a long copy lets other connections in between
PARTIAL = ".partial"      # a copy being written; renamed to the backup's name when complete


def backup_name(path: Path, label: str, when: datetime) -> Path:
    """The backup's final name beside ``path``, stamped by ``when``."""
    stamp = when.strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}.backup-{stamp}-{label}{path.suffix}")


def backup_database(db: sqlite_utils.Database, path: Path, label: str, when: datetime,
                    progress: Callable[[int, int, int], object] | None = None) -> Path | None:
    """Copy a consistent snapshot of the live database beside it, named by ``when`` (the
    clock's now); return the copy's path.

    The copy is written under a temporary name (``….partial``), synced, and only then renamed
    to the backup's name: a crash or a kill half way leaves no half file that looks like a
    backup. A copy that fails is removed, and the failure said as a ``DatabaseError``.
    ``progress(status, remaining, total)`` is sqlite3's backup callback, after each step.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    target = backup_name(path, label, when)
    partial = target.with_name(target.name + PARTIAL)
    for stale in path.parent.glob(f"{path.stem}.backup-*{PARTIAL}"):   # a killed earlier copy
        stale.unlink(missing_ok=True)
    try:
        dest = sqlite3.connect(str(partial))
        try:
            db.conn.backup(dest, pages=BACKUP_STEP_PAGES, progress=progress)
        finally:
            dest.close()
        with open(partial, "rb+") as copied:   # on disk before it takes the backup's name
            os.fsync(copied.fileno())
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise DatabaseError(f"Could not write the backup {target.name} ({reason}); nothing was "
                            "changed. Free some space or check the folder, then try again.") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target
