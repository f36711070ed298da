"""Letting phones in never freezes the window (issue 19, a real room): the join server's process
starts off the UI thread, which keeps ticking and answering meanwhile; the Attendance page says
that it is starting, starts no second one, shows the addresses once phones can join, or the
reason it could not start; and stopping, closing or switching academy meanwhile leaves nothing
running. The child's start is held up by ``tests.stations.join.gated`` until the test says go."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from stations.network.service import STARTING_SIGNS
from stations.ui.join.switch import STARTING
from tests.fakes import FakeDialogs
from tests.stations.join import gated
from tests.stations.join.phone import Phone
from tests.workshop.net.hosted import WAIT_S
from tests.workshop.net.test_process import gone
from workshop.academy.model import Participant

pytestmark = pytest.mark.pages("rotation", "attendance")
WAIT_MS = int(WAIT_S * 1000)   # a loaded machine; nothing here is a timing goal


@pytest.fixture
def page(window, ctx, academy, monkeypatch):
    """The Attendance page of a window that serves phones from a process, as the app's does,
    whose child waits for ``gated.open_gate``."""
    from stations.join import serving
    ctx.academies.add_participant(academy.id, Participant("Zoë Adams"))
    ctx.join.isolate = True
    monkeypatch.setattr(serving, "host", gated.gated)   # the child imports it by name
    window.open_academy(academy.id)
    window.show_page("attendance")
    page = window.page("attendance")
    yield page
    ctx.join.stop_server()


def child_pid(ctx, qtbot) -> int:
    """The starting server's child, once spawned (it waits at the gate)."""
    qtbot.waitUntil(lambda: ctx.join._launch is not None
                    and ctx.join._launch.server.process.pid is not None, timeout=WAIT_MS)
    return ctx.join._launch.server.process.pid


def test_the_window_ticks_on_while_the_server_starts_then_shows_where_phones_join(
        page, window, ctx, academy, config, qtbot):
    said: list[str] = []
    page.notified.connect(said.append)
    ticks: list[int] = []
    window.ticker.ticked.connect(lambda: ticks.append(1))
    window.ticker.start()   # the projector's countdown repaints on it
    try:
        click_and_watch(page, window, ctx, academy, config, qtbot, ticks, said)
    finally:
        window.ticker.stop()


