"""End to end in Chromium (issue 19 item 1): a phone that scanned its person's own code checks
in at three stations with one tap each, and never searches a name."""
from __future__ import annotations

import pytest

from tests.stations.join.test_e2e import browser, phone_page, room  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.slow,   # a real browser, a real server
              pytest.mark.serving("process")]   # as the window serves phones


def test_a_personal_link_makes_every_station_one_tap(browser, ctx, room):  # noqa: F811
    person = ctx.academies.participants(room)[3]
    own = ctx.join.personal_links(room)[person.id]
    page = phone_page(browser)
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(own)
    page.get_by_text(f"This phone now knows you as {person.name}.").wait_for()
    assert page.get_by_role("heading", level=1).inner_text() == f"Hello, {person.name}"
    for link in ctx.join.links(room):
        page.goto(link.url)
        page.get_by_role("button", name=f"Check in as {person.name}").click()
        page.get_by_text(f"You're checked in at Station {link.position}.").wait_for()
    mine = [c.station_position for c in ctx.join.checkins(room) if c.participant_id == person.id]
    assert sorted(mine) == [1, 2, 3]
    assert not [url for url in asked if "/names" in url]  # no name search at all
    assert page.alerts == []
    page.context.close()
