"""A read-only look at a data file with the standard library's ``sqlite3`` alone.

``workshop academies`` reads two tables; opening the file the full way imports sqlite-utils
(with click, dateutil and pluggy: about 60 ms, a third of the command), replays the schema
to check it and switches the journal mode (issue 20). A file that is healthy, writable and
already at this version's schema needs none of that to be read, so a reading command may
look at it here first. Anything else (a file to upgrade, from a newer version, damaged,
read-only, missing) gets ``None``, and the command opens it the full way, which upgrades it
or says in one line why it cannot.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from workshop.store.errors import DatabaseError
from workshop.store.health import FILE_FAILURES, WRITE, check_file, connect_read_only
from workshop.store.migrate import TABLE

TIMEOUT_S = 5.0   # as open_database's busy timeout


def open_current(path: Path | str, features: dict) -> sqlite3.Connection | None:
    """A read-only connection (rows as ``sqlite3.Row``) to the file at ``path`` if it is
    healthy, writable and every area of ``features`` (area → migrations) is at its last
    migration with no area unknown; else None."""
    path = Path(path)
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
        if check_file(path, TIMEOUT_S).access != WRITE:
            return None
        conn = connect_read_only(path, TIMEOUT_S)
    except (DatabaseError, *FILE_FAILURES):
        return None
    try:
        applied = dict(conn.execute(
            f"SELECT feature, max(version) FROM {TABLE} GROUP BY feature").fetchall())
        latest = {area: max((m.version for m in migrations), default=0)
                  for area, migrations in features.items()}
        if applied != {area: version for area, version in latest.items() if version}:
            conn.close()
            return None
    except FILE_FAILURES:
        conn.close()
        return None
    conn.row_factory = sqlite3.Row
    return conn
