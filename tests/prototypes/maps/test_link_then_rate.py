"""Issue 13 item 7: select two initiatives, L, then a digit rates the new link (keys only)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.fakes import FakeDialogs

pytestmark = pytest.mark.pages("maps")


@pytest.fixture
def page(window, academy, qtbot, monkeypatch):
    FakeDialogs().queue("ask_text", "Project-based learning", "MTSS").install(monkeypatch)
    window.open_academy(academy.id)
    window.show_page("maps")
    window.show()
    qtbot.waitExposed(window)
    page = window.page("maps")
    page.add_action.trigger()
    page.add_action.trigger()
    return page


def score(page) -> str:
    return dict(page.analysis_lines)["Alignment"]


def test_l_then_a_digit_rates_the_new_link_and_leaves_the_vision_links(page):
    m = page.current
    pbl, mtss = m.find("Project-based learning").id, m.find("MTSS").id
    page.link_nodes(m.hub.id, pbl, 3)
    page.link_nodes(m.hub.id, mtss, 1)
    before = score(page)
    page.scene.clearSelection()
    page.scene.nodes[pbl].setSelected(True)
    page.scene.nodes[mtss].setSelected(True)
    page.view.setFocus()

    QTest.keyClick(page.view, Qt.Key.Key_L)
    new = page.current.link_between(pbl, mtss)
    assert new is not None
    assert page.scene.selected_link_ids() == [new.id] and page.scene.selected_node_ids() == []
    QTest.keyClick(page.view, Qt.Key.Key_0)

    m = page.current
    assert m.link_between(pbl, mtss).rating == 0
    assert m.hub_link(pbl).rating == 3 and m.hub_link(mtss).rating == 1
    assert score(page) == before
    page.undo_stack.undo()                 # the rating alone is undone, then the link
    assert page.current.link_between(pbl, mtss).rating == new.rating
    page.undo_stack.undo()
    assert page.current.link_between(pbl, mtss) is None


def test_one_box_then_l_selects_its_new_vision_link(page):
    pbl = page.current.find("Project-based learning").id
    page.scene.clearSelection()
    page.scene.nodes[pbl].setSelected(True)
    page.view.setFocus()
    QTest.keyClick(page.view, Qt.Key.Key_L)
    QTest.keyClick(page.view, Qt.Key.Key_3)
    link = page.current.hub_link(pbl)
    assert page.scene.selected_link_ids() == [link.id] and link.rating == 3
