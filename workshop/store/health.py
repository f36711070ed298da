"""Is the data file healthy, read-only or damaged, and what does an SQLite error mean to the
person at the keyboard?

Before the file is opened for writing it is looked at through a read-only connection (so a
damaged file, or a stray WAL beside it, is never written to by the look): the header, the
schema and a time-bounded ``PRAGMA quick_check``. A damaged file is then opened read-only, so
nothing can write into it; a healthy file the user may not write (permissions, a read-only
mount) is opened read-only too, so reading commands work and writing ones say "read-only".
``explain`` turns the SQLite and OS errors a person can act on — damage, read-only, disk
full — into one line each, and leaves every other error (a bug) alone.
"""
from __future__ import annotations

import errno
import os
import sqlite3
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from workshop.store.errors import DatabaseError

HEADER = b"SQLite format 3\x00"
QUICK_CHECK_SECONDS = 2.0        # a bigger file is checked this long, then trusted
CHECK_EVERY = 10_000             # SQLite VM steps between looks at the clock
WRITE, READ_ONLY, DAMAGED = "write", "read-only", "damaged"
# On a damaged file SQLite's own error message can hold the damaged bytes, and Python then
# fails to decode the message itself: that UnicodeDecodeError means damage too.
SQLITE_FAILURES = (sqlite3.DatabaseError, UnicodeDecodeError)
# What a command can meet from the file rather than from a bug (``explain`` sorts them).
FILE_FAILURES = (sqlite3.DatabaseError, UnicodeDecodeError, OSError)


class DamagedDatabaseError(DatabaseError):
    """The file is damaged; it is opened read-only and nothing is written to it."""


class ReadOnlyDatabaseError(DatabaseError):
    """The file (or its folder) cannot be written: reading works, changing does not."""


class DiskFullError(DatabaseError):
    """The disk is full: the change was rolled back, the file is as it was."""


@dataclass(frozen=True)
class FileHealth:
    """How a data file may be used: ``access`` is write, read-only or damaged; ``reason``
    says why it is not writable, for the person ("" when it is)."""
    access: str = WRITE
    reason: str = ""
    without_wal: bool = False   # read the file alone: the WAL beside it is not its own


_health: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def remember(db: object, health: FileHealth) -> None:
    """Record how ``db`` (a sqlite_utils.Database) was opened, for ``health_of``."""
    _health[db] = health


def health_of(db: object) -> FileHealth:
    """How the database was opened (writable unless ``open_database`` found otherwise)."""
    return _health.get(db, FileHealth())


def not_writable(path: Path) -> str:
    """Why the file cannot be written ("" if it can): SQLite also needs its folder, for the
    journal and the WAL beside it."""
    if path.exists() and not _may_write(path):
        return "the file is read-only"
    if not _may_write(path.parent):
        return "its folder is read-only"
    return ""


def _may_write(path: Path) -> bool:
    # The effective user is who SQLite writes as (os.access alone asks about the real one).
    effective = os.access in os.supports_effective_ids
    return os.access(path, os.W_OK, effective_ids=effective)


