"""The built-in demo academy: created once, 36 people from 6 schools, 3 stations."""
from __future__ import annotations

from collections import Counter

from workshop.academy.model import READINESS_STAGES, teams_of
from workshop.academy.demo import DEMO_TITLE, ensure_demo_academy


def test_demo_academy_is_created_once_with_its_roster_and_stations(ctx):
    academy_id = ensure_demo_academy(ctx)
    assert ensure_demo_academy(ctx) == academy_id
    assert [a.title for a in ctx.academies.list()] == [DEMO_TITLE]
    people = ctx.academies.participants(academy_id)
    assert len(people) == 36
    teams = teams_of(people)
    assert len(teams) == 6 and all(t.size == 6 for t in teams)
    assert set(Counter(p.readiness for p in people)) == set(READINESS_STAGES)
    roles = {p.role for p in people}
    assert {"Teacher", "Principal", "Instructional coach", "District leader", "Librarian"} <= roles
    names = {p.name for p in people}
    assert {"Zoë Brennan-O'Neil", "José Núñez", "Ольга Петрова", "张伟",
            "Ελένη Παπαδοπούλου"} <= names
    assert len(ctx.stations.stations(academy_id)) == 3


def test_demo_fixture(demo_academy, ctx):
    assert demo_academy.title == DEMO_TITLE
    assert len(ctx.academies.participants(demo_academy.id)) == 36
