"""The attendance page and reflections panel, driven as a facilitator would."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.fakes import FakeDialogs
from tests.stations.join.phone import Phone
from workshop.academy.model import Participant

pytestmark = pytest.mark.pages("rotation", "attendance")  # the window holds only what these tests drive

HTML = "<b>Bold</b><img src=x onerror=alert(1)>"


@pytest.fixture
def people(ctx, academy):
    return [ctx.academies.add_participant(academy.id, Participant(n, email=f"p{i}@x.example")).id
            for i, n in enumerate(["Zoë Adams", "Mark Obi", "Ana López"])]


@pytest.fixture
def page(window, ctx, academy, people):
    window.open_academy(academy.id)
    window.show_page("attendance")
    page = window.page("attendance")
    yield page
    ctx.join.stop_server()


def names_in(widget) -> list[str]:
    return widget.texts()


def test_let_phones_join_shows_each_station_link_and_code(page, ctx, academy):
    assert page.cards[0].qr.text() == ""
    page.serve_button.click()
    assert ctx.join.running
    links = ctx.join.links(academy.id)
    assert [c.qr.text() for c in page.cards] == [link.url for link in links]
    assert all(link.url.startswith(ctx.join.bound.base_url + "/s/") for link in links)
    assert page.cards[1].url.text().replace("\n", "") == links[1].url  # the link in words
    assert "Phones join at http://" in page.server_note.text()
    page.serve_button.click()
    assert not ctx.join.running and page.cards[0].qr.text() == ""


def test_phones_can_be_let_in_from_the_rotation_page(window, page, ctx):
    """The rotation page's button, the attendance page's button and Ctrl+J are one switch."""
    join = window.page("rotation").buttons["join"]
    assert join.text() == "Let phones join"
    join.click()
    assert ctx.join.running
    assert page.serve_button.isChecked() and join.isChecked()
    assert join.text() == page.serve_button.text() == "Stop phones joining"
    page.serve_button.click()
    assert not ctx.join.running
    assert not join.isChecked() and join.text() == "Let phones join"


def test_a_scan_shows_on_the_page_within_a_second(qtbot, window, page, ctx, academy):
    page.serve_button.click()
    token = ctx.join.links(academy.id)[1].token
    phone = Phone(ctx.join.bound.base_url)
    phone.check_in(token, phone.key_for(token, "Zoë Adams"))
    walk_in = Phone(ctx.join.bound.base_url, source="127.0.0.2").walk_in(token, HTML)  # another phone
    assert walk_in.status == 200 and walk_in.json["walk_in"] is True

    def shown():
        window.ticker.tick()
        return names_in(page.cards[1].here) == [f"{HTML} · walk-in", "Zoë Adams"]
    qtbot.waitUntil(shown, timeout=1000)
    assert names_in(page.walk_ins) == [HTML]
    assert names_in(page.nowhere) == ["Ana López", "Mark Obi"]
    assert page.summary.text() == ("Before the rotation: 1 person from the roster checked in"
                                   " · 1 walk-in.")


def test_participant_text_is_plain_everywhere(qtbot, window, page, ctx, academy, people):
    page.serve_button.click()
    person = ctx.join.record_walk_in(academy.id, HTML, 1)
    key_pid = [p.id for p in ctx.academies.participants(academy.id) if p.name == HTML][0]
    ctx.join.record_reflection(academy.id, key_pid, 1, f"I felt {HTML}")
    qtbot.waitUntil(lambda: page.reflections.table.rowCount() == 1, timeout=1000)
    table = page.reflections.table
    assert table.item(0, 1).text() == HTML and table.item(0, 2).text() == f"I felt {HTML}"
    for label in page.findChildren(QLabel) + page.reflections.wall.findChildren(QLabel):
        if "<" in label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    page.reflections.show_wall()
    assert any(HTML in text for text in page.reflections.wall.texts())
    assert person["walk_in"] is True
    page.reflections.close_wall()


def test_moderation_hides_before_the_projector_and_can_be_undone(qtbot, page, ctx, academy, people):
    ctx.join.record_checkin(academy.id, people[0], 2)
    ctx.join.record_reflection(academy.id, people[0], 2, "Useful and calm.")
    ctx.join.record_reflection(academy.id, people[0], 2, "Something rude", anonymous=True)
    panel = page.reflections
    panel.refresh()
    panel.table.selectRow(1)
    panel.hide_button.click()
    assert [r.hidden for r in ctx.join.reflections(academy.id, include_hidden=True)] == [False, True]
    assert panel.table.item(1, 3).text() == "hidden"
    panel.show_wall()
    assert [t.split("\n")[0] for t in panel.wall.texts()] == ["Useful and calm."]
    # A new reflection waits for approval; the button says so.
    ctx.join.record_reflection(academy.id, people[0], 2, "Arrived later.")
    panel.refresh()
    assert len(panel.wall.texts()) == 1 and "1 new" in panel.wall_button.text()
    panel.undo_stack.undo()  # show the rude one again: still not on the wall until approved
    assert [r.hidden for r in ctx.join.reflections(academy.id, include_hidden=True)] == [False, False, False]
    panel.show_wall()
    assert len(panel.wall.texts()) == 3
    panel.table.selectRow(2)
    panel.hide_button.click()  # hiding takes it off the wall at once
    assert len(panel.wall.texts()) == 2
    panel.close_wall()
    assert not panel.wall.isVisible()


def test_new_qr_codes_ask_first_and_old_links_stop(monkeypatch, page, ctx, academy):
    page.serve_button.click()
    old = ctx.join.links(academy.id)[0]
    dialogs = FakeDialogs().install(monkeypatch).queue("confirm", False, True)
    page.regenerate()
    assert ctx.join.links(academy.id)[0].token == old.token
    page.regenerate()
    assert len(dialogs.questions("confirm")) == 2
    new = ctx.join.links(academy.id)[0]
    assert new.token != old.token and page.cards[0].qr.text() == new.url
    phone = Phone(ctx.join.bound.base_url)
    assert phone.get(f"/s/{old.token}").status == 404
    assert phone.get(f"/s/{new.token}").status == 200


def test_the_projector_corner_shows_a_code_and_counts_only(page, ctx, academy, people, window):
    projector = window.page("rotation").projector
    page.serve_button.click()
    ctx.join.record_checkin(academy.id, people[0], 1)
    page.refresh()
    assert page.corner.parent() is projector and not page.corner.isHidden()
    assert page.corner.qr.text() in [link.url for link in ctx.join.links(academy.id)]
    texts = [page.corner.caption.text(), page.corner.url.text(), page.corner.counts.text()]
    assert page.corner.counts.text() == "1 checked in"
    assert not any("Zoë" in t for t in texts)
    page.corner_box.setChecked(False)
    assert page.corner.isHidden()
    page.corner_box.setChecked(True)
    assert not page.corner.isHidden()
    page.serve_button.click()  # no server, no code
    assert page.corner.isHidden()


def test_during_a_round_each_station_compares_arrivals_with_the_schedule(qtbot, window, ctx, demo_academy):
    from stations.grouping.service import ensure_demo_grouping
    academy_id = demo_academy.id
    ensure_demo_grouping(ctx, academy_id, lambda text: None)
    window.open_academy(academy_id)
    page = window.page("attendance")
    first = ctx.rotation.plan(academy_id)
    starting = {pos: sum(len(g.member_ids) for g in first.groups if first.rounds[0].stations[g.index] == pos)
                for pos in (1, 2, 3)}
    # Before the start, people are expected where their group starts.
    assert [c.counts.text() for c in page.cards] == [f"Expected here: 0 of {starting[p]}"
                                                      for p in (1, 2, 3)]
    ctx.rotation.start(academy_id)
    plan = ctx.rotation.plan(academy_id)
    group = plan.groups[0]
    position = plan.rounds[0].stations[0]
    here, absent = group.member_ids[0], group.member_ids[1]
    ctx.join.record_checkin(academy_id, here, position)
    qtbot.waitUntil(lambda: (window.ticker.tick(), "Round 1:" in page.summary.text())[1], timeout=1000)
    card = page.cards[position - 1]
    names = {p.id: p.name for p in ctx.academies.participants(academy_id)}
    expected = sum(len(g.member_ids) for g in plan.groups if plan.rounds[0].stations[g.index] == position)
    assert card.counts.text() == f"Expected here: 1 of {expected}"
    assert card.here.texts() == [names[here]]
    assert names[absent] in card.missing.texts() and names[here] not in card.missing.texts()
    # Moving on: during the transition the next station expects them.
    ctx.rotation.next(academy_id)
    qtbot.waitUntil(lambda: (window.ticker.tick(), "Moving to round 2" in page.summary.text())[1],
                    timeout=1000)
    following = plan.rounds[1].stations[0]
    assert names[here] in page.cards[following - 1].missing.texts()
    assert page.cards[position - 1].here.texts() == ["Nobody yet"]


def test_a_check_in_flags_the_page_without_a_queued_event_and_the_tick_redraws(window, page, ctx,
                                                                               academy):
    """A storm of 1,000 check-ins was 1,000 queued events for the UI thread (issue 19 item 6);
    now the writer's thread only marks the page stale, and the ticker redraws it."""
    from PySide6.QtWidgets import QApplication
    page.serve_button.click()
    posted = []
    page.bridge.posted.connect(posted.append)
    QApplication.processEvents()
    posted.clear()
    page.refresh()
    assert not page._dirty
    token = ctx.join.links(academy.id)[0].token
    phone = Phone(ctx.join.bound.base_url, cookies=True)
    assert phone.check_in(token, phone.key_for(token, "Zoë Adams")).status == 200
    assert page._dirty                      # marked on the writer's thread, before the answer
    QApplication.processEvents()
    assert posted == []
    window.ticker.tick()
    assert any(text.startswith("Zoë Adams") for text in page.cards[0].here.texts())
    assert not page._dirty


