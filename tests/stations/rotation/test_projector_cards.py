"""With four to six stations the projector's names stay readable from the back: station and
group names at least 5 % of the screen's height (issue 13, item 15)."""
from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtGui import QFontMetricsF

from stations.ui.rotation.projector import ProjectorWindow

MORE = ["Seminar circle", "Flex lab", "Outdoor inquiry"]


def with_stations(ctx, academy, n: int, groups: int = 6):
    stations = ctx.stations.stations(academy.id)
    extra = [replace(stations[i % 3], id=None, position=i + 1, name=MORE[i - 3]) for i in range(3, n)]
    ctx.stations.save(academy.id, stations + extra)
    ctx.rotation.update_settings(academy.id, groups=groups)


def projector_at(qtbot, snap, size=(1920, 1080)) -> ProjectorWindow:
    projector = ProjectorWindow()
    qtbot.addWidget(projector)
    projector.resize(*size)
    projector.set_snapshot(snap)
    return projector


@pytest.mark.parametrize("n, groups", [(3, 6), (4, 6), (5, 6), (6, 6), (4, 12), (6, 12)])
@pytest.mark.parametrize("seconds", [None, 0, 905])        # before the start, round 1, moving
def test_names_are_at_least_five_percent_of_the_height(qtbot, ctx, academy, clock, n, groups,
                                                       seconds):
    with_stations(ctx, academy, n, groups)
    if seconds is not None:
        ctx.rotation.start(academy.id)
        clock.advance(seconds)
    projector = projector_at(qtbot, ctx.rotation.snapshot(academy.id))
    cards = [b for b in projector.boxes() if b.role in ("station", "groups")]
    assert len(cards) == 2 * n
    for box in cards:
        assert box.font.pixelSize() >= 0.05 * 1080, (box.role, box.text, box.font.pixelSize())
        used = QFontMetricsF(box.font).boundingRect(box.rect, box.flags, box.text)
        assert used.width() <= box.rect.width() + 1 and used.height() <= box.rect.height() + 1
    digits = next(b for b in projector.boxes() if b.role == "digits")
    assert QFontMetricsF(digits.font).tightBoundingRect("0").height() >= 1080 / 4
    station_names = [b.text for b in cards if b.role == "station"]
    assert station_names[n - 1].endswith(MORE[n - 4] if n > 3 else "Small-group collaboration")


def test_cards_are_filled_not_half_empty(qtbot, ctx, academy):
    """The text of each card reaches past half its height (it used to stop at about half)."""
    with_stations(ctx, academy, 6)
    ctx.rotation.start(academy.id)
    projector = projector_at(qtbot, ctx.rotation.snapshot(academy.id))
    boxes = projector.boxes()
    names = [b for b in boxes if b.role == "station"]
    groups = [b for b in boxes if b.role == "groups"]
    card_h = (1080 - names[0].rect.top()) / 2
    for name, group in zip(names, groups):
        text_h = QFontMetricsF(name.font).boundingRect(name.rect, name.flags, name.text).height() \
            + QFontMetricsF(group.font).boundingRect(group.rect, group.flags, group.text).height()
        assert text_h >= 0.4 * card_h, name.text
    image = projector.grab().toImage()
    assert image.width() == 1920 and not image.isNull()
