"""Relaunching: the facilitator's file holds only what they made (the demo has a scratch file
of its own, issue 13 item 14), and a relaunch after a crash lands where they were: the last
academy, its running rotation offered, phones let in again (item 10)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.fakes import FakeDialogs
from tests.stations.join.phone import Phone
from workshop.academy.demo import DEMO_TITLE
from workshop.academy.model import Participant
from tests.paths import ROOT
from workshop.app import start_window


@pytest.fixture
def launch(config, clock, tmp_path, qtbot):
    """``launch(demo=False)``: one start of the app on the same data and session files, as
    ``workshop`` would; every context is closed at the end (a crash is: never closed before)."""
    from dataclasses import replace
    config = replace(config, session_path=tmp_path / "config" / "session.json")
    started = []

    def start(demo: bool = False):
        ctx, window = start_window(config, demo=demo, clock=clock)
        qtbot.addWidget(window)
        started.append(ctx)
        return ctx, window
    start.config = config
    yield start
    for ctx in started:
        ctx.close()


def built(window) -> list[str]:
    return [key for key in window.page_keys() if window.is_built(key)]


def titles(ctx) -> list[str]:
    return [a.title for a in ctx.academies.list()]


def click(button) -> None:
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_plain_launch_adds_no_demo_to_a_fresh_file(launch):
    ctx, window = launch()
    assert titles(ctx) == []
    for table in ("academies", "participants", "prototypes", "initiative_maps", "groupings"):
        assert ctx.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    assert window.academy_id is None and window.windowTitle() == "Design Academy Studio"


def test_the_start_reads_each_academys_timer_without_planning_its_rotation(launch):
    """Whether a rotation is running is the timer's state: an academy not started is not
    planned (its stations, saved groups) before the first frame (issue 20)."""
    ctx, _ = launch()
    academy = ctx.academies.create("Spring Academy")
    ctx.academies.add_participant(academy.id, Participant(name="Ada", school="Lincoln"))
    ctx.close()
    ctx, window = launch()
    assert window.academy_id == academy.id and window.current_page_key() == "academies"
    assert not ctx.is_built("grouping")


def test_deleting_an_academy_lasts_across_relaunches(launch, monkeypatch):
    FakeDialogs(confirm=True).install(monkeypatch)
    ctx, window = launch()
    ctx.academies.create(DEMO_TITLE)   # an older version left the demo in the user's file
    mine = ctx.academies.create("Spring Academy")
    page = window.page("academies")
    page.refresh()
    window.show_page("academies")
    page.list.setCurrentRow(titles(ctx).index(DEMO_TITLE))
    click(page.delete_button)
    assert titles(ctx) == ["Spring Academy"]
    ctx.close()
    ctx, window = launch()
    assert titles(ctx) == ["Spring Academy"] and window.academy_id == mine.id


def test_demo_opens_its_own_scratch_file_and_leaves_the_users_alone(launch):
    ctx, window = launch()
    ctx.academies.create("Spring Academy")
    ctx.close()
    demo, window = launch(demo=True)
    assert demo.config.db_path == launch.config.demo_db_path != launch.config.db_path
    assert titles(demo) == [DEMO_TITLE] and window.current_page_key() == "roster"
    assert built(window) == ["roster"]      # the first frame builds the page it shows only
    assert len(demo.academies.participants(window.academy_id)) == 36
    demo.academies.create("Scribbles in the demo")
    demo.close()
    again, _ = launch(demo=True)          # rebuilt each time
    assert titles(again) == [DEMO_TITLE]
    again.close()
    mine, window = launch()
    assert titles(mine) == ["Spring Academy"]


def test_a_relaunch_after_a_crash_reopens_the_academy_its_rotation_and_phones(launch, clock,
                                                                              qtbot):
    ctx, window = launch()
    a = ctx.academies.create("Autumn Academy")
    b = ctx.academies.create("Spring Academy")
    ctx.academies.add_participant(b.id, Participant("Ann Spring"))
    page = window.page("academies")
    page.refresh()
    window.show_page("academies")
    page.list.setCurrentRow(titles(ctx).index("Spring Academy"))
    click(page.open_button)
    assert window.academy_id == b.id != a.id
    window.show_page("rotation")
    window.page("rotation").start()
    window.show_page("attendance")
    click(window.page("attendance").serve_button)
    assert ctx.join.running
    token = ctx.join.links(b.id)[0].token
    phone = Phone(ctx.join.bound.base_url, source="127.0.0.2", cookies=True)
    assert phone.check_in(token, phone.key_for(token, "Ann Spring")).status == 200
    clock.advance(120)
    # The crash: the window and its context are dropped with no clean stop (nothing closed,
    # the server never stopped); the next launch opens the same files.
    relaunched, window2 = launch()
    assert window2.academy_id == b.id
    assert window2.current_page_key() == "rotation"
    rotation = window2.page("rotation")
    assert not rotation.resume_banner.isHidden()   # "Rotation found running": carry on?
    # Phones are let in again once the first frame is on screen, not before (issue 19).
    assert not relaunched.is_built("join") and not window2.is_built("attendance")
    window2.show()
    qtbot.waitUntil(lambda: relaunched.is_built("join") and relaunched.join.running)
    assert window2.page("attendance").serve_button.isChecked()
    phone2 = Phone(relaunched.join.bound.base_url, source="127.0.0.3", cookies=True)
    assert phone2.get(f"/s/{token}").status == 200
    assert [c.participant_name for c in relaunched.join.checkins(b.id)] == ["Ann Spring"]


def test_phones_let_in_again_are_remembered_until_their_start_fails(launch, qtbot, monkeypatch):
    """The relaunch lets phones in after its first frame: meanwhile the session still says
    they were let in (a second crash keeps them on); a start that fails forgets it."""
    from stations.join.serving import Launch
    from workshop.net import ServerError
    from workshop.session import Session
    ctx, window = launch()
    b = ctx.academies.create("Spring Academy")
    window.open_academy(b.id)
    click(window.page("attendance").serve_button)
    assert ctx.join.running

    def refused(self):
        raise ServerError("Cannot listen on 0.0.0.0:8765: Address in use.")
    monkeypatch.setattr(Launch, "run", refused)
    dialogs = FakeDialogs().install(monkeypatch)
    again, window2 = launch()   # the crash: the first context was never closed
    session = Session(launch.config.session_path, launch.config.db_path)
    assert session.recall().joining and not again.is_built("join")
    window2.show()
    qtbot.waitUntil(lambda: dialogs.questions("error") != [])
    assert dialogs.questions("error") == ["Cannot listen on 0.0.0.0:8765: Address in use."]
    assert not again.join.running and not session.recall().joining


def test_a_clean_quit_with_phones_off_relaunches_with_phones_off(launch):
    ctx, window = launch()
    b = ctx.academies.create("Spring Academy")
    window.open_academy(b.id)
    click(window.page("attendance").serve_button)
    assert ctx.join.running
    window.page("attendance").serve_button.setChecked(False)   # the facilitator stops phones
    window.forget_session()
    ctx.close()
    again, window = launch()
    assert window.academy_id == b.id and not again.join.running
    assert window.current_page_key() != "rotation"    # nothing running to offer


def test_with_nothing_remembered_the_academy_whose_rotation_runs_is_opened(launch, clock):
    ctx, window = launch()
    ctx.academies.create("Autumn Academy")
    b = ctx.academies.create("Spring Academy")
    ctx.rotation.start(b.id)
    launch.config.session_path.unlink()      # written by an older version, or lost
    again, window = launch()
    assert window.academy_id == b.id and window.current_page_key() == "rotation"
    assert built(window) == ["rotation"]    # not the academy list first (issue 20)


CRASHING_DAY = """
import os, signal
from PySide6.QtWidgets import QApplication
app = QApplication([])
from tests.paths import ROOT
from workshop.app import start_window
from workshop.config import AppConfig
ctx, window = start_window(AppConfig.from_env())
ctx.academies.create("Autumn Academy")
b = ctx.academies.create("Spring Academy")
window.open_academy(b.id)
window.page("rotation").start()
page = window.page("attendance")
page.serve_button.click()   # the server's process starts in the background
from PySide6.QtCore import QEventLoop, QTimer
loop = QEventLoop()
page.server_toggled.connect(loop.quit)
QTimer.singleShot(60_000, loop.quit)
loop.exec()
assert ctx.join.running
os.kill(os.getpid(), signal.SIGKILL)   # the crash: nothing closed, nothing stopped
"""


@pytest.mark.slow
def test_a_killed_app_relaunches_on_its_academy_rotation_and_phones(tmp_path, qtbot):
    import os
    import subprocess
    import sys
    from workshop.config import AppConfig
    env = {**os.environ, "WORKSHOP_DB": str(tmp_path / "academy.sqlite"),
           "WORKSHOP_SESSION": str(tmp_path / "config" / "session.json"),
           "WORKSHOP_HOST": "127.0.0.1", "WORKSHOP_PORT": "0", "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH"))
                                         if p)}
    result = subprocess.run([sys.executable, "-c", CRASHING_DAY], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == -9, result.stderr
    ctx, window = start_window(AppConfig.from_env(environ=env))
    qtbot.addWidget(window)
    try:
        assert ctx.academies.get(window.academy_id).title == "Spring Academy"
        assert window.current_page_key() == "rotation"
        assert not window.page("rotation").resume_banner.isHidden()
        window.show()   # phones are let in again once the first frame is on screen
        qtbot.waitUntil(lambda: ctx.is_built("join") and ctx.join.running, timeout=60_000)
    finally:
        ctx.close()
