"""The timer, transition by transition, on a FakeClock (time moves only when the test says)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings, strategies as st

from stations.rotation.countdown import Countdown, Plan, RotationError, Timeline, fold, spans
from tests.fakes import FakeClock
from workshop.clock import AcceleratedClock

PLAN = Plan(rounds_s=(600.0, 600.0, 600.0), transition_s=60.0, debrief_s=300.0, warning_s=120.0)


@pytest.fixture
def timer(clock):
    return Countdown(clock)


def kinds(events):
    return [e.kind for e in events]


def test_ready_then_rounds_transitions_debrief_finished(clock, timer):
    assert (timer.state.phase, timer.state.round, timer.remaining()) == ("ready", 0, 0)
    timer.start(PLAN)
    assert (timer.state.phase, timer.state.round, timer.remaining()) == ("round", 1, 600)
    clock.advance(479)
    assert timer.catch_up() == [] and not timer.state.warning(timer.now())
    clock.advance(1)
    assert kinds(timer.catch_up()) == ["warning"] and timer.state.warning(timer.now())
    clock.advance(120)
    assert kinds(timer.catch_up()) == ["advance"]
    assert (timer.state.phase, timer.state.round, timer.remaining()) == ("transition", 1, 60)
    clock.advance(60)
    timer.catch_up()
    assert (timer.state.phase, timer.state.round, timer.remaining()) == ("round", 2, 600)
    clock.advance(660 + 600)
    assert kinds(timer.catch_up()) == ["warning", "advance", "advance", "warning", "advance"]
    assert (timer.state.phase, timer.state.round, timer.remaining()) == ("debrief", 3, 300)
    clock.advance(300)
    timer.catch_up()
    assert timer.state.phase == "finished" and timer.remaining() == 0


def test_phase_ends_are_stamped_when_due_not_when_noticed(clock, timer):
    timer.start(PLAN)
    t0 = timer.events[0].at
    clock.advance(5000)   # nobody looked for a long time
    timer.catch_up()
    assert [round(e.at - t0, 6) for e in timer.events if e.kind == "advance"] == [
        600, 660, 1260, 1320, 1920, 2220]


def test_pause_keeps_the_remainder_and_resume_carries_on(clock, timer):
    timer.start(PLAN)
    clock.advance(100)
    timer.pause()
    clock.advance(1000)
    assert timer.state.paused and timer.remaining() == 500
    assert timer.catch_up() == []          # nothing ends while paused
    timer.resume()
    clock.advance(499)
    assert timer.remaining() == 1
    with pytest.raises(RotationError, match="not paused"):
        timer.resume()


def test_adjust_set_and_their_limits(clock, timer):
    timer.start(PLAN)
    timer.adjust(60)
    assert timer.remaining() == 660
    timer.adjust(300)
    assert timer.remaining() == 960
    timer.adjust(-60)
    assert timer.remaining() == 900
    timer.set_remaining(30)
    assert timer.remaining() == 30
    with pytest.raises(RotationError, match="use Next"):
        timer.adjust(-60)
    with pytest.raises(RotationError, match="between 1 second and 6 hours"):
        timer.set_remaining(0)
    timer.pause()
    timer.adjust(60)                       # works while paused too
    assert timer.remaining() == 90 and timer.state.paused


def test_warning_is_given_again_after_time_is_added(clock, timer):
    timer.start(PLAN)
    clock.advance(490)
    assert kinds(timer.catch_up()) == ["warning"]
    timer.adjust(300)                      # 410 s left: above the warning again
    clock.advance(289)
    assert timer.catch_up() == []
    clock.advance(1)
    assert kinds(timer.catch_up()) == ["warning"]


def test_next_skips_restart_and_end(clock, timer):
    timer.start(PLAN)
    clock.advance(200)
    timer.pause()
    timer.next()                           # skip: the transition starts now, running
    assert (timer.state.phase, timer.remaining(), timer.state.paused) == ("transition", 60, False)
    with pytest.raises(RotationError, match="Only a round"):
        timer.restart_round()
    timer.next()
    assert (timer.state.phase, timer.state.round) == ("round", 2)
    clock.advance(300)
    timer.restart_round()
    assert timer.remaining() == 600
    timer.end()
    assert timer.state.phase == "finished"
    with pytest.raises(RotationError, match="over"):
        timer.pause()


def test_actions_before_start_and_double_start_are_refused(timer):
    with pytest.raises(RotationError, match="not started"):
        timer.pause()
    timer.start(PLAN)
    with pytest.raises(RotationError, match="already started"):
        timer.start(PLAN)


def test_no_transition_and_no_debrief_go_straight_on(clock):
    timer = Countdown(clock)
    timer.start(Plan((60.0, 60.0), transition_s=0, debrief_s=0, warning_s=0))
    clock.advance(60)
    timer.catch_up()
    assert (timer.state.phase, timer.state.round) == ("round", 2)
    clock.advance(60)
    timer.catch_up()
    assert timer.state.phase == "finished"


def test_replaying_the_log_gives_the_same_state_in_a_new_process(clock, timer):
    timer.start(PLAN)
    clock.advance(100)
    timer.pause()
    clock.advance(30)
    timer.resume()
    timer.adjust(60)
    later = FakeClock(start=clock.now() + timedelta(seconds=200), monotonic=5.0)  # a new process
    again = Countdown(later, timer.events)
    assert again.state == timer.state
    assert again.remaining() == pytest.approx(560 - 200, abs=1e-6)


def test_timeline_follows_the_monotonic_clock_not_wall_jumps():
    clock = FakeClock()
    line = Timeline(clock)
    t = line.now()
    clock._wall += timedelta(hours=1)      # the wall clock jumps (NTP, daylight saving)
    clock._mono += 10
    assert line.now() - t == pytest.approx(10)


def test_spans_report_what_really_ran(clock, timer):
    timer.start(PLAN)
    clock.advance(100)
    timer.pause()
    clock.advance(40)
    timer.resume()
    timer.adjust(60)
    clock.advance(200)
    timer.next()
    first = spans(timer.events)[0]
    assert (first.phase, first.round, first.end - first.start) == ("round", 1, 340)
    assert (first.paused_s, first.adjusted_s, first.skipped) == (40, 60, True)
    assert spans(timer.events)[1].end is None


def test_fold_of_nothing_is_ready():
    assert fold([]).phase == "ready"


def test_accelerated_clock_runs_fast_and_jumps():
    real = [100.0]
    clock = AcceleratedClock(600, base=lambda: real[0])
    start = clock.now()
    real[0] += 1.0
    assert clock.monotonic() == pytest.approx(600)
    clock.jump(60)
    assert (clock.now() - start).total_seconds() == pytest.approx(660)


ACTIONS = ["pause", "resume", "next", "restart_round", "end", "plus", "minus", "set", "wait"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(ACTIONS), st.floats(0, 900)), max_size=40))
def test_any_sequence_replays_to_the_same_state(steps):
    """Whatever the facilitator presses, in any order: the log alone rebuilds the state, time
    never runs backwards in it, nothing goes below zero, and refused actions change nothing."""
    clock = FakeClock()
    timer = Countdown(clock)
    timer.start(PLAN)
    for action, seconds in steps:
        clock.advance(seconds)
        before = list(timer.events)
        try:
            if action == "plus":
                timer.adjust(60)
            elif action == "minus":
                timer.adjust(-60)
            elif action == "set":
                timer.set_remaining(max(1.0, seconds))
            elif action == "wait":
                timer.catch_up()
            else:
                getattr(timer, action)()
        except RotationError:
            assert [e.kind for e in timer.events[len(before):]] == []
        assert timer.remaining() >= 0
    stamps = [e.at for e in timer.events]
    assert stamps == sorted(stamps)
    assert fold(timer.events) == timer.state
    # A new process re-anchors its timeline on a wall clock of microsecond resolution: every
    # stamp may round by up to 1 µs, so allow 1 µs per event (far below a displayed second).
    tolerance = 1e-6 * (len(timer.events) + 1)
    assert Countdown(clock, timer.events).remaining() == pytest.approx(timer.remaining(), abs=tolerance)


def test_what_is_still_to_come(clock, timer):
    assert fold([]).still_to_come() == 0
    timer.start(PLAN)
    assert timer.state.still_to_come() == 60 + 600 + 60 + 600 + 300
    timer.next()
    assert timer.state.still_to_come() == 600 + 60 + 600 + 300
    timer.end()
    assert timer.state.still_to_come() == 0
