"""The rotation service on a real database: persistence, replay, listeners, the CLI."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta

import pytest

from tests import paths
from stations.rotation.countdown import RotationError
from stations.setup.model import Group
from stations.rotation.service import RotationService, RotationSettings
from stations.repository.rotation import RotationRepository
from tests.fakes import FakeClock
from workshop.errors import ValidationError

ROOT = str(paths.ROOT)


def fresh_service(ctx, clock, groups=None):
    """A new service on the same database file, as after a restart of the app."""
    from workshop.store import open_database
    db = open_database(ctx.config.db_path)
    return RotationService(RotationRepository(db), clock, ctx.stations, groups=groups)


def test_every_change_is_in_the_database_at_once(ctx, clock, academy):
    ctx.rotation.start(academy.id)
    clock.advance(60)
    ctx.rotation.pause(academy.id)
    ctx.rotation.adjust(academy.id, 60)
    rows = ctx.db.execute("SELECT kind FROM rotation_events ORDER BY id").fetchall()
    assert [r[0] for r in rows] == ["start", "pause", "adjust"]


def test_restart_of_the_app_resumes_at_the_right_second(ctx, clock, academy):
    ctx.rotation.start(academy.id)             # 3 × 15 min by default
    clock.advance(300)
    ctx.rotation.snapshot(academy.id)
    later = FakeClock(start=clock.now() + timedelta(seconds=150), monotonic=42.0)
    snap = fresh_service(ctx, later).snapshot(academy.id)
    assert (snap.phase, snap.round_number, snap.paused) == ("round", 1, False)
    assert snap.remaining_s == pytest.approx(900 - 450, abs=1e-3)


def test_a_paused_rotation_stays_paused_after_a_restart(ctx, clock, academy):
    ctx.rotation.start(academy.id)
    clock.advance(100)
    ctx.rotation.pause(academy.id)
    later = FakeClock(start=clock.now() + timedelta(hours=2), monotonic=7.0)
    snap = fresh_service(ctx, later).snapshot(academy.id)
    assert snap.paused and snap.remaining_s == pytest.approx(800, abs=1e-3)


KILLABLE = textwrap.dedent("""
    import json, sys, time
    from datetime import datetime
    sys.path.insert(0, {root!r})
    from tests.fakes import FakeClock
    from workshop.app import build_context
    from workshop.config import AppConfig
    db, when, action = sys.argv[1], datetime.fromisoformat(sys.argv[2]), sys.argv[3]
    ctx = build_context(AppConfig(db_path=db, host="127.0.0.1", port=0), clock=FakeClock(start=when))
    academy = ctx.academies.find("Killed")
    if action == "start":
        ctx.rotation.start(academy.id)
        print("started", flush=True)
        time.sleep(600)   # killed here, mid-round, with no chance to clean up
    else:
        print(json.dumps(ctx.rotation.snapshot(academy.id).to_dict()), flush=True)
