"""The smoke test of what a user receives (issue 17, item 2): the wheel installed into a fresh
venv, and the PyInstaller bundle started with an empty environment, each run from outside the
checkout; then the bundle's window opened under Xvfb and photographed."""
from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import require_tool
from tests.install.conftest import clean_env, run, virtual_screen, window_viewable
from tests.ports import free_port
from workshop import __version__

pytestmark = pytest.mark.slow

NAV_SELECTED = (0x1F, 0x4E, 0x79)   # assets/qss/app.qss: the selected page in the navigation
PACK_FILES = {"Debrief.pdf", "Station signs.pdf", "Group cards.pdf"}


def check_demo(out: Path, done: subprocess.CompletedProcess) -> None:
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    pdfs = {p.relative_to(out).as_posix(): p for p in out.rglob("*.pdf")}
    assert PACK_FILES <= set(pdfs), sorted(pdfs)
    assert any(name.startswith("Prototypes/") for name in pdfs), sorted(pdfs)
    for path in pdfs.values():
        assert path.read_bytes()[:5] == b"%PDF-", path


def colours_of(png: Path) -> set[tuple[int, int, int]]:
    """The colours of a screenshot, sampled on a 4-pixel grid."""
    from PySide6.QtGui import QImage
    image = QImage(str(png))
    assert not image.isNull(), png
    return {(c.red(), c.green(), c.blue()) for c in
            (image.pixelColor(x, y) for x in range(0, image.width(), 4) for y in range(0, image.height(), 4))}


def test_wheel_carries_assets_fonts_and_licences(wheel):
    import zipfile
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("assets/fonts/DejaVuSans.ttf", "assets/fonts/DroidSansFallbackFull.ttf",
                   "assets/join/index.html", "assets/sounds/round-end.wav", "assets/icons/app.png",
                   "assets/qss/app.qss", "assets/sample/demo-roster.csv"):
        assert needed in names
    licences = {n.rpartition("/")[2] for n in names if ".dist-info/licenses/" in n}
    assert {"LICENSE", "DejaVu-LICENSE.txt", "DroidSansFallback-LICENSE.txt",
            "NanumGothic-LICENSE.txt"} <= licences
    assert not any(n.startswith(("tests/", "tools/")) for n in names)


def test_wheel_version_and_demo_from_outside_the_checkout(wheel_venv, tmp_path):
    workshop = wheel_venv / "workshop"
    done = run([workshop, "--version"], cwd=tmp_path, env=clean_env())
    assert done.returncode == 0 and done.stdout.strip() == f"workshop {__version__}", done
    # The code ran from the venv, not from the checkout this test sits in.
    where = run([wheel_venv / "python", "-c", "import assets, workshop; print(workshop.__file__); print(assets.ROOT)"],
                cwd=tmp_path, env=clean_env())
    assert all(Path(line).is_relative_to(wheel_venv.parent) for line in where.stdout.split()), where
    out = tmp_path / "pack"
    check_demo(out, run([workshop, "demo", "--out", out], cwd=tmp_path, env=clean_env()))


def test_bundle_runs_with_an_empty_environment(bundle, tmp_path):
    done = run(["env", "-i", bundle, "--version"], cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.strip() == f"workshop {__version__}", done
    out = tmp_path / "pack"
    # Two render workers whatever the pack's size: they start from the frozen executable.
    check_demo(out, run(["env", "-i", "WORKSHOP_PACK_WORKERS=2", bundle, "demo", "--out", out], cwd=tmp_path))


def test_bundle_desktop_entry_points_at_the_bundle(bundle):
    entry = (bundle.parent / "design-academy-studio.desktop").read_text(encoding="utf-8")
    assert f'Exec="{bundle}"' in entry
    icon = next(line.partition("=")[2] for line in entry.splitlines() if line.startswith("Icon="))
    assert Path(icon).is_file() and Path(icon).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bundle_opens_its_window_under_xvfb(bundle, tmp_path):
    xvfb = require_tool("Xvfb", "a virtual screen for the bundle's window")
    xwininfo = require_tool("xwininfo", "finds the window by its title (apt x11-utils)")
    grab = require_tool("import", "photographs the screen (apt imagemagick)")
    shot = tmp_path / "bundle-window.png"
    with virtual_screen(xvfb) as display:
        app = subprocess.Popen(["env", "-i", f"DISPLAY={display}", f"HOME={tmp_path}", bundle, "--demo"],
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + 120   # the demo is built first; the shared CI cores are slow
            while app.poll() is None and time.monotonic() < deadline:
                if window_viewable(display, "Design Academy Studio", xwininfo):
                    time.sleep(2)   # mapped; give it a moment to paint before the photograph
                    break
                time.sleep(0.3)
            else:
                pytest.fail(f"no window titled Design Academy Studio within 120 s: {app.poll()=}")
            assert app.poll() is None, "the app quit after showing its window"
            done = run([grab, "-display", display, "-window", "root", shot], cwd=tmp_path)
            assert done.returncode == 0, done
        finally:
            app.terminate()
            try:
                output = app.communicate(timeout=10)[0]
            except subprocess.TimeoutExpired:
                app.kill()
                output = app.communicate()[0]
    assert NAV_SELECTED in colours_of(shot), f"the photograph shows no selected page in the nav; app said: {output[-2000:]}"
    keep = Path(os.environ.get("SMOKE_SHOT_DIR", tmp_path))
    if keep != tmp_path:
        keep.mkdir(parents=True, exist_ok=True)
        (keep / shot.name).write_bytes(shot.read_bytes())


def test_bundle_shapes_scripts_and_serves_the_library(bundle, tmp_path):
    """What the frozen app loads by name or from compiled extensions works in it: HarfBuzz and
    the bidi algorithm (an Arabic academy's signs), and Datasette with its templates and
    plugins (the district library served, its JSON read back)."""
    import json
    import urllib.request
    db, title = tmp_path / "room.sqlite", "أكاديمية الربيع"

    def frozen(*args, timeout=300):
        done = run(["env", "-i", bundle, "--db", db, *args], cwd=tmp_path, timeout=timeout)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        return done

    frozen("academy", "create", title)
    frozen("handout", "signs", "--academy", title, "--out", tmp_path / "signs.pdf")
    assert (tmp_path / "signs.pdf").read_bytes()[:5] == b"%PDF-"
    frozen("academy", "export", "--academy", title, "--out", tmp_path / "room.bundle")
    frozen("library", "build", "--out", tmp_path / "library.sqlite", tmp_path / "room.bundle")
    port = free_port()   # outside the ephemeral range: nothing takes it before the app binds it
    server = subprocess.Popen(["env", "-i", str(bundle), "--db", str(db), "library", "serve",
                               str(tmp_path / "library.sqlite"), "--port", str(port)],
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/metadata.json", timeout=5) as r:
                    meta = json.loads(r.read())
                break
            except OSError:
                assert server.poll() is None, server.communicate()[1][-2000:]
                assert time.monotonic() < deadline, "the bundled library server never answered"
                time.sleep(0.2)   # the server is starting: real time, a real process
        assert meta["title"] == "District design academy library"
    finally:
        server.terminate()
        server.wait(timeout=10)
