"""Prototypes in SQLite: saved at once, full-text search, the export/import round trip."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest

from prototypes.exchange import format as exchange
from prototypes.exchange.format import ConflictError, FormatError
from prototypes.check import RISKS, Objection
from prototypes.repository.prototypes import fts_query
from workshop.errors import ValidationError


@pytest.fixture
def service(ctx):
    return ctx.prototypes


@pytest.fixture
def full(service, academy, clock):
    """A prototype with every section filled and two iterations."""
    p = service.create(academy.id, "Math stations in grade 5", team="Lincoln Elementary",
                       owner="Zoë Núñez")
    service.update(p.id, why="Too many students lost in whole-group math",
                   students="28 fifth graders; 6 English learners",
                   core_four=["targeted_instruction", "data_driven"],
                   teachers_more="small-group reteaching", teachers_less="lecturing",
                   success_measures="exit tickets ≥ 80%", resources="12 Chromebooks")
    check = service.get(p.id).check
    for key in RISKS:
        check = check.with_risk(key, level="low", mitigation="weekly check-in")
    check = replace(check, consent_on="2026-11-25", present="Ana, Bo, Ольга",
                    no_objection=True, objections=(Objection("Noise", "Headphones"),))
    service.set_check(p.id, check)
    clock.advance(3600)
    service.change_status(p.id, "trying")
    first = service.start_iteration(p.id)
    service.update_iteration(first.id, prediction="Fewer than 5 off task",
                             results="3 off task; 张伟 led a group", decision="adapt",
                             next_change="Add a data wall")
    clock.advance(86400)
    service.update(p.id, resources="12 Chromebooks, a data wall")
    service.start_iteration(p.id)
    return service.get(p.id)


def test_every_edit_is_in_the_database_at_once(service, academy, ctx, config):
    p = service.create(academy.id, "Flex Fridays")
    service.update(p.id, why="Students want choice")
    from workshop.store import open_database
    other = open_database(config.db_path)  # a second connection sees the committed edit
    assert other.execute("SELECT why FROM prototypes WHERE id = ?", [p.id]).fetchone()[0] == \
        "Students want choice"
    other.close()


def test_bad_values_are_refused_and_nothing_is_written(service, academy):
    p = service.create(academy.id, "Flex Fridays")
    with pytest.raises(ValidationError, match="needs a title"):
        service.update(p.id, title="  ")
    assert service.get(p.id).title == "Flex Fridays"


def test_status_rule_is_enforced_by_the_service(service, academy):
    p = service.create(academy.id, "Flex Fridays")
    service.set_check(p.id, service.get(p.id).check.with_risk("capacity", level="high"))
    with pytest.raises(ValidationError, match="No capacity to carry it on"):
        service.change_status(p.id, "trying")
    assert service.get(p.id).status == "draft"


@pytest.mark.parametrize("query, expected", [
    ("math", True), ("MATH sta", True), ("lin", True),                 # title, prefix, team
    ("zoe nunez", True), ("Ольга", True), ("张伟", True),                 # accents, scripts
    ("chromebook", True), ("data wall", True), ("headphones", True),    # resources, check
    ("off task", True), ("Targeted instruction", True), ("trying", True),  # iteration, labels
    ("math banana", False), ("\"; DROP TABLE prototypes; --", False), ("NEAR(", False),
])
def test_search_reaches_every_field(service, full, query, expected):
    assert bool(service.search(full.academy_id, query)) is expected


def test_search_filters_and_scope(service, full, academy, ctx):
    other = ctx.academies.create("Other Academy")
    service.create(other.id, "Math lab", team="Hill Middle")
    assert {r.title for r in service.search(None, "math")} == {"Math stations in grade 5",
                                                              "Math lab"}
    assert [r.title for r in service.search(academy.id, "math")] == ["Math stations in grade 5"]
    assert service.search(None, "", team="Hill Middle")[0].title == "Math lab"
    assert service.search(None, "", status="trying")[0].id == full.id
    assert service.search(None, "", core="data_driven")[0].id == full.id
    assert service.search(None, "", core="flexible_content") == []
    assert service.search(None, "", model="flipped") == []
    assert service.search(academy.id, "")[0].iterations == 2


def test_deleting_removes_it_from_the_index(service, full):
    service.delete(full.id)
    assert service.search(None, "math") == []


def test_fts_query_quotes_every_word():
    assert fts_query('Zoë "OR" near(') == '"zoe"* "or"* "near"*'
    assert fts_query("  ") == ""


def test_iterations_snapshot_their_version_and_diff(service, full):
    first, second = service.iterations(full.id)
    assert first.snapshot["resources"] == "12 Chromebooks"
    assert second.snapshot["resources"] == "12 Chromebooks, a data wall"
    assert second.change == "Add a data wall"
    versions = service.versions(full.id)
    assert [label for label, _ in versions][-1] == "Now"
    changes = service.diff(versions[0][1], versions[1][1])
    assert [c.key for c in changes] == ["resources"]


# -- round trip ------------------------------------------------------------------------------
def other_install(tmp_path, clock, name="other.sqlite"):
    from workshop.app import build_context
    from workshop.config import AppConfig
    return build_context(AppConfig(db_path=tmp_path / name, host="127.0.0.1", port=0),
                         clock=clock)


def test_export_import_export_is_byte_for_byte_equal(service, full, tmp_path, clock):
    text = service.export_json(full.id)
    elsewhere = other_install(tmp_path, clock)
    try:
        result = elsewhere.prototypes.import_document(exchange.loads(text.encode()))
        assert result.action == "created"
        assert elsewhere.academies.get(result.prototype.academy_id).title == "Test Academy"
        assert elsewhere.prototypes.export_json(result.prototype.id) == text
        assert len(elsewhere.prototypes.iterations(result.prototype.id)) == 2
    finally:
        elsewhere.close()


def test_export_is_canonical_json(service, full):
    text = service.export_json(full.id)
    data = json.loads(text)
    assert data["format"] == "design-academy-prototype" and data["version"] == 2   # 2: measures, rollout
    assert text == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert "Ольга" in text                                   # UTF-8, not \\u escapes
    assert data["prototype"]["history"][1] == {"status": "trying", "on": "2026-11-25"}


def test_importing_again_updates_instead_of_duplicating(service, full, tmp_path, clock):
    elsewhere = other_install(tmp_path, clock)
    try:
        first = elsewhere.prototypes.import_document(service.export_document(full.id))
        clock.advance(60)
        service.update(full.id, title="Math stations, grades 5–6")
        again = elsewhere.prototypes.import_document(service.export_document(full.id))
        assert again.action == "updated" and again.prototype.id == first.prototype.id
        assert [r.title for r in elsewhere.prototypes.search(None)] == ["Math stations, grades 5–6"]
        same = elsewhere.prototypes.import_document(service.export_document(full.id))
        assert same.action == "unchanged"
    finally:
        elsewhere.close()


def test_a_newer_local_edit_is_never_silently_overwritten(service, full, clock):
    document = service.export_document(full.id)
    clock.advance(60)
    service.update(full.id, why="Edited here after the export")
    with pytest.raises(ConflictError, match="changed here"):
        service.import_document(document)
    assert service.get(full.id).why == "Edited here after the export"
    kept = service.import_document(document, on_conflict="keep_local")
    assert kept.action == "kept_local"
    assert service.get(full.id).why == "Edited here after the export"
    replaced = service.import_document(document, on_conflict="replace")
    assert replaced.action == "updated"
    assert service.get(full.id).why == "Too many students lost in whole-group math"
    assert exchange.dumps(service.export_document(full.id)) == exchange.dumps(document)


def test_an_older_file_does_not_replace_a_newer_copy(service, full, tmp_path, clock):
    old = service.export_document(full.id)
    clock.advance(60)
    service.update(full.id, owner="Sam")
    service.export_document(full.id)                       # the newer version was shared
    with pytest.raises(ConflictError, match="newer"):
        service.import_document(old)


def _doc(service, full):
    return json.loads(service.export_json(full.id))


def _mutate(path, value):
    def apply(doc):
        target = doc
        for key in path[:-1]:
            target = target[key]
        if value is KeyError:
            del target[path[-1]]
        else:
            target[path[-1]] = value
        return doc
    return apply


MALFORMED = [
    (lambda d: [d], "found a list"),
    (_mutate(["format"], "design-academy-map"), "not a Design Academy Studio prototype file"),
    (_mutate(["format"], KeyError), "its “format” is null"),
    (_mutate(["version"], exchange.VERSION + 1), "newer version"),
    (_mutate(["version"], "1"), "whole number"),
    (_mutate(["prototype"], KeyError), "no “prototype”"),
    (_mutate(["prototype", "title"], ""), "needs a title"),
    (_mutate(["prototype", "title"], 5), "“title” should be text, not number"),
    (_mutate(["prototype", "uid"], "not-a-uuid"), "not a valid prototype id"),
    (_mutate(["prototype", "status"], "shipped"), "status must be one of"),
    (_mutate(["prototype", "model"], "beanbags"), "classroom model"),
    (_mutate(["prototype", "created_at"], "yesterday"), "“created_at” must be a date"),
    (_mutate(["prototype", "history"], []), "history” is empty"),
    (_mutate(["prototype", "check", "risks"], {"aliens": {"level": "low"}}), "Unknown rollout"),
    (_mutate(["prototype", "check", "risks"], []), "check.risks” should be an object"),
    (_mutate(["iterations"], {}), "“iterations” should be a list"),
    (_mutate(["iterations", 0, "number"], "one"), "“number” should be a whole number"),
    (_mutate(["iterations", 1, "number"], 1), "Two iterations are numbered 1"),
    (_mutate(["iterations", 0, "snapshot"], KeyError), "has no “snapshot”"),
    (_mutate(["iterations", 0, "started_on"], "soon"), "must be a date"),
]


@pytest.mark.parametrize("mutate, message", MALFORMED, ids=[m for _, m in MALFORMED])
def test_malformed_documents_are_refused_by_name_and_nothing_is_imported(
        service, full, tmp_path, clock, mutate, message):
    document = mutate(_doc(service, full))
    elsewhere = other_install(tmp_path, clock)
    try:
        with pytest.raises(FormatError) as err:
            elsewhere.prototypes.import_document(document)
        assert message in str(err.value)
        assert elsewhere.prototypes.search(None) == []
        assert elsewhere.academies.list() == []
    finally:
        elsewhere.close()


@pytest.mark.parametrize("raw, message", [
    (b"", "empty"), (b"\xff\xfe\x00", "not UTF-8"), (b"{not json", "not valid JSON (line 1"),
    (b'"text"', "JSON text"), (b"%PDF-1.7\n", "not valid JSON"),
])
def test_files_that_are_not_json_exports_are_refused(raw, message):
    with pytest.raises(FormatError, match=message.replace("(", r"\(")):
        exchange.loads(raw)


def test_a_failure_half_way_leaves_nothing_behind(service, full, tmp_path, clock, monkeypatch):
    document = service.export_document(full.id)
    elsewhere = other_install(tmp_path, clock)
    try:
        repo = elsewhere.prototypes.repo

        def broken(*args, **kwargs):
            raise RuntimeError("disk full")
        monkeypatch.setattr(repo, "replace_iterations", broken)
        with pytest.raises(RuntimeError):
            elsewhere.prototypes.import_document(document)
        assert elsewhere.prototypes.search(None) == [] and elsewhere.academies.list() == []
    finally:
        elsewhere.close()


def test_the_index_is_the_one_sqlite_utils_knows(ctx, full):
    table = ctx.db["prototypes"]
    assert table.detect_fts() == "prototypes_fts"
    assert [row["title"] for row in table.search('"chromebooks"')] == [full.title]


def test_library_shows_a_page_of_rows_and_counts_them_all(service, academy, monkeypatch):
    import prototypes.service as module
    monkeypatch.setattr(module, "LIBRARY_ROWS", 3)
    for title in ("Delta", "alpha", "Charlie", "bravo", "Echo"):
        service.create(academy.id, f"{title} stations")
    rows, total = service.library(academy.id, "stat")
    assert [r.title for r in rows] == ["alpha stations", "bravo stations", "Charlie stations"]
    assert total == 5
    rows, total = service.library(academy.id, "echo")
    assert len(rows) == 1 and total == 1


def test_a_database_at_schema_1_upgrades_and_keeps_its_prototypes(tmp_path, clock):
    from prototypes.migrations import MIGRATIONS
    from workshop.app import build_context, feature_migrations
    from workshop.config import AppConfig
    from workshop.store import migrate, open_database
    path = tmp_path / "old.sqlite"
    db = open_database(path)
    features = feature_migrations()
    features["prototypes"] = [m for m in MIGRATIONS if m.version == 1]
    migrate(db, features)
    db.execute("INSERT INTO academies (title, created_at) VALUES ('Old', '2026-01-01')")
    db.execute("""INSERT INTO prototypes (uid, academy_id, title, created_at, updated_at,
                  history) VALUES ('5d1c8a52-8f0e-4a35-9a7e-0a4e1b7e6c11', 1, 'Old stations',
                  '2026-01-01T09:00:00+00:00', '2026-01-01T09:00:00+00:00',
                  '[{"status": "draft", "on": "2026-01-01"}]')""")
    db.conn.commit()
    db.close()
    ctx = build_context(AppConfig(db_path=path, host="127.0.0.1", port=0), clock=clock)
    try:
        assert "prototypes_library" in {i.name for i in ctx.db["prototypes"].indexes}
        assert [r.title for r in ctx.prototypes.search(None, "old")] == ["Old stations"]
    finally:
        ctx.close()


def test_deleting_an_academy_takes_its_prototypes_out_of_the_index(service, full, ctx, academy):
    ctx.academies.delete(academy.id)
    assert service.search(None, "math") == []
    assert ctx.db.execute("SELECT count(*) FROM prototype_iterations").fetchone()[0] == 0
    # The index itself holds no stale entry (the cascade fired the delete trigger).
    assert ctx.db.execute("SELECT count(*) FROM prototypes_fts "
                          "WHERE prototypes_fts MATCH 'math*'").fetchone()[0] == 0


def test_migration_areas_keep_the_names_released_databases_record():
    # schema_migrations stores these names; a renamed area makes every released file refuse to
    # open ("written by a newer version"), as the folder move once did with "prototypes.maps".
    from prototypes.migrations import AREAS, FEATURE
    assert FEATURE == "prototypes"
    assert set(AREAS) == {"prototypes.maps", "prototypes.measures", "prototypes.rollout"}
