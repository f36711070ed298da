"""A healthy data file the user may not write is not "damaged": reading commands work, writing
ones say "read-only" in one line, and the file is left byte for byte as it was.

Root may write any file, so when the tests run as root the commands run with the effective
user set to nobody (as a facilitator's account would be); otherwise chmod alone does it.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.workshop.store.helpers import HOSTILE, run

NOBODY = 65534


@contextmanager
def as_user_without_write_access():
    if os.geteuid() != 0:
        yield
        return
    # Python itself, and the checkout (a clone in a private temporary folder), may be where
    # nobody cannot read: everything the commands import is imported first, as root.
    import importlib
    import pkgutil

    import prototypes
    import stations
    import workshop
    for name in ("secrets", "html.parser"):
        importlib.import_module(name)
    for package in (workshop, stations, prototypes):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture
def folder():
    """A folder everyone may enter (pytest's own tmp folder is closed to other users)."""
    path = Path(tempfile.mkdtemp(prefix="workshop-ro-"))
    path.chmod(0o777)
    yield path
    path.chmod(0o755)
    shutil.rmtree(path)


def _copy(name: str, folder: Path, *, wal: bool = False) -> Path:
    path = folder / "academy.sqlite"
    shutil.copyfile(name if isinstance(name, Path) else HOSTILE / name, path)
    if wal:   # as the app leaves it: WAL mode, the WAL checkpointed away on close
        db = sqlite3.connect(path)
        db.execute("PRAGMA journal_mode = WAL")
        db.close()
    path.chmod(0o644)
    return path


@pytest.mark.parametrize("how", ["file chmod 444", "folder read-only (as on a read-only mount)"])
def test_reading_works_and_writing_says_read_only(how, folder, capsys):
    path = _copy("valid.sqlite", folder, wal=how.startswith("folder"))
    if how.startswith("file"):
        path.chmod(0o444)
    else:
        folder.chmod(0o555)
    before = path.read_bytes()
    with as_user_without_write_access():
        listed = run(capsys, path, "academies")
        created = run(capsys, path, "academy", "create", "Winter")
        exported = run(capsys, path, "roster", "export", "--academy", "Spring Design Academy",
                       "--csv")
    folder.chmod(0o777)
    code, out, err = listed
    assert code == 0 and "Spring Design Academy\t4 participants" in out and err == ""
    code, out, err = created
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert "is read-only" in err and "damaged" not in err and "nothing was changed" in err
    assert exported[0] == 0 and "Ольга Петрова" in exported[1]
    assert path.read_bytes() == before


def test_a_read_only_file_that_needs_an_upgrade_is_refused_untouched(folder, capsys):
    import workshop.academy.migrations as shell_migrations
    from workshop.store import migrate, open_database
    path = folder / "academy.sqlite"
    db = open_database(path, wal=False)      # as the first release left it: schema 1 only
    migrate(db, {"workshop": shell_migrations.MIGRATIONS[:1]})
    db.close()
    path.chmod(0o444)
    before = path.read_bytes()
    with as_user_without_write_access():
        code, out, err = run(capsys, path, "academies")
    assert code == 2 and len(err.splitlines()) == 1
    assert "is read-only" in err and "upgrading it" in err and "Traceback" not in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["academy.sqlite"]   # no backup either


def test_the_window_says_why_it_cannot_open_a_read_only_file(qapp, folder, monkeypatch):
    from tests.fakes import FakeDialogs
    from workshop.app import run_gui
    from workshop.config import AppConfig

    path = _copy("valid.sqlite", folder)
    path.chmod(0o444)
    dialogs = FakeDialogs().install(monkeypatch)
    # The theme is read from the checkout, which another user may not be able to enter (a
    # clone in a private temporary folder): apply it as ourselves, then open the file as them.
    from workshop.ui import theme
    theme.apply_theme(qapp)
    monkeypatch.setattr(theme, "apply_theme", lambda app: None)
    with as_user_without_write_access():
        code = run_gui(AppConfig(db_path=path), demo=False)
    assert code == 2
    [(title, message)] = dialogs.errors
    assert title == "Cannot open the data file" and "is read-only" in message
