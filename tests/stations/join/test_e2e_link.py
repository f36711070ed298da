"""End to end in Chromium (issue 19 items 2 and 3): the phone shows the laptop's time whatever its
own clock says, says at once when it loses the laptop, never shows a stale countdown as live,
reconnects by itself and sends what it kept while offline."""
from __future__ import annotations

import time

import pytest

from tests.stations.join.test_e2e import advance_to, browser, phone_page, room  # noqa: F401

pytestmark = [pytest.mark.slow,   # a real browser, a real server
              pytest.mark.serving("process")]   # as the window serves phones

# The phone's clocks, wrong on purpose: its wall clock 5 minutes fast, its stopwatch offset too;
# ``window.__shift.wall`` lets the test make the wall clock jump (a network time correction).
SHIFTED_CLOCK = """
(() => {
  const shift = { wall: 5 * 60 * 1000, mono: 123456 };
  window.__shift = shift;
  const RealDate = Date, realNow = Date.now.bind(Date);
  const perfNow = performance.now.bind(performance);
  performance.now = () => perfNow() + shift.mono;
  class ShiftedDate extends RealDate {
    constructor(...args) { if (args.length) { super(...args); } else { super(realNow() + shift.wall); } }
    static now() { return realNow() + shift.wall; }
  }
  window.Date = ShiftedDate;
})();
"""


def phone_left_ms(page) -> float:
    """What the phone's countdown stands at now, in ms (from its anchor on its own stopwatch)."""
    return page.evaluate(
        "() => Number(document.getElementById('time').dataset.endsAt) - performance.now()")


def assert_same_as_projector(ctx, academy_id, page):
    """The phone's time left lies between the laptop's before and after reading it, ±100 ms."""
    for _ in range(5):
        before = ctx.rotation.snapshot(academy_id).remaining_s * 1000
        phone = phone_left_ms(page)
        after = ctx.rotation.snapshot(academy_id).remaining_s * 1000
        if after - before > -50:  # a quiet moment: the two reads were close together
            break
    assert after - 100 <= phone <= before + 100, (before, phone, after)


@pytest.fixture
def clock():
    """The laptop's real clock: the rotation counts down while the phone does."""
    from workshop.clock import SystemClock
    return SystemClock()


def checked_in_phone(browser, ctx, academy_id, init_script=None):  # noqa: F811
    person = ctx.academies.participants(academy_id)[0]
    links = ctx.join.links(academy_id)
    page = phone_page(browser)
    if init_script:
        page.add_init_script(init_script)
    page.goto(links[0].url)
    page.get_by_label("Type your name").fill(person.name)
    page.get_by_role("button", name=person.name).click()
    page.get_by_text("You're checked in at Station 1.").wait_for()
    return page, person, links


def test_a_phone_whose_clock_is_wrong_shows_the_projectors_time(browser, ctx, room):  # noqa: F811
    page, _, _ = checked_in_phone(browser, ctx, room, SHIFTED_CLOCK)
    assert page.evaluate("() => Date.now() - performance.timeOrigin - performance.now()") > 60_000
    ctx.rotation.start(room)
    page.locator("#phase").filter(has_text="Round 1 of 3").wait_for()
    page.wait_for_function("() => document.getElementById('time').dataset.endsAt")
    assert_same_as_projector(ctx, room, page)
    page.get_by_text("Connected · updated").wait_for()
    shown = page.locator("#time").inner_text()
    minutes, seconds = map(int, shown.split(":"))
    assert abs(minutes * 60 + seconds - ctx.rotation.snapshot(room).remaining_s) <= 1.5

    # The phone's wall clock jumps back 5 minutes (its time is corrected): the time left holds.
    page.evaluate("() => { window.__shift.wall = 0; }")
    page.wait_for_timeout(600)
    assert_same_as_projector(ctx, room, page)

    # +1 minute on the laptop: the phone follows at once, still within 100 ms.
    ctx.rotation.adjust(room, 60)
    page.wait_for_timeout(400)
    assert_same_as_projector(ctx, room, page)
    page.context.close()


