"""A join server whose child process waits for the test's word before it builds (the window's
start off its UI thread, issue 19): importable by name, since the child imports it itself.
Nothing here imports pytest or Qt.

The word is a file beside the data file (the child has no other channel yet): ``open_gate``
writes "go" (the server then builds and listens) or "fail" (its build raises, as a broken data
file would)."""
from __future__ import annotations

import os
import time
from pathlib import Path

from stations.join import serving

FAILED = "RuntimeError: no database here"


def gate_of(db_path) -> Path:
    return Path(db_path).with_name("join-gate")


def open_gate(db_path, word: str = "go") -> None:
    gate = gate_of(db_path)
    scratch = gate.with_name(gate.name + ".tmp")
    scratch.write_text(word, encoding="utf-8")
    os.replace(scratch, gate)   # the child never reads half a word


def gated(args: serving.ServerArgs, send):
    """(In the child.) ``serving.host``, once the gate is open (a test that never opens it
    stops the server, which ends this child: the wait is bounded all the same)."""
    gate, deadline = gate_of(args.db_path), time.monotonic() + 120
    while not gate.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    if gate.exists() and gate.read_text(encoding="utf-8") == "fail":
        raise RuntimeError(FAILED.split(": ", 1)[1])
    return serving.host(args, send)
