"""Start-up paths a facilitator meets: no screen, a damaged file, a file from a newer app."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from workshop.app import build_context, has_display, main
from workshop.store import SchemaTooNewError, open_database


@pytest.mark.slow
def test_without_a_display_the_app_says_so_in_one_sentence(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "workshop", "--db", str(tmp_path / "a.sqlite")],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "no display" in result.stderr
    assert "workshop demo --out" in result.stderr
    assert "Traceback" not in result.stderr and "qt.qpa" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_offscreen_counts_as_a_display(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert has_display()


def test_a_file_that_is_not_a_database_is_refused_clearly(tmp_path, capsys):
    bogus = tmp_path / "notes.sqlite"
    bogus.write_bytes(b"these are my meeting notes, not a database" * 100)
    before = bogus.read_bytes()
    assert main(["--db", str(bogus), "academies"]) == 2
    err = capsys.readouterr().err
    assert "not a Design Academy Studio database" in err
    assert bogus.read_bytes() == before


def test_a_database_from_a_newer_version_is_refused_and_untouched(config, clock, capsys):
    build_context(config, clock=clock).close()
    db = open_database(config.db_path)
    db["_migrations"].insert({"feature": "workshop", "version": 99, "name": "future",
                              "applied_at": "2030-01-01T00:00:00+00:00"})
    db.conn.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    before = config.db_path.read_bytes()
    with pytest.raises(SchemaTooNewError, match="newer version"):
        build_context(config, clock=clock)
    assert main(["--db", str(config.db_path), "academies"]) == 2
    assert "newer version" in capsys.readouterr().err
    assert config.db_path.read_bytes() == before


def test_every_connection_has_wal_foreign_keys_and_a_busy_timeout(ctx):
    assert ctx.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert ctx.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert ctx.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_deleting_an_academy_removes_its_roster_and_stations(ctx, academy):
    from workshop.academy.model import Participant
    ctx.academies.add_participant(academy.id, Participant("Ana Lima", school="Oak"))
    ctx.stations.stations(academy.id)
    ctx.academies.delete(academy.id)
    assert ctx.db.execute("SELECT count(*) FROM participants").fetchone()[0] == 0
    assert ctx.db.execute("SELECT count(*) FROM stations").fetchone()[0] == 0


def test_duplicate_copies_roster_and_stations_under_a_new_title(ctx, academy):
    from workshop.academy.model import Participant
    ctx.academies.add_participant(academy.id, Participant("Zoë Brennan-O'Neil", school="Oak"))
    ctx.stations.stations(academy.id)
    copy = ctx.academies.duplicate(academy.id)
    assert copy.title == "Test Academy (copy)"
    assert [p.name for p in ctx.academies.participants(copy.id)] == ["Zoë Brennan-O'Neil"]
    assert [s.name for s in ctx.stations.stations(copy.id)] == \
        [s.name for s in ctx.stations.stations(academy.id)]
    assert ctx.academies.duplicate(academy.id).title == "Test Academy (copy 2)"
