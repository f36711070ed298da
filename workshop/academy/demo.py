"""The built-in demo academy, so every feature has data to show (``--demo``, ``workshop demo``).

It lives in a scratch file of its own, never in the facilitator's (issue 13, item 14). Created
once and found again by its title. Later features add their own demo data elsewhere
(grouping, rotation, prototypes); this module only makes the academy, its roster and its
default stations.
"""
from __future__ import annotations

import csv
import io
from datetime import date

from assets import asset_path
from workshop.academy.model import Participant
from workshop.errors import ValidationError
from workshop.store.transactions import write

DEMO_TITLE = "Demo Design Academy"
DEMO_PLACE = "Valley Unified Professional Learning Center"
DEMO_FACILITATOR = "Sam Rivera"
DEMO_DATES = (date(2026, 3, 12), date(2026, 3, 13))
SAMPLE = ("sample", "demo-roster.csv")


def demo_participants() -> list[Participant]:
    """The 36 people of the embedded sample (6 schools), in file order."""
    text = asset_path(*SAMPLE).read_text(encoding="utf-8")
    return [Participant(name=r["name"], email=r["email"], school=r["school"], role=r["role"],
                        readiness=r["readiness"])
            for r in csv.DictReader(io.StringIO(text))]


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
