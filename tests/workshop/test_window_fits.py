"""The window fits the screens it is projected on: with the demo academy open and every page
built, its minimum size fits a 1280×720 projector (a page wider than that pushed its buttons
off the right edge of a 1440-pixel screen, and cannot be projected at all at 1280)."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QStyle, QToolButton

PROJECTOR = (1280, 720)


def test_every_page_fits_a_1280_by_720_projector(qtbot, ctx, make_window):
    from workshop.academy.demo import ensure_demo_academy
    academy_id = ensure_demo_academy(ctx)
    window = make_window()
    window.open_academy(academy_id)
    window.show()
    too_wide = {}
    for key in window.page_keys():
        window.show_page(key)
        QApplication.processEvents()   # the page is laid out
        hint = window.minimumSizeHint()
        if hint.width() > PROJECTOR[0] or hint.height() > PROJECTOR[1]:
            too_wide[key] = (hint.width(), hint.height())
    assert too_wide == {}, f"pages that do not fit {PROJECTOR}: {too_wide}"


def _draws_its_arrow_over_its_text(button: QAbstractButton) -> bool:
    """A tool button that pops a menu up at once draws its arrow inside a size that leaves no
    room for it (Qt's sizeHint counts the arrow only for the split MenuButtonPopup)."""
    if not isinstance(button, QToolButton):
        return False
    default = button.defaultAction()
    has_menu = bool(button.menu() or (default and default.menu())
                    or len(button.actions()) > (1 if default else 0))
    return has_menu and button.popupMode() != QToolButton.ToolButtonPopupMode.MenuButtonPopup


def clipped_buttons(window) -> list[str]:
    """The shown buttons narrower than their text (and arrow) needs, or past the window's edge."""
    clipped = []
    for button in window.findChildren(QAbstractButton):
        if not button.isVisible() or not button.text():
            continue
        need = button.sizeHint().width()
        if _draws_its_arrow_over_its_text(button):
            need += button.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, None, button)
        right = button.mapTo(window, QPoint(0, 0)).x() + button.width()
        if button.width() < need or right > window.width():
            clipped.append(f"{button.text()!r}: {button.width()} of {need} px, right edge {right}")
    return clipped


def test_no_button_is_cut_at_1280_by_720(qtbot, ctx, make_window):
    """Every page's buttons show whole at 1280×720 with the app's theme: the map's Export was a
    tool button whose menu arrow sat on its last letters ("Export" looked cut off)."""
    from workshop.academy.demo import ensure_demo_academy
    from workshop.ui.theme import apply_theme
    app = QApplication.instance()
    font, sheet = app.font(), app.styleSheet()
    apply_theme(app)                   # the padding and font size a facilitator sees
    try:
        academy_id = ensure_demo_academy(ctx)
        window = make_window()
        window.open_academy(academy_id)
        window.resize(*PROJECTOR)
        window.show()
        qtbot.waitExposed(window)
        cut = {}
        for key in window.page_keys():
            window.show_page(key)
            QApplication.processEvents()
            if found := clipped_buttons(window):
                cut[key] = found
    finally:                           # the other tests keep Qt's plain look
        app.setStyleSheet(sheet)
        app.setFont(font)
    assert cut == {}, f"buttons cut at {PROJECTOR}: {cut}"


def test_the_attendance_page_is_readable_on_a_1280_by_720_projector(qtbot, ctx, make_window):
    """At 1280×720 with phones joining, every station's card is whole (no sideways scrolling)
    and its first names show without scrolling: beside the reflections, under a big QR code
    and an empty waiting list, the stations' columns had ~130 px and showed no name at all."""
    from stations.grouping.service import ensure_demo_grouping
    from workshop.academy.demo import ensure_demo_academy
    academy_id = ensure_demo_academy(ctx)
    ensure_demo_grouping(ctx, academy_id, lambda text: None)   # a schedule: names expected
    window = make_window()
    window.open_academy(academy_id)
    window.resize(*PROJECTOR)
    window.show_page("attendance")
    window.show()
    qtbot.waitExposed(window)
    page = window.page("attendance")
    qtbot.mouseClick(page.serve_button, Qt.MouseButton.LeftButton)   # phones may join: live cards
    try:
        QApplication.processEvents()
        viewport = page.scroll.viewport()
        assert viewport.height() >= 300, viewport.height()
        assert len(page.cards) == 3 and not page.scroll.horizontalScrollBar().isVisible()
        for card in page.cards:
            left = card.mapTo(viewport, QPoint(0, 0)).x()
            assert 0 <= left and left + card.width() <= viewport.width(), (left, card.width())
            names = card.missing
            assert names.names.rowCount() >= 5
            fifth = names.visualRect(names.names.index(4))
            bottom = names.viewport().mapTo(viewport, fifth.bottomLeft()).y()
            assert bottom <= viewport.height(), f"the 5th expected name is at {bottom} px"
    finally:
        ctx.join.stop_server()


def test_the_groups_page_shows_its_groups_on_a_1280_by_720_projector(qtbot, ctx, make_window):
    """At 1280×720 the Groups page gives the groups the room: a row of cards with their first
    members in view (under the notes and rules, the cards had ~60 px and no name showed)."""
    from stations.grouping.service import ensure_demo_grouping
    from workshop.academy.demo import ensure_demo_academy
    academy_id = ensure_demo_academy(ctx)
    ensure_demo_grouping(ctx, academy_id, lambda text: None)
    window = make_window()
    window.open_academy(academy_id)
    window.resize(*PROJECTOR)
    window.show_page("grouping")
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    page = window.page("grouping")
    viewport = page.cards_scroll.viewport()
    assert viewport.height() >= 300, viewport.height()
    for card in page.cards[:3]:                        # the first row of cards
        members = card.members
        assert members.count() >= 3
        third = members.visualItemRect(members.item(2))
        bottom = members.viewport().mapTo(viewport, third.bottomLeft()).y()
        assert 0 < bottom <= viewport.height(), f"the third member is at {bottom} px"
    assert page.rules_panel.together_button.isVisibleTo(page)   # the rules are still there


def test_the_prototype_library_shows_its_titles_on_a_1280_by_720_projector(qtbot, ctx, make_window):
    """The library's Title column is the one a facilitator reads: at 1280×720 the fixed widths
    of the others left it 30 px, every title "F…"."""
    from prototypes.demo import add_demo_prototypes
    from workshop.academy.demo import ensure_demo_academy
    academy_id = ensure_demo_academy(ctx)
    add_demo_prototypes(ctx.prototypes, academy_id,
                        sorted({p.school for p in ctx.academies.participants(academy_id)}))
    window = make_window()
    window.open_academy(academy_id)
    window.resize(*PROJECTOR)
    window.show_page("prototypes")
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    table = window.page("prototypes").library.table
    assert table.model().rowCount() >= 3
    assert table.columnWidth(0) >= 180, table.columnWidth(0)
    assert not table.horizontalScrollBar().isVisible()