def click_and_watch(page, window, ctx, academy, config, qtbot, ticks, said) -> None:
    qtbot.mouseClick(page.serve_button, Qt.MouseButton.LeftButton)
    assert ctx.join.starting and not ctx.join.running      # the click came back at once
    assert page.serve_button.isChecked() and page.serve_button.text() == "Starting…"
    assert page.server_note.text() == STARTING
    pid = child_pid(ctx, qtbot)
    qtbot.waitUntil(lambda: len(ticks) >= 3, timeout=WAIT_MS)   # the UI thread is free
    # Ctrl+J and the switch's keys start no second server; what reads the server waits.
    qtbot.keyClick(window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(page.serve_button, Qt.Key.Key_Space)
    assert ctx.join.starting and ctx.join._launch.server.process.pid == pid
    assert page.serve_action.isChecked() and page.serve_action.text() == "Starting…"
    assert ctx.join.room_check(academy.id) is None
    assert ctx.join.network.signs_address().warning == STARTING_SIGNS
    assert ctx.join.links(academy.id)[0].url.startswith(ctx.join.base_url())
    gated.open_gate(config.db_path)
    qtbot.waitUntil(lambda: ctx.join.running, timeout=WAIT_MS)
    bound = ctx.join.bound
    assert ctx.join._server.process.pid == pid and not ctx.join.starting
    assert page.serve_button.text() == "Stop phones joining"
    assert page.server_note.text() == bound.note and said == [bound.note]
    assert ctx.join.network.signs_address().warning != STARTING_SIGNS
    link = ctx.join.links(academy.id)[0]
    assert page.cards[0].qr.text() == link.url and link.url.startswith(bound.base_url)
    assert Phone(bound.base_url).get(f"/s/{link.token}").status == 200


def test_a_start_that_fails_says_why_in_one_line_and_the_switch_is_off(page, ctx, config,
                                                                       qtbot, monkeypatch):
    dialogs = FakeDialogs().install(monkeypatch)
    page.serve_button.click()
    pid = child_pid(ctx, qtbot)
    gated.open_gate(config.db_path, "fail")
    qtbot.waitUntil(lambda: not ctx.join.starting, timeout=WAIT_MS)
    assert dialogs.questions("error") == [f"The join server did not start: {gated.FAILED}"]
    assert not ctx.join.running and gone(pid)
    assert not page.serve_button.isChecked() and not page.serve_action.isChecked()
    assert page.serve_button.text() == "Let phones join"
    assert page.server_note.text().startswith("Phones cannot join yet.")


@pytest.mark.parametrize("how", ["the switch", "closing the window", "another academy"])
def test_stopping_while_it_starts_leaves_nothing_running(page, window, ctx, academy, config,
                                                         qtbot, monkeypatch, how):
    dialogs = FakeDialogs().install(monkeypatch)
    other = ctx.academies.create("Spring Academy")
    page.serve_button.click()
    pid, launch = child_pid(ctx, qtbot), ctx.join._launch
    said: list[str] = []
    page.notified.connect(said.append)
    if how == "the switch":   # a click on "Starting…" stops the start
        qtbot.mouseClick(page.serve_button, Qt.MouseButton.LeftButton)
        assert page.serve_button.text() == "Let phones join"
        assert said == ["Phones were not let in: the join server was stopped as it started."]
    elif how == "closing the window":
        window.close()
        ctx.join.stop_server()   # as AppContext.close does after the window's last loop
    else:   # the page follows, and the server keeps starting: then it is stopped
        window.open_academy(other.id)
        assert ctx.join.starting and page.academy_id == other.id
        assert page.server_note.text() == STARTING
        ctx.join.stop_server()
    assert not ctx.join.starting and not ctx.join.running
    assert gone(pid)   # ended and reaped before stop_server returned: no orphan child
    gated.open_gate(config.db_path)   # too late: nothing comes back to life
    launch.thread.join(WAIT_S)        # the start's thread has said its last word
    QApplication.processEvents()      # and it reached the UI thread
    assert not launch.thread.is_alive() and dialogs.questions("error") == []   # nor a "failure"
    assert not ctx.join.running and not page.serve_button.isChecked()
    # The port and the switch are free again: phones are let in as new.
    page.serve_button.click()
    qtbot.waitUntil(lambda: ctx.join.running, timeout=WAIT_MS)
    assert ctx.join._server.process.pid != pid


def test_a_double_click_faster_than_the_start_thread_leaves_no_server(page, ctx, config, qtbot,
                                                                      monkeypatch):
    """A double-click on a laptop whose cores are busy: the second click (the stop) lands
    before the start's thread has spawned the child. The child was spawned all the same and
    listened, orphaned, while the switch said "Let phones join" (the next start took another
    port)."""
    from stations.join.serving import InProcess
    dialogs = FakeDialogs().install(monkeypatch)
    entered, go, real = threading.Event(), threading.Event(), InProcess.start

    def late(self, host, port):   # the start's thread, held up before it reaches the process
        entered.set()
        go.wait(WAIT_S)
        return real(self, host, port)
    monkeypatch.setattr(InProcess, "start", late)
    page.serve_button.click()
    launch = ctx.join._launch
    assert entered.wait(WAIT_S)
    page.serve_button.click()
    assert not ctx.join.starting and page.serve_button.text() == "Let phones join"
    gated.open_gate(config.db_path)
    go.set()
    launch.thread.join(WAIT_S)
    QApplication.processEvents()
    assert not launch.thread.is_alive()
    assert not launch.server.running and launch.server.process.pid is None   # nothing left
    assert not ctx.join.running and not page.serve_button.isChecked()
    assert dialogs.questions("error") == []


def test_a_server_that_dies_as_it_becomes_ready_is_not_announced(page, ctx, config, qtbot,
                                                                 monkeypatch):
    """kill -9 of the server's child right as it listens: the window heard that it ended
    before the start's own end reached the UI thread, then said "Phones join at …" in the
    status bar while no phone could (the switch was right: "Let phones join")."""
    import os
    import signal
    from stations.ui.join.attendance_page import LOST
    said: list[str] = []
    page.notified.connect(said.append)
    held: list = []
    post = page.starter._hop.post
    page.starter._hop.post = held.append   # the start's end, held back until the child is gone
    page.serve_button.click()
    pid, launch = child_pid(ctx, qtbot), ctx.join._launch
    gated.open_gate(config.db_path)
    launch.thread.join(WAIT_S)
    assert held and launch.server.process.bound is not None   # it listened
    os.kill(pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: not launch.server.running, timeout=WAIT_MS)
    QApplication.processEvents()   # "it stopped by itself" reaches the page first
    post(held[0])
    QApplication.processEvents()
    assert not ctx.join.running and page.serve_button.text() == "Let phones join"
    assert said and said[-1] == LOST and not any(s.startswith("Phones join at") for s in said)


def test_a_click_on_the_rotation_pages_starting_button_calls_the_start_off(page, window, ctx,
                                                                           config, qtbot):
    """On the Rotation page (the projector up), the join button reads "Starting…": a click on
    it called nothing off, as the docs say it does (only Ctrl+J and the menu leave it starting,
    so that a key pressed twice does not undo the first)."""
    window.show_page("rotation")
    window.show()
    qtbot.waitExposed(window)
    button = window.page("rotation").buttons["join"]
    width = button.width()

    def laid_out() -> int:
        QApplication.processEvents()   # the layout's pass after the label changed
        return button.width()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    pid = child_pid(ctx, qtbot)
    assert button.text() == "Starting…" and button.isChecked()   # (Qt's icon text drops "…")
    assert laid_out() == width   # one width for its three labels: the row stays put
    qtbot.keyClick(window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert ctx.join.starting   # Ctrl+J or a key on the button while it starts: nothing
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not ctx.join.starting and not ctx.join.running and gone(pid)
    assert button.text() == "Let phones join" and not button.isChecked()
    assert not page.serve_button.isChecked()
    page.serve_button.click()
    gated.open_gate(config.db_path)
    qtbot.waitUntil(lambda: ctx.join.running, timeout=WAIT_MS)
    assert button.text() == "Stop phones joining" and laid_out() == width


LET_IN = """
import json, os, sys, time
from PySide6.QtWidgets import QApplication
from workshop.app import start_window
from workshop.config import AppConfig
app = QApplication(sys.argv[:1])
ctx, window = start_window(AppConfig.from_env(db=sys.argv[1], host="127.0.0.1", port=0))
window.open_academy(ctx.academies.create("Spring Academy").id)
window.show_page("attendance")
window.page("attendance").serve_button.click()
deadline = time.monotonic() + 60
while not ctx.join.running and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.01)
assert ctx.join.running and ctx.join.isolate
print("MODULES " + json.dumps(sorted(sys.modules)))
sys.stdout.flush()
ctx.close()
os._exit(0)
"""


def test_letting_phones_in_loads_no_aiohttp_in_the_window(tmp_path):
    """The child serves: the window reads where it listens (``workshop.net.listening``) and
    never imports aiohttp, which cost its UI thread a fifth of a second on the first click."""
    from tests.workshop.test_startup_modules import modules_of
    loaded = modules_of(LET_IN, str(tmp_path / "academy.sqlite"), tmp_path=tmp_path)
    assert "workshop.net.process" in loaded
    assert {"aiohttp", "stations.join.routes", "workshop.net.server"} & loaded == set()
