"""Shared fixtures. Qt runs offscreen (set before anything imports Qt, or pytest aborts on a
machine with no display); Qt warnings fail the test that caused them."""
from __future__ import annotations

import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QPA_FONTDIR", "/usr/share/fonts")  # quiet "cannot find font directory"

import pytest  # noqa: E402

from tests.fakes import FakeClock  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_tool(name: str, why: str = "") -> str:
    """Path of an external tool; skip without it, but under CI=true a missing tool fails."""
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed ({why or 'needed by this test'}); `make test` as root installs it"
    if IN_CI:
        pytest.fail(f"CI=true: {message}")
    pytest.skip(message)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def config(tmp_path):
    from workshop.config import AppConfig
    return AppConfig(db_path=tmp_path / "academy.sqlite", host="127.0.0.1", port=0)


@pytest.fixture
def ctx(config, clock):
    """A fully built application context on a fresh temporary database."""
    from workshop.app import build_context
    context = build_context(config, clock=clock)
    yield context
    context.close()


@pytest.fixture
def academy(ctx):
    return ctx.academies.create("Test Academy", place="Gym", facilitator="Sam Rivera")


@pytest.fixture
def demo_academy(ctx):
    """The built-in demo academy (about 36 people, 6 schools)."""
    from workshop.academy.demo import ensure_demo_academy
    return ctx.academies.get(ensure_demo_academy(ctx))


@pytest.fixture
def window(qtbot, ctx):
    from workshop.app import build_window
    win = build_window(ctx)
    qtbot.addWidget(win)
    return win


@pytest.fixture
def run_cli(config, capsys):
    """Run ``workshop ARGS`` in-process on the test database; returns (code, stdout, stderr)."""
    from workshop.app import main

    def run(*args: str):
        code = main(["--db", str(config.db_path), *args])
        out = capsys.readouterr()
        return code, out.out, out.err
    return run
