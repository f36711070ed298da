"""Every table of a fully migrated file is carried by bundles or excluded on purpose.

Run after merging other branches: a table a feature adds is either reached from ``academies``
through its foreign keys (or an ``academy_id`` column), or must be named in a ``BUNDLE``
declaration's ``excluded``; this test fails on anything else.
"""
from __future__ import annotations

from workshop.bundle import repository as repo
from workshop.bundle.schema import EXCLUDED, declared, ownership


def test_no_table_of_the_schema_is_left_uncovered(ctx):
    tables = repo.read_tables(ctx.db)
    owner = ownership(tables, EXCLUDED | declared().excluded)
    assert owner.uncovered == [], (
        f"tables neither carried by academy bundles nor excluded: {owner.uncovered} — give them "
        "a foreign key to their academy's rows, or exclude them in their feature's BUNDLE")
    assert {"participants", "rotation_events", "prototype_iterations", "map_links",
            "join_checkins", "join_reflections", "grouping_members"} <= set(owner.order)


def test_coverage_catches_a_table_of_nobody(ctx):
    from workshop.store import write
    with write(ctx.db):
        ctx.db.execute("CREATE TABLE stray_notes (id INTEGER PRIMARY KEY, text TEXT)")
        ctx.db.execute("CREATE TABLE room_notes (id INTEGER PRIMARY KEY, academy_id INTEGER)")
        ctx.db.execute("CREATE TABLE note_tags (id INTEGER PRIMARY KEY, "
                       "note_id INTEGER REFERENCES room_notes(id))")
    excluded = EXCLUDED | ctx.bundles.policies.excluded   # the shell's and the features' own
    owner = ownership(repo.read_tables(ctx.db), excluded)
    assert owner.uncovered == ["stray_notes"]
    assert {"room_notes", "note_tags"} <= set(owner.order)
    assert owner.order.index("room_notes") < owner.order.index("note_tags")
    assert ownership(repo.read_tables(ctx.db), excluded | {"stray_notes"}).uncovered == []


def test_an_excluded_table_stays_home_even_under_an_academy(ctx):
    # join_network hangs off academies (the room's Wi-Fi password): excluded, it is not carried.
    tables = repo.read_tables(ctx.db)
    assert "join_network" in ownership(tables, EXCLUDED).order
    owner = ownership(tables, EXCLUDED | ctx.bundles.policies.excluded)
    assert "join_network" not in owner.order and "join_network" not in owner.uncovered


def test_parents_come_before_children(ctx):
    tables = repo.read_tables(ctx.db)
    owner = ownership(tables, EXCLUDED)
    for name in owner.order:
        for fk in tables[name].foreign_keys:
            if fk.parent in owner.order and fk.parent != name:
                assert owner.order.index(fk.parent) < owner.order.index(name), (name, fk)
