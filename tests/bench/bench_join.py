"""300 phones at once over loopback: load the page, find the name, check in, follow live.

Prints: check-ins recorded (0 lost, 0 duplicated), p50/p99 check-in latency (goal p99 < 100 ms),
how long the rotation's start took to reach every phone, and the UI thread's longest stall while
the attendance page refreshes live (goal < 50 ms). Run: ``python tests/bench/bench_join.py``.

All phones come from 127.0.0.1, which the per-client rate limit would rightly treat as one
flooding client, so the bench runs the server without it (on a LAN each phone has its own address);
for the same reason the address's budget of revealed names is raised to the crowd's size. Each
phone keeps its own cookies (its device id), as real phones do.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import os
import queue
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import aiohttp  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from stations.join.identity.guard import JoinLimits  # noqa: E402
from workshop.academy.model import Participant  # noqa: E402
from workshop.app import build_context, build_window  # noqa: E402
from workshop.config import AppConfig  # noqa: E402
from workshop.net import ConnectionLimits  # noqa: E402

PHONES = 300
PROBE_MS = 5  # the UI-thread probe: a timer this often; a late tick is a stall


async def phone(session, base, token, name, results, seen_start, delay=0.0):
    await asyncio.sleep(delay)
    async with session.get(f"{base}/s/{token}") as r:
        assert r.status == 200
        page = await r.read()
    for asset in ("app.js", "app.css"):
        async with session.get(f"{base}/join/{asset}") as r:
            page += await r.read()
    assert b'name="join-station" content="{' in page  # the station comes with the page
    async with session.get(f"{base}/api/v1/s/{token}/names", params={"q": name}) as r:
        key = (await r.json())["matches"][0]["key"]
    t0 = time.perf_counter()
    async with session.post(f"{base}/api/v1/s/{token}/checkin", json={"v": 1, "key": key}) as r:
        body = await r.json()
    results["latency"].append(time.perf_counter() - t0)
    results["acks"].append(body.get("checked_in") is True)
    results["bytes"] = max(results.get("bytes", 0), len(page))
    async with session.get(f"{base}/api/v1/s/{token}/live", params={"key": key},
                           timeout=aiohttp.ClientTimeout(total=None, sock_read=30)) as r:
        results["streams"] += 1
        async for line in r.content:
            if line.startswith(b"data:") and b'"phase": "round"' in line:
                seen_start.append(time.perf_counter())
                return


async def crowd(base, tokens, names, to_parent, spread=0.0):
    """The phones, in a process of their own (as on real devices, they do not share the app's
    interpreter): all start at once; when every live stream is open, the parent starts the
    rotation and we time how long the news takes to reach every phone."""
    results = {"latency": [], "acks": [], "streams": 0}
    seen_start: list[float] = []
    connector = aiohttp.TCPConnector(limit=0)
    # unsafe=True: keep cookies from an IP address host (the laptop has no name on loopback).
    sessions = [aiohttp.ClientSession(connector=connector, connector_owner=False,
                                      cookie_jar=aiohttp.CookieJar(unsafe=True)) for _ in names]
    try:
        tasks = [asyncio.create_task(phone(sessions[i], base, tokens[i % len(tokens)], name,
                                           results, seen_start, spread * i / len(names)))
                 for i, name in enumerate(names)]
        while results["streams"] < len(names):
            await asyncio.sleep(0.02)
        to_parent.put(("ready", None))
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=60)
    finally:
        for session in sessions:
            await session.close()
        await connector.close()
    results["seen_start"] = seen_start
    to_parent.put(("done", results))


def run_crowd(base, tokens, names, to_parent, spread=0.0) -> None:
    asyncio.run(crowd(base, tokens, names, to_parent, spread))


def time_check_ins() -> list[float]:
    """Server-side time of each check-in: from the request's arrival to its acknowledgement
    (after the commit). The phones' own figure adds the client's and the loop's queueing."""
    from stations.join.routes import JoinApp
    times: list[float] = []
    original = JoinApp.checkin_view

    async def timed(self, request):
        t0 = time.perf_counter()
        try:
            return await original(self, request)
        finally:
            times.append(time.perf_counter() - t0)
    JoinApp.checkin_view = timed
    return times


