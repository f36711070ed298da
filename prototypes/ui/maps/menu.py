"""The map canvas's context menu: what a right-click offers on a link, an initiative, the hub or
the empty canvas. The actions are the page's own (same shortcuts, same undo)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu

from prototypes.ui.maps.items import EdgeItem, NodeItem

if TYPE_CHECKING:
    from prototypes.ui.maps.editor import MapEditorPage


def context_menu(page: MapEditorPage, item) -> QMenu:
    """The menu for ``item`` (an EdgeItem, a NodeItem, or None for the canvas) of the open map."""
    menu = QMenu(page)
    if isinstance(item, EdgeItem):
        for r, action in enumerate(page.rate_actions):
            action.setCheckable(True)
            action.setChecked(page.current.links[item.key].rating == r)
            menu.addAction(action)
        menu.addAction("How it connects…", lambda: page.edit_link_note(item.key))
        menu.addAction(page.delete_action)
    elif isinstance(item, NodeItem):
        menu.addAction(page.rename_action)
        if item.key != page.current.hub.id:
            for action in page.rate_actions:
                action.setCheckable(False)
            menu.addActions(page.rate_actions)
            menu.addAction(page.link_action)
            menu.addAction(page.delete_action)
    else:
        menu.addAction(page.add_action)
        menu.addAction(page.relayout_action)
        menu.addAction(page.fit_action)
    return menu
