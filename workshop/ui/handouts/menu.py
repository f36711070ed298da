"""The window's Export/Print menu: every handout opens the Handouts page on it (preview,
paper, save, open, print); the pack is one step away.

Kept apart from the page so the first window can install the menu without importing the page,
reportlab or the renderers: the handouts are listed when the menu first opens, in idle time
after the first paint, or at once if the page is already built.
"""
from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu


def install_export_menu(window, handouts, key: str = "handouts") -> QMenu:
    """Add the Export/Print menu to ``window`` for ``handouts()`` (it returns the
    HandoutService: read when the menu is filled, so the first frame does not build the
    service), whose page is ``key``; returns the menu."""
    menu = QMenu("E&xport/Print", window)
    last = menu.addSeparator()
    # The page's own action, so the menu, the button and Ctrl+Shift+P take one path.
    menu.addAction(QAction("Whole pack…", window,
                           triggered=lambda _checked=False: window.page(key).write_pack()))
    filled: list[bool] = []

    def fill() -> None:
        if filled:
            return
        filled.append(True)
        actions = []
        for kind in handouts().kinds.values():
            def show(checked=False, k=kind.key):
                window.show_page(key)
                window.page(key).select(k)
            actions.append(QAction(f"{kind.title}…", window, triggered=show))
        menu.insertActions(last, actions)

    if window.is_built(key):
        fill()
    else:
        menu.aboutToShow.connect(fill)
        window.when_idle(fill)
    window.menuBar().insertMenu(window.help_menu.menuAction(), menu)

    # Check-ins, reflections and prototypes change on other pages: show what is true now. A
    # page built by this very showing has just drawn what is true (no second preview).
    fresh: set[str] = set()
    window.page_built.connect(fresh.add)

    def shown(page_key: str) -> None:
        if page_key != key:
            return
        if page_key in fresh:
            fresh.discard(page_key)
            return
        window.page(key)._kind_changed()
    window.page_shown.connect(shown)
    return menu
