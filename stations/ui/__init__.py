"""Qt pages of the stations feature."""
from __future__ import annotations


def add_pages(window, ctx) -> None:
    """Add this feature's pages to the main window, in the order a facilitator works. Each is
    a factory: the window builds a page when it is first needed (the first window pays for
    its first page only)."""
    def stations():
        from stations.ui.setup.page import StationsPage
        return StationsPage(ctx.stations)

    def grouping():
        from stations.ui.grouping.page import GroupingPage
        return GroupingPage(ctx.grouping,
                            default_groups=lambda academy_id: len(ctx.stations.stations(academy_id)))

    def rotation():
        from PySide6.QtGui import QAction
        from stations.ui.rotation.page import RotationPage
        page = RotationPage(ctx.rotation, window.ticker)
        # The join button's action belongs to the Attendance page, built (with the join
        # service) when it is first needed: until then a stand-in that builds it and lets
        # phones in. The Rotation page's first opening does not pay for either (issue 20).
        stand_in = QAction("Let phones join", page, checkable=True)

        def let_phones_join(_checked=False) -> None:
            stand_in.setChecked(False)
            window.page("attendance").serve_action.trigger()
        stand_in.triggered.connect(let_phones_join)
        page.add_join_button(stand_in)
        return page

    def attendance():
        from stations.ui.join.attendance_page import AttendancePage
        from stations.ui.join.switch import mirror_switch
        rotation = window.page("rotation")   # the two are wired: the projector, the join button
        page = AttendancePage(ctx.join, ctx.clock, window.ticker, grouping=ctx.grouping)
        page.attach_projector(rotation.projector)
        button = rotation.buttons["join"]
        button.setDefaultAction(page.serve_action)   # the stand-in's button
        mirror_switch(button, page)
        return page

    window.add_page("stations", "Stations", stations)
    window.add_page("grouping", "Groups", grouping)
    window.add_page("rotation", "Rotation", rotation)
    window.add_page("attendance", "Attendance", attendance)
