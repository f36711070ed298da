"""The write helper: the lock up front, a wait instead of a failure, one clear error at the end."""
from __future__ import annotations

import sqlite3
import threading

import pytest

from tests.paths import ROOT
from workshop.academy.model import Participant
from workshop.store import DatabaseError, StoreBusy, open_database, write
from workshop.store import transactions as write_module

ROSTER = ROOT / "tests/workshop/academy/data/google_forms.csv"


@pytest.fixture
def two(tmp_path):
    """Two connections on one WAL file, like the window and the join server."""
    path = tmp_path / "two.sqlite"
    a, b = open_database(path), open_database(path)
    a.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER)")
    a.execute("INSERT INTO t (n) VALUES (0)")
    yield a, b
    a.close()
    b.close()


def read_then_write(db, tx):
    with tx(db):
        n = db.execute("SELECT n FROM t").fetchone()[0]
        db.execute("UPDATE t SET n = ?", [n + 1])


def test_a_read_then_write_waits_for_the_other_writer_instead_of_failing(two):
    """The bug of issue 12 item 1, and its fix, on two connections."""
    a, b = two

    def other_writer_commits_while_a_reads(tx):
        """a's transaction reads, then b writes and commits, then a writes."""
        with tx(a):
            n = a.execute("SELECT n FROM t").fetchone()[0]
            done = threading.Thread(target=lambda: b.execute("UPDATE t SET n = n + 100"))
            done.start()
            done.join(timeout=0.5)   # with the lock up front, b must still be waiting here
            waited = done.is_alive()
            a.execute("UPDATE t SET n = ?", [n + 1])
        done.join()
        return waited

    # sqlite-utils' atomic() begins deferred: b gets in between and a's write fails at once
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        other_writer_commits_while_a_reads(lambda db: db.atomic())
    # write() holds the lock from the start: b waits for a, and both writes land
    before = a.execute("SELECT n FROM t").fetchone()[0]
    assert other_writer_commits_while_a_reads(write) is True
    assert a.execute("SELECT n FROM t").fetchone()[0] == before + 1 + 100


def test_a_writer_waits_for_a_lock_held_for_a_moment(two):
    a, b = two
    b.conn.execute("BEGIN IMMEDIATE")
    b.execute("UPDATE t SET n = 7")
    release = threading.Timer(0.3, lambda: b.conn.execute("COMMIT"))
    release.start()
    read_then_write(a, write)   # blocks under the busy timeout until b commits
    release.join()
    assert a.execute("SELECT n FROM t").fetchone()[0] == 8


def test_a_lock_never_released_gives_store_busy_after_bounded_retries(two):
    a, b = two
    a.execute("PRAGMA busy_timeout = 10")
    b.conn.execute("BEGIN IMMEDIATE")
    pauses: list[float] = []
    with pytest.raises(StoreBusy) as raised:
        with write(a, pause=pauses.append):
            a.execute("UPDATE t SET n = 99")
    assert isinstance(raised.value, DatabaseError)
    assert "busy" in str(raised.value) and "Nothing was saved" in str(raised.value)
    assert "\n" not in str(raised.value)
    assert pauses == [write_module.FIRST_PAUSE_S * 2 ** i for i in range(write_module.RETRIES)]
    assert not a.conn.in_transaction
    b.conn.execute("ROLLBACK")
    assert a.execute("SELECT n FROM t").fetchone()[0] == 0


def test_other_errors_at_begin_are_not_retried(two):
    a, _ = two
    a.conn.close()
    pauses: list[float] = []
    with pytest.raises(sqlite3.ProgrammingError):
        with write(a, pause=pauses.append):
            pass
    assert pauses == []


def test_a_nested_write_is_a_savepoint(two):
    a, b = two
    with write(a):
        a.execute("UPDATE t SET n = 1")
        with pytest.raises(ValueError):
            with write(a):
                a.execute("UPDATE t SET n = 2")
                raise ValueError("undo only the inner part")
        assert a.execute("SELECT n FROM t").fetchone()[0] == 1
    assert b.execute("SELECT n FROM t").fetchone()[0] == 1


