"""`workshop academies` looks at a healthy, up-to-date file with the standard library's sqlite3
alone (workshop.store.readonly, issue 20): whatever the file, it answers exactly as the full
way (open, check, upgrade, then the services) answers, and a file that needs an upgrade is
upgraded first, as before."""
from __future__ import annotations

import shutil
import sqlite3

import pytest
from hypothesis import given, strategies as st

from tests.fuzzing import fuzz_settings
from tests.workshop.store.helpers import HOSTILE, copy_case, run
from tests.workshop.store.test_fuzz import damaged_files
from workshop.app import feature_migrations
from workshop.commands import ContextOpener


def full_way(monkeypatch):
    """Commands open the file the full way only (as before the quick look)."""
    monkeypatch.setattr(ContextOpener, "read_only", lambda self: None)


LOOKED: list[bool] = []   # whether each quick run's look found a file it could read


def both_ways(capsys, monkeypatch, tmp_path, place) -> tuple[tuple, tuple]:
    """`academies` on two copies of a file (``place(folder)`` puts it there): with the quick
    look, and the full way only; the folders' names are taken out of what they print."""
    answers = []
    for way in ("quick", "full"):
        folder = tmp_path / way
        folder.mkdir()
        path = place(folder)
        with monkeypatch.context() as patch:
            if way == "full":
                full_way(patch)
            else:
                patch.setattr(ContextOpener, "read_only", _recording(ContextOpener.read_only))
            code, out, err = run(capsys, path, "academies")
        answers.append((code, out, err.replace(str(folder), "FOLDER")))
    return answers[0], answers[1]


def _recording(look):
    def read_only(self):
        conn = look(self)
        LOOKED.append(conn is not None)
        return conn
    return read_only


def test_an_up_to_date_file_is_read_without_being_opened_for_writing(tmp_path, capsys, config,
                                                                    demo_academy):
    from tests.workshop.store.helpers import content
    from workshop.store.readonly import open_current
    conn = open_current(config.db_path, feature_migrations())
    assert conn is not None   # the test database is at this version's schema
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM academies")   # the quick look cannot write
    conn.close()
    before = content(config.db_path)
    code, out, err = run(capsys, config.db_path, "academies")
    assert (code, err) == (0, "") and f"{demo_academy.title}\t" in out
    assert content(config.db_path) == before


def test_the_quick_look_lists_what_the_full_way_lists(tmp_path, capsys, monkeypatch, config,
                                                      demo_academy):
    def place(folder):   # the test database with the demo academy, its WAL included
        path = folder / "a.sqlite"
        with sqlite3.connect(config.db_path) as source, sqlite3.connect(path) as copy:
            source.backup(copy)
        return path
    LOOKED.clear()
    quick, full = both_ways(capsys, monkeypatch, tmp_path, place)
    assert quick == full and quick[0] == 0 and "participants" in quick[1]
    assert LOOKED == [True]   # read the quick way


def test_an_older_file_is_upgraded_first_as_before(tmp_path, capsys):
    import workshop.academy.migrations as shell_migrations
    from workshop.store import migrate, open_database
    from workshop.store.migrate import applied_versions
    path = tmp_path / "academy.sqlite"
    db = open_database(path, wal=False)      # an older file: one migration of one area
    migrate(db, {"workshop": shell_migrations.MIGRATIONS[:1]})
    db.execute("INSERT INTO academies (id, title, place, facilitator, created_at) "
               "VALUES (1, 'Old Academy', 'Library', 'Sam', '2025-01-01T00:00:00+00:00')")
    db.conn.commit()
    db.close()
    from workshop.store.readonly import open_current
    assert open_current(path, feature_migrations()) is None   # not at this version's schema
    code, out, err = run(capsys, path, "academies")
    assert (code, out, err) == (0, "1\tOld Academy\t0 participants\n", "")
    db = open_database(path)
    latest = {area: max(m.version for m in ms) for area, ms in feature_migrations().items()}
    assert applied_versions(db) == {a: v for a, v in latest.items() if v}   # upgraded
    db.close()
    assert list(tmp_path.glob("academy.backup-*-before-upgrade.sqlite"))


@pytest.mark.parametrize("name", sorted(p.name for p in HOSTILE.glob("*.sqlite")))
def test_every_hostile_file_gets_the_full_ways_answer(name, tmp_path, capsys, monkeypatch):
    quick, full = both_ways(capsys, monkeypatch, tmp_path,
                            lambda folder: copy_case(name, folder))
    assert quick == full


@pytest.mark.fuzz
@fuzz_settings(40)
@given(damaged_files())
def test_a_damaged_file_gets_the_full_ways_answer(tmp_path_factory, capsys, raw):
    with pytest.MonkeyPatch.context() as monkeypatch:
        quick, full = both_ways(capsys, monkeypatch, tmp_path_factory.mktemp("quick"),
                                lambda folder: _write(folder / "academy.sqlite", raw))
    assert quick == full


@pytest.mark.fuzz
@fuzz_settings(40)
@given(titles=st.lists(st.text(min_size=0, max_size=30), min_size=1, max_size=4),
       names=st.lists(st.text(min_size=0, max_size=30), max_size=5))
def test_any_stored_text_gets_the_full_ways_answer(tmp_path_factory, capsys, titles, names):
    """Titles and names as another program (or damage) may have left them: raw, uncleaned."""
    valid = HOSTILE / "valid.sqlite"

    def place(folder):
        path = folder / "academy.sqlite"
        shutil.copyfile(valid, path)
        conn = sqlite3.connect(path)
        conn.execute("DELETE FROM participants")
        conn.execute("DELETE FROM academies")
        for i, title in enumerate(titles, 1):
            conn.execute("INSERT INTO academies (id, title, place, facilitator, created_at) "
                         "VALUES (?, ?, '', '', '2025-01-01T00:00:00+00:00')", (i, title))
        for name in names:
            conn.execute("INSERT INTO participants (academy_id, name, email, school, role, "
                         "readiness, created_at) VALUES (1, ?, '', '', '', '', "
                         "'2025-01-01T00:00:00+00:00')", (name,))
        conn.commit()
        conn.close()
        return path
    LOOKED.clear()
    with pytest.MonkeyPatch.context() as monkeypatch:
        quick, full = both_ways(capsys, monkeypatch, tmp_path_factory.mktemp("text"), place)
    assert quick == full and LOOKED == [True]   # the quick look read it (or gave it up)


def _write(path, raw: bytes):
    path.write_bytes(raw)
    return path
