"""The window shows first and builds its other pages when they are first needed (issue 20):
opened from the page list or the Go menu (built and shown in the same frame), asked for, or in
idle time after the first paint; the Handouts page, whose building renders a preview, only
when opened. Driven through the real window (build_window), as a facilitator would."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from tests.conftest import PAGES
from workshop.app import build_window

ALL = list(PAGES)


def shown_window(qtbot, ctx, academy_id, *, idle=False):
    window = build_window(ctx)
    qtbot.addWidget(window)
    window.open_academy(academy_id)
    if idle:
        window.work_when_idle()
    window.show()
    qtbot.waitExposed(window)
    return window


def built(window) -> list[str]:
    return [key for key in window.page_keys() if window.is_built(key)]


def test_the_window_builds_its_first_page_only(qtbot, ctx, academy):
    window = shown_window(qtbot, ctx, academy.id)
    QApplication.processEvents()
    assert window.page_keys() == ALL
    assert built(window) == ["academies"]
    assert window.stack.currentWidget() is window.page("academies")


def test_a_page_opened_from_the_page_list_is_built_and_shown_in_that_frame(qtbot, ctx, academy):
    window = shown_window(qtbot, ctx, academy.id)
    for row, key in enumerate(ALL):
        rect = window.nav.visualItemRect(window.nav.item(row))
        qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        # No event processed since the click: the page is already the one on the stack.
        assert window.current_page_key() == key
        assert window.stack.currentWidget() is window.page(key)
        assert window.nav.item(row).text() == PAGES[key][0]
    assert built(window) == ALL


def test_the_go_menu_and_its_keys_reach_every_page(qtbot, ctx, academy):
    window = shown_window(qtbot, ctx, academy.id)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    for row, key in enumerate(ALL[:9]):
        qtbot.keyClick(window.nav, Qt.Key(Qt.Key.Key_1 + row), Qt.KeyboardModifier.ControlModifier)
        assert window.current_page_key() == key
        assert window.stack.currentWidget() is window.page(key)
    # Pages past the ninth have no key of their own, but the Go menu lists every page.
    titles = [a.text() for a in window.go_menu.actions()]
    assert titles == [PAGES[key][0] for key in ALL]
    for action, key in list(zip(window.go_menu.actions(), ALL))[9:]:
        action.trigger()
        assert window.current_page_key() == key
        assert window.stack.currentWidget() is window.page(key)


def test_idle_time_builds_the_rest_after_the_first_paint_but_never_the_handouts(
        qtbot, ctx, academy, monkeypatch):
    made = []
    make = ctx.handouts.make
    monkeypatch.setattr(ctx.handouts, "make", lambda *a, **k: made.append(a[0]) or make(*a, **k))
    window = shown_window(qtbot, ctx, academy.id, idle=True)
    qtbot.waitUntil(lambda: built(window) == [k for k in ALL if k != "handouts"], timeout=20000)
    qtbot.wait(50)
    assert not window.is_built("handouts") and made == []   # no preview nobody asked for
    # The Export/Print menu was filled in idle time, without building the page.
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "E&xport/Print")
    assert [a.text() for a in menu.actions() if a.text()][:2] == ["Debrief…", "Station signs…"]
    window.show_page("handouts")
    page = window.page("handouts")
    # Opened: the page is on screen at once, listing every handout, its preview still to come.
    assert window.stack.currentWidget() is page and page.kinds.count() == 9
    assert made == [] and page.rendering() and page.message.text() == "Rendering preview…"
    shown = [w.text() for w in page.pages.findChildren(QLabel)]
    assert shown == ["Its first pages appear here in a moment."]   # never a blank box
    qtbot.waitUntil(lambda: not page.rendering(), timeout=10000)
    qtbot.wait(50)
    assert made == ["debrief"]   # drawn once it painted, and not once more for the showing
    assert page.save_action.isEnabled()


def test_a_page_built_late_joins_undo_messages_and_its_menu(qtbot, ctx, academy, monkeypatch):
    window = shown_window(qtbot, ctx, academy.id)
    window.show_page("stations")
    page = window.page("stations")
    assert window.undo_group.activeStack() is page.undo_stack
    before = len(ctx.stations.stations(academy.id))
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert len(ctx.stations.stations(academy.id)) == before + 1
    next(a for a in window.edit_menu.actions() if a.text().startswith("&Undo")).trigger()
    assert len(ctx.stations.stations(academy.id)) == before
    page.notified.emit("hello from a late page")
    assert window.statusBar().currentMessage() == "hello from a late page"
    # The prototypes page's own menu appears with it, before Export/Print, on its page only.
    window.show_page("prototypes")
    titles = [a.text() for a in window.menuBar().actions() if a.isVisible()]
    assert titles.index("&Prototype") < titles.index("E&xport/Print")
    window.show_page("stations")
    assert "&Prototype" not in [a.text() for a in window.menuBar().actions() if a.isVisible()]


def test_a_page_built_late_opens_on_the_academy_open_now(qtbot, ctx, academy):
    other = ctx.academies.create("Second Academy")
    window = shown_window(qtbot, ctx, academy.id)
    window.open_academy(other.id)   # before the roster page exists
    assert window.page("roster").academy_id == other.id


def test_the_demo_adds_its_groups_maps_and_prototypes_after_the_first_paint(qtbot, tmp_path):
    from workshop.app import start_window
    from workshop.config import AppConfig
    ctx, window = start_window(AppConfig(db_path=tmp_path / "academy.sqlite", port=0),
                               demo=True, demo_when_idle=True)
    try:
        qtbot.addWidget(window)
        assert window.current_page_key() == "roster"
        library = window.page("prototypes").library   # built before the demo's prototypes
        assert library.table.model().rowCount() == 0
        window.work_when_idle()
        window.show()
        qtbot.waitUntil(lambda: library.table.model().rowCount() > 0, timeout=20000)
        assert ctx.grouping.saved_groups(window.academy_id)
    finally:
        window.close()
        ctx.close()


def test_the_maps_page_draws_its_map_first_and_its_analysis_after_that_frame(qtbot, ctx, academy):
    ctx.maps.add_initiative(ctx.maps.open(academy.id, "").id, "Reading block")
    window = shown_window(qtbot, ctx, academy.id)
    window.show_page("maps")
    page = window.page("maps")
    assert window.stack.currentWidget() is page and page.scene.nodes   # the map is drawn
    def shown() -> list[str]:
        return [w.text() for w in page.side.findChildren(QLabel) if w.isVisibleTo(page.side)]
    assert page.side.analysing() and "Analysing the map…" in shown()
    qtbot.waitUntil(lambda: not page.side.analysing(), timeout=10000)
    qtbot.waitUntil(lambda: "Alignment" in shown())   # its lines, shown by the event loop
    assert "Analysing the map…" not in shown() and "Alignment" in dict(page.analysis_lines)


def test_the_prototypes_page_opens_on_its_library_and_builds_its_editor_for_a_prototype(
        qtbot, ctx, academy):
    made = ctx.prototypes.create(academy.id, "Math stations", team="Lincoln Elementary")
    window = shown_window(qtbot, ctx, academy.id)
    window.show_page("prototypes")
    page = window.page("prototypes")
    assert page.stack.currentWidget() is page.library and page.stack.count() == 1  # no editor
    page.library.table.setFocus()
    page.library.select(made.id)
    qtbot.keyClick(page.library.table, Qt.Key.Key_Return)   # opens it, as a double-click does
    assert page.stack.count() == 2 and page.stack.currentWidget() is page.editor
    assert page.editor.prototype_id == made.id
    assert page.current_prototype_id() == made.id
    page.library_action.trigger()   # back to the library: the editor stays for the next one
    assert page.stack.currentWidget() is page.library and page.stack.count() == 2


def test_a_page_opened_for_the_first_time_reads_its_data_once(qtbot, ctx, academy, monkeypatch):
    reads: list[str] = []
    for name, service, method in (("roster", ctx.academies, "participants"),
                                  ("maps", ctx.maps, "get")):
        real = getattr(service, method)
        monkeypatch.setattr(service, method,
                            lambda *a, real=real, name=name, **k: reads.append(name) or real(*a, **k))
    window = shown_window(qtbot, ctx, academy.id)
    for key in ("roster", "maps"):
        reads.clear()
        window.show_page(key)   # built for the open academy, then shown: one read, not two
        assert reads.count(key) == 1, reads
    window.show_page("academies")
    qtbot.wait(10)   # a later turn: what phones or other pages changed may be there
    reads.clear()
    window.show_page("roster")
    assert reads == ["roster"]   # shown again: read again (walk-ins from phones)


def test_the_rotation_pages_join_button_builds_the_attendance_page_when_pressed(qtbot, ctx,
                                                                                academy):
    """The Rotation page opens without the Attendance page and its join service; its join
    button lets phones in all the same, and then is the Attendance page's one switch."""
    window = shown_window(qtbot, ctx, academy.id)
    window.show_page("rotation")
    rotation = window.page("rotation")
    assert not window.is_built("attendance") and not ctx.is_built("join")
    join = rotation.buttons["join"]
    assert join.text() == "Let phones join" and not join.isChecked()
    qtbot.mouseClick(join, Qt.MouseButton.LeftButton)
    try:
        assert window.is_built("attendance") and ctx.join.running
        attendance = window.page("attendance")
        assert attendance.serve_button.isChecked() and join.isChecked()
        assert join.text() == attendance.serve_button.text() == "Stop phones joining"
    finally:
        attendance.serve_button.click()
    assert not ctx.join.running and not join.isChecked() and join.text() == "Let phones join"
