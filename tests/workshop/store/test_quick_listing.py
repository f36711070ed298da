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
from workshop.app import SCHEMA_COLUMNS, feature_migrations
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
    conn = open_current(config.db_path, feature_migrations(), SCHEMA_COLUMNS)
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
    assert open_current(path, feature_migrations(), SCHEMA_COLUMNS) is None   # not at this version's schema
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
def test_a_damaged_file_gets_the_full_ways_answer_or_the_rows_it_truly_holds(
        tmp_path_factory, capsys, raw):
    """The one known difference: damage the full way finds outside the two tables a listing
    reads (a CHECK constraint naming a column that a flipped byte renamed, which only a write
    would meet) leaves the quick look listing what those tables hold; the full way refuses
    the file. Then the listing must be exactly the file's rows."""
    folder = tmp_path_factory.mktemp("quick")
    with pytest.MonkeyPatch.context() as monkeypatch:
        quick, full = both_ways(capsys, monkeypatch, folder,
                                lambda place: _write(place / "academy.sqlite", raw))
    if quick == full:
        return
    assert full[0] == 2 and "is damaged" in full[2] and quick[0] == 0 and quick[2] == ""
    conn = sqlite3.connect(f"file:{folder / 'full' / 'academy.sqlite'}?mode=ro", uri=True)
    rows = conn.execute("SELECT a.id, a.title, (SELECT count(*) FROM participants p WHERE "
                        "p.academy_id = a.id) FROM academies a ORDER BY lower(a.title), a.id")
    from workshop.text import clean_text   # stored text is cleaned again on every read
    expected = "".join(f"{i}\t{clean_text(t)}\t{n} participant{'s' if n != 1 else ''}\n"
                       for i, t, n in rows.fetchall())
    conn.close()
    assert quick[1] == expected


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


def test_the_columns_the_quick_look_checks_are_this_versions(tmp_path):
    """workshop/schema_columns.json is what the migrations make (health.schema_problem's
    expectation); after adding a migration, rewrite it (workshop/app.py says how). A stale
    file is never used: its versions no longer match, and the full way runs."""
    import json
    from workshop.store.readonly import write_columns
    fresh = tmp_path / "columns.json"
    write_columns(feature_migrations(), fresh)
    assert json.loads(SCHEMA_COLUMNS.read_text(encoding="utf-8")) == json.loads(
        fresh.read_text(encoding="utf-8")), "rewrite workshop/schema_columns.json"
    stale = json.loads(fresh.read_text(encoding="utf-8"))
    stale["versions"]["workshop"] -= 1
    fresh.write_text(json.dumps(stale), encoding="utf-8")
    from workshop.store.readonly import open_current
    valid = HOSTILE / "valid.sqlite"
    assert open_current(valid, feature_migrations(), SCHEMA_COLUMNS) is not None
    assert open_current(valid, feature_migrations(), fresh) is None
