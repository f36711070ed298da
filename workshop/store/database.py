"""Open the one SQLite file: WAL, foreign keys and a busy timeout on every connection.

Other threads (the join server) open their own connection with the same function; WAL lets
them write while the GUI reads, and the busy timeout makes a writer wait instead of failing.
"""
from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import sqlite_utils

from workshop.store.errors import DatabaseError
from workshop.store.health import (SQLITE_FAILURES, WRITE, FileHealth, check_file,
                                   connect_read_only, explain, health_of, remember)

BUSY_TIMEOUT_MS = 5000


def open_database(path: Path | str, *, wal: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the database file with the app's connection settings.

    ``wal=False`` leaves the journal mode alone: switching to WAL rewrites the file header, so
    the app first checks that the file is not from a newer version, then calls ``use_wal``.
    """
    path = Path(path) if str(path) != ":memory:" else path
    health = FileHealth()
    if isinstance(path, Path):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"Cannot create the data folder {path.parent}: {exc.strerror}.") from exc
        # Looked at read-only first: a damaged or unwritable file is then opened read-only.
        health = check_file(path, BUSY_TIMEOUT_MS / 1000)
    try:
        if health.access == WRITE:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000,
                                   check_same_thread=False)
        else:
            conn = connect_read_only(Path(path), BUSY_TIMEOUT_MS / 1000,
                                     without_wal=health.without_wal)
        db = sqlite_utils.Database(conn)
        remember(db, health)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        if wal:
            use_wal(db)
        db.execute("PRAGMA synchronous = NORMAL")
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


def backup_database(db: sqlite_utils.Database, path: Path, label: str,
                    when: datetime) -> Path | None:
    """Copy a consistent snapshot of the live database beside it, named by ``when`` (the
    clock's now); return the copy's path."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    stamp = when.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.backup-{stamp}-{label}{path.suffix}")
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
    return target
