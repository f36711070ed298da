"""1,000 phones at the machine's limit (issue 19 item 6), beside a minimal aiohttp + SQLite floor
measured in the same run.

Each phone has its own loopback address (127.1.x.y, as on a room's Wi-Fi) and its own cookies;
it loads the page and its two files, searches its name, checks in, and keeps the live stream
open. Two arrivals: 1,000 phones evenly over 10 s, and 1,000 in the same instant. Each server
runs in a process of its own (the app with its window and the attendance page open; the floor:
one aiohttp loop with one SQLite connection, answering the same requests with the least work),
the phones in a third. The app serves as the window does, from a child process of its own
(``--modes process``, the default), or from threads of the window's process (``thread``, as
``workshop serve`` and before the fifth pass); ``--modes thread,process`` runs both, one after the
other, for an A/B in the same run. Printed for each: check-in latency p50/p99/max as the phones
see it, time until all are in, lost and duplicated (counted in the database), the server's CPU
per phone (from /proc schedstat: the server process's every thread, or the server's threads in
the window's process; and the window's thread that carries the server process's events), the
CPU of 1,000 idle live streams, memory (RSS, of both processes) with all connected, and for the
app the UI thread's longest stall (for the floor, the longest oversleep of a thread waking every
5 ms in its process: what the machine alone costs) with the window's longest full collection
of the garbage collector; then the ratios.

Run: ``python tests/bench/bench_room.py [--phones N] [--modes thread,process]``. Goals: CPU per phone and spread p99
≤ 1.5× the floor (p99 < 50 ms); all at once in ≤ 1.2× the floor's time, p99 < 250 ms; idle
streams < 5 % of a core; 0 lost; UI stall < 50 ms. Where a phone's CPU goes, request by request
(the same floor, the app headless, one request kind at a time): ``tests/bench/bench_requests.py``.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import os
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

PHONES = 1000
SPREAD_S = 10.0
IDLE_S = 5.0
PROBE_MS = 5


def address(i: int) -> str:
    """Phone i's own loopback address (Linux answers the whole of 127/8)."""
    return f"127.1.{i // 250}.{i % 250 + 1}"


def thread_cpu_s(native_ids, pid: int | str = "self") -> float:
    """CPU seconds the given threads of process ``pid`` have used (schedstat: nanoseconds)."""
    total = 0
    for tid in native_ids:
        try:
            total += int(Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()[0])
        except OSError:
            pass
    return total / 1e9


def process_cpu_s(pid: int) -> float:
    """CPU seconds every thread of process ``pid`` has used (those alive now)."""
    return thread_cpu_s([task.name for task in Path(f"/proc/{pid}/task").iterdir()], pid)


def rss_mib(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# -- the floor: the least a server can do for the same requests ----------------------------------
def floor_server(db_path: str, names: list[str], ready) -> None:
    from aiohttp import web
    db = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT UNIQUE)")
    db.execute("CREATE TABLE checkins (person INTEGER, station INTEGER, UNIQUE (person, station))")
    db.executemany("INSERT INTO people (name) VALUES (?)", [(n,) for n in names])
    page = b"<!doctype html><title>Station</title>" + b"x" * 3000
    asset = b"/* */" + b"x" * 10000

    async def page_view(request):
        return web.Response(body=page, content_type="text/html")

    async def asset_view(request):
        return web.Response(body=asset, content_type="text/plain")

    async def names_view(request):
        row = db.execute("SELECT id FROM people WHERE name = ?", [request.query["q"]]).fetchone()
        return web.json_response({"matches": [{"key": str(row[0]), "name": request.query["q"]}]})

    async def checkin_view(request):
        body = await request.json()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT OR IGNORE INTO checkins VALUES (?, 1)", [int(body["key"])])
        db.execute("COMMIT")
        return web.json_response({"checked_in": True})

    async def live_view(request):
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        await response.write(b'data: {"phase": "ready"}\n\n')
        while True:  # nothing changes: a floor stream costs nothing while idle
            await asyncio.sleep(3600)

    app = web.Application()
    app.router.add_get("/s/{token}", page_view)
    app.router.add_get("/join/{name}", asset_view)
    app.router.add_get("/api/v1/s/{token}/names", names_view)
    app.router.add_post("/api/v1/s/{token}/checkin", checkin_view)
    app.router.add_get("/api/v1/s/{token}/live", live_view)

    async def main():
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=4096)
        await site.start()
        ready(runner.addresses[0][1], ["t" * 32])
        await asyncio.Event().wait()
    asyncio.run(main())


