"""``workshop library build``: academy bundles into one district library, one academy each.

A bundle is read through the bundle service's checks (a hostile file is refused in one line,
the library untouched); an academy already in the library is replaced by a newer bundle of it
and kept when the bundle is older.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from prototypes.library import repository as repo
from workshop.errors import ValidationError
from workshop.text import plural


def build(bundles, out: Path | str, paths: list[Path | str], *, with_people: bool = False,
          say: Callable[[str], object] = print) -> int:
    """Add each bundle to the library at ``out``; returns how many academies were written."""
    db = repo.open_library(out)
    written = 0
    try:
        for path in paths:
            try:
                with bundles.open_bundle(path) as (source, academy_id, meta):
                    facts = repo.academy_facts(source, academy_id)
                    stamp = meta.get("exported_at", "")
                    there = repo.exported_at(db, facts["key"])
                    if there is not None and there > stamp:
                        say(f"{Path(path).name}: kept “{facts['title']}” from a newer bundle "
                            f"({there})")
                        continue
                    n = repo.replace_academy(db, source, academy_id, facts, stamp, with_people)
                    verb = "replaced" if there is not None else "added"
                    say(f"{Path(path).name}: {verb} “{facts['title']}” ({plural(n, 'prototype')})")
                    written += 1
            except ValidationError as exc:
                say(f"{Path(path).name}: skipped — {exc}")
        repo.index(db)
    finally:
        db.close()
    return written
