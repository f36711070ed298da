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

    pair: dict = {}

    def rotation_and_attendance() -> dict:
        """The two pages are wired to each other (the projector, the join button): built together."""
        if not pair:
            from stations.ui.join.attendance_page import AttendancePage
            from stations.ui.rotation.page import RotationPage
            pair["rotation"] = rotation = RotationPage(ctx.rotation, window.ticker)
            pair["attendance"] = attendance = AttendancePage(ctx.join, ctx.clock, window.ticker,
                                                             grouping=ctx.grouping)
            attendance.attach_projector(rotation.projector)
            rotation.add_join_button(attendance.serve_action)
        return pair

    window.add_page("stations", "Stations", stations)
    window.add_page("grouping", "Groups", grouping)
    window.add_page("rotation", "Rotation", lambda: rotation_and_attendance()["rotation"])
    window.add_page("attendance", "Attendance", lambda: rotation_and_attendance()["attendance"])
