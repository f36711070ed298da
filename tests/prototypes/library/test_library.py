"""The district library (issue 16 item 5): built from bundles, people left out unless asked,
rebuilt by newer bundles, searched, and served by Datasette on loopback (its JSON API)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.paths import ROOT
from tests.ports import free_port
from tests.workshop.bundle.conftest import full_context


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    folder = tmp_path_factory.mktemp("library")
    ctx, academy_id = full_context(folder / "room.sqlite")
    try:
        ctx.bundles.export(academy_id, folder / "first.bundle")
        ctx.academies.rename(academy_id, "Second Academy")
        ctx.bundles.export(academy_id, folder / "second.bundle")
    finally:
        ctx.close()
    return folder


def _rows(path, sql):
    import sqlite3
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_build_leaves_people_out_unless_asked(run_cli, bundles, tmp_path):
    lib = tmp_path / "lib.sqlite"
    code, out, err = run_cli("library", "build", "--out", str(lib),
                             str(bundles / "first.bundle"), str(bundles / "second.bundle"))
    assert code == 0 and "2 of 2 bundles written" in out, err
    assert _rows(lib, "SELECT count(*) FROM academies") == [(2,)]
    assert _rows(lib, "SELECT count(*) FROM prototypes")[0][0] == 8
    assert _rows(lib, "SELECT count(*) FROM people") == [(0,)]
    assert _rows(lib, "SELECT count(*) FROM prototypes WHERE owner != ''") == [(0,)]
    names = [n for (n,) in _rows(bundles / "first.bundle", "SELECT name FROM participants")]
    data = lib.read_bytes()
    assert not any(n.encode() in data for n in names), "a participant's name is in the library"
    with_people = tmp_path / "people.sqlite"
    run_cli("library", "build", "--with-people", "--out", str(with_people),
            str(bundles / "first.bundle"))
    assert _rows(with_people, "SELECT count(*) FROM people") == [(36,)]


def test_a_newer_bundle_replaces_its_academy_and_a_bad_one_is_skipped(run_cli, bundles,
                                                                     tmp_path):
    lib = tmp_path / "lib.sqlite"
    (tmp_path / "junk.bundle").write_text("junk")
    run_cli("library", "build", "--out", str(lib), str(bundles / "first.bundle"))
    code, out, err = run_cli("library", "build", "--out", str(lib),
                             str(bundles / "first.bundle"), str(tmp_path / "junk.bundle"))
    assert "replaced “Demo Design Academy”" in out
    assert "junk.bundle: skipped — junk.bundle is not an academy bundle" in out
    assert _rows(lib, "SELECT count(*) FROM academies") == [(1,)]
    assert _rows(lib, "SELECT count(*) FROM prototypes")[0][0] == 4


def test_search_finds_by_prefix_without_accents(run_cli, bundles, tmp_path):
    lib = tmp_path / "lib.sqlite"
    run_cli("library", "build", "--out", str(lib), str(bundles / "first.bundle"))
    code, out, err = run_cli("library", "search", str(lib), "stat")
    assert code == 0 and "Math stations in grade 5" in out


def _free_port() -> int:
    return free_port()   # outside the ephemeral range: no outgoing connection takes it meanwhile


def _get(url: str, deadline: float):
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.loads(response.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)   # the server is starting: wall time here, not the workshop's


@pytest.mark.slow
def test_datasette_serves_the_library_on_loopback(run_cli, bundles, tmp_path):
    lib = tmp_path / "library.sqlite"
    run_cli("library", "build", "--out", str(lib), str(bundles / "first.bundle"),
            str(bundles / "second.bundle"))
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-m", "workshop", "--db", str(tmp_path / "x"),
                               "library", "serve", str(lib), "--port", str(port)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}/library"
        deadline = time.monotonic() + 60
        found = _get(f"{base}/prototypes.json?_search=stat*&_shape=objects", deadline)
        assert {r["title"] for r in found["rows"]} >= {"Math stations in grade 5"}
        assert all(r["owner"] == "" for r in found["rows"])
        adopted = _get(f"{base}/by_core_four.json?_shape=objects", deadline)
        assert adopted["rows"] and {"core_four", "status", "prototypes"} <= set(adopted["rows"][0])
        unaligned = _get(f"{base}/unaligned_initiatives.json?_shape=objects", deadline)
        assert "rows" in unaligned
        _get(f"{base}/adopted_models.json", deadline)
        meta = _get(f"http://127.0.0.1:{port}/-/metadata.json", deadline)
        assert meta["title"] == "District design academy library"
        # read-only: Datasette refuses writes to an immutable file
        request = urllib.request.Request(f"{base}.json?sql=DELETE+FROM+prototypes")
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=5).read()
        assert _rows(lib, "SELECT count(*) FROM prototypes")[0][0] == 8
    finally:
        server.terminate()
        server.wait(timeout=10)
