"""Schema of the stations feature. One ordered list per area so that areas evolve apart;
each list is recorded under its own name in ``_migrations``."""
from __future__ import annotations

import sqlite_utils

from workshop.store.migrate import Migration

FEATURE = "stations"


def _stations_v1(db: sqlite_utils.Database) -> None:
    db.execute("""CREATE TABLE stations (
        id INTEGER PRIMARY KEY,
        academy_id INTEGER NOT NULL REFERENCES academies(id) ON DELETE CASCADE,
        position INTEGER NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
        minutes INTEGER NOT NULL, prompt TEXT NOT NULL DEFAULT '',
        materials TEXT NOT NULL DEFAULT '', debrief_prompt TEXT NOT NULL DEFAULT '',
        UNIQUE (academy_id, position))""")


MIGRATIONS = [Migration(1, "stations", _stations_v1)]

# Areas with their own migration lists (grouping, rotation, join) add entries here:
# {"stations.<area>": [Migration(1, ...), ...]}
AREAS: dict[str, list[Migration]] = {}
