"""File ▸ Export academy… / Import academy… and the window's delete (issue 16 items 1, 2)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.fakes import FakeDialogs
from tests.workshop.bundle.conftest import table_contents

pytestmark = pytest.mark.pages("academies", "roster")


def _file_action(window, text):
    found = [a for a in window.file_menu.actions() if a.text().replace("&", "") == text]
    assert found, [a.text() for a in window.file_menu.actions()]
    return found[0]


def test_export_and_import_from_the_file_menu(qtbot, window, ctx, demo_academy, monkeypatch,
                                              tmp_path):
    window.open_academy(demo_academy.id)
    out = tmp_path / "demo.academy"
    dialogs = FakeDialogs().queue("save_file", str(out)).install(monkeypatch)
    with qtbot.waitSignal(window.page("academies").notified) as told:
        _file_action(window, "Export academy…").trigger()
    assert out.exists() and "Exported “Demo Design Academy”" in told.args[0]
    assert dialogs.errors == []
    # the same bundle again: everything is unchanged, nothing added
    before = table_contents(ctx.config.db_path)
    dialogs.queue("open_file", str(out))
    with qtbot.waitSignal(window.page("academies").notified) as told:
        _file_action(window, "Import academy…").trigger()
    assert told.args[0].startswith("Merged “Demo Design Academy”: 0 rows added")
    assert table_contents(ctx.config.db_path) == before


def test_a_conflict_asks_which_copy_wins(qtbot, window, ctx, demo_academy, monkeypatch,
                                         tmp_path):
    out = tmp_path / "demo.academy"
    ctx.bundles.export(demo_academy.id, out)
    person = ctx.academies.participants(demo_academy.id)[0]
    ctx.academies.edit_participant(person.id, school="Changed here")
    dialogs = FakeDialogs().queue("open_file", str(out)).queue("choose", "replace")
    dialogs.install(monkeypatch)
    _file_action(window, "Import academy…").trigger()
    assert "1 row differs between the bundle and the copy here" in dialogs.questions("choose")[0]
    assert ctx.academies.repo.participant(person.id).school == person.school


def test_a_bad_file_is_one_error_and_nothing_changes(qtbot, window, ctx, demo_academy,
                                                     monkeypatch, tmp_path):
    (tmp_path / "notes.academy").write_text("not a bundle")
    before = table_contents(ctx.config.db_path)
    dialogs = FakeDialogs().queue("open_file", str(tmp_path / "notes.academy")).install(monkeypatch)
    _file_action(window, "Import academy…").trigger()
    assert len(dialogs.errors) == 1 and "not a SQLite file" in dialogs.errors[0][1]
    assert table_contents(ctx.config.db_path) == before


def test_the_window_delete_purges(qtbot, window, ctx, demo_academy, monkeypatch):
    name = ctx.academies.participants(demo_academy.id)[0].name.encode()
    ctx.db.execute("PRAGMA secure_delete = OFF")   # as most SQLite builds start (see test_cli_and_purge)
    FakeDialogs(confirm=True).install(monkeypatch)
    page = window.page("academies")
    page.refresh()   # the demo academy was added after the page was built
    page.list.setCurrentRow(0)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert ctx.academies.list() == []
    data = ctx.config.db_path.read_bytes()
    wal = ctx.config.db_path.with_name(ctx.config.db_path.name + "-wal")
    assert name not in data + (wal.read_bytes() if wal.exists() else b"")
