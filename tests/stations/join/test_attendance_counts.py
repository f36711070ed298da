"""Attendance counts each kind on its own and shows every name (issue 13, item 12)."""
from __future__ import annotations

import pytest

from stations.grouping.service import ensure_demo_grouping

pytestmark = pytest.mark.pages("rotation", "attendance")


@pytest.fixture
def running(qtbot, window, ctx, demo_academy):
    """The demo academy in round 1, the Attendance page showing, and its round-1 plan."""
    academy_id = demo_academy.id
    ensure_demo_grouping(ctx, academy_id)
    window.open_academy(academy_id)
    window.show_page("attendance")
    window.resize(1280, 800)
    ctx.rotation.start(academy_id)
    return academy_id, ctx.rotation.plan(academy_id), window.page("attendance")


def at(plan, position):
    """The people the schedule expects at ``position`` in round 1."""
    return [p for g in plan.groups if plan.rounds[0].stations[g.index] == position
            for p in g.member_ids]


def test_walk_ins_and_people_at_another_station_are_counted_apart(qtbot, window, ctx, running):
    academy_id, plan, page = running
    first, second = plan.rounds[0].stations[0], plan.rounds[0].stations[1]
    mine, other = at(plan, first), at(plan, second)
    ctx.join.record_checkin(academy_id, mine[0], first)     # where the schedule expects them
    ctx.join.record_checkin(academy_id, other[0], first)    # their group is at another station
    ctx.join.record_walk_in(academy_id, "Zoe B.", first)    # not on the roster
    qtbot.waitUntil(lambda: (window.ticker.tick(), "Round 1:" in page.summary.text())[1],
                    timeout=1000)
    card = page.cards[first - 1]
    assert card.counts.text() == (f"Expected here: 1 of {len(mine)} · 1 from another station"
                                  " · 1 walk-in")
    total = sum(len(at(plan, p)) for p in (1, 2, 3))
    assert page.summary.text() == (
        f"Round 1: 1 of {total} people expected are at their station · 1 at another station"
        f" · 1 walk-in · {total - 2} expected, not checked in.")
    assert page.cards[second - 1].counts.text() == f"Expected here: 0 of {len(other)}"


def test_every_expected_name_is_shown_not_three(qtbot, window, ctx, running):
    academy_id, plan, page = running
    position = plan.rounds[0].stations[0]
    names = {p.id: p.name for p in ctx.academies.participants(academy_id)}
    expected = sorted((names[p] for p in at(plan, position)), key=str.casefold)
    window.show()
    qtbot.waitExposed(window)
    window.ticker.tick()
    missing = page.cards[position - 1].missing
    assert len(expected) >= 10 and sorted(missing.texts(), key=str.casefold) == expected

    def every_row_inside() -> bool:
        # Every row lies inside the list's own viewport: the list never hides names behind
        # its scroll bar; the page's scroll area scrolls instead.
        viewport = missing.viewport().rect()
        return missing.isVisible() and all(
            viewport.contains(missing.visualRect(missing.names.index(row)))
            for row in range(missing.names.rowCount()))
    qtbot.waitUntil(every_row_inside, timeout=1000)
