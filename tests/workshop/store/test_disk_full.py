"""A full disk is not "damaged": a write it stops (an import, a new academy, the backup before
an upgrade) is one line saying "full", and the file is as it was.

A full disk is simulated the way SQLite meets it: ``PRAGMA max_page_count`` caps the file at
its current size, so the next page it needs fails with SQLITE_FULL, as on a full disk.
"""
from __future__ import annotations

import sqlite3

import pytest

import workshop.app as app
from tests.prototypes.exchange.test_hostile_files import HOSTILE as PROTOTYPE_FILES
from tests.workshop.store.helpers import copy_case, run


def dump(path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return list(db.iterdump())
    finally:
        db.close()


@pytest.fixture
def full_disk(monkeypatch):
    """Every context the CLI builds from now on sits on a disk with no page left."""
    real = app.build_context

    def build_on_full_disk(config, clock=None):
        ctx = real(config, clock)
        pages = ctx.db.execute("PRAGMA page_count").fetchone()[0]
        ctx.db.execute(f"PRAGMA max_page_count = {pages}")
        return ctx
    monkeypatch.setattr(app, "build_context", build_on_full_disk)


@pytest.mark.parametrize("command", [
    ("prototype", "import", str(PROTOTYPE_FILES / "valid.json")),
    ("prototype", "import", str(PROTOTYPE_FILES / "valid.pdf")),
    ("roster", "import", "ROSTER", "--academy", "Spring Design Academy"),
])
def test_a_write_on_a_full_disk_is_one_line_and_changes_nothing(command, tmp_path, capsys,
                                                                full_disk):
    roster = tmp_path / "roster.csv"
    roster.write_text("Name,School\n" + "".join(f"Person {i},School {i % 7}\n" for i in range(400)))
    command = tuple(str(roster) if part == "ROSTER" else part for part in command)
    path = copy_case("valid.sqlite", tmp_path)
    before = dump(path)
    code, out, err = run(capsys, path, *command)
    assert code == 2 and len(err.splitlines()) == 1, err    # (roster import reports its read)
    assert "Imported" not in out
    assert "is full" in err and "damaged" not in err and "Free some space" in err
    assert dump(path) == before
    code, out, _ = run(capsys, path, "academies")        # reading still works
    assert code == 0 and "Spring Design Academy" in out


def test_a_full_disk_during_the_upgrade_backup_is_one_line_and_changes_nothing(
        tmp_path, capsys, monkeypatch):
    import workshop.academy.migrations as shell_migrations
    from workshop.store import migrate, open_database
    path = tmp_path / "academy.sqlite"
    db = open_database(path, wal=False)      # an older file: the next open backs it up first
    migrate(db, {"workshop": shell_migrations.MIGRATIONS[:1]})
    db.execute("INSERT INTO academies (id, title, place, facilitator, created_at) "
               "VALUES (1, 'Old Academy', 'Library', 'Sam', '2025-01-01T00:00:00+00:00')")
    db.conn.commit()
    db.close()
    before = path.read_bytes()
    real_connect = sqlite3.connect

    def connect(target, *args, **kwargs):   # the backup's file gets no room at all
        conn = real_connect(target, *args, **kwargs)
        if ".backup-" in str(target):
            conn.execute("PRAGMA max_page_count = 1")
        return conn
    monkeypatch.setattr(sqlite3, "connect", connect)
    code, out, err = run(capsys, path, "academies")
    assert code == 2 and len(err.splitlines()) == 1, err
    assert "Could not write the backup" in err and "disk is full" in err
    assert "nothing was changed" in err and "damaged" not in err
    assert path.read_bytes() == before
