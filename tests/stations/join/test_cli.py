"""``workshop serve``: one JSON line per station, then serve until interrupted."""
from __future__ import annotations

import json
import signal
import subprocess
import sys

import pytest

from tests import paths
from tests.stations.join.phone import Phone
from workshop.app import build_context

ROOT = paths.ROOT


@pytest.mark.slow
def test_serve_prints_station_links_and_serves_until_interrupted(config):
    ctx = build_context(config)
    academy = ctx.academies.create("Spring Academy")
    ctx.close()
    proc = subprocess.Popen(
        [sys.executable, "-m", "workshop", "--db", str(config.db_path), "serve",
         "--academy", "spring academy", "--host", "127.0.0.1", "--port", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [json.loads(proc.stdout.readline()) for _ in range(3)]
        assert [line["station"] for line in lines] == [
            "Station 1 — Teacher-led targeted instruction", "Station 2 — Independent learning",
            "Station 3 — Small-group collaboration"]
        assert all(line["url"].startswith("http://127.0.0.1:") and "/s/" in line["url"] for line in lines)
        url = lines[1]["url"]
        base, token = url.split("/s/")
        phone = Phone(base)
        assert phone.get(f"/s/{token}").status == 200
        assert phone.walk_in(token, "Headless Harriet").json["station"] == 2
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "Phones join at http://127.0.0.1:" in err
    ctx = build_context(config)
    assert [c.participant_name for c in ctx.join.checkins(academy.id)] == ["Headless Harriet"]
    ctx.close()


def test_serve_names_an_unknown_academy(run_cli):
    code, out, err = run_cli("serve", "--academy", "Nope", "--host", "127.0.0.1", "--port", "0")
    assert code == 2 and "No academy is called “Nope”" in err and out == ""
