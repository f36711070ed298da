"""The built-in demo academy, so every feature has data to show (``--demo``, ``workshop demo``).

It lives in a scratch file of its own, never in the facilitator's (issue 13, item 14). Created
once and found again by its title. Later features add their own demo data elsewhere
(grouping, rotation, prototypes); this module only makes the academy, its roster and its
default stations.
"""
from __future__ import annotations

import csv
import hashlib
import io
from datetime import date
from pathlib import Path
from typing import Callable

from assets import asset_path
from workshop import __version__
from workshop.academy.model import Participant
from workshop.errors import ValidationError
from workshop.store.template import fresh_copy, key_of, remove_database
from workshop.store.transactions import write

DEMO_TITLE = "Demo Design Academy"
DEMO_PLACE = "Valley Unified Professional Learning Center"
DEMO_FACILITATOR = "Sam Rivera"
DEMO_DATES = (date(2026, 3, 12), date(2026, 3, 13))
SAMPLE = ("sample", "demo-roster.csv")
# What the demo's template holds beyond its migrations and its roster: raise it when the demo
# academy changes otherwise (its stations, the fields above), so kept templates are made again.
# tests/workshop/academy/test_demo_template.py holds a digest of the academy it makes.
DEMO_REVISION = 1
TEMPLATE = "demo-template"


def demo_participants() -> list[Participant]:
    """The 36 people of the embedded sample (6 schools), in file order."""
    text = asset_path(*SAMPLE).read_text(encoding="utf-8")
    return [Participant(name=r["name"], email=r["email"], school=r["school"], role=r["role"],
                        readiness=r["readiness"])
            for r in csv.DictReader(io.StringIO(text))]


def template_key(features: dict) -> str:
    """What the demo's template is made from: the app's version, every area's migrations, the
    sample roster and the demo academy's own revision."""
    migrations = {area: [(m.version, m.name) for m in ms] for area, ms in features.items()}
    roster = hashlib.sha256(asset_path(*SAMPLE).read_bytes()).hexdigest()
    return key_of(__version__, DEMO_REVISION, DEMO_TITLE, DEMO_PLACE, DEMO_FACILITATOR,
                  DEMO_DATES, roster, migrations)


def fresh_demo_file(path: Path, folder: Path | None, features: dict,
                    open_context: Callable[[Path], object]) -> bool:
    """Make ``path`` a fresh demo file: a copy of the demo's template in ``folder`` (made there
    with the demo academy when missing, stale or damaged); without ``folder``, no file (the
    caller makes it). True when it is a copy: its academy is then to be renewed (``renew``)
    once opened, as made now. ``open_context(path)`` opens (and upgrades) a data file."""
    if folder is None:
        remove_database(path)
        return False

    def build(at: Path) -> None:
        ctx = open_context(at)
        try:
            ensure_demo_academy(ctx)
        finally:
            ctx.close()
    return fresh_copy(path, folder, TEMPLATE, template_key(features), build)


def ensure_demo_academy(ctx) -> int:
    """The demo academy's id, creating it (roster + 3 default stations) the first time."""
    try:
        return ctx.academies.find(DEMO_TITLE).id
    except ValidationError:
        pass
    people = demo_participants()
    with write(ctx.db):
        academy = ctx.academies.create(DEMO_TITLE, place=DEMO_PLACE, facilitator=DEMO_FACILITATOR,
                                       start_date=DEMO_DATES[0], end_date=DEMO_DATES[1])
        for person in people:
            ctx.academies.add_participant(academy.id, person)
        ctx.stations.stations(academy.id)
    return academy.id
