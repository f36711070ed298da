"""Every control on every page has an accessible name and is reachable with Tab (issue 13,
accessibility): the whole window is built with the demo academy (its groups, maps and
prototypes too), each page is shown in turn, and every visible interactive widget is listed;
the test fails on one a screen reader could not name or a keyboard could not reach."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSlider,
                               QAbstractSpinBox, QApplication, QComboBox, QGraphicsView,
                               QHeaderView, QLineEdit, QPlainTextEdit, QPushButton, QScrollBar,
                               QTabBar, QTextEdit, QWidget)

INTERACTIVE = (QAbstractButton, QLineEdit, QAbstractSpinBox, QComboBox, QAbstractItemView,
               QGraphicsView, QTextEdit, QPlainTextEdit, QAbstractSlider, QTabBar)
TRAPPED_AFTER = 8   # Tab presses that may stay in one widget (a date edit has 3 sections)
PAGES = ("academies", "roster", "stations", "grouping", "rotation", "attendance", "prototypes",
         "maps", "handouts")


def _part_of_another(widget: QWidget) -> bool:
    """Pieces Qt builds inside a control (a spin box's edit, a view's header or scroll bars, a
    tab bar's scroll arrows, a combo's edit): the control they belong to is what is named."""
    if isinstance(widget, (QHeaderView, QScrollBar)):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QAbstractSpinBox, QComboBox, QTabBar, QAbstractItemView)):
            return True
        parent = parent.parentWidget()
    return False


def controls(root: QWidget) -> list[QWidget]:
    """Every visible interactive widget in ``root``, in creation order."""
    return [w for w in root.findChildren(QWidget)
            if isinstance(w, INTERACTIVE) and w.isVisible() and not _part_of_another(w)]


def spoken_name(widget: QWidget) -> str:
    """What a screen reader says for ``widget``: its accessible name, or a button's text (a
    tab bar is read tab by tab, each by its title)."""
    name = widget.accessibleName().strip()
    if not name and isinstance(widget, QAbstractButton):
        name = widget.text().replace("&", "").strip()
    if not name and isinstance(widget, QTabBar) and widget.count():
        titles = [widget.tabText(i).replace("&", "").strip() for i in range(widget.count())]
        name = ", ".join(titles) if all(titles) else ""
    return name


def describe(widget: QWidget) -> str:
    return (f"{type(widget).__name__} {widget.objectName() or ''} "
            f"{getattr(widget, 'text', lambda: '')()[:30]!r} {widget.toolTip()[:40]!r}").strip()


def tab_cycle(window: QWidget, start: QWidget) -> tuple[list[QWidget], list[QWidget]]:
    """The widgets Tab visits from ``start`` until it comes back, and those that keep the focus
    for more than a few presses (a table whose Tab walks every cell: a keyboard trap; a date
    edit's few sections are fine)."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    seen: list[QWidget] = []
    traps: list[QWidget] = []
    stayed = 0
    for _ in range(600):
        focus = QApplication.focusWidget()
        if focus is None or (seen and focus is seen[0] and not stayed):
            break
        if not stayed:
            seen.append(focus)
        focus.focusNextChild()
        QApplication.processEvents()
        stayed = stayed + 1 if QApplication.focusWidget() is focus else 0
        if stayed > TRAPPED_AFTER:
            traps.append(focus)
            break
    return seen, traps


def reached(widget: QWidget, cycle: list[QWidget]) -> bool:
    """Tab reaches ``widget`` itself, or its focus proxy (a combo's edit, say)."""
    return any(w is widget or w.focusProxy() is widget or widget.focusProxy() is w
               for w in cycle)


def problems_in(window: QWidget, page: QWidget) -> list[str]:
    found = [w for w in controls(page) if w.isEnabled()] + [window.nav]  # type: ignore[attr-defined]
    unnamed = [f"unnamed: {describe(w)}" for w in found if not spoken_name(w)]
    no_tab = [f"no Tab focus: {describe(w)}" for w in found
              if not (w.focusPolicy() & Qt.FocusPolicy.TabFocus)]
    cycle, traps = tab_cycle(window, window.nav)  # type: ignore[attr-defined]
    unreached = [f"not reached by Tab: {describe(w)}" for w in found
                 if w.focusPolicy() & Qt.FocusPolicy.TabFocus and not reached(w, cycle)]
    return unnamed + no_tab + unreached + [f"Tab stays in: {describe(w)}" for w in traps]


def test_the_walk_finds_an_unnamed_and_an_unreachable_control(qtbot, make_window):
    """The walk itself: an icon-only button and a no-focus button are both reported."""
    window = make_window("academies")
    window.show()
    qtbot.waitExposed(window)
    page = window.page("academies")
    blank = QPushButton(page)
    blank.show()
    stuck = QPushButton("Stuck", page)
    stuck.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    stuck.show()
    problems = problems_in(window, page)
    assert any(p.startswith("unnamed: QPushButton") for p in problems)
    assert any(p.startswith("no Tab focus") and "'Stuck'" in p for p in problems)


@pytest.fixture
def full_demo(ctx, demo_academy):
    from workshop.app import demo_steps
    for step in demo_steps():
        step(ctx, demo_academy.id, lambda _line: None)
    return demo_academy


def test_every_control_on_every_page_is_named_and_reachable_by_tab(qtbot, make_window, full_demo):
    window = make_window()
    window.open_academy(full_demo.id)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    problems: list[str] = []
    walked = 0
    for key in PAGES:
        window.show_page(key)
        page = window.page(key)
        QApplication.processEvents()
        walked += len(controls(page))
        problems += [f"{key}: {p}" for p in problems_in(window, page)]
    # What a page shows only once asked: a prototype opened from the library (Enter on its
    # row), and the map's details for a selected initiative and a selected link.
    window.show_page("prototypes")
    library = window.page("prototypes").library
    library.table.setFocus()
    library.table.setCurrentIndex(library.table.model().index(0, 0))
    qtbot.keyClick(library.table, Qt.Key.Key_Return)
    editor = window.page("prototypes").editor
    assert editor.isVisible()
    for tab in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(tab)
        QApplication.processEvents()
        walked += len(controls(editor))
        problems += [f"prototype editor, tab {editor.tabs.tabText(tab)!r}: {p}"
                     for p in problems_in(window, editor)]
    window.show_page("maps")
    maps = window.page("maps")
    from prototypes.ui.maps.items import EdgeItem, NodeItem
    for kind in (NodeItem, EdgeItem):
        maps.scene.clearSelection()
        next(i for i in maps.scene.items() if isinstance(i, kind)).setSelected(True)
        QApplication.processEvents()
        walked += len(controls(maps))
        problems += [f"maps, {kind.__name__} selected: {p}" for p in problems_in(window, maps)]
    assert walked > 60, "the walk found too few controls to be walking the pages"
    assert not problems, "\n".join(sorted(set(problems)))


def test_the_dialogs_controls_are_named_and_reachable_by_tab(qtbot, ctx, demo_academy):
    """The academy, new-prototype and roster-import dialogs, walked like the pages."""
    from datetime import date

    from prototypes.ui.page import NewPrototypeDialog
    from workshop.ui.academy.academies_page import AcademyDialog
    from workshop.ui.academy.roster_page import RosterPage
    roster = RosterPage(ctx.academies)
    qtbot.addWidget(roster)
    roster.set_academy(demo_academy.id)
    dialogs = {"academy": AcademyDialog(None, demo_academy, today=date(2026, 3, 12)),
               "new prototype": NewPrototypeDialog(["Lincoln High School"]),
               "roster import": roster.import_text(ctx.academies.export_roster_csv(demo_academy.id))}
    problems: list[str] = []
    for title, dialog in dialogs.items():
        if dialog.parent() is None:   # the import dialog belongs to the roster page
            qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        found = [w for w in controls(dialog) if w.isEnabled()]
        assert found, title
        cycle, traps = tab_cycle(dialog, found[0])
        problems += [f"{title}: Tab stays in: {describe(w)}" for w in traps]
        problems += [f"{title}: unnamed: {describe(w)}" for w in found if not spoken_name(w)]
        problems += [f"{title}: not reached by Tab: {describe(w)}" for w in found
                     if not reached(w, cycle)]
        dialog.hide()
    assert not problems, "\n".join(problems)
