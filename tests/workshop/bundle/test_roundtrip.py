"""Bundles round-trip exactly: every table compared, row by row (issue 16 item 1)."""
from __future__ import annotations

import shutil

import pytest

from tests.workshop.bundle.conftest import fresh_context, table_contents
from workshop.bundle.merge import BundleConflict


def academy_tables(path):
    """What a bundle holds; of its schema records, the versions (not when they were applied)."""
    rows = table_contents(path)
    rows["_migrations"] = [r[:3] for r in rows["_migrations"]]
    return rows


def test_the_bundle_holds_every_kind_of_row(demo_bundle):
    bundle, _, _ = demo_bundle
    rows = academy_tables(bundle)
    for table in ("academies", "participants", "stations", "groupings", "grouping_members",
                  "rotations", "rotation_events", "join_checkins", "join_reflections",
                  "prototypes", "prototype_iterations", "initiative_maps", "map_nodes",
                  "map_links", "join_tokens"):
        assert rows[table], f"the demo bundle has no {table}"
    assert any(r for r in rows["join_reflections"]), "reflections travel with their moderation"
    assert len(rows["academies"]) == 1


def test_import_then_export_gives_the_same_content(demo_bundle, tmp_path):
    bundle, source, _ = demo_bundle
    ctx = fresh_context(tmp_path / "laptop2.sqlite")
    try:
        report = ctx.bundles.import_file(bundle)
        assert report.created and not report.renumbered and not report.left_out
        ctx.bundles.export(report.academy_id, tmp_path / "again.bundle")
    finally:
        ctx.close()
    assert academy_tables(tmp_path / "again.bundle") == academy_tables(bundle)
    # and the imported file holds exactly what the source file held, table by table (the
    # full-text index's segments are laid out by its own history: it is compared by searching)
    here, there = (table_contents(p, skip=("_migrations",)) for p in
                   (tmp_path / "laptop2.sqlite", source))
    derived = [t for t in here if t.startswith(("prototypes_fts_", "prototypes_trigram_"))]
    assert {t: v for t, v in here.items() if t not in derived} == \
        {t: v for t, v in there.items() if t not in derived}
    ctx = fresh_context(tmp_path / "laptop2.sqlite")
    try:
        first = ctx.prototypes.search(report.academy_id)[0]
        word = first.title.split()[0]
        assert first.id in [p.id for p in ctx.prototypes.search(report.academy_id, word)]
    finally:
        ctx.close()


def test_importing_the_same_bundle_again_changes_nothing(demo_bundle, tmp_path):
    bundle, _, _ = demo_bundle
    ctx = fresh_context(tmp_path / "laptop2.sqlite")
    try:
        ctx.bundles.import_file(bundle)
        before = table_contents(tmp_path / "laptop2.sqlite")
        report = ctx.bundles.import_file(bundle)
        assert not report.created and not report.added and not report.updated
        carried = {k: len(v) for k, v in academy_tables(bundle).items()
                   if v and not k.startswith(("_", "prototypes_fts", "prototypes_trigram", "sqlite_"))}
        assert dict(report.unchanged) == carried
        assert table_contents(tmp_path / "laptop2.sqlite") == before
    finally:
        ctx.close()


def test_a_copy_under_another_title_renumbers_and_keeps_references(demo_bundle, tmp_path):
    bundle, _, _ = demo_bundle
    ctx = fresh_context(tmp_path / "laptop2.sqlite")
    try:
        first = ctx.bundles.import_file(bundle)
        copy = ctx.bundles.import_file(bundle, as_title="Demo, second day")
        assert copy.created and copy.academy_id != first.academy_id
        assert copy.renumbered["participants"] == 36
        a, b = (ctx.academies.participants(i) for i in (first.academy_id, copy.academy_id))
        assert [p.name for p in a] == [p.name for p in b]
        assert {p.id for p in a}.isdisjoint({p.id for p in b})
        # references followed the new ids: the copy's groups seat the copy's people
        seated = {m for g in ctx.grouping.saved_groups(copy.academy_id) for m in g.member_ids}
        assert seated == {p.id for p in b}
        # prototypes got their own uids (a uid names one prototype in a file)
        uids = [{ctx.prototypes.get(p.id).uid for p in ctx.prototypes.search(i)}
                for i in (first.academy_id, copy.academy_id)]
        assert uids[0].isdisjoint(uids[1]) and len(uids[1]) == len(uids[0]) == 4
        cycles = [len(ctx.prototypes.iterations(p.id)) for i in (first.academy_id,
                  copy.academy_id) for p in ctx.prototypes.search(i)]
        assert cycles[:4] == cycles[4:] and sum(cycles) > 0
    finally:
        ctx.close()


