"""Session fixtures of the install smoke test: the wheel and the bundle are built once per run
(the bundle takes ~40 s; the PyInstaller work folder under build/ is kept between runs, so a
rebuild after a small change re-analyses only what changed)."""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
import venv
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.paths import ROOT


def need_module(name: str, why: str) -> None:
    """Skip (fail under CI=true) when a packaging tool is not installed in this Python."""
    if importlib.util.find_spec(name) is None:
        message = f"Python module {name} is not installed ({why}); `make test` installs it from requirements.lock"
        if IN_CI:
            pytest.fail(f"CI=true: {message}")
        pytest.skip(message)


def clean_env(**extra: str) -> dict[str, str]:
    """What a user's shell has: no PYTHONPATH pointing into the checkout, no venv activated."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "QT_QPA_PLATFORM")}
    env.update(extra)
    return env


def run(args, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run a command outside the checkout; the assertion message carries its output."""
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


@contextmanager
def virtual_screen(xvfb: str = "Xvfb", size: str = "1920x1080x24"):
    """An Xvfb server on a display no one else holds; yields its name (":153")."""
    # Not -displayfd: it hands out :0 first, which other sessions on a shared machine race for.
    for number in range(150, 400):
        if not Path(f"/tmp/.X{number}-lock").exists() and not Path(f"/tmp/.X11-unix/X{number}").exists():
            break
    # -noreset: by default the server resets when its last client leaves, and a client that
    # connects during the reset (the app, right after a poll) fails "could not connect".
    server = subprocess.Popen([xvfb, f":{number}", "-screen", "0", size, "-nolisten", "tcp", "-noreset"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Xvfb :{number} did not start (exit code {server.poll()})")
            time.sleep(0.05)
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


def window_viewable(display: str, title: str, xwininfo: str = "xwininfo") -> bool:
    """Whether a top-level window whose title contains ``title`` is mapped and viewable."""
    tree = subprocess.run([xwininfo, "-display", display, "-root", "-tree"], capture_output=True, text=True).stdout
    for line in tree.splitlines():
        if f'"{title}' in line or f'{title}"' in line:   # the title, or its end: "Academy — App"
            window = line.split()[0]
            found = subprocess.run([xwininfo, "-display", display, "-id", window], capture_output=True, text=True)
            if "IsViewable" in found.stdout:
                return True
    return False


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from this checkout exactly as `make dist` builds it."""
    need_module("build", "builds the wheel")
    out = tmp_path_factory.mktemp("wheel")
    done = run([sys.executable, "-m", "build", "--wheel", "--outdir", out, ROOT], cwd=ROOT)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    [built] = out.glob("*.whl")
    return built


@pytest.fixture(scope="session")
def wheel_venv(wheel, tmp_path_factory) -> Iterator[Path]:
    """A fresh virtual environment (no site packages) with the wheel installed, pinned to the lock."""
    where = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True, clear=True).create(where)
    bindir = where / ("Scripts" if sys.platform == "win32" else "bin")
    done = run([bindir / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                "-c", ROOT / "requirements.lock", wheel], cwd=where, env=clean_env(), timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    yield bindir
    shutil.rmtree(where, ignore_errors=True)   # ~600 MB; pytest keeps three runs' temp folders


@pytest.fixture(scope="session")
def bundle(tmp_path_factory) -> Iterator[Path]:
    """The one-folder app, built by the same script as `make dist`; returns its executable."""
    need_module("PyInstaller", "builds the bundle")
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import build_bundle
    finally:
        sys.path.remove(str(ROOT / "tools"))
    dist = tmp_path_factory.mktemp("bundle")
    folder = build_bundle.build(dist, ROOT / "build" / "pyinstaller-smoke")
    yield build_bundle.executable(folder)
    shutil.rmtree(dist, ignore_errors=True)    # ~260 MB

