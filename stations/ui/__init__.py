"""Qt pages of the stations feature."""
from __future__ import annotations


def add_pages(window, ctx) -> None:
    """Add this feature's pages to the main window, in the order a facilitator works."""
    from stations.ui.setup.page import StationsPage

    window.add_page("stations", "Stations", StationsPage(ctx.stations))

    from stations.ui.grouping.page import GroupingPage
    window.add_page("grouping", "Groups", GroupingPage(
        ctx.grouping, default_groups=lambda academy_id: len(ctx.stations.stations(academy_id))))

    from stations.ui.rotation.page import RotationPage
    window.add_page("rotation", "Rotation", RotationPage(ctx.rotation, window.ticker))

    from stations.ui.join.attendance_page import AttendancePage
    window.add_page("attendance", "Attendance", AttendancePage(ctx.join, ctx.clock, window.ticker,
                                                                grouping=ctx.grouping))
    attendance, rotation = window.page("attendance"), window.page("rotation")
    attendance.attach_projector(rotation.projector)
    rotation.add_join_button(attendance.serve_action)
