"""The room's Wi-Fi on the Attendance page, typed as a facilitator would (issue 19 item 4): the
projector's corner then shows a Wi-Fi code beside the station's, and zbarimg reads both from a
screenshot; a Wi-Fi no phone could join is not saved; undo forgets it. The page says when the
laptop's address differs from the one the signs were printed for (item 5)."""
from __future__ import annotations

import subprocess

import pytest
from PySide6.QtCore import Qt

from stations.network.wifi import WifiNetwork
from tests.conftest import require_tool

pytestmark = pytest.mark.pages("rotation", "attendance")

PAYLOAD = "WIFI:T:WPA;S:Room 12\\; East;P:tea\\:time42;;"


@pytest.fixture
def page(window, ctx, academy):
    window.open_academy(academy.id)
    window.show_page("attendance")
    page = window.page("attendance")
    yield page
    ctx.join.stop_server()


def type_into(qtbot, field, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)   # Enter (or leaving the field) saves it


def decode_all(path) -> list[str]:
    zbarimg = require_tool("zbarimg", "decodes the codes on the projector's corner")
    done = subprocess.run([zbarimg, "--quiet", "--raw", str(path)], capture_output=True,
                          text=True, timeout=30)
    return done.stdout.splitlines()


def test_typing_the_wifi_puts_its_code_on_the_projector_corner(qtbot, tmp_path, window, page,
                                                               ctx, academy):
    projector = window.page("rotation").projector
    projector.resize(1600, 900)
    projector.show()
    page.serve_button.click()
    assert page.corner.parent() is projector and page.corner.wifi.isHidden()
    wifi = page.wifi
    type_into(qtbot, wifi.ssid, "Room 12; East")
    assert ctx.join.network.wifi(academy.id) is None      # no password yet: not saved …
    assert wifi.message.text().startswith("Not saved: A WPA password")   # … and it says why
    type_into(qtbot, wifi.password, "tea:time42")
    assert ctx.join.network.wifi(academy.id) == WifiNetwork("Room 12; East", "WPA", "tea:time42")
    assert not page.corner.wifi.isHidden()
    assert page.corner.wifi_qr.text() == PAYLOAD
    assert page.corner.wifi_name.text() == "Wi-Fi: Room 12; East"
    assert "tea" not in page.corner.wifi_qr.toolTip()
    path = tmp_path / "corner.png"
    assert page.corner.grab().save(str(path))
    station = page.corner.qr.text()
    assert sorted(decode_all(path)) == sorted([PAYLOAD, station])

    page.undo_stack.undo()    # Edit ▸ Undo: the room's Wi-Fi is forgotten again
    assert ctx.join.network.wifi(academy.id) is None
    assert wifi.ssid.text() == "" and page.corner.wifi.isHidden()
    page.undo_stack.redo()
    assert ctx.join.network.wifi(academy.id).ssid == "Room 12; East"
    assert not page.corner.wifi.isHidden()
    projector.hide()


def test_an_open_network_has_no_password(qtbot, page, ctx, academy):
    wifi = page.wifi
    wifi.security.setFocus()
    wifi.security.setCurrentIndex(wifi.security.findData("none"))
    wifi.security.activated.emit(wifi.security.currentIndex())
    type_into(qtbot, wifi.ssid, "Library")
    assert ctx.join.network.wifi_code(academy.id) == "WIFI:T:nopass;S:Library;;"
    assert not wifi.password.isEnabled()   # an open network has no password to type


def test_the_page_says_when_the_signs_were_printed_for_another_address(qtbot, window, page, ctx, clock,
                                                                       academy, monkeypatch):
    said = []
    page.notified.connect(said.append)
    ctx.join.network.record_printed(academy.id, "http://192.168.1.20:8765")
    monkeypatch.setattr(ctx.join, "base_url", lambda: "http://192.168.1.20:8765")
    page.refresh()
    assert page.moved_note.isHidden()
    monkeypatch.setattr(ctx.join, "base_url", lambda: "http://10.0.0.5:8765")
    clock.advance(6)   # the page looks again every few seconds, on the ticker
    window.ticker.tick()
    note = ("signs were printed for 192.168.1.20:8765; this laptop is now 10.0.0.5 — reprint, "
            "or let phones use the projector's code")
    assert not page.moved_note.isHidden() and page.moved_note.text() == note
    assert said.count(note) == 1   # the status bar hears it once
    window.ticker.tick()
    page.refresh()
    assert said.count(note) == 1
