"""End to end in headless Chromium (Debian's, driven by Playwright): scan → find your name →
check in → follow the rotation live → move on → reflect at the debrief. Loopback only."""
from __future__ import annotations

import pytest

from tests.conftest import require_tool
from tests.ports import free_port
from workshop.store import open_database

pytestmark = [pytest.mark.slow,   # a real browser, a real server
              pytest.mark.serving("process")]   # as the window serves phones

HTML = "<b>Bold</b><img src=x onerror=alert(1)>"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    chromium = require_tool("chromium", "the end-to-end test drives the phone page in Chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def room(ctx, clock, demo_academy, serving):
    from stations.grouping.service import ensure_demo_grouping
    ensure_demo_grouping(ctx, demo_academy.id, lambda text: None)
    # Outside the ephemeral range: test_e2e_link restarts the server on this port, and an
    # outgoing connection elsewhere on the machine could take an ephemeral one meanwhile.
    ctx.join.start_server(host="127.0.0.1", port=free_port(), live_interval=0.05)
    yield demo_academy.id
    ctx.join.stop_server()


def phone_page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.set_default_timeout(5000)
    alerts = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    page.alerts = alerts
    return page


def advance_to(ctx, clock, academy_id, phase):
    if ctx.rotation.snapshot(academy_id).phase == "ready":
        ctx.rotation.start(academy_id)
    while ctx.rotation.snapshot(academy_id).phase != phase:
        ctx.rotation.next(academy_id)
    clock.advance(1)  # the server's shared read of the rotation is due again


@pytest.mark.serving("thread")  # the rotation moves on the fake clock
def test_scan_check_in_follow_move_and_reflect(browser, ctx, clock, config, room):
    academy_id = room
    person = ctx.academies.participants(academy_id)[0]
    group = next(g for g in ctx.grouping.saved_groups(academy_id) if person.id in g.member_ids)
    links = {link.position: link for link in ctx.join.links(academy_id)}
    plan = ctx.rotation.plan(academy_id)
    first, second = plan.path(group.index)[:2]
    page = phone_page(browser)

    # Scan the first station's code.
    page.goto(links[first].url)
    page.get_by_role("heading", level=1).filter(has_text=links[first].title).wait_for()
    search = page.get_by_label("Type your name")
    search.fill(person.name[0])
    assert page.locator("#matches button").count() == 0  # one letter lists nobody
    search.fill(person.name.split()[0][:3])
    page.wait_for_timeout(400)
    assert page.locator("#matches button").count() == 0  # nor does a prefix
    search.fill(person.name.split()[0])  # their first name: they are expected at this station
    page.get_by_role("button", name=person.name).click()
    page.get_by_text(f"You're checked in at Station {first}.").wait_for()
    page.locator("#you").filter(has_text=f"{person.name} · {group.name}").wait_for()
    assert page.locator("#matches button").count() <= 5
    db = open_database(config.db_path)
    assert db.execute("SELECT participant_id, round FROM join_checkins").fetchall() == [(person.id, 0)]

    # The rotation starts: the page follows it live.
    advance_to(ctx, clock, academy_id, "round")
    page.locator("#phase").filter(has_text="Round 1 of 3").wait_for()
    assert page.locator("#time").inner_text().count(":") == 1
    advance_to(ctx, clock, academy_id, "transition")
    page.locator("#move").filter(has_text=f"Move to {links[second].title}").wait_for()

    # Scanning the next station's code is one tap: the phone remembers the person.
    page.goto(links[second].url)
    page.get_by_role("button", name=f"Check in as {person.name}").click()
    page.get_by_text(f"You're checked in at Station {second}.").wait_for()
    rows = db.execute("SELECT round FROM join_checkins WHERE participant_id = ? ORDER BY id",
                      [person.id]).fetchall()
    assert rows == [(0,), (2,)]

    # The debrief: a reflection form for each station visited, anonymous if they choose.
    advance_to(ctx, clock, academy_id, "debrief")
    forms = page.locator("form.reflection")
    forms.first.wait_for()
    assert forms.count() == 2
    form = page.locator(f"#reflect-{second}")
    form.get_by_label("Your reflection").fill(f"Calm. {HTML}")
    form.get_by_label("Send without my name").check()
    form.get_by_role("button", name="Send reflection").click()
    form.get_by_text("Sent. Thank you!").wait_for()
    saved = ctx.join.reflections(academy_id)
    assert [(r.text, r.anonymous, r.author, r.station_position) for r in saved] == [
        (f"Calm. {HTML}", True, None, second)]
    assert page.alerts == []
    db.close()
    page.context.close()


def test_a_walk_in_with_markup_in_their_name_sees_it_literally(browser, ctx, room):
    link = ctx.join.links(room)[0]
    page = phone_page(browser)
    page.goto(link.url)
    page.get_by_label("Type your name").fill("Nobody Here")
    page.get_by_text("No one on the list matches").wait_for()
    page.get_by_role("button", name="I'm not on the list").click()
    page.get_by_label("Your full name").fill(HTML)
    page.get_by_role("button", name="Join as a walk-in").click()
    page.get_by_text("You're checked in at Station 1.").wait_for()
    page.locator("#you").filter(has_text=HTML).wait_for()
    assert page.locator("#you").inner_text() == f"{HTML} · walk-in"
    assert page.locator("b, img").count() == 0 and page.alerts == []
    assert ctx.join.checkins(room)[0].walk_in is True
    page.context.close()


def test_an_old_code_shows_the_plain_not_found_page(browser, ctx, room):
    old = ctx.join.links(room)[0]
    ctx.join.regenerate_tokens(room)
    page = phone_page(browser)
    response = page.goto(old.url)
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "This link does not work"
    page.context.close()
