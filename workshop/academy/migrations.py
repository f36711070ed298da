"""Schema of the shell: academies and their participants.

Plain SQL here because sqlite-utils' create() cannot say ON DELETE CASCADE.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from workshop.store.migrate import Migration

if TYPE_CHECKING:   # annotations only: a read-only look at the file reads the versions below
    import sqlite_utils

FEATURE = "workshop"


def _v1(db: sqlite_utils.Database) -> None:
    db.execute("""CREATE TABLE academies (
        id INTEGER PRIMARY KEY, title TEXT NOT NULL, start_date TEXT, end_date TEXT,
        place TEXT NOT NULL DEFAULT '', facilitator TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL)""")
    db.execute("""CREATE TABLE participants (
        id INTEGER PRIMARY KEY,
        academy_id INTEGER NOT NULL REFERENCES academies(id) ON DELETE CASCADE,
        name TEXT NOT NULL, email TEXT NOT NULL DEFAULT '', school TEXT NOT NULL DEFAULT '',
        role TEXT NOT NULL DEFAULT '', readiness TEXT NOT NULL DEFAULT 'exploring',
        created_at TEXT NOT NULL)""")
    db.execute("CREATE INDEX participants_academy ON participants(academy_id)")


def _v2(db: sqlite_utils.Database) -> None:
    # Per-academy settings (paper size, sound…) as a JSON object; walk-ins join rosters later.
    db.execute("ALTER TABLE academies ADD COLUMN settings TEXT NOT NULL DEFAULT '{}'")
    db.execute("ALTER TABLE participants ADD COLUMN walk_in INTEGER NOT NULL DEFAULT 0")


MIGRATIONS = [Migration(1, "academies and participants", _v1),
              Migration(2, "academy settings and walk-ins", _v2)]
