"""The phone page with the scripts table, in headless Chromium: each name is found, and its
button takes the name's own direction (``dir="auto"``), as the name field and reflection do."""
from __future__ import annotations

import pytest

from tests.scripts import NAMES
from tests.stations.join.test_e2e import browser, phone_page  # noqa: F401 (the fixture)
from stations.join.identity.guard import JoinLimits
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


def test_one_chinese_character_finds_a_spaced_name(browser, ctx, tmp_path):  # noqa: F811
    """"张" alone is a whole syllable: the page asks the server (it used to stop at "type two
    letters"; whether one word names someone is the server's rule, issue 12), and "张伟"
    finds "张 伟" as typed on the roster."""
    academy = ctx.academies.create("Han Academy", place="Gym")
    ctx.academies.add_participant(academy.id, Participant("张 伟", school="Lincoln High"))
    ctx.join.start_server(host="127.0.0.1", port=0, live_interval=0.05)
    try:
        link = ctx.join.links(academy.id)[0]
        page = phone_page(browser)
        page.goto(link.url)
        search = page.get_by_label("Type your name")
        with page.expect_request(lambda r: "/names?q=" in r.url, timeout=5000) as asked:
            search.fill("张")
        assert "q=%E5%BC%A0" in asked.value.url
        search.fill("张伟")
        button = page.locator("#matches button").filter(has_text="张 伟")
        button.wait_for(timeout=5000)
        assert button.count() == 1
        page.context.close()
    finally:
        ctx.join.stop_server()