def connect_read_only(path: Path, timeout: float, *, without_wal: bool = False
                      ) -> sqlite3.Connection:
    """A connection that cannot write. A WAL file in a read-only folder cannot get its
    shared-memory file beside it; there ``immutable=1`` is the only way to read it, and is safe
    because nothing can write that folder either. ``immutable=1`` also reads the file without
    the WAL beside it (``without_wal``)."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    if without_wal:
        return sqlite3.connect(uri + "&immutable=1", uri=True, timeout=timeout,
                               check_same_thread=False)
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        if _code(exc) not in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN):
            raise
        conn.close()
    return sqlite3.connect(uri + "&immutable=1", uri=True, timeout=timeout,
                           check_same_thread=False)


def check_file(path: Path, timeout: float) -> FileHealth:
    """Look at an existing file without writing to it; DatabaseError if it is no database at
    all (nothing can be read from it)."""
    if not path.exists() or path.stat().st_size == 0:
        reason = not_writable(path)
        if reason:
            raise ReadOnlyDatabaseError(f"Cannot create the data file {path}: {reason}.")
        return FileHealth()
    try:
        with path.open("rb") as f:
            header = f.read(len(HEADER))
    except OSError as exc:
        raise DatabaseError(f"Cannot read the data file {path}: {exc.strerror}.") from None
    if header != HEADER:
        raise DatabaseError(f"{path} is not a Design Academy Studio database (it is not an "
                            "SQLite file). Choose another file with --db, or move this one aside.")
    stray = _foreign_wal(path)
    if stray:
        return FileHealth(DAMAGED, stray, without_wal=True)
    damage = ""
    try:
        conn = connect_read_only(path, timeout)
    except UnicodeDecodeError:
        return FileHealth(DAMAGED, "its schema cannot be read")
    except sqlite3.DatabaseError as exc:
        if _code(exc) in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_BUSY) and not not_writable(path):
            # A read-only look at a WAL file that another process is writing (phones, the
            # window) can meet its log being reset; that says nothing about the file. The
            # ordinary open that follows reports a real fault in its own words.
            return FileHealth()
        raise _open_error(exc, path) from None
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        damage = _quick_check(conn)
    except UnicodeDecodeError:
        damage = "its schema cannot be read"
    except sqlite3.DatabaseError as exc:
        if _code(exc) == sqlite3.SQLITE_NOTADB:
            raise _open_error(exc, path) from None
        damage = _first_line(exc)
    finally:
        conn.close()
    if damage:
        return FileHealth(DAMAGED, damage)
    reason = not_writable(path)
    return FileHealth(READ_ONLY, reason) if reason else FileHealth()


def _foreign_wal(path: Path) -> str:
    """Why the WAL beside the file is not its own ("" if it is, or there is none). Applying a
    stranger's WAL would replace the file's pages with another database's, and the first
    checkpoint would write them in: it happened with a copied file and a leftover -wal."""
    wal = Path(f"{path}-wal")
    try:
        if not wal.exists() or wal.stat().st_size == 0:
            return ""
        with path.open("rb") as f:
            header = f.read(100)
    except OSError:
        return ""
    stray = f"the write-ahead log beside it, {wal.name}, belongs to another database file"
    # Bytes 18-19 are 1 in a rollback-journal file: it never wrote a WAL of its own.
    if header[18:20] == b"\x01\x01":
        return stray
    # A WAL-mode file: through its WAL it must still be this app's file if it was before.
    def tables(**kw) -> set:
        conn = connect_read_only(path, 5.0, **kw)
        try:
            return {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    try:
        alone, through = tables(without_wal=True), tables()
    except SQLITE_FAILURES:
        return ""   # the checks that follow say what is wrong
    return stray if "_migrations" in alone and "_migrations" not in through else ""


def _quick_check(conn: sqlite3.Connection) -> str:
    """The first problem ``PRAGMA quick_check`` finds ("" when none), within
    QUICK_CHECK_SECONDS: past that it is interrupted and the file trusted."""
    deadline = time.monotonic() + QUICK_CHECK_SECONDS
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), CHECK_EVERY)
    try:
        rows = conn.execute("PRAGMA quick_check(3)").fetchall()
    except sqlite3.OperationalError as exc:
        if _code(exc) == sqlite3.SQLITE_INTERRUPT:
            return ""
        raise
    finally:
        conn.set_progress_handler(None, 0)
    problems = [r[0] for r in rows if r[0] != "ok"]
    return _first_line(problems[0]) if problems else ""


_expected: dict[tuple, dict[str, set[str]]] = {}


def schema_problem(db, features: dict, applied: dict[str, int], columns: Path | None = None) -> str:
    """What the file's tables lack against the schema its recorded migrations make ("" when
    nothing): damage inside ``sqlite_master`` (a column renamed by a flipped byte) passes
    quick_check, and would fail later as a KeyError deep in a repository. A file at this
    version's schema is checked against ``columns`` (``readonly.write_columns``' file) when it
    was written for these very versions; any other is checked against its migrations replayed
    in memory (4 ms of every window's start, issue 20)."""
    key = (tuple((f, tuple(m.name for m in ms)) for f, ms in features.items()),
           tuple(sorted(applied.items())))
    if key not in _expected:
        _expected[key] = (written_columns(columns, features, applied)
                          or _columns_made_by(features, applied))
    for table, columns in _expected[key].items():
        try:
            found = {row[1] for row in db.execute(f"PRAGMA table_info([{table}])").fetchall()}
        except sqlite3.OperationalError as exc:
            # A flipped byte in a virtual table's declaration ("unrecognized option") fails
            # as soon as the table is opened, with a plain SQLITE_ERROR: damage all the same.
            return f"its table “{table}” cannot be opened ({_first_line(exc)})"
        if not found:
            return f"its table “{table}” is missing"
        missing = sorted(columns - found)
        if missing:
            return f"its table “{table}” has no column “{missing[0]}”"
    return ""


def _columns_made_by(features: dict, applied: dict[str, int]) -> dict[str, set[str]]:
    """Every table's columns after the applied migrations, made in a scratch in-memory file
    in the order ``migrate`` runs them."""
    import sqlite_utils
    scratch = sqlite_utils.Database(memory=True, execute_plugins=False)   # as open_database
    try:
        for feature, migrations in features.items():
            for migration in migrations:
                if migration.version <= applied.get(feature, 0):
                    migration.apply(scratch)
        return {name: {row[1] for row in scratch.execute(f"PRAGMA table_info([{name}])")}
                for (name,) in scratch.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                    "'sqlite_%'").fetchall()}
    finally:
        scratch.close()