def test_reflections_have_a_counted_tab_with_room_for_their_authors(qtbot, window, page, ctx,
                                                                    academy, people):
    """The reflections are a tab beside the check-ins (Alt+T); its title counts them as they
    arrive, and the author column fits a name (it showed "Ah… Has…")."""
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    assert page.tabs.tabText(1) == "Reflec&tions"
    ctx.join.record_checkin(academy.id, people[1], 2)
    ctx.join.record_reflection(academy.id, people[1], 2, "Being taught where I am felt calm.")
    qtbot.waitUntil(lambda: page.tabs.tabText(1) == "Reflec&tions (1)", timeout=1000)
    qtbot.keyClick(page, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert page.tabs.currentWidget() is page.reflections
    table = page.reflections.table
    width = table.fontMetrics().horizontalAdvance("Mark Obi")
    assert table.horizontalHeader().sectionSize(1) >= width + 8
    qtbot.keyClick(page, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)   # back to the check-ins
    assert page.tabs.currentIndex() == 0


def test_letting_phones_in_never_waits_under_a_wait_cursor_and_a_refusal_is_said_once(
        page, ctx, monkeypatch):
    """The window's server starts a process of its own in the background (test_join_start.py):
    no wait cursor, whether the start worked or was refused; a refusal is said once."""
    from PySide6.QtGui import QGuiApplication

    from stations.join.serving import Launch
    from workshop.net import ServerError
    page.serve_button.click()
    assert ctx.join.running and QGuiApplication.overrideCursor() is None
    page.serve_button.click()

    def refused(self):
        raise ServerError("Cannot listen on 0.0.0.0:8765: Address in use.")
    monkeypatch.setattr(Launch, "run", refused)
    dialogs = FakeDialogs().install(monkeypatch)
    page.serve_button.click()
    assert not ctx.join.running and QGuiApplication.overrideCursor() is None
    # Once: the switch and its Ctrl+J action both stay off (they used to tick each other on
    # again, and the refusal came back until the stack ran out).
    assert dialogs.questions("error") == ["Cannot listen on 0.0.0.0:8765: Address in use."]
    assert not page.serve_button.isChecked() and not page.serve_action.isChecked()
