"""Letting phones in, as the window does it (the server in a process of its own): how long the
UI thread stalls from the click on "Let phones join" until phones can join (goal < 50 ms, as
bench_join's live refresh: the projector's countdown must not stand still), and how long the
server's process takes to listen (no goal: half a second quiet, several loaded; it is waited
for off the UI thread). The first start apart: it imports what letting phones in needs.

Before issue 19's fix the click waited for the child on the UI thread: a stall of the whole
start (about 0.33 s, 0.53 s the first time). Run: ``python tests/bench/bench_join_start.py``.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

STARTS = int(os.environ.get("BENCH_RUNS", "7"))
PROBE_MS = 5            # the UI-thread probe: a timer this often; a late tick is a stall
GOAL_STALL_MS = 50.0


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from workshop.app import start_window
    from workshop.config import AppConfig

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as folder:
        config = AppConfig(db_path=Path(folder) / "academy.sqlite", host="127.0.0.1", port=0,
                           session_path=None)
        ctx, window = start_window(config)   # the system clock: the window's process mode
        assert ctx.join.isolate
        academy = ctx.academies.create("Spring Academy")
        window.open_academy(academy.id)
        page = window.page("attendance")
        stalls, readies = [], []
        try:
            for _ in range(STARTS):
                ticks: list[float] = []
                probe = QTimer()
                probe.setInterval(PROBE_MS)
                probe.timeout.connect(lambda: ticks.append(time.perf_counter()))
                probe.start()
                app.processEvents()
                clicked = time.perf_counter()
                page.serve_button.click()
                deadline = clicked + 60
                while not ctx.join.running and time.perf_counter() < deadline:
                    app.processEvents()
                    time.sleep(0.001)
                ready = time.perf_counter()
                probe.stop()
                assert ctx.join.running, "the server did not start"
                stamps = [clicked, *ticks, ready]
                stalls.append(max(b - a for a, b in zip(stamps, stamps[1:])) * 1000)
                readies.append((ready - clicked) * 1000)
                page.serve_button.setChecked(False)   # a click on the switch: stopped
                app.processEvents()
        finally:
            ctx.close()
    later = statistics.median(stalls[1:]) if len(stalls) > 1 else stalls[0]
    print(f"UI thread's longest stall, first start: {stalls[0]:.0f} ms; later starts, median "
          f"of {len(stalls) - 1}: {later:.0f} ms (goal < {GOAL_STALL_MS:.0f} ms) — "
          f"{'ok' if max(stalls[0], later) < GOAL_STALL_MS else 'MISSED'}")
    print(f"the server's process listening after: first {readies[0]:.0f} ms, later median "
          f"{statistics.median(readies[1:] or readies):.0f} ms (off the UI thread)")


if __name__ == "__main__":
    main()
