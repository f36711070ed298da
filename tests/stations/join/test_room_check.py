"""The room check on the Attendance page (issue 19 item 4): phones connected now, and when each
phone last spoke to the laptop."""
from __future__ import annotations

import socket

import pytest

from stations.join.identity.guard import Client
from stations.join.roomcheck import Heard, PhoneSeen, RoomCheck
from tests.fakes import FakeClock
from tests.stations.join.phone import Phone
from workshop.academy.model import Participant

pytestmark = pytest.mark.pages("attendance")


def test_heard_keeps_the_latest_phones_newest_first():
    clock = FakeClock()
    heard = Heard(clock.monotonic, keep=3)
    for i in range(5):
        heard.note(Client.of(None, f"10.0.0.{i}"))
        clock.advance(1)
    heard.note(Client.of(None, "10.0.0.2"))  # spoke again: first, and counted once
    assert [c.address for c, _ in heard.recent()] == ["10.0.0.2", "10.0.0.4", "10.0.0.3"]


def test_the_room_check_line_counts_and_names_the_latest_phones():
    assert RoomCheck(0, ()).text() == ("Room check: 0 phones connected now. "
                                       "No phone has spoken to this laptop yet.")
    phones = tuple(PhoneSeen(f"P{i}", s) for i, s in enumerate([0.4, 5, 150, 7, 8, 9, 10, 11]))
    assert RoomCheck(1, phones).text() == (
        "Room check: 1 phone connected now. Last heard: P0 just now, P1 5 s ago, P2 2 min ago, "
        "P3 7 s ago, P4 8 s ago, P5 9 s ago, and 2 more.")


def test_the_attendance_page_shows_who_is_connected_and_when_each_phone_spoke(
        window, ctx, clock, academy):
    ctx.academies.add_participant(academy.id, Participant("Zoë Adams"))
    window.open_academy(academy.id)
    window.show_page("attendance")
    page = window.page("attendance")
    try:
        window.ticker.tick()
        assert page.room_check.isHidden()  # phones cannot join: nothing to check
        page.serve_button.click()
        token = ctx.join.links(academy.id)[0].token
        zoe = Phone(ctx.join.bound.base_url, source="127.0.0.2", cookies=True)
        key = zoe.key_for(token, "Zoë Adams")
        zoe.check_in(token, key)
        stream = socket.create_connection((zoe.host, zoe.port), source_address=("127.0.0.2", 0))
        cookie = "; ".join(f"{k}={v}" for k, v in zoe.cookies.items())
        stream.sendall(f"GET /api/v1/s/{token}/live?key={key} HTTP/1.1\r\nHost: x\r\n"
                       f"Cookie: {cookie}\r\n\r\n".encode())
        assert stream.recv(100).startswith(b"HTTP/1.1 200")
        clock.advance(30)
        Phone(ctx.join.bound.base_url, source="127.0.0.3").get(f"/s/{token}")
        clock.advance(5)
        window.ticker.tick()
        assert not page.room_check.isHidden()
        assert page.room_check.text() == ("Room check: 1 phone connected now. Last heard: "
                                          "a phone not checked in 5 s ago, Zoë Adams 35 s ago.")
        stream.close()
    finally:
        ctx.join.stop_server()
