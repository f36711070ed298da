"""The phone page with the scripts table, in headless Chromium: each name is found, and its
button takes the name's own direction (``dir="auto"``), as the name field and reflection do."""
from __future__ import annotations

import pytest

from tests.scripts import NAMES
from tests.stations.join.test_e2e import browser, phone_page  # noqa: F401 (the fixture)
from stations.join.guard import JoinLimits
from workshop.academy.model import Participant

pytestmark = pytest.mark.slow  # a real browser, a real server


@pytest.fixture
def roster(ctx):
    academy = ctx.academies.create("Scripts Academy", place="Gym")
    for sample in NAMES:
        ctx.academies.add_participant(academy.id, Participant(sample.text, school="Lincoln High"))
    # Every name from one loopback address: a budget that covers the table (issue 12's limit of
    # four names per phone is tested where it belongs).
    ctx.join.start_server(host="127.0.0.1", port=0, live_interval=0.05,
                          join_limits=JoinLimits(names_per_phone=len(NAMES)))
    yield academy.id
    ctx.join.stop_server()


def test_every_name_is_found_and_shown_in_its_direction(browser, ctx, roster, tmp_path):  # noqa: F811
    link = ctx.join.links(roster)[0]
    for sample in NAMES:
        page = phone_page(browser)
        page.goto(link.url)
        search = page.get_by_label("Type your name")
        search.fill(sample.text)
        button = page.locator("#matches button")
        button.filter(has_text=sample.text).wait_for()
        assert button.count() == 1, sample.key
        direction = button.evaluate("b => getComputedStyle(b).direction")
        assert direction == ("rtl" if sample.rtl else "ltr"), sample.key
        assert search.evaluate("e => getComputedStyle(e).direction") == direction, sample.key
        if sample.key in ("hebrew", "devanagari"):
            page.screenshot(path=str(tmp_path / f"phone-{sample.key}.png"))
        page.context.close()
