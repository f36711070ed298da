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

    def rollout():
        from prototypes.ui.rollout.page import RolloutPage
        return RolloutPage(ctx.rollout)

    window.add_page("prototypes", "Prototypes", prototypes, menu_title="&Prototype")
    window.add_page("maps", "Initiative maps", maps, menu_title="&Map")
    window.add_page("rollout", "Vision & plan", rollout)
    connect_plan_search(window)


def connect_plan_search(window) -> None:
    """A team found by its vision or plan in the library opens on the Vision & plan page."""
    def open_plan(academy_id: int, team: str) -> None:
        if window.academy_id != academy_id:
            window.open_academy(academy_id)
        window.show_page("rollout")
        window.page("rollout").open_team(team)

    def on_built(key: str) -> None:
        # The library lives on the Prototypes page, which is built when first needed.
        if key == "prototypes":
            window.page("prototypes").library.plan_requested.connect(open_plan)

    if window.is_built("prototypes"):
        on_built("prototypes")
    else:
        window.page_built.connect(on_built)
