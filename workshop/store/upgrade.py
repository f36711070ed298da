"""Bring an opened data file up to this version's schema, or refuse it in one line."""
from __future__ import annotations

from pathlib import Path

from workshop.store import health
from workshop.store.migrate import applied_versions, check_not_newer, migrate, pending


def upgrade(db, path: Path, clock, features: dict, columns: Path | None = None) -> None:
    """Run pending migrations of ``features`` (area → migrations); a file that may not be
    written (read-only, damaged) and needs them is refused before its backup is tried, and a
    full disk is one line. ``columns``: this version's tables' columns, as
    ``health.schema_problem`` takes them."""
    state = health.health_of(db)
    try:
        check_not_newer(db, features)
        problem = health.schema_problem(db, features, applied_versions(db), columns)
        if problem:
            raise health.refusal(path, health.FileHealth(health.DAMAGED, problem))
        if state.access != health.WRITE:
            check_not_newer(db, features)
            if pending(db, features):
                raise health.refusal(path, state, doing="upgrade")
            return
        migrate(db, features, path=path, clock=clock)
    except health.FILE_FAILURES as exc:
        explained = health.explain(exc, path, state, doing="upgrade")
        if explained is None:
            raise
        raise explained from exc