def main(spread: float = 0.0) -> None:
    app = QApplication.instance() or QApplication([])
    folder = tempfile.mkdtemp(prefix="bench-join-")
    ctx = build_context(AppConfig(db_path=Path(folder) / "bench.sqlite", host="127.0.0.1", port=0))
    academy = ctx.academies.create("Bench Academy")
    with ctx.db.atomic():
        for i in range(PHONES):
            ctx.academies.add_participant(academy.id, Participant(f"Phone {i:03d}"))
    names = [f"Phone {i:03d}" for i in range(PHONES)]
    window = build_window(ctx)
    window.open_academy(academy.id)
    window.show_page("attendance")
    window.show()
    window.ticker.start()
    server_times = time_check_ins()
    # Every phone is 127.0.0.1 here: lift the per-client caps as the rate limit is.
    bound = ctx.join.start_server(host="127.0.0.1", port=0, rate_limit=None,
                                  limits=ConnectionLimits(per_client=4 * PHONES),
                                  join_limits=JoinLimits(names_per_phone=PHONES))
    links = ctx.join.links(academy.id)

    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def probe():
        now = clock.nsecsElapsed()
        gaps.append((now - last[0]) / 1e6)
        last[0] = now
    timer = QTimer()
    timer.setInterval(PROBE_MS)
    timer.timeout.connect(probe)
    timer.start()

    spawn = multiprocessing.get_context("spawn")
    messages = spawn.Queue()
    phones = spawn.Process(target=run_crowd, args=(bound.base_url, [l.token for l in links],
                                                   names, messages, spread), daemon=True)
    state = {}

    def watch():
        try:
            kind, payload = messages.get_nowait()
        except queue.Empty:
            return
        if kind == "ready":
            state["t_start"] = time.perf_counter()
            ctx.rotation.start(academy.id)  # the facilitator presses Start, on the GUI thread
        else:
            state["results"] = payload
            app.quit()
    watcher = QTimer()
    watcher.setInterval(10)
    watcher.timeout.connect(watch)
    watcher.start()
    t0 = time.perf_counter()
    phones.start()
    app.exec()
    elapsed = time.perf_counter() - t0
    timer.stop()
    phones.join(timeout=10)
    ctx.join.stop_server()
    results = state["results"]
    seen = results["seen_start"]
    results["fan_out"] = max(seen) - state["t_start"] if seen else float("nan")
    results["reached"] = len(seen)

    rows = ctx.db.execute("SELECT count(*), count(DISTINCT participant_id) FROM join_checkins").fetchone()
    lat = sorted(results["latency"])
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000  # noqa: E731
    stall = max(gaps[5:], default=0.0) - PROBE_MS
    when = f"arriving over {spread:g} s" if spread else "all at once"
    print(f"phones: {PHONES}, {when}, over loopback (page {results['bytes'] / 1024:.1f} KB; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})")
    print(f"check-ins acknowledged: {sum(results['acks'])}; recorded: {rows[0]} "
          f"(lost: {PHONES - rows[0]}, duplicated: {rows[0] - rows[1]})")
    print(f"check-in latency: p50 {p(0.50):.1f} ms, p99 {p(0.99):.1f} ms, max {lat[-1] * 1000:.1f} ms"
          f" (goal p99 < 100 ms)")
    srv = sorted(server_times)
    print(f"  of which in the server (arrival to acknowledgement, commit included): "
          f"p50 {srv[len(srv) // 2] * 1000:.1f} ms, p99 {srv[int(0.99 * len(srv))] * 1000:.1f} ms")
    print(f"live streams: {results['streams']}; rotation start reached {results['reached']} phones "
          f"within {results['fan_out'] * 1000:.0f} ms")
    window.ticker.tick()
    nowhere = len(window.page("attendance").nowhere.texts()) if ctx.join.attendance(
        academy.id).nowhere else 0
    print(f"UI thread longest stall: {stall:.1f} ms (goal < 50 ms); the attendance page lists "
          f"{nowhere} people as not checked in anywhere")
    print(f"wall time: {elapsed:.1f} s")
    ctx.close()


if __name__ == "__main__":
    # --spread S: phones arrive evenly over S seconds (people walking up to a station) instead
    # of in the same instant.
    main(float(sys.argv[sys.argv.index("--spread") + 1]) if "--spread" in sys.argv else 0.0)
