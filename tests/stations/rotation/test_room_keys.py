"""The room's keys (Space, N, +, −, F11, Esc) through the real window, on every page while a
rotation runs; never into a text field; never silently stopping phones (issue 13, item 2)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.fakes import FakeDialogs

pytestmark = pytest.mark.pages("roster", "grouping", "rotation", "attendance")


@pytest.fixture
def answers(monkeypatch):
    return FakeDialogs().install(monkeypatch)


@pytest.fixture
def live(window, qtbot, ctx, academy, answers):
    """The whole window shown and active, the academy open, phones joining."""
    window.open_academy(academy.id)
    window.page("rotation").chimes.play = lambda *a, **k: True   # no sound in tests
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.show_page("attendance")
    window.page("attendance").serve_button.click()
    assert ctx.join.running
    yield window
    window.page("rotation").projector.close()
    ctx.join.stop_server()


def key(qtbot, window, k, modifier=Qt.KeyboardModifier.NoModifier, text=None):
    """Press a key where a person's key goes: to the widget with the focus."""
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, k, modifier)
    window.ticker.tick()


def snap(ctx, academy):
    return ctx.rotation.snapshot(academy.id)


def test_space_on_the_attendance_page_pauses_and_never_stops_phones(live, qtbot, ctx, academy,
                                                                   answers):
    attendance = live.page("attendance")
    live.page("rotation").start()
    attendance.serve_button.setFocus(Qt.FocusReason.TabFocusReason)   # where Space landed
    assert QApplication.focusWidget() is attendance.serve_button
    key(qtbot, live, Qt.Key.Key_Space)
    assert snap(ctx, academy).paused and ctx.join.running
    key(qtbot, live, Qt.Key.Key_Space)
    assert not snap(ctx, academy).paused and ctx.join.running
    assert answers.asked == []                     # pausing asks nothing


@pytest.mark.parametrize("page_key", ["roster", "grouping", "attendance"])
def test_room_keys_work_on_every_page(live, qtbot, ctx, academy, page_key):
    live.page("rotation").start()
    live.show_page(page_key)
    live.nav.setFocus()                            # the page list, as after clicking a page
    key(qtbot, live, Qt.Key.Key_Plus)
    assert snap(ctx, academy).remaining_s == 16 * 60
    key(qtbot, live, Qt.Key.Key_Minus)
    key(qtbot, live, Qt.Key.Key_Minus)
    assert snap(ctx, academy).remaining_s == 14 * 60
    key(qtbot, live, Qt.Key.Key_N)
    assert snap(ctx, academy).phase == "transition"
    projector = live.page("rotation").projector
    key(qtbot, live, Qt.Key.Key_F11)
    assert projector.isVisible() and projector.isFullScreen()
    live.activateWindow()
    qtbot.waitUntil(live.isActiveWindow)
    key(qtbot, live, Qt.Key.Key_Escape)
    assert not projector.isFullScreen()
    assert live.current_page_key() == page_key     # the page the facilitator was on stays


def test_keys_typed_into_text_fields_are_text(live, qtbot, ctx, academy):
    live.page("rotation").start()
    live.show_page("roster")
    field = live.page("roster").filter
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    for k in (Qt.Key.Key_N, Qt.Key.Key_Space, Qt.Key.Key_Plus, Qt.Key.Key_Minus, Qt.Key.Key_F11):
        key(qtbot, live, k)
    assert field.text() == "n +-"
    assert (snap(ctx, academy).phase, snap(ctx, academy).paused) == ("round", False)
    assert snap(ctx, academy).remaining_s == 15 * 60
    assert not live.page("rotation").projector.isVisible()
    live.show_page("grouping")
    spin = live.page("grouping").groups_spin
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    spin.lineEdit().selectAll()
    key(qtbot, live, Qt.Key.Key_4)
    key(qtbot, live, Qt.Key.Key_Minus)
    key(qtbot, live, Qt.Key.Key_Space)
    assert (snap(ctx, academy).phase, snap(ctx, academy).paused) == ("round", False)
    assert snap(ctx, academy).remaining_s == 15 * 60


def test_no_rotation_running_space_presses_buttons_but_stopping_phones_asks(live, qtbot, ctx,
                                                                            answers):
    attendance = live.page("attendance")
    attendance.serve_button.setFocus(Qt.FocusReason.TabFocusReason)
    answers.queue("confirm", False)
    key(qtbot, live, Qt.Key.Key_Space)
    assert ctx.join.running and attendance.serve_button.isChecked()
    assert answers.questions("confirm") == [attendance_question()]
    answers.queue("confirm", True)
    key(qtbot, live, Qt.Key.Key_Return)
    assert not ctx.join.running and attendance.serve_button.text() == "Let phones join"
    key(qtbot, live, Qt.Key.Key_Space)              # starting asks nothing
    assert ctx.join.running and len(answers.asked) == 2


def test_ctrl_j_and_the_rotation_pages_button_ask_before_stopping(live, qtbot, ctx, answers):
    live.show_page("rotation")
    live.nav.setFocus()
    answers.queue("confirm", False)
    key(qtbot, live, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert ctx.join.running and live.page("attendance").serve_action.isChecked()
    join = live.page("rotation").buttons["join"]
    assert join.isChecked() and join.text() == "Stop phones joining"
    answers.queue("confirm", True)
    join.click()
    assert not ctx.join.running and not join.isChecked()
    assert len(answers.questions("confirm")) == 2


def test_enter_presses_the_focused_button_while_space_pauses(live, qtbot, ctx, academy, answers):
    rotation = live.page("rotation")
    live.show_page("rotation")
    rotation.start()
    rotation.buttons["next"].setFocus(Qt.FocusReason.TabFocusReason)
    key(qtbot, live, Qt.Key.Key_Space)
    assert snap(ctx, academy).paused and snap(ctx, academy).phase == "round"
    key(qtbot, live, Qt.Key.Key_Return)
    assert snap(ctx, academy).phase == "transition"


def attendance_question() -> str:
    from stations.ui.join.attendance_page import STOP_QUESTION
    return STOP_QUESTION
