"""Qt pages of the prototypes feature."""
from __future__ import annotations


def add_pages(window, ctx) -> None:
    """Add this feature's pages to the main window."""
    from prototypes.ui.page import PrototypesPage
    window.add_page("prototypes", "Prototypes", PrototypesPage(ctx.prototypes, ctx.academies),
                    menu_title="&Prototype")
    from prototypes.ui.maps.editor import MapEditorPage
    window.add_page("maps", "Initiative maps", MapEditorPage(ctx.maps), menu_title="&Map")
    from prototypes.ui.rollout.page import RolloutPage
    window.add_page("rollout", "Vision & plan", RolloutPage(ctx.rollout))
