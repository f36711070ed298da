"""The window serves phones from a child process of its own (issue 19 item 6): it imports no
Qt, its events reach the window, its death is noticed and said, and the window is what chooses
it (``workshop serve`` and a fake clock keep the server on a thread)."""
from __future__ import annotations

import os
import signal
import threading

import pytest

from stations.join.model import JoinEvent
from tests.fakes import FakeDialogs
from tests.stations.join.phone import Phone
from tests.workshop.net.hosted import WAIT_S, wait_until
from workshop.academy.model import Participant
from workshop.clock import SystemClock
from workshop.net.process import MODULES

pytestmark = pytest.mark.pages("attendance")


@pytest.fixture
def isolated(ctx, academy, events):
    ctx.academies.add_participant(academy.id, Participant("Zoë Adams"))
    ctx.join.isolate = True
    bound = ctx.join.start_server(host="127.0.0.1", port=0)
    yield bound
    ctx.join.stop_server()


def test_the_server_process_imports_the_server_and_no_qt(ctx, isolated):
    assert ctx.join._server.process.pid != os.getpid()
    loaded = set(ctx.join._server.process.ask(MODULES))
    assert {"aiohttp", "stations.join.routes", "stations.join.serving"} <= loaded
    heavy = {"PySide6", "shiboken6", "reportlab", "pypdf", "networkx", "numpy", "workshop.ui",
             "stations.ui"}
    assert not {name for name in loaded if name in heavy or name.split(".")[0] in heavy
                or name.startswith(("workshop.ui.", "stations.ui."))}


def test_a_check_in_in_the_process_reaches_the_window_and_the_room_check(ctx, academy, isolated,
                                                                       events):
    token = ctx.join.links(academy.id)[0].token
    phone = Phone(isolated.base_url, source="127.0.0.2", cookies=True)
    assert phone.check_in(token, phone.key_for(token, "Zoë Adams")).status == 200
    pid = ctx.academies.participants(academy.id)[0].id
    assert wait_until(lambda: JoinEvent("checked_in", academy.id, pid, 1, 0) in events)
    # The room check asks the process and shows its last answer: the window never waits.
    assert wait_until(lambda: "Zoë Adams just now" in ctx.join.room_check(academy.id).text())


def test_the_room_check_asks_the_process_once_a_second_however_often_the_window_ticks(
        ctx, academy, isolated, clock, monkeypatch):
    """The window's ticker asks for the room check ten times a second; each ask woke three of
    the server's threads (issue 19 item 6): the process is asked once every ROOM_ASK_S."""
    from stations.join.serving import ROOM_ASK_S
    told = []
    monkeypatch.setattr(ctx.join._server.process, "tell", told.append)
    for _ in range(10):
        ctx.join.room_check(academy.id)
    assert told == [("room", academy.id)]
    clock.advance(ROOM_ASK_S / 2)
    ctx.join.room_check(academy.id)
    assert len(told) == 1
    clock.advance(ROOM_ASK_S / 2)
    ctx.join.room_check(academy.id)
    assert told == [("room", academy.id)] * 2


def test_a_server_process_that_dies_is_noticed_and_phones_are_let_in_again(ctx, academy,
                                                                           isolated, events):
    os.kill(ctx.join._server.process.pid, signal.SIGKILL)
    assert wait_until(lambda: JoinEvent("server_lost") in events)
    assert not ctx.join.running and ctx.join.bound is None
    assert ctx.join.room_check(academy.id) is None
    bound = ctx.join.start_server(host="127.0.0.1", port=0)
    assert ctx.join.running and events[-1] == JoinEvent("server_started")
    assert Phone(bound.base_url).get(f"/s/{ctx.join.links(academy.id)[0].token}").status == 200


def test_the_attendance_page_says_phones_can_no_longer_join_when_the_process_dies(
        window, ctx, academy, qtbot, monkeypatch):
    FakeDialogs().install(monkeypatch)
    ctx.join.isolate = True
    window.open_academy(academy.id)
    window.show_page("attendance")
    page = window.page("attendance")
    said: list[str] = []
    page.notified.connect(said.append)
    try:
        page.serve_button.click()   # the process starts in the background
        qtbot.waitUntil(lambda: ctx.join.running, timeout=int(WAIT_S * 1000))
        assert page.serve_button.isChecked()
        os.kill(ctx.join._server.process.pid, signal.SIGKILL)

        def told() -> bool:
            window.ticker.tick()
            return not page.serve_button.isChecked() and any(
                s.startswith("Phones can no longer join: the join server stopped by itself")
                for s in said)
        qtbot.waitUntil(told, timeout=int(WAIT_S * 1000))
        assert page.serve_button.text() == "Let phones join"
        page.serve_button.click()   # let in again
        qtbot.waitUntil(lambda: ctx.join.running, timeout=int(WAIT_S * 1000))
        assert page.serve_button.isChecked()
    finally:
        ctx.join.stop_server()


@pytest.mark.parametrize("system, isolate", [(True, True), (False, False)],
                         ids=["system clock", "fake clock"])
def test_the_window_serves_from_a_process_on_the_system_clock_only(config, clock, system,
                                                                  isolate, qtbot):
    from workshop.app import start_window
    ctx, window = start_window(config, clock=SystemClock() if system else clock)
    qtbot.addWidget(window)
    try:
        assert ctx.join.isolate is isolate
    finally:
        ctx.close()


def test_workshop_serve_keeps_the_server_on_a_thread(ctx, academy):
    from argparse import Namespace

    from stations.join.cli import cmd_serve
    stop, modes = threading.Event(), []
    ctx.close = lambda: None
    ctx.join.add_listener(lambda e: e.kind == "server_started" and (
        modes.append(type(ctx.join._server).__name__), stop.set()))
    args = Namespace(academy=academy.title, host="127.0.0.1", port=0)
    assert cmd_serve(args, lambda: ctx, stop) == 0
    assert modes == ["InThread"]
