"""Schema of the prototypes feature. One ordered list per area (prototypes, maps), each
recorded under its own name in ``_migrations``."""
from __future__ import annotations

from workshop.store.migrate import Migration

FEATURE = "prototypes"

MIGRATIONS: list[Migration] = []

# Areas with their own migration lists add entries here: {"prototypes.<area>": [...]}
AREAS: dict[str, list[Migration]] = {}
