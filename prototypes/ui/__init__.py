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
    connect_plan_search(window)


def connect_plan_search(window) -> None:
    """A team found by its vision or plan in the library opens on the Vision & plan page."""
    def open_plan(academy_id: int, team: str) -> None:
        if window.academy_id != academy_id:
            window.open_academy(academy_id)
        window.show_page("rollout")
        window.page("rollout").open_team(team)
    window.page("prototypes").library.plan_requested.connect(open_plan)
