"""Issue 13 item 5 in headless Chromium: the phone page says what is expected of its holder —
the arrival scan counts for round 1, and each new station needs a new scan."""
from __future__ import annotations

import pytest

from tests.stations.join.test_e2e import advance_to, browser, phone_page, room  # noqa: F401

pytestmark = [pytest.mark.slow,   # a real browser, a real server
              pytest.mark.serving("thread")]   # the rotation moves on the fake clock


def test_the_phone_says_when_to_scan_again(browser, ctx, clock, room):  # noqa: F811
    academy_id = room
    person = ctx.academies.participants(academy_id)[0]
    group = next(g for g in ctx.grouping.saved_groups(academy_id) if person.id in g.member_ids)
    links = {link.position: link for link in ctx.join.links(academy_id)}
    first = ctx.rotation.plan(academy_id).path(group.index)[0]
    page = phone_page(browser)
    page.goto(links[first].url)
    page.get_by_label("Type your name").fill(person.name)
    page.get_by_role("button", name=person.name).click()
    expect = page.locator("#expect")
    expect.filter(has_text="You're checked in for round 1. When the room moves, scan again "
                           "at your next station.").wait_for()
    advance_to(ctx, clock, academy_id, "round")      # the arrival scan still counts
    expect.filter(has_text="You're checked in for round 1.").wait_for()
    advance_to(ctx, clock, academy_id, "transition")
    expect.filter(has_text="Scan again at your next station when you get there").wait_for()
    assert page.alerts == []