def floor_main(pipe, names: list[str]) -> None:
    folder = tempfile.mkdtemp(prefix="bench-room-floor-")
    db_path = str(Path(folder) / "floor.sqlite")
    started = threading.Event()
    info = {}

    def ready(port, tokens):
        info.update(port=port, tokens=tokens, tid=threading.get_native_id())
        started.set()
    threading.Thread(target=floor_server, args=(db_path, names, ready), daemon=True).start()
    # The floor's own stall: a thread that wakes every PROBE_MS, as the app's UI probe does,
    # waits for a core and for the interpreter behind the busy loop. What the app's UI stall
    # adds to this is the app's; the rest is the machine (2 shared cores, the phones' process).
    gaps = [0.0]

    def probe():
        while True:
            before = time.perf_counter()
            time.sleep(PROBE_MS / 1000)
            gaps.append((time.perf_counter() - before) * 1000 - PROBE_MS)
    threading.Thread(target=probe, daemon=True).start()
    started.wait()
    pipe.send((f"http://127.0.0.1:{info['port']}", info["tokens"]))
    while True:
        command = pipe.recv()
        if command == "cpu":
            pipe.send((thread_cpu_s([info["tid"]]), 0.0, rss_mib(), 0.0,
                       max(gaps[20:], default=0.0), 0.0))
        elif command == "count":
            db = sqlite3.connect(db_path)
            pipe.send(db.execute("SELECT count(*), count(DISTINCT person) FROM checkins").fetchone())
            db.close()
        else:
            return


# -- the app: its window open on the attendance page, phones served as in the room -------------
def app_main(pipe, names: list[str], mode: str = "process") -> None:
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from workshop.academy.model import Participant
    from workshop.app import build_context, build_window
    from workshop.config import AppConfig
    from workshop.net import ConnectionLimits

    app = QApplication.instance() or QApplication([])
    folder = tempfile.mkdtemp(prefix="bench-room-app-")
    ctx = build_context(AppConfig(db_path=Path(folder) / "bench.sqlite", host="127.0.0.1", port=0))
    academy = ctx.academies.create("Bench Academy")
    with ctx.db.atomic():
        for name in names:
            ctx.academies.add_participant(academy.id, Participant(name))
    window = build_window(ctx)
    window.open_academy(academy.id)
    window.show_page("attendance")
    window.show()
    window.ticker.start()
    ctx.join.isolate = mode == "process"   # as start_window chooses, on the system clock
    # Each phone has its own address, so the per-client limits stay as they are.
    bound = ctx.join.start_server(host="127.0.0.1", port=0,
                                  limits=ConnectionLimits(total=4 * len(names)))
    links = ctx.join.links(academy.id)
    pipe.send((bound.base_url, [link.token for link in links]))

    def server_threads():
        return [t.native_id for t in threading.enumerate() if t.name.startswith("join-")]

    def server_cpu() -> tuple[float, float, float]:
        """(the server's CPU s, the window's thread carrying its events, the server's RSS)."""
        if mode == "thread":
            return thread_cpu_s(server_threads()), 0.0, 0.0
        child = ctx.join._server.process.pid
        return process_cpu_s(child), thread_cpu_s(server_threads()), rss_mib(child)
    gaps = [0.0]
    # The window's own full collections (a pause of the UI thread the probe may catch).
    import gc
    pauses, began = [0.0], [0.0]

    def collected(phase, info):
        if info.get("generation") == 2:
            if phase == "start":
                began[0] = time.perf_counter()
            else:
                pauses.append((time.perf_counter() - began[0]) * 1000)
    gc.callbacks.append(collected)
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def probe():
        now = clock.nsecsElapsed()
        gaps.append((now - last[0]) / 1e6 - PROBE_MS)
        last[0] = now
    timer = QTimer()
    timer.setInterval(PROBE_MS)
    timer.timeout.connect(probe)
    timer.start()

    def serve():
        try:
            if not pipe.poll():
                return
            command = pipe.recv()
        except (EOFError, OSError):   # the bench is gone
            command = "stop"
        if command == "cpu":
            cpu, channel, child_rss = server_cpu()
            pipe.send((cpu, channel, rss_mib(), child_rss, max(gaps[20:], default=0.0),
                       max(pauses)))
        elif command == "count":
            row = ctx.db.execute("SELECT count(*), count(DISTINCT participant_id) "
                                 "FROM join_checkins").fetchone()
            pipe.send(tuple(row))
        else:
            ctx.join.stop_server()
            app.quit()
    watcher = QTimer()
    watcher.setInterval(10)
    watcher.timeout.connect(serve)
    watcher.start()
    app.exec()


