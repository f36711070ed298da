"""Issue 13 item 16: the View menu is no longer empty; each of its actions does what it says,
from the menu and from its key."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

pytestmark = pytest.mark.pages("academies")


@pytest.fixture
def shown(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    return window


def view_actions(window):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    return {a.text(): a for a in menu.actions() if a.text()}


def test_the_view_menu_holds_real_actions(shown):
    assert list(view_actions(shown)) == ["&Full screen", "&Page list"]


def test_full_screen_from_the_key_and_back(shown, qtbot):
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(shown, Qt.Key.Key_F, ctrl_shift)
    qtbot.waitUntil(shown.isFullScreen, timeout=3000)
    assert view_actions(shown)["&Full screen"].isChecked()
    QTest.keyClick(shown, Qt.Key.Key_F, ctrl_shift)
    qtbot.waitUntil(lambda: not shown.isFullScreen(), timeout=3000)
    assert not view_actions(shown)["&Full screen"].isChecked()


def test_the_tick_follows_the_window_when_something_else_leaves_full_screen(shown, qtbot):
    view_actions(shown)["&Full screen"].trigger()
    qtbot.waitUntil(shown.isFullScreen, timeout=3000)
    shown.showNormal()
    qtbot.waitUntil(lambda: not view_actions(shown)["&Full screen"].isChecked(), timeout=3000)


def test_page_list_hides_and_comes_back(shown):
    action = view_actions(shown)["&Page list"]
    assert shown.nav.isVisible() and action.isChecked()
    action.trigger()
    assert not shown.nav.isVisible()
    QTest.keyClick(shown, Qt.Key.Key_L,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert shown.nav.isVisible() and action.isChecked()
