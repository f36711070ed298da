"""The store on a temporary database: repository, migrations from an older schema, backups,
and a database from a newer version refused without being touched."""
from __future__ import annotations

import hashlib
import sqlite3

import pytest
import sqlite_utils

import workshop.academy.migrations as shell_migrations
from workshop.academy.model import Academy, Participant
from workshop.errors import ValidationError
from workshop.app import build_context, feature_migrations
from workshop.store import DatabaseError, SchemaTooNewError, migrate, open_database
from workshop.academy.repository import AcademyRepository


@pytest.fixture
def repo(tmp_path):
    db = open_database(tmp_path / "repo.sqlite")
    migrate(db, feature_migrations())
    yield AcademyRepository(db)
    db.close()


def test_academies_round_trip_and_titles_are_unique(repo):
    a = repo.add(Academy("Spring Academy", place="Gym", facilitator="Sam"))
    assert repo.get(a.id) == a
    assert repo.find_by_title("spring academy").id == a.id
    with pytest.raises(ValidationError, match="already exists"):
        repo.add(Academy("SPRING academy"))
    a.title = "Spring Academy 2026"
    repo.update(a)
    assert [x.title for x in repo.list_academies()] == ["Spring Academy 2026"]
    with pytest.raises(ValidationError, match="No academy is called"):
        repo.find_by_title("Autumn")


def test_participants_round_trip_keep_scripts_and_cascade_on_delete(repo):
    a = repo.add(Academy("A"))
    names = ["Zoë Brennan-O'Neil", "Ольга Петрова", "张伟", "Ελένη Παπαδοπούλου"]
    for n in names:
        repo.add_participant(a.id, Participant(n, school="S", email=""))
    stored = repo.participants(a.id)
    assert sorted(p.name for p in stored) == sorted(names)
    p = stored[0]
    p.role = "Principal"
    repo.update_participant(p)
    assert repo.participant(p.id).role == "Principal"
    repo.delete_participants([p.id])
    assert len(repo.participants(a.id)) == 3
    repo.delete(a.id)
    assert repo.db.execute("SELECT count(*) FROM participants").fetchone()[0] == 0


def test_restore_keeps_ids(repo):
    a = repo.add(Academy("A"))
    p = repo.add_participant(a.id, Participant("Ann"))
    repo.delete_participants([p.id])
    repo.restore_participants(a.id, [p])
    assert [x.id for x in repo.participants(a.id)] == [p.id]
    old_id = p.id
    repo.delete_participants([p.id])
    other = repo.add_participant(a.id, Participant("Bea"))  # SQLite hands out the same id
    repo.restore_participants(a.id, [p])
    assert other.id == old_id and p.id != old_id
    assert sorted(x.name for x in repo.participants(a.id)) == ["Ann", "Bea"]


def test_settings_are_per_academy_json(repo):
    a, b = repo.add(Academy("A")), repo.add(Academy("B"))
    repo.set_setting(a.id, "paper", "A4")
    assert repo.settings(a.id) == {"paper": "A4"} and repo.settings(b.id) == {}


def _v1_database(path):
    """A database as the first release wrote it: workshop schema 1 only, with data."""
    db = open_database(path)
    migrate(db, {"workshop": shell_migrations.MIGRATIONS[:1]})
    db.execute("INSERT INTO academies (id, title, place, facilitator, created_at) "
               "VALUES (1, 'Old Academy', 'Library', 'Sam', '2025-01-01T00:00:00+00:00')")
    db.execute("INSERT INTO participants (academy_id, name, email, school, role, readiness, "
               "created_at) VALUES (1, 'José Núñez', 'j@x.org', 'Maplewood', 'Principal', "
               "'planning', '2025-01-01T00:00:00+00:00')")
    db.conn.commit()
    db.close()


