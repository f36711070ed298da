"""Benchmark: the handout pack of the big academy (bench_handouts' 40 teams) as a facilitator
runs it, `workshop handout pack` in a fresh process, beside a floor measured in the same run:
the same number of pages of plain reportlab text in the same number of files, in two
processes. Each is measured from outside: wall time, the CPU of every process it started
(render workers and any fork server included), the peak memory of all of them together, and
the pack's size. Goals (issue 20): CPU ≤ 3× the floor's, wall < 3 s. Printed beside the
floor, not a goal: the same text in an embedded TrueType face (how much of the ratio is the
Unicode fonts the app must embed for participants' names).

    python tests/bench/bench_pack_command.py
"""
from __future__ import annotations

import ctypes
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
GOAL_CPU_RATIO, GOAL_WALL_S = 3.0, 3.0
PR_SET_CHILD_SUBREAPER = 36

# The floor: plain text, one standard font, a page of forty lines, no tables, no furniture.
# With a fourth argument, a TrueType face (embedded as a subset, as the app's text is, since
# participants' names need Unicode): not the goal's floor, printed beside it.
FLOOR = r"""
import os, sys
from pathlib import Path
from reportlab.pdfgen.canvas import Canvas

out, files, pages = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
face = "Helvetica"
if len(sys.argv) > 4:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    face = "Face"
    pdfmetrics.registerFont(TTFont(face, sys.argv[4]))
per_file = [pages // files + (i < pages % files) for i in range(files)]
line = "Plain text of a handout, the same length as a line of a real one, more or less."

def write(indices):
    for i in indices:
        canvas = Canvas(str(out / f"f{i:03d}.pdf"), pageCompression=1, invariant=1)
        for page in range(per_file[i]):
            canvas.setFont(face, 10)
            for row in range(40):
                canvas.drawString(56, 780 - row * 18, f"{page} {row} {line}")
            canvas.showPage()
        canvas.save()

out.mkdir(parents=True, exist_ok=True)
if os.fork() == 0:
    write(range(1, files, 2))
    os._exit(0)
write(range(0, files, 2))
os.wait()
"""


def _descendants(root: int) -> list[int]:
    """Every process under ``root`` (this process is their subreaper, so orphans stay ours)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _rss_of(pids: list[int]) -> int:
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
        except (OSError, IndexError):
            pass
    return total


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds of every process it started, peak MiB of all together)."""
    me = os.getpid()
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _rss_of(_descendants(me)))
            done.wait(0.1)   # a /proc scan costs a few ms: sampled at 10 Hz, not faster
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    cpu = 0.0
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu += usage.ru_utime + usage.ru_stime
    while True:   # orphans (a fork server) were re-parented to us: reap them and count them
        try:
            _, _, usage = os.wait4(-1, 0)
        except ChildProcessError:
            break
        cpu += usage.ru_utime + usage.ru_stime
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{argv[:4]}… failed: {proc.stderr.read().decode()[-800:]}")
    return wall, cpu, peak[0] / 1024 / 1024


def pages_in(folder: Path) -> tuple[int, int, int]:
    """(files, pages, bytes) of the PDFs under ``folder``."""
    files = sorted(folder.rglob("*.pdf"))
    pages = sum(len(re.findall(rb"/Type\s*/Page(?![s\w])", f.read_bytes())) for f in files)
    return len(files), pages, sum(f.stat().st_size for f in files)


def median(rows: list[tuple[float, float, float]]) -> tuple[float, ...]:
    return tuple(statistics.median(r[i] for r in rows) for i in range(3))


def main() -> int:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    from tests.bench.bench_handouts import build
    with tempfile.TemporaryDirectory(prefix="bench-pack-command-") as tmp_name:
        tmp = Path(tmp_name)
        ctx, academy_id = build(tmp)
        title = ctx.academies.get(academy_id).title
        db = ctx.config.db_path
        ctx.close()
        env = dict(os.environ, PYTHONPATH=str(ROOT), WORKSHOP_SESSION=str(tmp / "session.json"),
                   PYTHONPYCACHEPREFIX=str(tmp / "pycache"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)   # bytecode cached, as on a user's machine
        command = [sys.executable, "-m", "workshop", "--db", str(db), "handout", "pack",
                   "--academy", title, "--paper", "a4"]
        run([*command, "--out", str(tmp / "warm")], env)   # warm-up
        files, pages, size = pages_in(tmp / "warm")
        floor_argv = [sys.executable, "-c", FLOOR]
        run([*floor_argv, str(tmp / "floor-warm"), str(files), str(pages)], env)
        unicode_face = str(ROOT / "assets" / "fonts" / "DejaVuSans.ttf")
        packs, servers, floors, faced = [], [], [], []
        server_env = dict(env, WORKSHOP_PACK_START="forkserver")   # the window's way
        for n in range(RUNS):   # interleaved, so all see the same load
            packs.append(run([*command, "--out", str(tmp / f"pack{n}")], env))
            servers.append(run([*command, "--out", str(tmp / f"server{n}")], server_env))
            floors.append(run([*floor_argv, str(tmp / f"floor{n}"), str(files), str(pages)], env))
            faced.append(run([*floor_argv, str(tmp / f"faced{n}"), str(files), str(pages),
                              unicode_face], env))
        pack, server, floor, face = median(packs), median(servers), median(floors), median(faced)
        _, _, floor_size = pages_in(tmp / "floor0")
        print(f"{files} files, {pages} pages; medians of {RUNS}; {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f}")
        print(f"  pack as a command   {pack[0]:5.2f} s wall  {pack[1]:5.2f} s CPU  "
              f"{pack[2]:5.0f} MiB  {size / 1024 / 1024:5.2f} MB   "
              f"{pack[1] / pages * 1000:.1f} ms CPU a page")
        print(f"  … with a fork server {server[0]:4.2f} s wall  {server[1]:5.2f} s CPU  "
              f"{server[2]:5.0f} MiB   (how the window starts its workers)")
        print(f"  plain-text floor    {floor[0]:5.2f} s wall  {floor[1]:5.2f} s CPU  "
              f"{floor[2]:5.0f} MiB  {floor_size / 1024 / 1024:5.2f} MB   "
              f"{floor[1] / pages * 1000:.1f} ms CPU a page")
        print(f"  … in a TrueType face {face[0]:4.2f} s wall  {face[1]:5.2f} s CPU  "
              f"{face[2]:5.0f} MiB   (DejaVu Sans embedded, as the app's Unicode text is: "
              f"the pack is {pack[1] / face[1]:.1f}× its CPU)")
        print(f"  ratio               {pack[0] / floor[0]:5.1f}× wall {pack[1] / floor[1]:5.1f}× CPU "
              f"{pack[2] / floor[2]:5.1f}× memory  (goals: CPU ≤ {GOAL_CPU_RATIO:.0f}×, "
              f"wall < {GOAL_WALL_S:.0f} s)")
        met = pack[1] / floor[1] <= GOAL_CPU_RATIO and pack[0] < GOAL_WALL_S
        print("goals met" if met else "GOAL MISSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
