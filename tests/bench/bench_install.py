"""Install figures, measured from the user's side (issue 17, item 4).

    .venv/bin/python tests/bench/bench_install.py [RUNS]     # about 3 min (builds what is missing)

1. The bundle's size on disk (dist/design-academy-studio, or built into a temp folder), and
   the wheel's.
2. Launch to first window, under Xvfb: from starting the process until its top-level window is
   mapped and viewable (polled with xwininfo every ~5 ms), for
   - a bare PySide6 window (python -c: QApplication, one QWidget, show): the floor;
   - `workshop` from the wheel, installed in a fresh venv;
   - the bundle, started with `env -i` (as a desktop launcher would, without a shell's setup).
   Each on a fresh data file; one warm-up launch first (the file cache), then the median of RUNS
   (default 5), and each median's ratio to the floor measured in the same run.
Goals: the bundle no slower to its first window than `workshop` from the wheel (freezing must
cost nothing), and under 300 MB on disk. How far both are from the bare window is start-up
work in the app itself (issue 20), which this bench tracks from the user's side.
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import build_bundle  # noqa: E402

sys.path.insert(0, str(ROOT))
from tests.install.conftest import virtual_screen, window_viewable  # noqa: E402

TITLE = "Design Academy Studio"
BARE = ("import sys; from PySide6.QtWidgets import QApplication, QWidget; "
        "app = QApplication(sys.argv); w = QWidget(); w.setWindowTitle('bare window'); "
        "w.resize(1200, 800); w.show(); app.exec()")


def first_window(args: list[str], display: str, title: str, home: Path, env: dict | None) -> float:
    """Seconds from starting ``args`` until a window titled ``title`` is viewable."""
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    start = time.perf_counter()
    log = home.parent / "launch.log"
    with open(log, "wb") as out:
        app = subprocess.Popen(args, cwd=home, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        while not window_viewable(display, title):
            if app.poll() is not None or time.perf_counter() - start > 60:
                raise RuntimeError(f"{args[-3:]}: no window (exit code {app.poll()}):\n"
                                   + log.read_text(errors="replace")[-2000:])
            time.sleep(0.005)
        return time.perf_counter() - start
    finally:
        app.terminate()
        app.wait(10)


def wheel_venv(work: Path) -> Path:
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", work / "wheel", ROOT],
                   check=True, capture_output=True)
    wheel = next((work / "wheel").glob("*.whl"))
    venv.EnvBuilder(with_pip=True).create(work / "venv")
    subprocess.run([work / "venv" / "bin" / "python", "-m", "pip", "install", "--quiet", "-c",
                    ROOT / "requirements.lock", wheel], check=True)
    return wheel


def main(runs: int = 5) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-install-"))
    folder = ROOT / "dist" / build_bundle.NAME
    if not build_bundle.executable(folder).exists():
        folder = build_bundle.build(work / "dist", ROOT / "build" / "pyinstaller")
    wheel = wheel_venv(work)
    print(f"bundle: {build_bundle.size_of(folder) / 1e6:.0f} MB on disk "
          f"({sum(1 for p in folder.rglob('*') if p.is_file())} files); wheel: {wheel.stat().st_size / 1e6:.1f} MB")
    screen = virtual_screen()
    display = screen.__enter__()
    home = work / "home"
    user = {"DISPLAY": display, "HOME": str(home), "PATH": "/usr/bin:/bin"}
    launches = {
        "bare PySide6 window": ([sys.executable, "-c", BARE], "bare window",
                                {**user, "PYTHONPATH": ""}),
        "workshop (wheel)": ([str(work / "venv" / "bin" / "workshop"), "--db", str(home / "a.sqlite")],
                             TITLE, user),
        "bundle (env -i)": (["env", "-i", f"DISPLAY={display}", f"HOME={home}",
                             str(build_bundle.executable(folder)), "--db", str(home / "a.sqlite")], TITLE, None),
    }
    times: dict[str, list[float]] = {name: [] for name in launches}
    try:
        for args, title, env in launches.values():
            first_window(args, display, title, home, env)   # warm-up: the file cache
        for _ in range(runs):   # interleaved, so a burst of load on the shared cores hits all three
            for name, (args, title, env) in launches.items():
                times[name].append(first_window(args, display, title, home, env))
    finally:
        screen.__exit__(None, None, None)
        shutil.rmtree(work, ignore_errors=True)
    floor = statistics.median(times["bare PySide6 window"])
    print(f"launch to first window, median of {runs} (after one warm-up), under Xvfb:")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:22} {median * 1000:6.0f} ms  ×{median / floor:.2f} the bare window  "
              f"(min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
