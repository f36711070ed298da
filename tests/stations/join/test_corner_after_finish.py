"""The projector's join QR corner goes once the rotation is finished (issue 13, item 16): no
one should scan into a rotation that is over. Driven through the rotation page's own buttons."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.fakes import FakeDialogs
from workshop.academy.model import Participant

pytestmark = pytest.mark.pages("rotation", "attendance")


@pytest.fixture
def running(window, ctx, academy, monkeypatch):
    for i, name in enumerate(["Zoë Adams", "Mark Obi", "Ana López"]):
        ctx.academies.add_participant(academy.id, Participant(name, email=f"p{i}@x.example"))
    window.open_academy(academy.id)
    attendance = window.page("attendance")
    attendance.serve_button.click()
    yield window
    ctx.join.stop_server()


def test_the_join_corner_hides_when_the_rotation_finishes_and_returns_on_start_again(
        qtbot, running, ctx, academy, monkeypatch):
    window = running
    rotation, attendance = window.page("rotation"), window.page("attendance")
    projector, corner = rotation.projector, attendance.corner
    window.show_page("rotation")
    FakeDialogs(confirm=True).install(monkeypatch)
    qtbot.mouseClick(rotation.buttons["start"], Qt.MouseButton.LeftButton)
    assert corner.parent() is projector and not corner.isHidden()
    qtbot.mouseClick(rotation.buttons["end"], Qt.MouseButton.LeftButton)
    assert ctx.rotation.snapshot(academy.id).phase == "finished"
    assert corner.isHidden(), "the join code still shows after 'Rotation finished'"
    qtbot.mouseClick(rotation.buttons["start"], Qt.MouseButton.LeftButton)
    assert ctx.rotation.snapshot(academy.id).phase != "finished"
    assert not corner.isHidden(), "a new run lets latecomers scan in again"
