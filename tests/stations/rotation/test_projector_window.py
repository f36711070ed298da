"""Leaving the projector's full screen brings the controls back (issue 13, item 3)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.pages("rotation")


@pytest.fixture
def shown(window, qtbot, academy):
    window.open_academy(academy.id)
    window.show_page("rotation")
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    yield window
    window.page("rotation").projector.close()


def test_esc_after_f11_on_one_screen_puts_the_projector_on_screen_and_the_controls_in_front(
        shown, qtbot):
    projector = shown.page("rotation").projector
    screen = QApplication.primaryScreen()
    assert len(QApplication.screens()) == 1
    qtbot.keyClick(shown, Qt.Key.Key_F11)
    assert projector.isFullScreen() and projector.geometry() == screen.geometry()
    projector.activateWindow()
    qtbot.waitUntil(projector.isActiveWindow)
    qtbot.keyClick(projector, Qt.Key.Key_Escape)          # the room's view is what has focus
    assert not projector.isFullScreen()
    area = screen.availableGeometry()
    windowed = projector.geometry()
    assert area.contains(windowed) and windowed.top() >= area.top() + 30   # title bar on screen
    assert windowed.size() != screen.geometry().size()
    qtbot.waitUntil(shown.isActiveWindow)                 # the controls are in front, with keys
    assert shown.page("rotation").actions_by_key["leave"].isEnabled() is False


def test_leaving_full_screen_goes_back_where_the_window_was(shown, qtbot):
    page = shown.page("rotation")
    page.open_projector()
    page.projector.setGeometry(60, 80, 500, 300)
    page.toggle_full_screen()
    assert page.projector.isFullScreen()
    page.toggle_full_screen()
    assert page.projector.geometry().getRect() == (60, 80, 500, 300)