def test_a_different_academy_of_the_same_title_is_refused(demo_bundle, tmp_path):
    bundle, _, _ = demo_bundle
    ctx = fresh_context(tmp_path / "laptop2.sqlite")
    try:
        ctx.academies.create("Demo Design Academy")
        before = table_contents(tmp_path / "laptop2.sqlite")
        with pytest.raises(Exception, match="another academy.*--as"):
            ctx.bundles.import_file(bundle)
        assert table_contents(tmp_path / "laptop2.sqlite") == before
    finally:
        ctx.close()


def test_rows_changed_on_both_sides_are_a_conflict_the_person_decides(demo_bundle, tmp_path):
    bundle, _, _ = demo_bundle
    ctx = fresh_context(tmp_path / "laptop2.sqlite")
    try:
        academy_id = ctx.bundles.import_file(bundle).academy_id
        person = ctx.academies.participants(academy_id)[0]
        bundled_school = person.school
        person.school = "Renamed here"
        ctx.academies.update_participant(person)
        before = table_contents(tmp_path / "laptop2.sqlite")
        with pytest.raises(BundleConflict, match="--replace.*--keep-local"):
            ctx.bundles.import_file(bundle)
        assert table_contents(tmp_path / "laptop2.sqlite") == before   # nothing written
        kept = ctx.bundles.import_file(bundle, on_conflict="keep_local")
        assert kept.kept_local["participants"] == 1
        assert ctx.academies.repo.participant(person.id).school == "Renamed here"
        replaced = ctx.bundles.import_file(bundle, on_conflict="replace")
        assert replaced.updated["participants"] == 1
        assert ctx.academies.repo.participant(person.id).school == bundled_school
    finally:
        ctx.close()


def test_the_imported_demo_prints_the_same_pack(demo_bundle, tmp_path):
    """Done-when of issue 16: exported, imported on a fresh file and printed, the same pack —
    the same files, each from the same print model (the PDFs are laid out from these)."""
    from tests.fakes import FakeClock
    from workshop.app import build_context
    from workshop.config import AppConfig

    _bundle, source, academy_id = demo_bundle
    printed = tmp_path / "printed.sqlite"
    shutil.copyfile(source, printed)
    # Printed first, as on the day: the group cards' personal links are made when the cards are
    # first printed, and the cards already handed out must work on the second laptop too.
    ctx = build_context(AppConfig(db_path=printed, host="127.0.0.1", port=0), clock=FakeClock())
    try:
        [item.prepare() for item in ctx.handouts.pack_items(academy_id)]
        bundle = tmp_path / "printed.bundle"
        ctx.bundles.export(academy_id, bundle)
    finally:
        ctx.close()
    ctx = fresh_context(tmp_path / "laptop2.sqlite")
    try:
        imported = ctx.bundles.import_file(bundle).academy_id
    finally:
        ctx.close()
    packs = []
    for path, aid in ((printed, academy_id), (tmp_path / "laptop2.sqlite", imported)):
        ctx = build_context(AppConfig(db_path=path, host="127.0.0.1", port=0), clock=FakeClock())
        try:
            packs.append([(item.filename, repr(item.prepare()))
                          for item in ctx.handouts.pack_items(aid)])
        finally:
            ctx.close()
    assert len(packs[0]) >= 8 and any("Debrief" in f for f, _ in packs[0])
    assert packs[0] == packs[1]


def test_prototypes_merge_by_uid_with_the_exchange_rule(tmp_path):
    """Changed only there: the bundle's version replaces the copy here, iterations too.
    Changed here since it was last shared: a conflict the person decides."""
    from tests.workshop.bundle.conftest import full_context
    from workshop.app import build_context
    from workshop.config import AppConfig

    there, academy_id = full_context(tmp_path / "there.sqlite")
    here = build_context(AppConfig(db_path=tmp_path / "here.sqlite", host="127.0.0.1", port=0))
    try:
        there.bundles.export(academy_id, tmp_path / "1.bundle")
        local_id = here.bundles.import_file(tmp_path / "1.bundle").academy_id
        summary = there.prototypes.search(academy_id)[0]
        uid = there.prototypes.get(summary.id).uid
        there.clock.jump(3600)
        there.prototypes.update(summary.id, why="Changed on the other laptop")
        there.prototypes.start_iteration(summary.id)
        there.bundles.export(academy_id, tmp_path / "2.bundle")
        report = here.bundles.import_file(tmp_path / "2.bundle")
        assert report.updated["prototypes"] == 1 and not report.kept_local
        mine = next(p for p in here.prototypes.search(local_id)
                    if here.prototypes.get(p.id).uid == uid)
        assert here.prototypes.get(mine.id).why == "Changed on the other laptop"
        assert len(here.prototypes.iterations(mine.id)) == \
            len(there.prototypes.iterations(summary.id))
        here.prototypes.update(mine.id, why="Changed here too")
        with pytest.raises(BundleConflict, match="prototypes"):
            here.bundles.import_file(tmp_path / "2.bundle")
        assert here.prototypes.get(mine.id).why == "Changed here too"
    finally:
        there.close()
        here.close()
