"""The warning never outlasts a short round, and the Rotation page says so (issue 13, item 6)."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from stations.rotation import wording
from stations.rotation.settings import RotationSettings, warning_seconds


@pytest.fixture
def one_minute_rounds(ctx, academy):
    ctx.rotation.update_settings(academy.id, minutes=(1, 1, 1))
    return ctx.rotation


def test_a_two_minute_warning_in_one_minute_rounds_is_twenty_seconds(one_minute_rounds, academy,
                                                                      clock):
    rotation = one_minute_rounds
    assert rotation.settings(academy.id).warning_minutes == 2          # the default
    assert rotation.snapshot(academy.id).warning_s == 20               # before the start too
    rotation.start(academy.id)
    assert rotation.snapshot(academy.id).warning_s == 20
    clock.advance(39)
    assert not rotation.snapshot(academy.id).warning                   # "work", not "wrap up"
    assert wording.headline(rotation.snapshot(academy.id))[1] == "Work at your station"
    clock.advance(2)
    assert rotation.snapshot(academy.id).warning


@pytest.mark.parametrize("minutes, warning, expected", [
    ((15, 15, 15), 2.0, 120), ((1, 1, 1), 2.0, 20), ((2, 2, 2), 2.0, 40), ((10, 2, 10), 2.0, 120),
    ((1, 1, 1), 0.0, 0), ((3, 3, 3), 0.5, 30), ((180,), 30.0, 1800)])
def test_warning_is_at_most_a_third_of_the_shortest_round(ctx, academy, minutes, warning,
                                                          expected):
    settings = RotationSettings(minutes=minutes * 3 if len(minutes) == 1 else minutes,
                                warning_minutes=warning)
    schedule = ctx.rotation.preview(academy.id, settings)
    assert warning_seconds(settings, schedule) == expected


def test_the_note_and_the_cue_say_what_really_happens():
    assert wording.warning_note(2, 120, 900) == ""
    assert wording.warning_note(2, 20, 60) == ("Warns 20 s before the end: at most a third of "
                                               "the shortest round (1 min).")
    assert wording.cue_text("warning", 20 / 60) == "Warning: 20 s left in this round"
    assert wording.cue_text("warning", 2) == "Warning: 2 min left in this round"
    assert wording.warning_span(80) == "1:20"


@pytest.mark.pages("rotation")
def test_the_rotation_page_says_the_warning_is_shorter(window, ctx, academy, clock):
    window.open_academy(academy.id)
    window.show_page("rotation")
    page = window.page("rotation")
    page.chimes.play = lambda *a, **k: True
    assert page.setup.warning_note.isHidden()
    page.setup.same.setCurrentIndex(1)
    page.setup.minutes.setValue(1)
    assert ctx.rotation.settings(academy.id).minutes == (1, 1, 1)
    assert not page.setup.warning_note.isHidden()
    assert page.setup.warning_note.text().startswith("Warns 20 s before the end")
    page.start()
    clock.advance(41)
    window.ticker.tick()
    QApplication.processEvents()
    assert page.cue_banner.label.text() == "Warning: 20 s left in this round"