def test_nested_writes_undo_only_their_own_part_at_any_depth_with_the_same_statements(two):
    """(Issue 19 item 6.) A savepoint's statements are the same every time (one name: the
    latest of that name is the one released or rolled back to), so the connection's statement
    cache serves them instead of parsing a fresh random name per write."""
    a, b = two
    statements: list[str] = []
    a.conn.set_trace_callback(statements.append)
    with write(a):
        a.execute("UPDATE t SET n = 1")
        with write(a):
            a.execute("UPDATE t SET n = n + 10")
            with pytest.raises(ValueError):
                with write(a):
                    a.execute("UPDATE t SET n = n + 100")
                    raise ValueError("undo only the innermost part")
            assert a.execute("SELECT n FROM t").fetchone()[0] == 11
            with write(a):
                a.execute("UPDATE t SET n = n + 1000")
        with pytest.raises(KeyError):
            with write(a):
                a.execute("UPDATE t SET n = n + 5")
                with write(a):
                    a.execute("UPDATE t SET n = n + 7")
                raise KeyError("undo this part, the released inner one with it")
    a.conn.set_trace_callback(None)
    assert b.execute("SELECT n FROM t").fetchone()[0] == 1011
    savepoints = {s for s in statements if "SAVEPOINT" in s}
    assert savepoints == {"SAVEPOINT workshop_write", "RELEASE SAVEPOINT workshop_write",
                          "ROLLBACK TO SAVEPOINT workshop_write"}, savepoints


def test_an_error_in_the_block_writes_nothing(two):
    a, b = two
    with pytest.raises(RuntimeError):
        with write(a):
            a.execute("UPDATE t SET n = 5")
            raise RuntimeError
    assert not a.conn.in_transaction
    assert b.execute("SELECT n FROM t").fetchone()[0] == 0


def test_sqlite_utils_table_calls_inside_write_commit_with_it(two):
    a, b = two
    with pytest.raises(RuntimeError):
        with write(a):
            a["t"].insert({"n": 1})
            a["t"].update(1, {"n": 3})
            raise RuntimeError
    assert [r["n"] for r in b["t"].rows] == [0]


def test_a_busy_file_is_one_line_and_exit_2_in_the_cli(tmp_path, monkeypatch, capsys):
    from workshop.app import main
    from workshop.store import database
    db_path = tmp_path / "cli.sqlite"
    assert main(["--db", str(db_path), "academy", "create", "Busy"]) == 0
    capsys.readouterr()
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 20)
    monkeypatch.setattr(write_module, "FIRST_PAUSE_S", 0.001)
    holder = sqlite3.connect(db_path)
    holder.execute("BEGIN IMMEDIATE")
    try:
        code = main(["--db", str(db_path), "roster", "import", str(ROSTER), "--academy", "Busy"])
    finally:
        holder.rollback()
        holder.close()
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: The data file is busy")
    check = open_database(db_path)
    assert check.execute("SELECT count(*) FROM participants").fetchone()[0] == 0
    check.close()


def test_a_busy_file_in_the_window_keeps_the_edit_in_the_editor(qtbot, make_window, ctx,
                                                                 academy):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QLineEdit
    ctx.academies.add_participant(academy.id, Participant(name="Ana Lima", role="Teacher"))
    window = make_window("roster")
    window.open_academy(academy.id)
    window.show_page("roster")
    window.show()
    page = window.page("roster")
    index = page.proxy.index(0, 0)   # the name cell
    other = open_database(ctx.config.db_path)
    other.conn.execute("BEGIN IMMEDIATE")
    ctx.db.execute("PRAGMA busy_timeout = 10")
    page.table.setCurrentIndex(index)
    page.table.edit(index)
    editor = page.table.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Ana Lima Souza")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits through a queued call
    assert not page.error.isHidden() and "busy" in page.error.text()
    assert "Ana Lima" in page.error.text()
    assert page.undo_stack.count() == 0
    assert ctx.academies.participants(academy.id)[0].name == "Ana Lima"

    def open_editor() -> QLineEdit:
        editors = [e for e in page.table.viewport().findChildren(QLineEdit) if e.isVisible()]
        assert len(editors) == 1
        return editors[0]
    qtbot.waitUntil(lambda: open_editor().text() == "Ana Lima Souza", timeout=2000)
    other.conn.execute("ROLLBACK")   # the other writer is done: Enter saves what was kept
    qtbot.keyClick(open_editor(), Qt.Key.Key_Return)
    QApplication.processEvents()
    assert ctx.academies.participants(academy.id)[0].name == "Ana Lima Souza"
    assert page.undo_stack.count() == 1 and page.error.isHidden()
    other.close()


def test_a_refused_write_no_page_caught_is_said_in_a_box(monkeypatch):
    import sys

    from tests.fakes import FakeDialogs
    from workshop.ui import dialogs
    fake = FakeDialogs().install(monkeypatch)
    passed_on = []
    monkeypatch.setattr(sys, "excepthook", lambda *exc: passed_on.append(exc[0]))
    undo = dialogs.report_store_errors(lambda: None)
    try:
        sys.excepthook(StoreBusy, StoreBusy(write_module.BUSY_MESSAGE), None)
        sys.excepthook(ValueError, ValueError("a bug"), None)   # bugs still reach the console
    finally:
        undo()
    assert fake.errors == [("Not saved", write_module.BUSY_MESSAGE)]
    assert passed_on == [ValueError]
