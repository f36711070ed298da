"""`workshop group INPUT.json | -`: the JSON contract and its error cases (exit 2, stderr)."""
from __future__ import annotations

import io
import json
import sys

import pytest

PEOPLE = [{"id": f"P{i:03d}", "school": f"S{i % 3}", "role": "teacher" if i % 4 else "principal",
           "readiness": ("exploring", "planning", "implementing")[i % 3]} for i in range(12)]


def write(tmp_path, data) -> str:
    path = tmp_path / "request.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return str(path)


def test_a_full_request_prints_rounds_metrics_and_unmet(run_cli, tmp_path):
    request = {"participants": PEOPLE, "strategy": "balanced", "groups": 3, "rounds": 2,
               "balance": ["school", "role"], "keep_together": [["P000", "P001"]],
               "keep_apart": [["P003", "P004"]], "pinned": {"P005": 0},
               "protect": {"role": ["principal"]}, "seed": 7, "time_limit_s": 2}
    code, out, err = run_cli("group", write(tmp_path, request))
    assert code == 0, err
    result = json.loads(out)
    assert set(result) == {"rounds", "metrics", "unmet", "notes"}
    assert len(result["rounds"]) == 2
    for rnd in result["rounds"]:
        assert sorted(p for g in rnd for p in g) == sorted(p["id"] for p in PEOPLE)
        where = {p: k for k, g in enumerate(rnd) for p in g}
        assert where["P000"] == where["P001"] and where["P003"] != where["P004"] and where["P005"] == 0
    assert result["metrics"]["size_spread"] <= 1
    assert result["metrics"]["isolated_minority"] == 0
    assert result["unmet"] == []


def test_stdin_and_only_participants_required(run_cli, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps({"participants": PEOPLE})))
    code, out, err = run_cli("group", "-")
    assert code == 0, err
    rounds = json.loads(out)["rounds"]
    assert len(rounds) == 1 and len(rounds[0]) == 2   # default: groups of about 5


def test_same_seed_same_output(run_cli, tmp_path):
    path = write(tmp_path, {"participants": PEOPLE, "groups": 4, "rounds": 2, "seed": 3})
    first = json.loads(run_cli("group", path)[1])["rounds"]
    assert json.loads(run_cli("group", path)[1])["rounds"] == first


@pytest.mark.parametrize("request_text, message", [
    ('{"participants": [{"id": "a"}], "colour": "red"}', "Unknown key(s): colour"),
    ('{"participants": [{"id": "a"}]', "not valid JSON"),
    ('{"strategy": "balanced"}', "“participants” must be a non-empty list"),
    ('{"participants": [{"id": "a"}, {"id": "a"}]}', "appear more than once: a"),
    ('{"participants": [{"id": "a"}, {"id": "b"}], "groups": 3}', "3 groups need at least 3 people"),
    ('{"participants": [{"id": "a"}, {"id": "b"}, {"id": "c"}], "groups": 2, '
     '"keep_together": [["a", "b", "c"]]}', "3 people must stay together (a, b, c)"),
    ('{"participants": [{"id": "a"}, {"id": "b"}], "groups": 2, "keep_apart": [["a", "zed"]]}',
     "not on the list: zed"),
    ('{"participants": [{"id": "a"}], "strategy": "smart"}', "Unknown strategy"),
    ('{"participants": [{"id": "a"}], "rounds": "two"}', "“rounds” must be a whole number"),
])
def test_invalid_or_impossible_input_exits_2_with_a_message(run_cli, tmp_path, request_text, message):
    code, out, err = run_cli("group", write(tmp_path, request_text))
    assert code == 2
    assert out == ""
    assert message in err


def test_a_missing_file_exits_2(run_cli, tmp_path):
    code, out, err = run_cli("group", str(tmp_path / "nope.json"))
    assert code == 2 and "cannot read" in err and out == ""


def test_the_command_opens_no_database(run_cli, tmp_path, config):
    code, _, _ = run_cli("group", write(tmp_path, {"participants": PEOPLE[:4], "groups": 2}))
    assert code == 0
    assert not config.db_path.exists()
