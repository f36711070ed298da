"""Issue 12 item 4: ``rotation simulate --save`` never leaves a log a real clock cannot reach.

The simulation runs on a fast clock; its events are stamped on that clock. Written as they
happened, a run killed half way left (for instance) a warning stamped a minute ahead of the
real time, and the room then read 1,257 s left of a 600 s round. Now the run is written once it
has finished, in one transaction, moved so that it ends at the moment it is saved.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from tests.paths import ROOT
from workshop.store import open_database


def stored_events(db_path) -> list[tuple[str, float]]:
    db = open_database(db_path)
    try:
        return db.execute("SELECT kind, at FROM rotation_events ORDER BY id").fetchall()
    finally:
        db.close()


def test_a_saved_simulation_ends_when_it_is_saved_and_is_finished(run_cli, config, academy):
    before = time.time()
    code, out, err = run_cli("rotation", "simulate", "--academy", "Test Academy", "--minutes",
                             "10", "--speed", "0", "--save")
    after = time.time()
    assert code == 0, err
    events = stored_events(config.db_path)
    kinds = [kind for kind, _ in events]
    assert kinds[0] == "start" and kinds[-1] == "advance"
    assert all(at <= after for _, at in events), "an event stamped in the future"
    assert before <= events[-1][1] <= after                  # it ends when it was saved
    printed = [json.loads(line) for line in out.splitlines()]
    simulated_s = printed[-1]["simulated_s"]
    assert events[-1][1] - events[0][1] == pytest.approx(simulated_s, abs=1e-6)  # same lengths
    code, out, _ = run_cli("rotation", "status", "--academy", "Test Academy")
    assert json.loads(out)["phase"] == "finished"


def test_saving_a_simulation_over_a_running_rotation_is_refused(run_cli, config, academy):
    from workshop.app import build_context
    real = build_context(config)   # the real clock, like the CLI's: the round is running now
    real.rotation.start(academy.id)
    real.close()
    before = stored_events(config.db_path)
    code, out, err = run_cli("rotation", "simulate", "--academy", "Test Academy", "--speed", "0",
                             "--save")
    assert code == 2 and "already running" in err and err.count("\n") == 1 and out == ""
    assert stored_events(config.db_path) == before


def test_a_failure_before_the_end_saves_nothing(run_cli, config, academy, monkeypatch):
    from stations.rotation import cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt   # Ctrl+C in the middle of the run
    monkeypatch.setattr(cli, "simulate", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_cli("rotation", "simulate", "--academy", "Test Academy", "--speed", "0", "--save")
    assert stored_events(config.db_path) == []


@pytest.mark.slow
def test_a_simulation_killed_half_way_leaves_no_event_in_the_future(run_cli, config, academy):
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    # 2-minute rounds, warned 1 minute before the end, 60× faster: the warning comes after ~1 s
    child = subprocess.Popen(
        [sys.executable, "-m", "workshop", "--db", str(config.db_path), "rotation", "simulate",
         "--academy", "Test Academy", "--minutes", "2", "--warning", "1", "--speed", "60",
         "--save"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        seen = []
        for line in child.stdout:
            seen.append(json.loads(line))
            if seen[-1].get("kind") == "warning":
                break
        assert seen and seen[-1].get("kind") == "warning", child.stderr.read()
        child.kill()   # past the warning, before the round ends
    finally:
        child.kill()
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
    now = time.time()
    assert [e for e in stored_events(config.db_path) if e[1] > now] == []
    code, out, _ = run_cli("rotation", "status", "--academy", "Test Academy")
    status = json.loads(out)
    assert code == 0 and status["phase"] == "ready"   # nothing of the killed run is in the log
