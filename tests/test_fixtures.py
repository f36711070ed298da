"""The shared fixtures are what they claim: a window of a few pages is wired as the real one."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.conftest import PAGES, build_pages_window
from workshop.app import build_window


def layout(window):
    """(nav title, key, page type) of every page, in order, and the menu bar's titles."""
    pages = []
    for row in range(window.nav.count()):
        item = window.nav.item(row)
        key = item.data(Qt.ItemDataRole.UserRole)
        pages.append((item.text(), key, type(window.page(key))))
    return pages, [a.text() for a in window.menuBar().actions()]


def test_every_page_built_alone_matches_build_window(qtbot, ctx):
    full = build_window(ctx)
    alike = build_pages_window(ctx, list(PAGES))
    qtbot.addWidget(full)
    qtbot.addWidget(alike)
    assert layout(alike) == layout(full)


@pytest.mark.pages("roster")
def test_a_one_page_window_holds_that_page_only(window):
    assert [window.nav.item(r).data(Qt.ItemDataRole.UserRole) for r in range(window.nav.count())] == ["roster"]


def test_an_unknown_page_is_refused(qtbot, ctx):
    with pytest.raises(AssertionError, match="no such page"):
        build_pages_window(ctx, ["rosters"])


def test_free_port_is_outside_the_ephemeral_range_and_free():
    """tests.ports.free_port: a port no outgoing connection on the machine can take meanwhile."""
    import socket
    from pathlib import Path
    from tests.ports import free_port
    low = 32768
    proc = Path("/proc/sys/net/ipv4/ip_local_port_range")
    if proc.exists():
        low = int(proc.read_text().split()[0])
    ports = {free_port() for _ in range(5)}
    assert all(port < min(low, 49152) for port in ports)
    for port in ports:
        with socket.create_server(("127.0.0.1", port)):
            pass
