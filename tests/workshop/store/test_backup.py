"""Issue 12 item 4: the pre-upgrade backup is a whole copy or no backup at all.

The copy is written under a ``.partial`` name and renamed when complete; these tests stop it
half way — an error in the middle, a full disk, a kill of the process — and look for any file
named like a backup.
"""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from tests.paths import ROOT
from workshop.store import DatabaseError, open_database
from workshop.store import database

WHEN = datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc)
BACKUPS = "live.backup-*-before-upgrade.sqlite"


@pytest.fixture
def live(tmp_path):
    """A WAL database of a few hundred pages, and its open connection."""
    path = tmp_path / "live.sqlite"
    db = open_database(path)
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, blob TEXT)")
    db.conn.executemany("INSERT INTO t (blob) VALUES (?)", [("x" * 2000,) for _ in range(400)])
    db.conn.commit()
    yield path, db
    db.close()


def rows(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM t").fetchone()[0]
    finally:
        conn.close()


def test_a_complete_backup_has_the_backup_name_and_every_row(live):
    path, db = live
    target = database.backup_database(db, path, "before-upgrade", WHEN)
    assert target is not None and target.name == "live.backup-20261201-093000-before-upgrade.sqlite"
    assert rows(target) == 400
    assert list(path.parent.glob("*.partial")) == []


@pytest.mark.parametrize("failure, expected", [
    (RuntimeError("stopped half way"), RuntimeError),
    (sqlite3.OperationalError("database or disk is full"), DatabaseError),
    (OSError(28, "No space left on device"), DatabaseError),
])
def test_a_copy_stopped_half_way_leaves_no_backup(live, monkeypatch, failure, expected):
    path, db = live
    monkeypatch.setattr(database, "BACKUP_STEP_PAGES", 16)
    steps = []

    def progress(status, remaining, total):
        steps.append(remaining)
        assert list(path.parent.glob("*.partial")), "the copy is under its temporary name"
        if len(steps) == 3:
            raise failure
    with pytest.raises(expected) as raised:
        database.backup_database(db, path, "before-upgrade", WHEN, progress=progress)
    if expected is DatabaseError:
        message = str(raised.value)
        assert "\n" not in message and "nothing was changed" in message
    assert steps[-1] > 0                                   # it really stopped in the middle
    assert list(path.parent.glob(BACKUPS)) == []
    assert list(path.parent.glob("*.partial")) == []
    assert rows(path) == 400                                # the live file is untouched


CHILD = """
import sys, time
from datetime import datetime, timezone
from pathlib import Path
from workshop.store import database, open_database
database.BACKUP_STEP_PAGES = 8
path = Path(sys.argv[1])
db = open_database(path)
def progress(status, remaining, total):
    print("COPYING", remaining, flush=True)
    time.sleep(60)   # the parent kills us here, half way through the copy
database.backup_database(db, path, "before-upgrade", datetime(2026, 12, 1, tzinfo=timezone.utc),
                         progress=progress)
"""


@pytest.mark.slow
def test_a_kill_during_the_backup_leaves_no_file_named_as_a_backup(live):
    path, db = live
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()
        assert line.startswith("COPYING"), child.stderr.read()
        assert int(line.split()[1]) > 0
        child.kill()
    finally:
        child.kill()
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
    assert list(path.parent.glob(BACKUPS)) == []
    assert len(list(path.parent.glob("*.partial"))) == 1   # the half copy is not named a backup
    # the next backup clears the killed one away and completes
    target = database.backup_database(db, path, "before-upgrade", WHEN)
    assert target is not None and rows(target) == 400
    assert list(path.parent.glob("*.partial")) == []
