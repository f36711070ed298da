"""pytest-qt: the Academies page as a new facilitator first sees it — an empty list whose
buttons wait for an academy, and a New academy dialog that keeps the dates typed into it."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from workshop.ui.academy.academies_page import AcademyDialog

pytestmark = pytest.mark.pages("academies")

ONE_ACADEMY = ("open_button", "rename_button", "edit_button", "duplicate_button", "delete_button")


def test_on_an_empty_list_only_new_academy_can_be_pressed(window, ctx):
    page = window.page("academies")
    assert page.new_button.isEnabled()
    assert [name for name in ONE_ACADEMY if getattr(page, name).isEnabled()] == []
    academy = ctx.academies.create("Spring Design Academy")
    page.refresh()
    page.list.setFocus()
    page.list.setCurrentRow(0)
    assert all(getattr(page, name).isEnabled() for name in ONE_ACADEMY)
    window.open_academy(academy.id)
    assert all(getattr(page, name).isEnabled() for name in ONE_ACADEMY)


def test_a_date_changed_while_set_dates_is_unticked_is_kept(qtbot):
    dialog = AcademyDialog(None, None, today=date(2026, 12, 1))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.title, "Spring Design Academy")
    assert not dialog.has_dates.isChecked()
    dialog.start.setFocus()
    qtbot.keyClick(dialog.start, Qt.Key.Key_Up)        # the day: 1 Dec → 2 Dec
    QApplication.processEvents()
    assert dialog.has_dates.isChecked()
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result_academy is not None
    assert dialog.result_academy.start_date == date(2026, 12, 2)
    assert dialog.result_academy.end_date == date(2026, 12, 2)   # the end followed the start


@pytest.mark.pages()   # the whole window: its File menu
def test_ctrl_n_opens_the_new_academy_dialog_from_any_page(window, qtbot, monkeypatch):
    """"New academy…" is in the File menu with its key; the page made the action with Ctrl+N
    but put it in no menu, so the key did nothing."""
    opened = []
    monkeypatch.setattr(AcademyDialog, "exec", lambda self: opened.append(self.windowTitle()) or 0)
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    assert "&New academy…" in [a.text() for a in file_menu.actions()]
    window.show_page("handouts")
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert opened == ["New academy"]
