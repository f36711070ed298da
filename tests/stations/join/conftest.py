"""The join server's two modes (``stations.join.serving``): on a thread of the test's process
and in a child process of its own, as the window runs it. A test that asks for ``serving`` runs
in both, or in those its ``serving(...)`` mark names: a test that moves a fake clock, or runs a
rotation by one, stays on the thread (a fake clock cannot cross to a process, which counts
with the system clock)."""
from __future__ import annotations

import pytest

from stations.join.model import JoinEvent

MODES = ("thread", "process")


def pytest_generate_tests(metafunc):
    if "serving" in metafunc.fixturenames:
        mark = metafunc.definition.get_closest_marker("serving")
        modes = mark.args if mark is not None else MODES
        assert set(modes) <= set(MODES), modes
        metafunc.parametrize("serving", modes, indirect=True)


@pytest.fixture
def serving(request, ctx) -> str:
    """The mode the join server of ``ctx`` starts in."""
    ctx.join.isolate = request.param == "process"
    return request.param


@pytest.fixture
def events(ctx) -> list[JoinEvent]:
    """Every JoinEvent the join service of ``ctx`` announces, in order."""
    seen: list[JoinEvent] = []
    ctx.join.add_listener(seen.append)
    return seen