def test_migration_from_the_first_schema_keeps_data_and_adds_columns(tmp_path, config):
    _v1_database(config.db_path)
    ctx = build_context(config)
    try:
        [academy] = ctx.academies.list()
        assert (academy.title, academy.place) == ("Old Academy", "Library")
        [p] = ctx.academies.participants(academy.id)
        assert (p.name, p.email, p.readiness) == ("José Núñez", "j@x.org", "planning")
        columns = {r[1] for r in ctx.db.execute("PRAGMA table_info(participants)")}
        assert "walk_in" in columns
        assert ctx.academies.repo.settings(academy.id) == {}
        assert len(ctx.stations.stations(academy.id)) == 3  # later features work on old data
    finally:
        ctx.close()
    backups = list(tmp_path.glob("academy.backup-*-before-upgrade.sqlite"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    try:
        assert old.execute("SELECT max(version) FROM _migrations").fetchone()[0] == 1
        assert old.execute("SELECT name FROM participants").fetchone()[0] == "José Núñez"
    finally:
        old.close()


def test_a_fresh_database_needs_no_backup_and_uses_wal(tmp_path, config):
    ctx = build_context(config)
    assert ctx.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    ctx.close()
    assert list(tmp_path.glob("*backup*")) == []


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_a_database_from_a_newer_version_is_refused_and_left_byte_identical(config, journal):
    db = open_database(config.db_path)
    migrate(db, feature_migrations())
    db.execute("INSERT INTO _migrations VALUES ('workshop', 99, 'from the future', 'x')")
    db.conn.commit()
    # A newer version may use another journal mode; switching ours would rewrite the header.
    db.execute(f"PRAGMA journal_mode = {journal}")
    db.close()
    before = hashlib.sha256(config.db_path.read_bytes()).hexdigest()
    with pytest.raises(SchemaTooNewError, match="newer version"):
        build_context(config)
    assert hashlib.sha256(config.db_path.read_bytes()).hexdigest() == before
    assert not list(config.db_path.parent.glob("*backup*"))


def test_a_file_that_is_not_a_database_is_a_clear_error(config):
    config.db_path.write_bytes(b"name,school\nAnn,Maplewood\n" * 100)
    with pytest.raises(DatabaseError, match="not a Design Academy Studio database"):
        build_context(config)


def test_a_sqlite_utils_plugin_on_the_machine_does_not_touch_the_apps_connections(tmp_path,
                                                                                monkeypatch):
    """open_database asks sqlite-utils for no plugins: none is looked for (the entry-point scan
    cost every start-up 20–40 ms) and none prepares the app's connections."""
    import sqlite_utils.plugins as plugins

    class Plugin:
        @sqlite_utils.hookimpl
        def prepare_connection(self, conn):
            conn.create_function("planted", 0, lambda: "by a plugin")

    def scan(group):
        raise AssertionError(f"looked for {group} plugins")
    monkeypatch.setattr(plugins, "_plugins_loaded", False)
    monkeypatch.setattr(plugins.pm, "load_setuptools_entrypoints", scan)
    plugin = Plugin()
    plugins.pm.register(plugin)
    try:
        db = open_database(tmp_path / "academy.sqlite")
        with pytest.raises(sqlite3.OperationalError, match="no such function"):
            db.execute("SELECT planted()")
        db.close()
    finally:
        plugins.pm.unregister(plugin)


def test_a_new_file_is_migrated_in_wal_and_an_existing_one_only_after_its_checks(tmp_path,
                                                                               monkeypatch):
    """A file made now has nothing to keep byte for byte: WAL at once, so its hundred
    migration transactions are not each synced through a rollback journal. An existing file
    keeps its journal until it is known not to be from a newer version."""
    import workshop.store.upgrade as upgrade_module
    from workshop.config import AppConfig
    modes = []
    real = upgrade_module.migrate

    def migrate_seeing_the_mode(db, *args, **kwargs):
        modes.append(db.execute("PRAGMA journal_mode").fetchone()[0])
        return real(db, *args, **kwargs)
    monkeypatch.setattr(upgrade_module, "migrate", migrate_seeing_the_mode)
    path = tmp_path / "academy.sqlite"
    build_context(AppConfig(db_path=path)).close()
    older = tmp_path / "older.sqlite"
    db = open_database(older, wal=False)
    migrate(db, {"workshop": shell_migrations.MIGRATIONS[:1]})
    db.close()
    build_context(AppConfig(db_path=older)).close()
    assert modes == ["wal", "delete"]
