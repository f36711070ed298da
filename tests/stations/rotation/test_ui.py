"""The rotation page and projector, driven by keys as a facilitator would (pytest-qt)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage

from tests import paths
from tests.fakes import FakeDialogs
from stations.setup.palette import (BACKGROUND, MIN_CONTRAST, PAUSED, STATION_COLOURS, TEXT, TEXT_SOFT,
                              WARNING, contrast_ratio)
from stations.rotation.wording import parse_clock
from stations.ui.rotation.projector import ProjectorWindow

pytestmark = pytest.mark.pages("rotation")  # the window holds only what these tests drive


class SilentChimes:
    available = True

    def __init__(self):
        self.played = []

    def describe(self):
        return "test chimes"

    def play(self, name, volume=0.7):
        self.played.append((name, volume))
        return True


@pytest.fixture
def answers(monkeypatch):
    """The dialog seam: every confirm says yes unless a test queues another answer."""
    return FakeDialogs(confirm=True).install(monkeypatch)


@pytest.fixture
def page(window, qtbot, academy, answers):
    window.open_academy(academy.id)
    window.show_page("rotation")
    page = window.page("rotation")
    page.chimes = SilentChimes()
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    return page


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(window, key, modifier)
    window.ticker.tick()


def test_space_pauses_and_resumes_on_page_and_projector(page, window, qtbot, clock, ctx, academy):
    page.start()
    clock.advance(60)
    press(qtbot, window, Qt.Key.Key_Space)
    assert ctx.rotation.snapshot(academy.id).paused
    assert "Paused" in page.phase_label.text() and page.digits.text() == "14:00"
    assert "Paused" in page.projector.texts() and "14:00" in page.projector.texts()
    clock.advance(300)                       # paused: nothing moves
    press(qtbot, window, Qt.Key.Key_Space)
    assert page.digits.text() == "14:00" and "Paused" not in page.projector.texts()
    clock.advance(1)
    window.ticker.tick()
    assert page.digits.text() == "13:59"


def test_n_moves_on_and_the_projector_says_where_groups_go(page, window, qtbot, ctx, academy):
    page.start()
    press(qtbot, window, Qt.Key.Key_N)
    snap = ctx.rotation.snapshot(academy.id)
    assert snap.phase == "transition"
    texts = page.projector.texts()
    assert "Move to your next station and scan again" in texts
    assert "Move here:\nGroup C\nGroup F" in texts            # station 1 receives C and F
    assert page.grid.current_cells() == []                    # between rounds
    press(qtbot, window, Qt.Key.Key_N)
    assert "Round 2 of 3" in page.projector.texts()
    assert page.grid.current_cells() == [(1, 0), (1, 1), (1, 2)]


def test_plus_and_minus_change_the_minute(page, window, qtbot):
    page.start()
    press(qtbot, window, Qt.Key.Key_Plus)
    assert page.digits.text() == "16:00" and "16:00" in page.projector.texts()
    press(qtbot, window, Qt.Key.Key_Minus)
    press(qtbot, window, Qt.Key.Key_Minus)
    assert page.digits.text() == "14:00" and "14:00" in page.projector.texts()


def test_end_and_restart_ask_first(page, ctx, academy, clock, answers):
    page.start()
    clock.advance(100)
    answers.queue("confirm", False, False)
    page.restart_round()
    page.end()
    assert ctx.rotation.snapshot(academy.id).remaining_s == 800
    assert answers.queued["confirm"] == []           # both asked, both refused
    page.restart_round()
    assert ctx.rotation.snapshot(academy.id).remaining_s == 900
    page.end()
    assert ctx.rotation.snapshot(academy.id).phase == "finished"
    assert "Rotation finished" in page.projector.texts()


def test_warning_and_round_end_chime_and_flash(page, window, clock):
    page.start()
    clock.advance(780)
    window.ticker.tick()
    assert page.chimes.played == []  # the cue is queued: the event loop delivers it
    from PySide6.QtWidgets import QApplication
    QApplication.processEvents()             # queued: let the event loop deliver the cue
    assert page.chimes.played == [("warning", 0.7)]
    assert page.projector.flashing() == WARNING and page.cue_banner.isVisible()
    assert page.cue_banner.label.text() == "Warning: 2 min left in this round"
    clock.advance(120)
    window.ticker.tick()
    QApplication.processEvents()
    assert [name for name, _ in page.chimes.played] == ["warning", "end"]
    assert page.projector.flashing() == TEXT                  # the end's flash replaced it
    assert page.cue_banner.label.text() == "Time is up: the room moves on"


def test_muted_means_no_chime_but_still_a_flash(page, window, clock):
    page.mute.setChecked(True)
    page.start()
    clock.advance(900)
    window.ticker.tick()
    from PySide6.QtWidgets import QApplication
    QApplication.processEvents()
    assert page.chimes.played == [] and page.projector.flashing() == TEXT


def test_set_time_takes_minutes_or_mm_ss(page, ctx, academy, answers):
    page.start()
    answers.queue("ask_text", "7:30")
    page.set_time()
    assert ctx.rotation.snapshot(academy.id).remaining_s == 450
    assert parse_clock("12") == 720 and parse_clock("1:02:03") == 3723


def test_set_up_changes_are_saved_and_shown(page, ctx, academy):
    page.setup.groups.setValue(4)
    assert ctx.rotation.settings(academy.id).groups == 4
    assert page.paths.rowCount() == 4 and page.grid.item(0, 0).text() == "Group A\nGroup D"


def test_resume_offer_after_a_restart(qtbot, ctx, academy, clock):
    ctx.rotation.start(academy.id)
    clock.advance(120)
    from workshop.app import build_window
    window = build_window(ctx)           # a new window, as when the app starts again
    qtbot.addWidget(window)
    window.open_academy(academy.id)
    page = window.page("rotation")
    assert not page.resume_banner.isHidden()
    assert "13:00 left" in page.resume_banner.label.text()
    assert page.resume_timer.isHidden()              # it is running: nothing to resume


def test_resume_offer_for_a_paused_rotation(qtbot, ctx, academy, clock):
    ctx.rotation.start(academy.id)
    clock.advance(120)
    ctx.rotation.pause(academy.id)
    clock.advance(3600)                              # closed for an hour, paused
    from workshop.app import build_window
    window = build_window(ctx)
    qtbot.addWidget(window)
    window.open_academy(academy.id)
    page = window.page("rotation")
    assert "is paused with 13:00 left" in page.resume_banner.label.text()
    page.resume_timer.click()
    snap = ctx.rotation.snapshot(academy.id)
    assert not snap.paused and snap.remaining_s == 780 and page.projector.isVisible()
    page.projector.close()


def test_forgot_to_start_nudge(page, ctx, academy, clock):
    ctx.rotation.update_settings(academy.id, planned_start=clock.now().isoformat())
    page.refresh()
    assert page.nudge_banner.isHidden()
    clock.advance(420)
    page.refresh()
    assert not page.nudge_banner.isHidden() and "7 min ago" in page.nudge_banner.label.text()
    page.start()
    assert page.nudge_banner.isHidden()


def test_f11_and_escape_drive_the_projector(page, window, qtbot):
    press(qtbot, window, Qt.Key.Key_F11)
    assert page.projector.isVisible() and page.projector.isFullScreen()
    page.projector.activateWindow()
    qtbot.keyClick(page.projector, Qt.Key.Key_Escape)
    assert not page.projector.isFullScreen()


# -- projector ---------------------------------------------------------------------------------
def test_projector_colours_reach_seven_to_one():
    for colour in (TEXT, TEXT_SOFT, WARNING, PAUSED):
        assert contrast_ratio(colour, BACKGROUND) >= MIN_CONTRAST
        assert contrast_ratio(colour, "#1B2229") >= MIN_CONTRAST     # the cards
    assert len({c for c, _ in STATION_COLOURS}) == 6


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (3840, 2160)])
@pytest.mark.parametrize("groups", [1, 6, 12])
def test_projector_scales_without_clipping(qtbot, ctx, academy, clock, size, groups):
    ctx.rotation.update_settings(academy.id, groups=groups)
    ctx.rotation.start(academy.id)
    clock.advance(905)                                # a transition: the longest texts
    projector = ProjectorWindow(now=clock.monotonic)
    qtbot.addWidget(projector)
    projector.resize(*size)
    projector.set_snapshot(ctx.rotation.snapshot(academy.id))
    for box in projector.boxes():
        metrics = QFontMetricsF(box.font)
        used = (metrics.boundingRect(box.rect, box.flags, box.text) if box.role != "digits"
                else metrics.tightBoundingRect(box.text))
        assert used.width() <= box.rect.width() + 1 and used.height() <= box.rect.height() + 1, box.text
        assert box.rect.right() <= size[0] and box.rect.bottom() <= size[1]
    digits = next(b for b in projector.boxes() if b.role == "digits")
    assert QFontMetricsF(digits.font).tightBoundingRect("88:88").width() <= digits.rect.width()
    assert QFontMetricsF(digits.font).tightBoundingRect("0").height() >= size[1] / 4


def test_projector_leaves_a_corner_for_the_join_code(qtbot, ctx, academy):
    from PySide6.QtWidgets import QLabel
    projector = ProjectorWindow()
    qtbot.addWidget(projector)
    projector.resize(1920, 1080)
    projector.set_snapshot(ctx.rotation.snapshot(academy.id))
    qr = QLabel("QR")
    projector.set_join_corner(qr)
    corner = projector.join_corner_rect()
    assert qr.geometry() == corner and corner.height() >= 1080 * 0.25
    for box in projector.boxes():
        assert not box.rect.intersects(corner.toRectF()), box.text
    projector.set_join_corner(None)
    assert qr.parent() is None


def test_projector_paints_names_literally_and_never_emails(qtbot, ctx, academy, clock):
    from stations.setup.model import Group
    from stations.rotation.service import RotationService
    groups = [Group(0, "<b>Bold</b>", [1]), Group(1, "Owls", [2])]
    service = RotationService(ctx.rotation.repo, clock, ctx.stations, groups=lambda aid: groups)
    service.start(academy.id)
    projector = ProjectorWindow()
    qtbot.addWidget(projector)
    projector.set_snapshot(service.snapshot(academy.id))
    assert "<b>Bold</b>" in projector.texts()
    assert not any("@" in t for t in projector.texts())
    image = QImage(projector.grab().toImage())
    assert image.pixelColor(2, 2) == QColor(BACKGROUND)


def test_set_up_edits_undo_and_redo(page, ctx, academy):
    page.setup.transition.setValue(2.5)
    page.setup.groups.setValue(5)
    assert ctx.rotation.settings(academy.id).groups == 5
    page.undo_stack.undo()
    assert ctx.rotation.settings(academy.id).groups == 6 and page.setup.groups.value() == 6
    page.undo_stack.undo()
    assert ctx.rotation.settings(academy.id).transition_minutes == 1
    page.undo_stack.redo()
    assert ctx.rotation.settings(academy.id).transition_minutes == 2.5


def test_before_the_start_the_room_sees_round_one(page, window):
    window.ticker.tick()
    texts = page.projector.texts()
    assert "15:00" in texts and "Starts soon · Round 1 of 3 · Scan in at your station" in texts
    assert "Start here:\nGroup A\nGroup D" in texts and page.digits.text() == "15:00"


def test_after_the_end_set_up_edits_show_the_next_rotation(page, ctx, academy):
    page.start()
    page.end()
    assert page.paths.rowCount() == 6            # the rotation that ran
    page.setup.groups.setValue(3)
    assert page.paths.rowCount() == 3            # the one the next start will run
    page.start()
    assert ctx.rotation.snapshot(academy.id).group_names == ("Group A", "Group B", "Group C")


SCREENS = """{"synchronousWindowSystemEvents": false, "windowFrameMargins": false, "screens": [
 {"name": "laptop", "x": 0, "y": 0, "width": 1440, "height": 900, "logicalDpi": 96,
  "logicalBaseDpi": 96, "dpr": 1},
 {"name": "projector", "x": 1440, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96,
  "logicalBaseDpi": 96, "dpr": 1}]}"""


@pytest.mark.slow
def test_full_screen_goes_to_the_second_screen(tmp_path):
    """Two screens need their own QApplication: the offscreen platform reads them at start."""
    import json
    import os
    import subprocess
    import sys
    config = tmp_path / "screens.json"
    config.write_text(SCREENS)
    code = ("from PySide6.QtWidgets import QApplication\n"
            "app = QApplication([])\n"
            "from stations.ui.rotation.projector import ProjectorWindow\n"
            "w = ProjectorWindow(); w.toggle_full_screen(); app.processEvents()\n"
            "import json; print(json.dumps([w.screen().name(), w.geometry().getRect(), w.isFullScreen()]))\n")
    root = str(paths.ROOT)
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", PYTHONPATH=root)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=60, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == ["projector", [1440, 0, 1920, 1080], True]


def test_next_pressed_early_does_not_say_the_time_is_up(page, window, qtbot, clock):
    """N before the round's time is up chimes and flashes as a round's end does, but the banner
    says the room moves on, not "Time is up" (it said so after every early Next)."""
    page.start()
    clock.advance(300)                                  # five minutes into a 15-minute round
    press(qtbot, window, Qt.Key.Key_N)
    from PySide6.QtWidgets import QApplication
    QApplication.processEvents()
    assert [name for name, _ in page.chimes.played] == ["end"]
    assert page.cue_banner.label.text() == "Moving on: the room moves to the next station"
    clock.advance(60)                                   # the transition's minute runs out
    window.ticker.tick()
    QApplication.processEvents()
    assert page.phase_label.text().startswith("Round 2")


def test_with_no_academy_open_the_page_says_so_and_its_buttons_are_named(window, qtbot, ctx,
                                                                         academy):
    """Before any academy is open (and after the open one is closed) the page said nothing and
    its big buttons were blank grey boxes."""
    window.show_page("rotation")
    page = window.page("rotation")
    assert page.phase_label.text() == "No academy open"
    assert page.digits.text() == "—"
    for key, button in page.buttons.items():
        if key in ("start", "pause", "next", "end"):
            assert button.text() and not button.isEnabled(), key
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert ctx.rotation.snapshot(academy.id).phase == "ready"   # nothing to start
    window.open_academy(academy.id)
    assert page.buttons["start"].isEnabled() and page.phase_label.text() != "No academy open"
    window.open_academy(None)
    assert page.phase_label.text() == "No academy open" and not page.buttons["start"].isEnabled()


def test_the_set_up_counts_its_groups_and_its_round_length_is_not_cut(page, qtbot):
    groups = page.setup.groups
    groups.setFocus()
    groups.selectAll()
    qtbot.keyClicks(groups, "1")
    qtbot.keyClick(groups, Qt.Key.Key_Return)
    assert groups.value() == 1 and groups.text() == "1 group"
    qtbot.keyClick(groups, Qt.Key.Key_Up)
    assert groups.text() == "2 groups"
    page.window().resize(1280, 720)                   # the projector's size
    from PySide6.QtWidgets import QApplication
    QApplication.processEvents()
    same = page.setup.same
    for i in range(same.count()):   # each choice's words fit the box it is shown in
        width = same.fontMetrics().horizontalAdvance(same.itemText(i))
        assert width <= same.width() - 24, (same.itemText(i), width, same.width())


def test_next_in_the_debrief_asks_before_it_ends_the_rotation(page, window, qtbot, ctx, academy,
                                                              clock, answers):
    """N during the debrief finished the rotation at once (End asks; a finished run cannot be
    resumed). Now it asks, default No: refused, the projector and the phones see the debrief
    still running; a yes ends it. Next between rounds still moves on without a question."""
    page.start()
    while ctx.rotation.snapshot(academy.id).phase != "debrief":
        press(qtbot, window, Qt.Key.Key_N)
    assert answers.questions("confirm") == []          # rounds and transitions: no question
    clock.advance(30)
    window.ticker.tick()
    projector, phones = page.projector.texts(), ctx.rotation.snapshot(academy.id).to_dict()
    logged = len(ctx.rotation.events(academy.id))
    answers.queue("confirm", False)
    press(qtbot, window, Qt.Key.Key_N)
    assert [t for k, t, _ in answers.asked] == ["End the rotation?"]
    assert "Next ends the debrief" in answers.questions("confirm")[0]
    assert page.projector.texts() == projector and ctx.rotation.snapshot(academy.id).to_dict() == phones
    assert len(ctx.rotation.events(academy.id)) == logged          # nothing was written
    answers.queue("confirm", True)
    press(qtbot, window, Qt.Key.Key_N)
    assert ctx.rotation.snapshot(academy.id).phase == "finished"
    assert len(answers.questions("confirm")) == 2


def test_the_confirm_box_says_no_to_enter_and_escape(qtbot, monkeypatch):
    """The real box the rotation's questions use: Enter takes the default (No), Escape cancels."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from stations.rotation import wording
    from workshop.ui.dialogs import QtDialogs
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Escape):
        seen = []

        def answer(key=key, seen=seen):
            box = QApplication.activeModalWidget()
            seen.append(isinstance(box, QMessageBox) and box.text())
            qtbot.keyClick(box, key)
        QTimer.singleShot(0, answer)
        assert QtDialogs().confirm(None, *wording.next_ends("debrief")) is False
        assert seen and "Next ends the debrief" in seen[0]


def test_with_no_debrief_next_in_the_last_round_asks_too(page, window, qtbot, ctx, academy, answers):
    ctx.rotation.update_settings(academy.id, debrief_minutes=0)
    page.start()
    while ctx.rotation.snapshot(academy.id).round_number < 3 or \
            ctx.rotation.snapshot(academy.id).phase != "round":
        press(qtbot, window, Qt.Key.Key_N)
    answers.queue("confirm", False)
    press(qtbot, window, Qt.Key.Key_N)
    assert "Next ends the last round" in answers.questions("confirm")[-1]
    assert ctx.rotation.snapshot(academy.id).phase == "round"
