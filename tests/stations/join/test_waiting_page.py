"""The Attendance page's waiting list (issue 12 item 6): a flood from one phone waits there, and
the facilitator lets people in or turns them away with the page's buttons and keys."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.fakes import FakeDialogs
from tests.stations.join.phone import Phone

pytestmark = pytest.mark.pages("attendance")

HTML = "<b>Bold</b><img src=x onerror=alert(1)>"


@pytest.fixture
def page(window, ctx, academy):
    window.open_academy(academy.id)
    window.show_page("attendance")
    page = window.page("attendance")
    page.serve_button.click()
    yield page
    ctx.join.stop_server()


@pytest.fixture
def flood(ctx, academy, page):
    phone = Phone(ctx.join.bound.base_url, source="127.0.0.20")
    token = ctx.join.links(academy.id)[1].token
    replies = [phone.walk_in(token, name) for name in ("Ann First", HTML, "Bo Third", "Cy Fourth")]
    assert [r.json.get("waiting", False) for r in replies] == [False, True, True, True]
    return phone, token, [r.json.get("ticket") for r in replies]


def waiting_shown(window, page, count):
    def shown():
        window.ticker.tick()
        return page.waiting.list.count() == count
    return shown


def walk_in_names(ctx, academy):
    ids = ctx.academies.repo.walk_in_ids(academy.id)
    return sorted(p.name for p in ctx.academies.participants(academy.id) if p.id in ids)


def test_waiting_walk_ins_are_approved_and_rejected_with_the_buttons(qtbot, window, page, ctx,
                                                                    academy, flood):
    phone, token, tickets = flood
    qtbot.waitUntil(waiting_shown(window, page, 3), timeout=2000)
    panel = page.waiting
    assert panel.title.text() == "Waiting to join: 3"
    assert panel.list.item(0).text().startswith(f"{HTML} — at Station 2, ")  # literally
    notes = []
    page.notified.connect(notes.append)
    panel.list.setCurrentRow(0)
    qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    assert walk_in_names(ctx, academy) == sorted(["Ann First", HTML])
    assert notes == [f"{HTML} joined as a walk-in at Station 2."]
    assert phone.walk_in_status(token, tickets[1]).json["checked_in"] is True
    assert panel.list.count() == 2 and panel.list.item(0).text().startswith("Bo Third")
    panel.list.setCurrentRow(0)
    qtbot.mouseClick(panel.reject_button, Qt.MouseButton.LeftButton)
    assert phone.walk_in_status(token, tickets[2]).json["rejected"] is True
    assert walk_in_names(ctx, academy) == sorted(["Ann First", HTML])
    assert [panel.list.item(i).text().split(" — ")[0] for i in range(panel.list.count())] == ["Cy Fourth"]


def test_the_waiting_list_is_keyboard_reachable(qtbot, window, page, ctx, academy, flood):
    qtbot.waitUntil(waiting_shown(window, page, 3), timeout=2000)
    panel = page.waiting
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Down)             # the second one: Bo Third
    qtbot.keyClick(panel.list, Qt.Key.Key_Tab)              # to Approve
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)    # to Reject
    assert window.focusWidget() is panel.reject_button
    qtbot.keyClick(panel.reject_button, Qt.Key.Key_Space)
    assert [panel.list.item(i).text().split(" — ")[0] for i in range(panel.list.count())] == [
        HTML, "Cy Fourth"]
    panel.list.setFocus()
    panel.list.setCurrentRow(1)
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)           # Enter approves
    assert "Cy Fourth" in walk_in_names(ctx, academy)


def test_a_request_decided_elsewhere_is_refused_clearly(qtbot, window, page, ctx, academy, flood,
                                                       monkeypatch):
    dialogs = FakeDialogs().install(monkeypatch)
    qtbot.waitUntil(waiting_shown(window, page, 3), timeout=2000)
    panel = page.waiting
    panel.list.setCurrentRow(0)
    ctx.join.reject_walk_in(panel.selected().id)  # e.g. from another window
    qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    assert dialogs.errors == [("Cannot let them in", "That walk-in is no longer waiting.")]
    assert HTML not in walk_in_names(ctx, academy)
