"""The shell's shared UI mechanisms: status messages through ``notified``, the saved-command
undo type, and the dialog seam — driven through the real main window where it matters."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication

from tests.fakes import FakeDialogs
from workshop.ui import dialogs
from workshop.ui.page import Page
from workshop.ui.undo import SavedCommand


def test_a_page_message_reaches_the_status_bar_through_clicks(qtbot, window, ctx, academy,
                                                              monkeypatch):
    """Go to Attendance with its Ctrl+number shortcut, press New QR codes, say yes: the page's
    ``notified`` message is what the status bar shows."""
    asked = FakeDialogs(confirm=True).install(monkeypatch)
    window.open_academy(academy.id)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # shortcuts need it active
    row = next(r for r in range(window.nav.count())
               if window.nav.item(r).data(Qt.ItemDataRole.UserRole) == "attendance")
    qtbot.keyClick(window.nav, Qt.Key(Qt.Key.Key_1 + row), Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "attendance"
    page = window.page("attendance")
    old = ctx.join.links(academy.id)[0].token
    qtbot.mouseClick(page.regenerate_button, Qt.MouseButton.LeftButton)
    assert asked.questions("confirm") and "new link" in asked.questions("confirm")[0]
    assert ctx.join.links(academy.id)[0].token != old
    assert window.statusBar().currentMessage() == (
        "New QR codes made; print new station signs if you use them.")


def test_every_page_of_the_window_reaches_the_status_bar(window):
    pages = [window.page(window.nav.item(r).data(Qt.ItemDataRole.UserRole))
             for r in range(window.nav.count())]
    shell_pages = [p for p in pages if isinstance(p, Page)]
    assert len(shell_pages) >= 7
    for page in shell_pages:
        page.notified.emit(f"hello from {type(page).__name__}")
        assert window.statusBar().currentMessage() == f"hello from {type(page).__name__}"


@pytest.mark.parametrize("saved, calls_after_push", [(True, []), (False, ["redo"])])
def test_saved_command_runs_its_action_on_push_only_when_not_yet_saved(qtbot, saved,
                                                                      calls_after_push):
    calls = []
    stack = QUndoStack()
    stack.push(SavedCommand("Rename", lambda: calls.append("redo"), lambda: calls.append("undo"),
                            saved=saved))
    assert calls == calls_after_push
    assert stack.undoText() == "Rename"
    stack.undo()
    stack.redo()
    assert calls == calls_after_push + ["undo", "redo"]


def test_fake_dialogs_answer_in_order_and_refuse_unexpected_questions(monkeypatch):
    fake = FakeDialogs(confirm=True).install(monkeypatch).queue("confirm", False)
    assert dialogs.confirm(None, "Delete", "Delete it?", "Delete") is False
    assert dialogs.confirm(None, "Delete", "Delete again?", "Delete") is True
    dialogs.error(None, "Cannot save", "Disk full")
    assert fake.questions("confirm") == ["Delete it?", "Delete again?"]
    assert fake.errors == [("Cannot save", "Disk full")]
    with pytest.raises(AssertionError, match="unexpected save_file dialog"):
        dialogs.save_file(None, "Export", "map.png", "PNG (*.png)")
    fake.queue("choose", "nope")
    with pytest.raises(AssertionError, match="not one of"):
        dialogs.choose(None, "Conflict", "Which?", {"a": "A", "b": "B"}, default="a")
