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
