"""The rotation by keyboard and screen reader: the painted projector says what it shows, and
every control of the Rotation page is reached by Tab, in order, with a name (issue 13)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (QAbstractButton, QAbstractSlider, QAbstractSpinBox, QApplication,
                               QComboBox, QLineEdit, QScrollBar, QTabBar, QTabWidget,
                               QAbstractItemView, QWidget)

from stations.rotation import wording
from tests.fakes import FakeDialogs

pytestmark = pytest.mark.pages("rotation", "attendance")

CONTROLS = (QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox, QLineEdit, QTabBar,
            QAbstractItemView)


@pytest.fixture
def page(window, qtbot, academy, monkeypatch):
    FakeDialogs(confirm=True).install(monkeypatch)
    window.open_academy(academy.id)
    window.show_page("rotation")
    page = window.page("rotation")
    page.chimes.play = lambda *a, **k: True
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    yield page
    page.projector.close()


def described(widget: QWidget) -> str:
    """What a screen reader is told: the accessibility interface's description."""
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Description)


def test_the_projector_says_phase_time_and_stations_and_keeps_saying_it(page, window, clock):
    projector = page.projector
    assert QAccessible.queryAccessibleInterface(projector).text(QAccessible.Text.Name) == \
        "Rotation projector"
    window.ticker.tick()
    assert described(projector).startswith("Station rotation. Starts soon · Round 1 of 3 · Scan in at your station. 15:00 left.")
    page.start()
    clock.advance(1)
    window.ticker.tick()
    text = described(projector)
    assert text.startswith("Round 1 of 3. Work at your station. 14:59 left.")
    assert "Station 1, Teacher-led targeted instruction: Group A · Group D." in text
    assert "Station 3, Small-group collaboration: Group C · Group F." in text
    page.next()
    assert described(projector).startswith("Move to your next station and scan again. Round 2 of 3 starts in. "
                                           "1:00 left.")
    page.end()
    assert described(projector).startswith("Rotation finished. Thank you")
    assert "left." not in described(projector)


def test_spoken_text_without_a_rotation():
    assert wording.spoken(None) == "Station rotation. Set up the rotation on the control page."


def interactive(page) -> list[QWidget]:
    """The page's controls a person can use now (a spin box's inner line edit and the scroll
    bars of a table are parts of one control)."""
    found = []
    for widget in page.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or isinstance(widget, QScrollBar):
            continue
        if isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox, QTabWidget)) \
                and not isinstance(widget, QTabBar):
            continue
        if part_of_a_table(widget):     # its headers and corner button
            continue
        if widget.isVisibleTo(page) and widget.isEnabled() and widget.isVisible():
            found.append(widget)
    return found


def part_of_a_table(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractItemView):
            return True
        parent = parent.parentWidget()
    return False


def walk(qtbot, page, first: QWidget) -> list[QWidget]:
    """Press Tab from ``first`` until the focus comes back to it; the page's widgets visited."""
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(first.hasFocus)
    visited = [first]
    for _ in range(200):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focus = QApplication.focusWidget()
        if focus is first:
            return visited
        if page.isAncestorOf(focus) and focus not in visited:
            visited.append(focus)
    raise AssertionError("Tab never came back to where it started")


def owner(widget: QWidget) -> QWidget:
    """The control a focused part belongs to (a tab widget's tab bar is the tab widget)."""
    return widget.parentWidget() if isinstance(widget, QTabBar) else widget


@pytest.mark.parametrize("running", [False, True])
def test_every_rotation_control_is_reached_by_tab_in_order_and_named(page, qtbot, clock, running):
    if running:
        page.start()
    else:
        page.setup.has_start.setChecked(True)          # the start time can be edited too
    first = page.buttons["start"] if not running else page.buttons["pause"]
    visited = walk(qtbot, page, first)
    missing = [w for w in interactive(page) if w not in visited and owner(w) not in visited]
    assert missing == [], [f"{type(w).__name__} {w.accessibleName() or w.objectName()}" for w in missing]
    unnamed = [type(w).__name__ for w in visited if not owner(w).accessibleName()]
    assert unnamed == []
    order = [owner(w) for w in visited]
    expected = [page.buttons[k] for k in ("start", "pause", "next", "minus", "plus", "plus5", "set",
                                          "restart", "end", "projector", "fullscreen", "join")]
    expected += [page.mute, page.volume] + page.setup.fields() + [page.tabs, page.grid]
    reached = [w for w in expected if w in order]
    assert reached == sorted(reached, key=order.index)  # the order the eye reads them in
    if running:
        assert page.buttons["next"] in order and page.setup.groups not in order   # disabled
    else:
        assert page.setup.start in order and page.buttons["pause"] not in order


def test_buttons_are_named_for_what_they_do(page):
    page.start()
    page.refresh()
    assert page.buttons["pause"].accessibleName() == "Pause"
    assert page.buttons["minus"].accessibleName() == "One minute less"
    assert page.buttons["plus"].accessibleDescription() == "Shortcut: +"
    page.toggle_pause()
    assert page.buttons["pause"].accessibleName() == "Resume"
