"""Schema of the shell: academies and their participants.

Plain SQL here because sqlite-utils' create() cannot say ON DELETE CASCADE.
"""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from workshop.bundle.schema import Policies, declare
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


def _v3(db: sqlite_utils.Database) -> None:
    # A person's own uid, so that two laptops that each add someone after sharing an academy
    # (each file handing out its next id) merge both people instead of calling them one row.
    # People already here get a uid derived from what every copy of the file shares (the
    # academy's creation stamp, the person's id and creation stamp), so two copies upgraded
    # apart — or an old bundle upgraded on import — still name the same person the same way.
    db.execute("ALTER TABLE participants ADD COLUMN uid TEXT")
    rows = db.execute("SELECT p.id, p.created_at, a.created_at FROM participants p"
                      " JOIN academies a ON a.id = p.academy_id").fetchall()
    for pid, created, academy_created in rows:
        uid = hashlib.sha256(f"{academy_created}|{pid}|{created}".encode()).hexdigest()[:32]
        db.execute("UPDATE participants SET uid = ? WHERE id = ?", [uid, pid])
    db.execute("CREATE UNIQUE INDEX participants_uid ON participants(uid)")
    # New people get a random one wherever they are added (roster, walk-ins, copies, undo),
    # without every insert having to remember it; a row that brings its own (a bundle's) keeps it.
    db.execute("""CREATE TRIGGER participants_new_uid AFTER INSERT ON participants
        WHEN NEW.uid IS NULL BEGIN
            UPDATE participants SET uid = lower(hex(randomblob(16))) WHERE id = NEW.id;
        END""")


MIGRATIONS = [Migration(1, "academies and participants", _v1),
              Migration(2, "academy settings and walk-ins", _v2),
              Migration(3, "a uid for each participant", _v3)]

# Participants are merged by their uid, not by a local id another laptop may have given to
# someone else (workshop/bundle/merge.py).
BUNDLE = declare(FEATURE, Policies(identity={"participants": "uid"}))
