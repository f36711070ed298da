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

import json
import sqlite3
from pathlib import Path

from workshop.store.errors import DatabaseError
from workshop.store.health import (FILE_FAILURES, WRITE, check_file, connect_read_only,
                                   last_versions, written_columns)
from workshop.store.migrate import TABLE

TIMEOUT_S = 5.0   # as open_database's busy timeout


def write_columns(features: dict, target: Path) -> None:
    """Write the tables' columns that this version's migrations make, with the versions they
    were made for (``health.schema_problem`` replays the migrations with sqlite-utils to know
    them; the quick look reads this file instead). Run when a migration is added."""
    from workshop.store.health import _columns_made_by
    versions = last_versions(features)
    columns = _columns_made_by(features, versions)
    target.write_text(json.dumps({"versions": versions, "columns": {
        table: sorted(names) for table, names in sorted(columns.items())}}, indent=1) + "\n",
        encoding="utf-8")


def _schema_sound(conn: sqlite3.Connection, expected: dict[str, set[str]]) -> bool:
    """``health.schema_problem``'s check with the columns read from the file written by
    ``write_columns``: every table opens and has its columns."""
    for table, columns in expected.items():
        found = {row[1] for row in conn.execute(f"PRAGMA table_info([{table}])").fetchall()}
        if not found or columns - found:
            return False
    return True


def open_current(path: Path | str, features: dict,
                 columns: Path | None = None) -> sqlite3.Connection | None:
    """A read-only connection (rows as ``sqlite3.Row``) to the file at ``path`` if it is
    healthy, writable, every area of ``features`` (area → migrations) is at its last
    migration with no area unknown, and its tables have the columns listed in ``columns``
    (``write_columns``' file, for these very versions); else None."""
    path = Path(path)
    versions = last_versions(features)
    expected = written_columns(columns, features, versions)
    if not expected:
        return None   # no list of this version's columns: the full way checks the schema
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
        if applied != versions or not _schema_sound(conn, expected):
            conn.close()
            return None
    except FILE_FAILURES:
        conn.close()
        return None
    conn.row_factory = sqlite3.Row
    return conn
