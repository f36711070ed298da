"""End to end in Chromium: a phone's second walk-in waits for the facilitator, says so, and is
let in when the facilitator approves (issue 12 item 6)."""
from __future__ import annotations

import pytest

from tests.stations.join.test_e2e import browser, phone_page, room  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.slow,   # a real browser, a real server
              pytest.mark.serving("process")]   # as the window serves phones


def walk_in(page, name):
    page.get_by_role("button", name="I'm not on the list").click()
    page.get_by_label("Your full name").fill(name)
    page.get_by_role("button", name="Join as a walk-in").click()


def test_a_second_walk_in_from_one_phone_waits_for_approval(browser, ctx, room):  # noqa: F811
    link = ctx.join.links(room)[0]
    page = phone_page(browser)
    page.goto(link.url)
    walk_in(page, "Early Bird")
    page.get_by_text("You're checked in at Station 1.").wait_for()
    page.get_by_role("button", name="Not you? Switch person").click()
    walk_in(page, "Second Person")
    page.get_by_text("The facilitator will let you in shortly. Keep this page open.").first.wait_for()
    (waiting,) = ctx.join.waiting_walk_ins(room)
    assert waiting.name == "Second Person"
    assert "Second Person" not in [p.name for p in ctx.academies.participants(room)]
    ctx.join.approve_walk_in(waiting.id)
    page.get_by_text("You're checked in at Station 1.").wait_for(timeout=8000)
    page.locator("#you").filter(has_text="Second Person · walk-in").wait_for()
    assert page.alerts == []
    page.context.close()