def explain(exc: BaseException, path: object, health: FileHealth | None = None,
            doing: str = "") -> DatabaseError | None:
    """The one-line error a person can act on for ``exc``, or None if it is not about the
    file (a bug: let it show). ``doing`` is "upgrade" while migrations run."""
    health = health or FileHealth()
    code = _code(exc) if isinstance(exc, sqlite3.Error) else None
    full = code == sqlite3.SQLITE_FULL or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC)
    if full:
        if doing == "upgrade":
            return DiskFullError(f"The disk holding {path} is full, so it could not be backed up "
                                 "and upgraded to this version; nothing was changed. Free some "
                                 "space and try again.")
        return DiskFullError(f"The disk holding {path} is full: the change was not saved "
                             "(nothing was half-written). Free some space and try again.")
    if isinstance(exc, UnicodeDecodeError):   # only ever passed in for an SQLite call
        return refusal(path, FileHealth(DAMAGED, "its text cannot be read"), doing)
    if not isinstance(exc, sqlite3.DatabaseError):
        return None
    damaged = code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or (
        code is None and "decode to UTF-8" in str(exc))
    refused = code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN)
    if damaged and health.access != DAMAGED:
        health = FileHealth(DAMAGED, _first_line(exc))
    elif health.access == WRITE and code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM):
        health = FileHealth(READ_ONLY, _first_line(exc))
    # On a damaged file any error may come from the damage; on a read-only one only a refused
    # write does (anything else is a bug, and shown as one).
    if health.access == DAMAGED or (health.access == READ_ONLY and refused):
        return refusal(path, health, doing)
    if code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN):
        return DatabaseError(f"Cannot read or write {path} ({_first_line(exc)}); nothing was "
                             "changed. Check the disk, then try again.")
    return None


def explain_command_failure(exc: BaseException, path: object,
                            db: object | None) -> DatabaseError | None:
    """``explain`` for an error a command met after opening ``db`` (None: before): a
    UnicodeDecodeError counts as the file's only when the file is known to be damaged."""
    health = health_of(db) if db is not None else None
    if isinstance(exc, UnicodeDecodeError) and (health is None or health.access != DAMAGED):
        return None
    return explain(exc, path, health)


def refusal(path: object, health: FileHealth, doing: str = "") -> DatabaseError:
    """Why nothing may be written to a damaged or read-only file, in one line."""
    if health.access == DAMAGED:
        return DamagedDatabaseError(
            f"{path} is damaged ({health.reason}); nothing was written to it. Restore its latest "
            "backup (the .backup- files beside it), or choose another file with --db.")
    if doing == "upgrade":
        return ReadOnlyDatabaseError(
            f"{path} is read-only ({health.reason}) and was written by an older version: opening "
            "it here means upgrading it, which writes to it. Nothing was changed; make it "
            "writable, or open it with the version that wrote it.")
    return ReadOnlyDatabaseError(
        f"{path} is read-only ({health.reason}): nothing was changed. Commands that only read "
        "it work; to change it, make it writable or copy it somewhere you can write.")


def _open_error(exc: sqlite3.DatabaseError, path: Path) -> DatabaseError:
    return explain(exc, path) or DatabaseError(
        f"{path} is not a Design Academy Studio database, or it is damaged "
        f"({_first_line(exc)}). Choose another file with --db, or move this one aside.")


def _code(exc: sqlite3.Error) -> int | None:
    """The primary SQLite result code (extended codes carry it in their low byte)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def _first_line(value: object, n: int = 120) -> str:
    # "Could not decode to UTF-8 column 'title' with text '\ufffd…'": the garbage says nothing.
    text = " ".join(str(value).split(" with text '")[0].split())
    return text if len(text) <= n else text[: n - 1] + "…"


def path_refused(exc: OSError) -> str:
    """One line for an OSError on a path the person gave, not the data file (a name past the
    file system's limit, no permission): the name cut short if very long."""
    name = str(exc.filename or "")
    shown = name if len(name) <= 80 else f"{name[:40]}…{name[-20:]}"
    why = exc.strerror or str(exc)
    return f"{shown}: {why}." if shown else f"{why}."


def last_versions(features: dict) -> dict[str, int]:
    """Each area's last migration (areas without one left out, as ``_migrations`` has them)."""
    latest = {area: max((m.version for m in ms), default=0) for area, ms in features.items()}
    return {area: version for area, version in latest.items() if version}


def written_columns(path: Path | None, features: dict, applied: dict[str, int]
                    ) -> dict[str, set[str]] | None:
    """The tables' columns in ``path`` (``readonly.write_columns``' file) if it was written for
    exactly ``applied``, and ``applied`` is every area of ``features`` at its last migration;
    else None (the migrations are replayed)."""
    import json
    if path is None or applied != last_versions(features):
        return None
    try:
        written = json.loads(path.read_text(encoding="utf-8"))
        if written["versions"] != applied:
            return None
        return {table: set(names) for table, names in written["columns"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
