"""The map editor as a facilitator uses it: add, link, rate, drag, undo, reopen, export."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from prototypes.maps.demo import add_demo_maps
from prototypes.ui.maps.editor import MapEditorPage
from tests.fakes import FakeDialogs

pytestmark = pytest.mark.pages("maps")  # the window holds only what these tests drive


@pytest.fixture
def page(window, academy, qtbot):
    window.open_academy(academy.id)
    window.show_page("maps")
    window.show()
    qtbot.waitExposed(window)
    page = window.page("maps")
    page.view.fit()
    return page


@pytest.fixture
def dialogs(monkeypatch):
    return FakeDialogs().install(monkeypatch)


def answer(dialogs, *names):
    """The names typed into the next one-line questions, in order."""
    dialogs.queue("ask_text", *names)


def select(page, *node_ids):
    page.scene.clearSelection()
    for node_id in node_ids:
        page.scene.nodes[node_id].setSelected(True)


def drag(page, node_id, dx, dy):
    """Press on a node, move with the left button held, release: as a hand would."""
    viewport = page.view.viewport()
    start = page.view.mapFromScene(page.scene.nodes[node_id].scenePos())
    end = start + QPoint(dx, dy)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in (0.3, 0.7, 1.0):
        at = QPointF(start + (end - start) * step)
        QApplication.sendEvent(viewport, QMouseEvent(
            QEvent.Type.MouseMove, at, viewport.mapToGlobal(at), Qt.MouseButton.NoButton,
            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def test_draw_rate_drag_undo_and_reopen(dialogs, page, ctx, academy, qtbot):
    answer(dialogs, "Project-based learning", "PD plan", "MTSS")
    for _ in range(3):
        page.add_action.trigger()
    m = page.current
    pbl, pd, mtss = (m.find(n).id for n in ("Project-based learning", "PD plan", "MTSS"))

    select(page, pbl)                     # one box + L: link it to the vision
    page.link_action.trigger()
    select(page, pd, mtss)                # two boxes + L: link them to each other
    page.link_action.trigger()
    select(page, pbl)
    page.view.setFocus()
    QTest.keyClick(page.view, Qt.Key.Key_3)                      # number key rates
    select(page, pd)
    page.rate_actions[1].trigger()        # context-menu action; links PD plan to the vision
    spoke_link = page.current.link_between(pd, mtss).id
    page.scene.clearSelection()
    page.scene.edges[spoke_link].setSelected(True)
    page.rate_actions[0].trigger()

    m = page.current
    assert m.hub_link(pbl).rating == 3 and m.hub_link(pd).rating == 1
    assert m.links[spoke_link].rating == 0
    lines = dict(page.analysis_lines)
    assert "MTSS (load 2)" in lines["Not linked to the vision"]     # the panel follows along

    before_pd = page.scene.nodes[pd].unit_center()
    drag(page, mtss, 120, 40)
    moved = page.current.nodes[mtss].position
    drag(page, pd, -90, 60)
    assert page.current.nodes[pd].position != pytest.approx(before_pd)
    page.undo_stack.undo()                # undo the second drag only
    assert page.current.nodes[pd].position == pytest.approx(before_pd)
    assert page.scene.nodes[pd].unit_center() == pytest.approx(before_pd)
    assert page.undo_stack.undoText() == "Move"    # the first drag is still there to undo

    reopened = MapEditorPage(ctx.maps)
    qtbot.addWidget(reopened)
    reopened.set_academy(academy.id)
    again = reopened.current
    assert again.nodes[mtss].position == pytest.approx(moved)
    assert again.nodes[pd].position == pytest.approx(before_pd)
    assert again.hub_link(pbl).rating == 3 and again.hub_link(pd).rating == 1
    assert again.links[spoke_link].rating == 0
    assert reopened.scene.nodes[mtss].unit_center() == pytest.approx(moved)


def test_delete_with_undo_restores_links(dialogs, page):
    answer(dialogs, "SEL", "MTSS")
    page.add_action.trigger()
    page.add_action.trigger()
    sel, mtss = page.current.find("SEL").id, page.current.find("MTSS").id
    page.link_nodes(sel, mtss, 3)
    page.link_nodes(page.current.hub.id, sel, 2)
    select(page, sel)
    page.delete_action.trigger()
    assert page.current.find("SEL") is None and not page.current.links
    assert sel not in page.scene.nodes
    page.undo_stack.undo()
    assert page.current.find("SEL").id == sel and len(page.current.links) == 2
    assert len(page.scene.edges) == 2
    page.undo_stack.redo()
    assert page.current.find("SEL") is None


def test_rename_vision_and_refusals_show_a_message(dialogs, page):
    hub = page.current.hub.id
    answer(dialogs, "Every student owns their learning", "PBL", "pbl")
    page.rename_node(hub)
    assert page.current.vision == "Every student owns their learning"
    page.add_action.trigger()
    page.add_action.trigger()             # the same name again is refused, nothing added
    assert "already has an initiative" in page.message.text()
    assert len(page.current.initiatives()) == 1
    page.undo_stack.undo()
    page.undo_stack.undo()
    assert page.current.vision == ""


def test_choosing_a_team_map(dialogs, page, ctx, academy):
    from workshop.academy.model import Participant
    ctx.academies.add_participant(academy.id, Participant("Ana", school="Lincoln Elementary"))
    page.set_academy(academy.id)
    assert [page.chooser.itemText(i) for i in range(page.chooser.count())] == [
        "Whole academy (district view)", "Lincoln Elementary"]
    page.open_map("Lincoln Elementary")
    assert page.current.school == "Lincoln Elementary"
    answer(dialogs, "Reading block")
    page.add_action.trigger()
    page.open_map("")
    assert page.current.find("Reading block") is None


def test_exported_svg_parses_and_names_every_initiative(page, ctx, academy, tmp_path):
    add_demo_maps(ctx.maps, academy.id, [])
    page.set_academy(academy.id)
    svg = page.export(tmp_path / "map.svg")
    root = ET.parse(svg).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    text = " ".join(" ".join(t.itertext()).strip() for t in root.iter(f"{ns}text"))
    text = " ".join(text.split())
    for node in page.current.initiatives():
        assert node.name in text
    assert page.current.vision in text
    png = page.export(tmp_path / "map.png")
    assert png.stat().st_size > 10_000


def test_double_clicks_add_where_clicked_and_rename(dialogs, page, qtbot):
    viewport = page.view.viewport()
    spot = QPoint(viewport.width() // 5, viewport.height() // 5)
    answer(dialogs, "Teacher evaluation", "Teacher evaluation rubric")
    QTest.mouseDClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, spot)
    node = page.current.find("Teacher evaluation")
    assert node is not None
    where = page.view.mapToScene(spot)
    assert node.position == pytest.approx((where.x() / 300, where.y() / 300), abs=0.01)
    at = page.view.mapFromScene(page.scene.nodes[node.id].scenePos())
    QTest.mouseDClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    assert page.current.nodes[node.id].name == "Teacher evaluation rubric"


def test_keyboard_adds_links_rates_and_deletes(dialogs, page, qtbot):
    answer(dialogs, "MTSS")
    page.view.setFocus()
    QTest.keyClick(page.view, Qt.Key.Key_N)
    mtss = page.current.find("MTSS").id
    assert page.scene.selected_node_ids() == [mtss]       # the new box is selected
    QTest.keyClick(page.view, Qt.Key.Key_L)
    assert page.current.hub_link(mtss).rating == 2
    QTest.keyClick(page.view, Qt.Key.Key_0)
    assert page.current.hub_link(mtss).rating == 0
    QTest.keyClick(page.view, Qt.Key.Key_Delete)   # after L the new link is the selection
    assert page.current.hub_link(mtss) is None and page.current.find("MTSS") is not None
    select(page, mtss)
    QTest.keyClick(page.view, Qt.Key.Key_Delete)
    assert page.current.find("MTSS") is None
    page.chooser.setFocus()                 # the keys belong to the canvas only
    QTest.keyClick(page.chooser, Qt.Key.Key_N)
    assert len(page.current.initiatives()) == 0


def test_zoom_keeps_the_middle_and_fit_shows_every_box(page):
    view = page.view
    middle = view.mapToScene(view.viewport().rect().center())
    scale = view.transform().m11()
    page.zoom_in_action.trigger()
    assert view.transform().m11() == pytest.approx(scale * 1.25)
    after = view.mapToScene(view.viewport().rect().center())
    assert (after - middle).manhattanLength() < 5
    page.fit_action.trigger()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    for item in page.scene.nodes.values():
        assert visible.contains(item.sceneBoundingRect())


def test_tidy_layout_is_undoable(dialogs, page):
    answer(dialogs, "A", "B")
    page.add_action.trigger()
    page.add_action.trigger()
    a = page.current.find("A").id
    drag(page, a, 150, 150)
    dragged = page.current.nodes[a].position
    page.relayout_action.trigger()
    assert page.current.nodes[a].position != pytest.approx(dragged)
    page.undo_stack.undo()
    assert page.current.nodes[a].position == pytest.approx(dragged)


def test_the_details_form_shows_and_saves_the_selected_box_and_line(dialogs, page, qtbot):
    """Select a box: its fields fill the form; typing an owner and picking a load saves each
    (undoably). Select a line: its ends and rating show; picking a rating saves it."""
    from PySide6.QtWidgets import QComboBox

    from prototypes.ui.maps.side_panel import LINK, NODE, NOTHING
    answer(dialogs, "MTSS")
    page.add_action.trigger()
    mtss = page.current.find("MTSS").id
    details = page.details
    page.scene.clearSelection()
    assert details.currentIndex() == NOTHING
    select(page, mtss)
    assert details.currentIndex() == NODE and details.name_edit.text() == "MTSS"
    details.owner_edit.setFocus()
    qtbot.keyClicks(details.owner_edit, "Dr. Nunez")
    qtbot.keyClick(details.owner_edit, Qt.Key.Key_Return)
    assert page.current.nodes[mtss].owner == "Dr. Nunez"
    combo: QComboBox = details.load_combo
    combo.setCurrentIndex(combo.count() - 1)
    combo.activated.emit(combo.count() - 1)
    assert page.current.nodes[mtss].load == combo.itemData(combo.count() - 1)
    page.undo_stack.undo()
    assert page.current.nodes[mtss].owner == "Dr. Nunez"
    assert page.current.nodes[mtss].load != combo.itemData(combo.count() - 1)

    select(page, page.current.hub.id)      # the vision has its text only
    assert details.node_form.labelForField(details.name_edit).text() == "&Vision"
    assert not details.node_form.isRowVisible(1)

    link = page.link_nodes(page.current.hub.id, mtss, 1)
    page.scene.clearSelection()
    page.scene.edges[link].setSelected(True)
    assert details.currentIndex() == LINK and "MTSS" in details.link_ends.text()
    assert details.rating_combo.currentData() == 1
    details.rating_combo.setCurrentIndex(3)
    details.rating_combo.activated.emit(3)
    assert page.current.links[link].rating == 3


def test_the_context_menu_offers_what_the_item_allows(dialogs, page):
    from prototypes.ui.maps.menu import context_menu
    answer(dialogs, "Coaching cycles")
    page.add_action.trigger()
    node = page.current.find("Coaching cycles").id
    select(page, node)
    page.link_action.trigger()
    link = page.current.hub_link(node)
    page.rate(link.id, 3)

    on_link = context_menu(page, page.scene.edges[link.id]).actions()
    checked = [a for a in on_link if a.isCheckable() and a.isChecked()]
    assert checked == [page.rate_actions[3]]            # the link's own rating is ticked
    assert "How it connects…" in [a.text() for a in on_link]
    on_node = context_menu(page, page.scene.nodes[node]).actions()
    assert page.link_action in on_node and page.delete_action in on_node
    on_hub = context_menu(page, page.scene.nodes[page.current.hub.id]).actions()
    assert on_hub == [page.rename_action]               # the vision cannot be rated or deleted
    on_canvas = context_menu(page, None).actions()
    assert on_canvas == [page.add_action, page.relayout_action, page.fit_action]
