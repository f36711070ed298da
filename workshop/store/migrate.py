"""Forward-only schema migrations, one ordered list per feature, recorded in the database.

Each feature package owns ``migrations.py`` with ``FEATURE`` and ``MIGRATIONS``; the composition
root passes them in (the store never imports a feature). Pending migrations run after a backup,
each in its own transaction together with its record, so a crash leaves a consistent version.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from workshop.clock import Clock, SystemClock
from workshop.store.errors import SchemaTooNewError
from workshop.timefmt import utc_stamp

# sqlite-utils is for the migrations that run (migrate imports the store's writing half):
# every feature's migrations module imports Migration, and a read-only look at an up-to-date
# file (``workshop.store.readonly``, the `academies` listing) needs their versions only.
if TYPE_CHECKING:
    import sqlite_utils

TABLE = "_migrations"


@dataclass(frozen=True)
class Migration:
    """One numbered schema step of an area, applied once and recorded in ``_migrations``."""
    version: int
    name: str
    apply: Callable[[sqlite_utils.Database], None]


def applied_versions(db: sqlite_utils.Database) -> dict[str, int]:
    if TABLE not in db.table_names():
        return {}
    rows = db.execute(f"SELECT feature, max(version) FROM {TABLE} GROUP BY feature").fetchall()
    return {feature: version for feature, version in rows}


def check_not_newer(db: sqlite_utils.Database, features: dict[str, list[Migration]]) -> None:
    applied = applied_versions(db)
    for feature, current in applied.items():
        known = max((m.version for m in features.get(feature, [])), default=0)
        if feature not in features or current > known:
            raise SchemaTooNewError(
                f"This database was written by a newer version of Design Academy Studio "
                f"({feature} schema {current}; this version knows up to {known}). "
                "It has not been changed. Update the app, or open another file with --db.")


def pending(db: sqlite_utils.Database,
            features: dict[str, list[Migration]]) -> list[tuple[str, Migration]]:
    applied = applied_versions(db)
    todo = []
    for feature, migrations in features.items():
        versions = [m.version for m in migrations]
        if versions != sorted(set(versions)):
            raise ValueError(f"{feature}: migration versions must be unique and ascending")
        todo += [(feature, m) for m in migrations if m.version > applied.get(feature, 0)]
    return todo


def migrate(db: sqlite_utils.Database, features: dict[str, list[Migration]],
            path: Path | None = None, clock: Clock | None = None) -> list[str]:
    """Bring the schema up to date; returns the names of the migrations applied (``clock``
    stamps the backup and the records)."""
    from workshop.store.database import backup_database
    from workshop.store.transactions import write

    clock = clock or SystemClock()
    check_not_newer(db, features)
    todo = pending(db, features)
    if not todo:
        return []
    if path is not None and applied_versions(db):
        backup_database(db, path, "before-upgrade", clock.now())
    if TABLE not in db.table_names():
        with write(db):
            db[TABLE].create({"feature": str, "version": int, "name": str, "applied_at": str},
                             pk=("feature", "version"))
    done = []
    for feature, migration in todo:
        with write(db):
            migration.apply(db)
            db[TABLE].insert({"feature": feature, "version": migration.version,
                              "name": migration.name,
                              "applied_at": utc_stamp(clock.now())})
        done.append(f"{feature}:{migration.version}:{migration.name}")
    return done


def all_migrations(*modules: Iterable) -> dict[str, list[Migration]]:
    """``{module.FEATURE: module.MIGRATIONS}`` for the given migrations modules."""
    return {m.FEATURE: list(m.MIGRATIONS) for m in modules}
