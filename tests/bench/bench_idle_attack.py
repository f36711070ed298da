"""The idle-connection attack: one client holds ~1,100 idle sockets (and some half-sent
requests, reopening whatever the server closes) while a real phone checks in again and again.

Prints the real phone's check-in latency (median, p95) without the attack (the floor, measured in
this run) and under it, their ratio, and how many connections the attacker holds on the server
(capped per client) against how many it tried. Run: ``python tests/bench/bench_idle_attack.py``.
Loopback only: the attacker is 127.0.0.2, the phone 127.0.0.1 (Linux answers all of 127/8).
"""
from __future__ import annotations

import http.client
import json
import os
import select
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from workshop.academy.model import Participant  # noqa: E402
from workshop.app import build_context  # noqa: E402
from workshop.config import AppConfig  # noqa: E402

IDLE, HALF_SENT = 1_100, 100
CHECKINS = 150
ATTACK_S = 8.0  # the phone keeps checking in this long: past the server's 5 s idle timeout
ATTACKER = "127.0.0.2"


def check_in(port: int, token: str, key: str) -> float:
    """One real phone's check-in on a fresh connection; its latency in seconds."""
    body = json.dumps({"v": 1, "key": key}).encode()
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", f"/api/v1/s/{token}/checkin", body,
                     {"Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        assert response.status == 200, response.status
    finally:
        conn.close()
    return time.perf_counter() - started


def latencies(port: int, token: str, key: str, at_least_s: float = 0.0) -> list[float]:
    """CHECKINS check-ins one after another, and more until ``at_least_s`` has passed."""
    started, values = time.monotonic(), []
    while len(values) < CHECKINS or time.monotonic() - started < at_least_s:
        values.append(check_in(port, token, key))
    return values


class Attacker(threading.Thread):
    """Holds IDLE idle and HALF_SENT half-sent connections, reopening the closed ones."""

    def __init__(self, port: int):
        super().__init__(daemon=True)
        self.port, self.socks, self.stop, self.opened = port, [], threading.Event(), 0
        self.closed_by_server = 0

    def open_one(self, half_sent: bool) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(True)
        try:
            sock.bind((ATTACKER, 0))
            sock.connect(("127.0.0.1", self.port))
            if half_sent:
                sock.sendall(b"POST /api/v1/s/x/checkin HTTP/1.1\r\nHost: x\r\nContent-Le")
        except OSError:
            sock.close()
            return
        self.opened += 1
        self.socks.append(sock)

    def run(self) -> None:
        while not self.stop.is_set():
            while len(self.socks) < IDLE + HALF_SENT:
                self.open_one(half_sent=len(self.socks) >= IDLE)
            poll = select.poll()  # not select(): these descriptors go past 1,024
            by_fd = {sock.fileno(): sock for sock in self.socks}
            for fd in by_fd:
                poll.register(fd, select.POLLIN)
            for fd, _ in poll.poll(0):  # readable: closed (or reset) by the server
                sock = by_fd[fd]
                self.socks.remove(sock)
                sock.close()
                self.closed_by_server += 1
            self.stop.wait(1.0)
        for sock in self.socks:
            sock.close()


def figures(name: str, values: list[float]) -> tuple[float, float]:
    median = statistics.median(values) * 1000
    p95 = statistics.quantiles(values, n=20)[-1] * 1000
    print(f"{name:<24} median {median:7.2f} ms   p95 {p95:7.2f} ms", flush=True)
    return median, p95


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = AppConfig(db_path=Path(tmp) / "academy.sqlite", host="127.0.0.1", port=0)
        ctx = build_context(config)
        academy = ctx.academies.create("Bench Academy")
        person = ctx.academies.add_participant(academy.id, Participant("Real Phone"))
        bound = ctx.join.start_server(host="127.0.0.1", port=0, rate_limit=None)
        try:
            token = ctx.join.links(academy.id)[0].token
            key = ctx.join._desk().key_of(academy.id, person.id)
            gate = ctx.join._server.server.gate  # the bench reads the server's own count
            floor = figures("no attack", latencies(bound.port, token, key))
            attacker = Attacker(bound.port)
            attacker.start()
            while attacker.opened < IDLE + HALF_SENT:
                time.sleep(0.1)
            held = gate.held_by(ATTACKER)
            attacked = figures("under attack", latencies(bound.port, token, key, ATTACK_S))
            held_after = gate.held_by(ATTACKER)
            attacker.stop.set()
            attacker.join()
        finally:
            ctx.join.stop_server()
            ctx.close()
    print(f"attacker tried {IDLE + HALF_SENT} sockets ({attacker.opened} connects in all); "
          f"the server held {held} of them at once (cap {gate.limits.per_client} per client), "
          f"{held_after} after the phone's run; {attacker.closed_by_server} of its sockets were "
          f"closed by the server (refused at once, or idle past {gate.limits.idle_s:g} s)",
          flush=True)
    print(f"ratio under attack / floor: median {attacked[0] / floor[0]:.2f}x, "
          f"p95 {attacked[1] / floor[1]:.2f}x", flush=True)


if __name__ == "__main__":
    main()
