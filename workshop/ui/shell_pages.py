"""The shell's own pages, added to the main window as factories (built when first needed)."""
from __future__ import annotations


def add_academy_pages(window, ctx) -> None:
    """The Academies and Roster pages (the window's first two)."""
    def academies():
        from workshop.ui.academy.academies_page import AcademiesPage
        page = AcademiesPage(ctx.academies, ctx.clock, bundles=ctx.bundles)
        page.open_requested.connect(window.open_academy)
        return page

    def roster():
        from workshop.ui.academy.roster_page import RosterPage
        return RosterPage(ctx.academies)
    window.add_page("academies", "Academies", academies)
    window.add_page("roster", "Roster", roster)


def add_handouts_page(window, ctx) -> None:
    """The Handouts page (built only when opened: building it renders its preview) and the
    Export/Print menu that reaches it from every page."""
    def handouts():
        from workshop.ui.handouts.page import HandoutsPage
        return HandoutsPage(ctx.handouts)
    window.add_page("handouts", "Handouts", handouts, menu_title="&Handout", idle=False)
    from workshop.ui.handouts.menu import install_export_menu
    install_export_menu(window, lambda: ctx.handouts)
