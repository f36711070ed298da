"""The roster files the import tests read, and the text hypothesis types into cells."""
from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

from workshop.academy.roster.plan import read_roster

DATA = Path(__file__).parent.parent / "data"


def plan_of(name: str):
    return read_roster((DATA / name).read_bytes(), source=name)


def people(plan) -> list[tuple]:
    return [(p.name, p.school, p.role, p.readiness, p.email) for p in plan.participants]


TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=30)
