"""A QR code the app paints decodes (zbarimg) to the station's URL."""
from __future__ import annotations

import subprocess

import pytest

from tests.conftest import require_tool
from workshop.ui.qr_widget import QrWidget

pytestmark = pytest.mark.pages("attendance")  # the window holds only what these tests drive


def decode(path) -> str:
    zbarimg = require_tool("zbarimg", "decodes the QR codes the app paints")
    done = subprocess.run([zbarimg, "--quiet", "--raw", str(path)], capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_attendance_page_qr_decodes_to_the_station_url(tmp_path, window, ctx, academy):
    window.open_academy(academy.id)
    page = window.page("attendance")
    page.serve_button.click()
    try:
        link = ctx.join.links(academy.id)[2]
        card = page.cards[2]
        assert card.qr.text() == link.url
        path = tmp_path / "station3.png"
        assert card.qr.grab().save(str(path))
        assert decode(path) == link.url
    finally:
        ctx.join.stop_server()


def test_a_qr_widget_of_any_size_decodes(qtbot, tmp_path):
    url = "http://192.168.1.23:8765/s/" + "Ab_-" * 8
    for side in (120, 333):
        widget = QrWidget(url)
        qtbot.addWidget(widget)
        widget.resize(side, side)
        path = tmp_path / f"qr{side}.png"
        widget.grab().save(str(path))
        assert decode(path) == url
