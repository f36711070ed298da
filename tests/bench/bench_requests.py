"""Where a phone's server CPU goes, request by request (issue 19 item 6): the join server and
bench_room's floor, each sent N of one request kind at a time.

N phones (each its own loopback address and cookies, as in bench_room) take their six requests
in phases — every phone's page, then every phone's ``app.js``, its ``app.css``, its name search,
its check-in, the start of its live stream (up to its first state) — one request at a time, so
each is answered alone, as phones arriving over 10 s are. Around each phase the server process
reports its server threads' CPU (``/proc/self/task/*/schedstat``: the app's ``join-*`` threads,
headless, no window; the floor's loop thread, bench_room's own). Printed: µs of server CPU per
request of each kind, app and floor, and their ratio; with ``--runs R`` (default 3) the servers
run alternately R times each and the medians are printed.

Run: ``python tests/bench/bench_requests.py [--phones 300] [--runs 3]``. A/B against another tree:
run this file from each tree in turn (each run has its own floor to be compared against).
"""
from __future__ import annotations

import asyncio
import multiprocessing
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.bench_room import address, floor_main, thread_cpu_s  # noqa: E402

PHONES = 300
KINDS = ("page", "app.js", "app.css", "names", "checkin", "live")


def app_main(pipe, names: list[str]) -> None:
    """The join server of the app without its window (as ``workshop serve`` runs it)."""
    from workshop.academy.model import Participant
    from workshop.app import build_context
    from workshop.config import AppConfig
    from workshop.net import ConnectionLimits

    folder = tempfile.mkdtemp(prefix="bench-requests-app-")
    ctx = build_context(AppConfig(db_path=Path(folder) / "bench.sqlite", host="127.0.0.1", port=0))
    academy = ctx.academies.create("Bench Academy")
    with ctx.db.atomic():
        for name in names:
            ctx.academies.add_participant(academy.id, Participant(name))
    bound = ctx.join.start_server(host="127.0.0.1", port=0,
                                  limits=ConnectionLimits(total=4 * len(names)))
    pipe.send((bound.base_url, [link.token for link in ctx.join.links(academy.id)]))
    while True:
        command = pipe.recv()
        if command == "cpu":
            threads = {t.name: t.native_id for t in threading.enumerate()
                       if t.name.startswith("join-")}
            pipe.send((thread_cpu_s(threads.values()),
                       {name: thread_cpu_s([tid]) for name, tid in threads.items()}))
        else:
            ctx.join.stop_server()
            return


async def phases(base: str, token: str, names: list[str], cpu) -> dict[str, float]:
    """Every phone's request of each kind in turn; µs of server CPU per request of each kind
    (and for the app, ``kind/thread``: each server thread's part)."""
    import aiohttp
    sessions = [aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(local_addr=(address(i), 0), limit=0),
        cookie_jar=aiohttp.CookieJar(unsafe=True)) for i in range(len(names))]
    keys: list[str] = []
    streams = []
    spent: dict[str, float] = {}

    async def one(kind: str, i: int) -> None:
        session, name = sessions[i], names[i]
        if kind == "page":
            async with session.get(f"{base}/s/{token}") as r:
                assert r.status == 200, r.status
                await r.read()
        elif kind in ("app.js", "app.css"):
            async with session.get(f"{base}/join/{kind}") as r:
                await r.read()
        elif kind == "names":
            async with session.get(f"{base}/api/v1/s/{token}/names", params={"q": name}) as r:
                keys.append((await r.json())["matches"][0]["key"])
        elif kind == "checkin":
            async with session.post(f"{base}/api/v1/s/{token}/checkin",
                                    json={"v": 1, "key": keys[i]}) as r:
                assert r.status == 200 and (await r.json()).get("checked_in") is True
        else:
            r = await session.get(f"{base}/api/v1/s/{token}/live", params={"key": keys[i]},
                                  timeout=aiohttp.ClientTimeout(total=None, sock_read=None))
            while not (await r.content.readline()).startswith(b"data:"):
                pass
            streams.append(r)
    try:
        for kind in KINDS:
            before, threads = cpu()
            for i in range(len(names)):
                await one(kind, i)
            after, threads_after = cpu()
            spent[kind] = (after - before) * 1e6 / len(names)
            for name, used in (threads_after or {}).items():
                spent[f"{kind}/{name}"] = (used - threads.get(name, 0.0)) * 1e6 / len(names)
    finally:
        for r in streams:
            r.close()
        for session in sessions:
            await session.close()
    return spent


def run(kind: str, names: list[str]) -> dict[str, float]:
    spawn = multiprocessing.get_context("spawn")
    here, there = spawn.Pipe()
    server = spawn.Process(target=floor_main if kind == "floor" else app_main,
                           args=(there, names), daemon=True)
    server.start()
    base, tokens = here.recv()

    def cpu() -> tuple[float, dict]:
        here.send("cpu")
        answer = here.recv()
        return answer[0], answer[1] if kind == "app" else {}
    try:
        return asyncio.run(phases(base, tokens[0], names, cpu))
    finally:
        here.send("stop")
        server.join(10)


def main(phones: int, runs: int) -> None:
    names = [f"Phone {i:04d}" for i in range(phones)]
    results: dict[str, list[dict[str, float]]] = {"floor": [], "app": []}
    for _ in range(runs):
        for kind in ("floor", "app"):
            results[kind].append(run(kind, names))
            time.sleep(0.5)
    print(f"{phones} phones, one request at a time; server CPU per request (µs), median of "
          f"{runs} runs each (min–max)")
    totals = {"floor": 0.0, "app": 0.0}
    for kind in KINDS:
        row = []
        for server in ("floor", "app"):
            values = [r[kind] for r in results[server]]
            totals[server] += statistics.median(values)
            row.append(f"{server} {statistics.median(values):7.0f} "
                       f"({min(values):.0f}–{max(values):.0f})")
        ratio = (statistics.median(r[kind] for r in results["app"])
                 / max(1e-9, statistics.median(r[kind] for r in results["floor"])))
        threads = sorted({k.split("/", 1)[1] for r in results["app"] for k in r
                          if k.startswith(kind + "/")})
        split = ", ".join(f"{name} {statistics.median(r.get(f'{kind}/{name}', 0.0) for r in results['app']):.0f}"
                          for name in threads)
        print(f"  {kind:8} {row[0]:24} {row[1]:24} {ratio:5.2f}×   app: {split}")
    print(f"  {'a phone':8} floor {totals['floor']:7.0f} {'':16} app {totals['app']:7.0f} "
          f"{'':16} {totals['app'] / max(1e-9, totals['floor']):5.2f}×")


if __name__ == "__main__":
    args = sys.argv
    main(int(args[args.index("--phones") + 1]) if "--phones" in args else PHONES,
         int(args[args.index("--runs") + 1]) if "--runs" in args else 3)
