"""Issue 13 item 1: the whole pack written from the window's own button, key and menu.

The earlier tests called ``page.write_pack(folder)`` and so never saw what ``triggered(bool)``
hands a slot; these drive what a facilitator touches and answer the folder through the seam."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from tests.fakes import FakeDialogs

pytestmark = pytest.mark.pages("academies", "handouts")


@pytest.fixture
def page(window, ctx, academy, qtbot):
    ctx.prototypes.create(academy.id, "Math stations", team="Lincoln Elementary")
    window.open_academy(academy.id)
    window.show()
    qtbot.waitExposed(window)
    window.show_page("handouts")
    return window.page("handouts")


def pack_button(page) -> QPushButton:
    [button] = [b for b in page.findChildren(QPushButton) if b.text() == "Write the whole pack…"]
    assert button.isVisible() and button.isEnabled()
    return button


def export_action(window, text):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "E&xport/Print")
    return next(a for a in menu.actions() if a.text() == text)


def written(folder) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.pdf"))


def open_progress_dialogs(page) -> list[QProgressDialog]:
    return [d for d in page.findChildren(QProgressDialog) if d.isVisible()]


def test_button_key_and_menu_each_ask_for_a_folder_and_write_the_pack(window, page, qtbot,
                                                                      tmp_path, monkeypatch):
    folders = [tmp_path / name for name in ("clicked", "keyed", "menu")]
    fakes = FakeDialogs().queue("pick_folder", *map(str, folders)).install(monkeypatch)

    with qtbot.waitSignal(page.pack_written, timeout=20000):
        qtbot.mouseClick(pack_button(page), Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(page.pack_written, timeout=20000):
        QTest.keyClick(window, Qt.Key.Key_P,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    window.show_page("academies")
    with qtbot.waitSignal(page.pack_written, timeout=20000):
        export_action(window, "Whole pack…").trigger()

    assert len(fakes.questions("pick_folder")) == 3
    for folder in folders:
        names = written(folder)
        assert "Debrief.pdf" in names and "Prototypes/Lincoln Elementary.pdf" in names
    assert page.runner is None and open_progress_dialogs(page) == []
    assert fakes.errors == []


def test_cancelling_the_folder_question_writes_nothing(page, qtbot, tmp_path, monkeypatch):
    FakeDialogs(pick_folder=None).install(monkeypatch)
    qtbot.mouseClick(pack_button(page), Qt.MouseButton.LeftButton)
    assert page.runner is None and open_progress_dialogs(page) == []
    assert list(tmp_path.rglob("*.pdf")) == []


def test_a_pack_that_fails_closes_its_dialog_and_the_next_one_works(page, qtbot, tmp_path,
                                                                    monkeypatch):
    real_steps = page.handouts.pack_steps

    def broken(*args, **kwargs):
        raise RuntimeError("the renderer fell over")
        yield  # a generator, as the real one is: the failure comes on the first step

    monkeypatch.setattr(page.handouts, "pack_steps", broken)
    FakeDialogs(pick_folder=str(tmp_path / "first")).install(monkeypatch)
    with qtbot.waitSignal(page.pack_ended, timeout=20000):
        qtbot.mouseClick(pack_button(page), Qt.MouseButton.LeftButton)
    assert page.runner is None and open_progress_dialogs(page) == []
    assert "could not be written" in page.message.text()
    assert "the renderer fell over" in page.message.text()

    monkeypatch.setattr(page.handouts, "pack_steps", real_steps)
    FakeDialogs(pick_folder=str(tmp_path / "second")).install(monkeypatch)
    with qtbot.waitSignal(page.pack_written, timeout=20000):
        qtbot.mouseClick(pack_button(page), Qt.MouseButton.LeftButton)
    assert "Debrief.pdf" in written(tmp_path / "second")


def test_cancel_on_the_progress_dialog_resets_the_runner(page, qtbot, tmp_path, monkeypatch):
    FakeDialogs(pick_folder=str(tmp_path / "stopped")).install(monkeypatch)
    qtbot.mouseClick(pack_button(page), Qt.MouseButton.LeftButton)
    dialog = page.progress_dialog
    assert dialog is not None
    dialog.show()   # as it appears after its minimum duration, taking the keys
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    [cancel] = [b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel"]
    with qtbot.waitSignal(page.pack_ended, timeout=20000) as ended:
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert "cancelled" in ended.args[0] and "cancelled" in page.message.text()
    assert page.runner is None and page.progress_dialog is None
    assert open_progress_dialogs(page) == []
    assert list((tmp_path / "stopped").rglob("*.pdf")) == []

    FakeDialogs(pick_folder=str(tmp_path / "again")).install(monkeypatch)
    # Focus goes back to the window once the dialog is gone (not blocked, as Ctrl+Q was).
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page.window(), timeout=5000)
    with qtbot.waitSignal(page.pack_written, timeout=20000):
        QTest.keyClick(page.window(), Qt.Key.Key_P,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "Debrief.pdf" in written(tmp_path / "again")


@pytest.mark.pages()   # every page: the prototypes page has its own Ctrl+Shift+P (New prototype)
def test_ctrl_shift_p_on_the_handouts_page_of_the_whole_window_writes_the_pack(
        window, page, qtbot, tmp_path, monkeypatch):
    FakeDialogs(pick_folder=str(tmp_path / "whole")).install(monkeypatch)
    page.kinds.setFocus()
    with qtbot.waitSignal(page.pack_written, timeout=20000):
        QTest.keyClick(window, Qt.Key.Key_P,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "Debrief.pdf" in written(tmp_path / "whole")


def test_a_folder_that_cannot_be_written_says_so_in_one_line(page, qtbot, tmp_path, monkeypatch):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    FakeDialogs(pick_folder=str(blocker / "pack")).install(monkeypatch)
    with qtbot.waitSignal(page.pack_ended, timeout=20000) as ended:
        qtbot.mouseClick(pack_button(page), Qt.MouseButton.LeftButton)
    message = ended.args[0]
    assert message.startswith("The pack could not be written:") and "\n" not in message
    assert "Not a directory" in message or "exists" in message
    assert blocker.read_text() == "not a folder"
    assert page.runner is None and open_progress_dialogs(page) == []
