"""The laptop's own clock is as readable as the projector's (issue 13, item 16): in the warning
minutes, paused or running, its digits reach 7:1 against the page behind them (WCAG AAA, the
projector's rule), on a light desktop theme and on a dark one."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette

from stations.setup.palette import MIN_CONTRAST, contrast_ratio
from tests.fakes import FakeDialogs

pytestmark = pytest.mark.pages("rotation")


def shown_contrast(page) -> float:
    digits = page.digits
    digits.ensurePolished()
    ink = digits.palette().color(QPalette.ColorRole.WindowText).name()
    behind = page.palette().color(QPalette.ColorRole.Window).name()
    return contrast_ratio(ink, behind)


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#2D2D2D"),
                         (QPalette.ColorRole.WindowText, "#F0F0F0"),
                         (QPalette.ColorRole.Base, "#1E1E1E"), (QPalette.ColorRole.Text, "#F0F0F0"),
                         (QPalette.ColorRole.Button, "#353535"),
                         (QPalette.ColorRole.ButtonText, "#F0F0F0")):
        palette.setColor(role, QColor(colour))
    return palette


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_warning_paused_and_running_digits_reach_seven_to_one(window, qtbot, academy, clock,
                                                              monkeypatch, theme):
    FakeDialogs(confirm=True).install(monkeypatch)
    if theme == "dark":
        window.setPalette(dark_palette())
    window.open_academy(academy.id)
    window.show_page("rotation")
    page = window.page("rotation")
    page.start()
    window.ticker.tick()
    assert shown_contrast(page) >= MIN_CONTRAST, "running"
    settings = page.service.settings(academy.id)
    clock.advance(page.service.snapshot(academy.id).remaining_s - 30)
    window.ticker.tick()
    assert page.service.snapshot(academy.id).warning, settings
    assert shown_contrast(page) >= MIN_CONTRAST, f"warning: {shown_contrast(page):.2f}:1"
    page.service.pause(academy.id)
    window.ticker.tick()
    assert shown_contrast(page) >= MIN_CONTRAST, f"paused: {shown_contrast(page):.2f}:1"
