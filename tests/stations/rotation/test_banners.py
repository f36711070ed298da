"""Banners clear when their moment passes; the controls never move (issue 13, item 8)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication

from stations.rotation import wording

pytestmark = pytest.mark.pages("rotation")


@pytest.fixture
def page(window, qtbot, academy):
    window.open_academy(academy.id)
    window.show_page("rotation")
    page = window.page("rotation")
    page.chimes.play = lambda *a, **k: True
    window.show()
    qtbot.waitExposed(window)
    return page


def step(window, clock, seconds):
    clock.advance(seconds)
    window.ticker.tick()
    QApplication.processEvents()      # the cue arrives through the queued bridge


def shown(page) -> str:
    """The text of the banner showing ("" when none does)."""
    visible = [b for b in (page.resume_banner, page.nudge_banner, page.cue_banner) if b.isVisible()]
    assert len(visible) <= 1
    return visible[0].label.text() if visible else ""


def controls_y(page) -> tuple[int, int]:
    return (page.buttons["pause"].mapTo(page, QPoint(0, 0)).y(),
            page.setup.mapTo(page, QPoint(0, 0)).y())


def test_each_banner_belongs_to_its_moment_and_the_controls_stay_put(page, window, ctx, academy,
                                                                    clock):
    ctx.rotation.update_settings(academy.id, planned_start=clock.now().isoformat())
    step(window, clock, 0)
    seen = [(shown(page), controls_y(page))]                          # ready, on time
    step(window, clock, 420)
    seen.append((shown(page), controls_y(page)))                      # late: the nudge
    page.start()
    seen.append((shown(page), controls_y(page)))                      # round 1
    step(window, clock, 780)
    seen.append((shown(page), controls_y(page)))                      # the warning
    step(window, clock, 120)
    seen.append((shown(page), controls_y(page)))                      # transition
    step(window, clock, 60)
    seen.append((shown(page), controls_y(page)))                      # round 2
    for _ in range(2):                                                # rounds 2 and 3 end
        step(window, clock, 900)
        step(window, clock, 60)
    seen.append((shown(page), controls_y(page)))                      # debrief
    step(window, clock, 600)
    seen.append((shown(page), controls_y(page)))                      # finished
    texts = [text for text, _ in seen]
    assert texts == ["", wording.late_start(clock.now().replace(hour=9, minute=0), clock.now()
                                            .replace(hour=9, minute=7)),
                     "", "Warning: 2 min left in this round", "Time is up: the room moves on",
                     "", "Time is up: the rounds are over, time for the debrief", ""]
    assert ctx.rotation.snapshot(academy.id).phase == "finished"
    assert len({y for _, y in seen}) == 1, seen                       # nothing moved


def test_a_warning_goes_when_time_is_added_and_the_offer_when_the_rotation_ends(page, window,
                                                                               ctx, academy,
                                                                               clock, qtbot):
    page.start()
    step(window, clock, 782)
    assert shown(page).startswith("Warning")
    ctx.rotation.adjust(academy.id, 300)            # from the phone or the CLI: not this page
    step(window, clock, 0)
    assert shown(page) == ""
    from workshop.app import build_window
    again = build_window(ctx)
    qtbot.addWidget(again)
    again.open_academy(academy.id)
    reopened = again.page("rotation")
    assert shown_now(reopened).startswith("A rotation was running")
    ctx.rotation.end(academy.id)
    again.ticker.tick()
    assert shown_now(reopened) == ""


def shown_now(page) -> str:
    wanted = [b for b in (page.resume_banner, page.nudge_banner, page.cue_banner) if not b.isHidden()]
    return wanted[0].label.text() if wanted else ""
