"""Qt pages of the prototypes feature."""
from __future__ import annotations


def add_pages(window, ctx) -> None:
    """Add this feature's pages to the main window, each as a factory the window calls when
    the page is first needed."""
    def prototypes():
        from prototypes.ui.page import PrototypesPage
        return PrototypesPage(ctx.prototypes, ctx.academies)

    def maps():
        from prototypes.ui.maps.editor import MapEditorPage
        return MapEditorPage(ctx.maps)

    window.add_page("prototypes", "Prototypes", prototypes, menu_title="&Prototype")
    window.add_page("maps", "Initiative maps", maps, menu_title="&Map")