""")


@pytest.mark.slow
def test_killed_mid_round_then_a_fresh_process_resumes(tmp_path, config, ctx):
    ctx.academies.create("Killed")
    ctx.close()
    script = tmp_path / "proc.py"
    script.write_text(KILLABLE.format(root=ROOT))
    env = dict(os.environ, PYTHONPATH=ROOT)
    start = datetime(2026, 11, 25, 9, 0, 0).astimezone()
    first = subprocess.Popen([sys.executable, str(script), str(config.db_path), start.isoformat(),
                              "start"], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert first.stdout.readline().strip() == "started"
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    assert first.returncode == -signal.SIGKILL
    later = start + timedelta(minutes=7, seconds=30)
    out = subprocess.run([sys.executable, str(script), str(config.db_path), later.isoformat(),
                          "read"], capture_output=True, text=True, env=env, timeout=60, check=True)
    snap = json.loads(out.stdout)
    assert (snap["phase"], snap["round"], snap["paused"]) == ("round", 1, False)
    assert snap["remaining_s"] == pytest.approx(450, abs=0.001)


def test_listeners_hear_every_persisted_change_including_the_clocks(ctx, clock, academy):
    heard = []
    ctx.rotation.add_listener(lambda aid, events, snap: heard.append(
        ([e.kind for e in events], snap.phase, snap.round_number)))
    ctx.rotation.start(academy.id)
    clock.advance(900)
    ctx.rotation.record_due(academy.id)        # the ticker's call: reading alone never writes
    assert heard == [(["start"], "round", 1), (["warning", "advance"], "transition", 1)]


def test_snapshot_names_groups_and_moves_during_a_transition(ctx, clock, academy):
    ctx.rotation.update_settings(academy.id, groups=4)
    ctx.rotation.start(academy.id)
    snap = ctx.rotation.snapshot(academy.id)
    assert snap.assignments == {0: 1, 1: 2, 2: 3, 3: 1}
    assert snap.groups_at(1) == ("Group A", "Group D")
    clock.advance(900)
    snap = ctx.rotation.snapshot(academy.id)
    assert snap.phase == "transition" and snap.next_assignments == {0: 2, 1: 3, 2: 1, 3: 2}
    assert "@" not in json.dumps(snap.to_dict())


def test_saved_grouping_is_used_when_there_is_one(ctx, academy):
    saved = [Group(0, "Owls", [1, 2]), Group(1, "Foxes", [3])]
    service = RotationService(ctx.rotation.repo, ctx.clock, ctx.stations,
                              groups=lambda aid: saved)
    assert [g.name for g in service.plan(academy.id).groups] == ["Owls", "Foxes"]
    assert service.groups(academy.id) == (saved, True)
    assert ctx.rotation.groups(academy.id)[1] is False      # none saved: numbered groups


def test_settings_are_validated_before_saving(ctx, academy):
    with pytest.raises(ValidationError, match="one length per station"):
        ctx.rotation.update_settings(academy.id, minutes=(10, 12))
    assert ctx.rotation.settings(academy.id) == RotationSettings()
    ctx.rotation.update_settings(academy.id, minutes=(12, 12, 12), transition_minutes=1,
                                 debrief_minutes=10)
    assert ctx.rotation.preview(academy.id).total_s == 48 * 60


def test_planned_against_actual(ctx, clock, academy):
    ctx.rotation.update_settings(academy.id, minutes=(10, 10, 10))
    ctx.rotation.start(academy.id)
    clock.advance(120)
    ctx.rotation.pause(academy.id)
    clock.advance(30)
    ctx.rotation.resume(academy.id)
    clock.advance(480)
    first = ctx.rotation.timings(academy.id)[0]
    assert first.actual_end - first.planned_end == timedelta(seconds=30)
    assert first.paused_s == 30
    kinds = [e.kind for e in ctx.rotation.events(academy.id)]
    assert kinds == ["start", "pause", "resume", "warning", "advance"]


def test_actions_on_a_rotation_that_never_started_are_refused(ctx, academy):
    with pytest.raises(RotationError, match="not started"):
        ctx.rotation.pause(academy.id)
    assert ctx.rotation.snapshot(academy.id).phase == "ready"


def test_a_finished_rotation_can_be_run_again(ctx, clock, academy):
    ctx.rotation.start(academy.id)
    ctx.rotation.end(academy.id)
    ctx.rotation.start(academy.id)
    assert ctx.rotation.snapshot(academy.id).phase == "round"
    with pytest.raises(RotationError, match="already running"):
        ctx.rotation.start(academy.id)


def test_cli_simulate_prints_schedule_then_events(run_cli, academy):
    code, out, err = run_cli("rotation", "simulate", "--academy", "Test Academy", "--groups", "6",
                             "--minutes", "12,12,12", "--transition", "1", "--debrief", "10",
                             "--speed", "0")
    assert code == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines[0]["type"] == "schedule" and len(lines[0]["rounds"]) == 3
    events = [(e["t"], e["kind"], e["phase"]) for e in lines if e["type"] == "event"]
    assert events[0] == (0, "start", "round")
    assert events[-1] == (2880, "advance", "finished")
    assert lines[-1]["type"] == "summary" and lines[-1]["end_error_s"] == 0
    code, out, _ = run_cli("rotation", "status", "--academy", "Test Academy")
    assert json.loads(out)["phase"] == "ready"   # a dry run leaves the real rotation alone


def test_cli_simulate_save_records_the_run(run_cli, academy):
    code, _, err = run_cli("rotation", "simulate", "--academy", "Test Academy", "--minutes", "5",
                           "--speed", "0", "--save")
    assert code == 0, err
    code, out, _ = run_cli("rotation", "log", "--academy", "Test Academy")
    assert [json.loads(line)["kind"] for line in out.splitlines()][-1] == "advance"
    code, out, _ = run_cli("rotation", "status", "--academy", "Test Academy")
    assert json.loads(out)["phase"] == "finished"


def test_cli_simulate_accelerated_is_quick(run_cli, academy):
    code, out, err = run_cli("rotation", "simulate", "--academy", "Test Academy", "--minutes", "1",
                             "--transition", "0", "--debrief", "0", "--speed", "3600")
    assert code == 0, err
    assert json.loads(out.splitlines()[-1])["real_s"] < 1.0


@pytest.mark.parametrize("args, message", [
    (["--academy", "Nope"], "No academy is called"),
    (["--academy", "Test Academy", "--minutes", "1,2"], "one per station"),
    (["--academy", "Test Academy", "--groups", "0"], "1 to 60 groups"),
    (["--academy", "Test Academy", "--warning", "-1"], "warning comes 0 to 30"),
    (["--academy", "Test Academy", "--debrief", "500"], "debrief lasts 0 to 120"),
])
def test_cli_simulate_bad_input(run_cli, academy, args, message):
    code, _, err = run_cli("rotation", "simulate", *args, "--speed", "0")
    assert code == 2 and message in err


def test_two_processes_on_one_file_never_double_a_phase_end(ctx, clock, academy):
    """The window and `workshop serve` may both look at the same rotation."""
    other = fresh_service(ctx, clock)
    ctx.rotation.start(academy.id)
    assert other.snapshot(academy.id).phase == "round"     # sees the other's start
    clock.advance(900)
    ctx.rotation.record_due(academy.id)
    other.record_due(academy.id)                           # both tickers look
    ctx.rotation.pause(academy.id)
    assert other.snapshot(academy.id).paused               # and its pause
    kinds = [r[0] for r in ctx.db.execute("SELECT kind FROM rotation_events ORDER BY id")]
    assert kinds == ["start", "warning", "advance", "pause"]


def test_a_duplicated_phase_end_in_the_log_is_harmless(clock):
    from stations.rotation.countdown import Countdown, Plan, fold
    timer = Countdown(clock)
    timer.start(Plan((60.0, 60.0), 30.0, 0.0, 0.0))
    clock.advance(60)
    timer.catch_up()
    doubled = timer.events + [timer.events[-1]]
    assert fold(doubled) == timer.state


def test_one_length_for_all_survives_a_new_station(ctx, academy):
    ctx.rotation.update_settings(academy.id, minutes=(12, 12, 12))
    stations = ctx.stations.stations(academy.id)
    from dataclasses import replace as copy
    ctx.stations.save(academy.id, stations + [copy(stations[0], id=None, name="Maker space")])
    assert [r.seconds for r in ctx.rotation.preview(academy.id).rounds] == [720] * 4


def test_a_failing_listener_does_not_undo_or_hide_the_change(ctx, academy, caplog):
    def broken(*args):
        raise RuntimeError("a closed window")
    ctx.rotation.add_listener(broken)
    ctx.rotation.start(academy.id)
    assert ctx.rotation.snapshot(academy.id).phase == "round"
    assert "rotation listener" in caplog.text


def test_expected_end_moves_with_pauses_and_extra_minutes(ctx, clock, academy):
    ctx.rotation.start(academy.id)
    snap = ctx.rotation.snapshot(academy.id)
    assert snap.expected_end == snap.planned_end
    ctx.rotation.adjust(academy.id, 300)
    ctx.rotation.pause(academy.id)
    clock.advance(120)
    snap = ctx.rotation.snapshot(academy.id)
    assert (snap.expected_end - snap.planned_end).total_seconds() == pytest.approx(420, abs=1e-3)
