"""`workshop group FILE`, hostile (the attacker's tryout of 1 December): whatever the file holds
— bytes that are not UTF-8, JSON nested past what the parser recurses into, a device that never
ends — the command answers in one line and exits 2; before, each of these was a traceback or a
read without end."""
from __future__ import annotations

import io
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import fuzz_settings


@pytest.mark.parametrize("content, message", [
    (b"\xd0\x00\xff{}", "not UTF-8"),
    (b"[" * 100_000, "nested too deeply"),
    (b'{"participants": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "nested too deeply"),
])
def test_a_hostile_request_file_is_one_line(run_cli, tmp_path, content, message):
    path = tmp_path / "request.json"
    path.write_bytes(content)
    code, out, err = run_cli("group", str(path))
    assert code == 2 and out == "" and len(err.splitlines()) == 1, err
    assert message in err


def test_a_file_that_never_ends_is_refused_at_its_limit(run_cli, monkeypatch):
    import stations.grouping.cli as cli
    monkeypatch.setattr(cli, "MAX_REQUEST_BYTES", 1024)
    code, out, err = run_cli("group", "/dev/zero")
    assert code == 2 and out == "" and "at most" in err and len(err.splitlines()) == 1


def test_stdin_past_the_limit_is_refused_too(run_cli, monkeypatch):
    import stations.grouping.cli as cli
    monkeypatch.setattr(cli, "MAX_REQUEST_BYTES", 64)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b" " * 1000 + b"{}")))
    code, out, err = run_cli("group", "-")
    assert code == 2 and "at most" in err


@fuzz_settings(60)
@given(content=st.one_of(
    st.binary(max_size=300),
    st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                 lambda inner: st.lists(inner, max_size=4)
                 | st.dictionaries(st.sampled_from(["participants", "id", "groups", "rounds",
                                                    "seed", "strategy", "pinned", "x"]), inner,
                                   max_size=4), max_leaves=12).map(
        lambda v: __import__("json").dumps(v).encode())))
def test_any_request_bytes_are_grouped_or_refused_in_one_line(run_cli, tmp_path, content):
    path = tmp_path / "request.json"
    path.write_bytes(content)
    code, out, err = run_cli("group", str(path))
    assert code in (0, 2), err
    assert (code == 0 and out) or (out == "" and len(err.splitlines()) == 1 and
                                   err.startswith("error: ")), (code, out, err)