def test_a_phone_woken_from_sleep_shows_the_right_phase_at_once(browser, ctx, room):  # noqa: F811
    page, _, _ = checked_in_phone(browser, ctx, room)
    ctx.rotation.start(room)
    page.locator("#phase").filter(has_text="Round 1 of 3").wait_for()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setWebLifecycleState", {"state": "frozen"})  # asleep: no timers, no events
    advance_to(ctx, _NoClock(), room, "transition")
    time.sleep(0.5)  # the real phone sleeps; nothing on the laptop waits for it
    cdp.send("Page.setWebLifecycleState", {"state": "active"})
    started = time.monotonic()
    page.locator("#phase").filter(has_text="Move now").wait_for(timeout=3000)
    assert time.monotonic() - started < 1.5
    assert_same_as_projector(ctx, room, page)
    page.context.close()


class _NoClock:
    """``advance_to`` nudges a fake clock; the real one moves by itself."""

    def advance(self, seconds):
        pass


def test_the_server_stops_and_restarts_mid_round_and_the_phone_recovers(browser, ctx, room):  # noqa: F811
    page, person, links = checked_in_phone(browser, ctx, room)
    ctx.rotation.start(room)
    page.locator("#phase").filter(has_text="Round 1 of 3").wait_for()
    page.get_by_text("Connected · updated").wait_for()

    # The next station's page is open, the laptop's server stops: the phone says so at once.
    page.goto(links[1].url)
    again = page.get_by_role("button", name=f"Check in as {person.name}")
    again.wait_for()
    port = ctx.join.bound.port
    ctx.join.stop_server()
    again.click()
    page.get_by_text("This phone keeps your check-in").wait_for()
    page.locator("#link").filter(has_text="Offline").wait_for(timeout=3000)

    # On the live page, losing the server shows "offline" within seconds, and no countdown.
    ctx.join.start_server(host="127.0.0.1", port=port, live_interval=0.05)
    page.get_by_text("You're checked in at Station 2.").wait_for(timeout=20_000)
    mine = [c.station_position for c in ctx.join.checkins(room) if c.participant_id == person.id]
    assert mine == [1, 2]  # the kept check-in was sent once the server was back
    page.get_by_text("Connected · updated").wait_for()
    page.locator("#phase").filter(has_text="Round 1 of 3").wait_for()
    lost_at = time.monotonic()
    ctx.join.stop_server()
    page.locator("#link").filter(has_text="Offline").wait_for(timeout=5000)
    assert time.monotonic() - lost_at < 5
    assert page.locator("#time").inner_text() == "–:––"  # no stale countdown shown as live

    # Offline during the debrief: the reflection is kept on the phone, then sent, once.
    ctx.join.start_server(host="127.0.0.1", port=port, live_interval=0.05)
    page.locator("#link").filter(has_text="Connected").wait_for(timeout=20_000)
    advance_to(ctx, _NoClock(), room, "debrief")
    form = page.locator("#reflect-2")
    form.wait_for()
    ctx.join.stop_server()
    page.locator("#link").filter(has_text="Offline").wait_for(timeout=5000)
    form.get_by_label("Your reflection").fill("Kept while the laptop was away.")
    form.get_by_role("button", name="Send reflection").click()
    form.get_by_text("Kept on this phone").wait_for()
    assert ctx.join.reflections(room) == []
    ctx.join.start_server(host="127.0.0.1", port=port, live_interval=0.05)
    form.get_by_text("Sent. Thank you!").wait_for(timeout=20_000)
    assert [r.text for r in ctx.join.reflections(room)] == ["Kept while the laptop was away."]
    assert page.alerts == []
    page.context.close()


def test_a_phone_that_left_the_wifi_is_told_what_to_do(browser, ctx, room):  # noqa: F811
    page, _, _ = checked_in_phone(browser, ctx, room)
    page.get_by_text("Connected · updated").wait_for()
    page.context.set_offline(True)
    page.locator("#link").filter(has_text="Offline").wait_for(timeout=3000)
    page.get_by_text("This phone has no network. Join the room's Wi-Fi again").wait_for()
    page.context.set_offline(False)
    page.locator("#link").filter(has_text="Connected").wait_for(timeout=5000)
    assert page.locator("#link-hint").is_hidden()
    page.context.close()