# -- the phones --------------------------------------------------------------------------------
async def one_phone(i, base, token, name, delay, out, streams, release):
    import aiohttp
    await asyncio.sleep(delay)
    connector = aiohttp.TCPConnector(local_addr=(address(i), 0), limit=0)
    async with aiohttp.ClientSession(connector=connector,
                                     cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.get(f"{base}/s/{token}") as r:
            assert r.status == 200, r.status
            await r.read()
        for asset in ("app.js", "app.css"):
            async with session.get(f"{base}/join/{asset}") as r:
                await r.read()
        async with session.get(f"{base}/api/v1/s/{token}/names", params={"q": name}) as r:
            key = (await r.json())["matches"][0]["key"]
        t0 = time.perf_counter()
        async with session.post(f"{base}/api/v1/s/{token}/checkin",
                                json={"v": 1, "key": key}) as r:
            acked = r.status == 200 and (await r.json()).get("checked_in") is True
        done = time.perf_counter()
        out.append((done - t0, done, acked))
        async with session.get(f"{base}/api/v1/s/{token}/live", params={"key": key},
                               timeout=aiohttp.ClientTimeout(total=None, sock_read=None)) as r:
            await r.content.readline()
            streams.append(i)
            await release.wait()


def phones_main(pipe, base, tokens, names, spread) -> None:
    async def crowd():
        out, streams, release = [], [], asyncio.Event()
        started = time.perf_counter()
        tasks = [asyncio.create_task(one_phone(i, base, tokens[i % len(tokens)], name,
                                               spread * i / len(names), out, streams, release))
                 for i, name in enumerate(names)]
        while len(streams) < len(names) and not any(t.done() and t.exception() for t in tasks):
            await asyncio.sleep(0.05)
        failed = [t.exception() for t in tasks if t.done() and t.exception()]
        pipe.send(("connected", len(streams), repr(failed[:3])))
        await asyncio.get_running_loop().run_in_executor(None, pipe.recv)  # the parent measured
        release.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        pipe.send(("done", started, out))
    asyncio.run(crowd())


def run(kind: str, names: list[str], spread: float) -> dict:
    spawn = multiprocessing.get_context("spawn")
    here, there = spawn.Pipe()
    # The app's process is not a daemon: a daemon may have no child, and the window's server
    # is one (it ends when its pipe here closes).
    server = spawn.Process(target=floor_main if kind == "floor" else app_main,
                           args=(there, names) if kind == "floor" else (there, names, kind),
                           daemon=kind == "floor")
    server.start()
    base, tokens = here.recv()
    cpu0, chan0, rss0, child0, _, _ = _ask(here, "cpu")
    p_here, p_there = spawn.Pipe()
    phones = spawn.Process(target=phones_main, args=(p_there, base, tokens, names, spread),
                           daemon=True)
    phones.start()
    _, connected, failures = p_here.recv()
    cpu1, chan1, rss, child_rss, _, _ = _ask(here, "cpu")
    time.sleep(IDLE_S)  # every phone connected, nothing happening: what do idle streams cost?
    cpu2, _, _, _, stall, collection = _ask(here, "cpu")
    p_here.send("go")
    _, started, out = p_here.recv()
    rows, distinct = _ask(here, "count")
    here.send("stop")
    phones.join(10)
    server.join(10)
    latencies = sorted(o[0] for o in out)
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return {"connected": connected, "failures": failures, "acked": sum(o[2] for o in out),
            "rows": rows, "lost": len(names) - rows, "duplicated": rows - distinct,
            "p50": pick(0.5), "p99": pick(0.99), "max": latencies[-1] * 1000 if latencies else 0,
            # after the last phone set out (it starts spread * (n - 1) / n into the run)
            "all_in_s": max(o[1] for o in out) - started - spread * (len(names) - 1) / len(names),
            "cpu_per_phone_ms": (cpu1 - cpu0) * 1000 / len(names),
            "channel_ms": (chan1 - chan0) * 1000 / len(names),
            "idle_core": (cpu2 - cpu1) / IDLE_S, "rss": rss, "rss_growth": rss - rss0,
            "child_rss": child_rss, "child_growth": child_rss - child0, "stall": stall,
            "collection": collection}


def _ask(pipe, command):
    pipe.send(command)
    return pipe.recv()


def show(kind, r):
    print(f"  {kind:7}  in: {r['acked']}/{r['connected']} streams; recorded {r['rows']} "
          f"(lost {r['lost']}, duplicated {r['duplicated']}); check-in p50 {r['p50']:.1f} ms, "
          f"p99 {r['p99']:.1f} ms, max {r['max']:.0f} ms; all in {r['all_in_s']:.2f} s after the "
          f"last set out; "
          f"CPU/phone {r['cpu_per_phone_ms']:.2f} ms"
          + (f" (+{r['channel_ms']:.2f} ms the window's event thread)" if r["channel_ms"] else "")
          + f"; idle streams {100 * r['idle_core']:.1f} % "
          f"of a core; RSS {r['rss']:.0f} MiB (+{r['rss_growth']:.0f} with the phones)"
          + (f", the server process's {r['child_rss']:.0f} MiB (+{r['child_growth']:.0f})"
             if r["child_rss"] else "")
          + (f"; UI stall {r['stall']:.0f} ms (its longest full collection "
             f"{r['collection']:.0f} ms)" if kind != "floor"
             else f"; a probe thread's stall {r['stall']:.0f} ms"))
    if r["failures"] != "[]":
        print(f"         phones that failed: {r['failures']}")


def main(phones: int, modes: list[str]) -> None:
    names = [f"Phone {i:04d}" for i in range(phones)]
    print(f"{phones} phones over loopback, each its own address; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    for label, spread in ((f"arriving over {SPREAD_S:g} s", SPREAD_S), ("all in the same instant", 0.0)):
        print(label)
        floor = run("floor", names, spread)
        show("floor", floor)
        for mode in modes:
            app = run(mode, names, spread)
            show(mode, app)
            ratios(app, floor, spread)


def ratios(app: dict, floor: dict, spread: float) -> None:
    all_in = (f", all in {app['all_in_s'] / max(floor['all_in_s'], 1e-9):.2f}× (goal ≤ 1.2)"
              if not spread else "")
    growth = app["rss_growth"] + app["child_growth"]   # both processes of the app
    print(f"  ratios app/floor: CPU/phone {app['cpu_per_phone_ms'] / floor['cpu_per_phone_ms']:.2f}×"
          f" (goal ≤ 1.5), p99 {app['p99'] / floor['p99']:.2f}×{all_in}, "
          f"RSS growth {growth / max(floor['rss_growth'], 1e-9):.2f}×, "
          f"stall {app['stall']:.0f} ms against the floor's probe's {floor['stall']:.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[sys.argv.index("--phones") + 1]) if "--phones" in sys.argv else PHONES,
         sys.argv[sys.argv.index("--modes") + 1].split(",") if "--modes" in sys.argv
         else ["process"])
