"""One client holding many idle or half-sent connections cannot deny service to the phones: it is
capped, its idle sockets are closed, and a real phone's request is answered at once meanwhile."""
from __future__ import annotations

import asyncio
import time

import pytest
from aiohttp import web

from tests.stations.join.phone import Phone
from tests.workshop.net.raw import closed_by_server, connect, exchange, read_all, split_answer
from workshop.net import ConnectionGate, ConnectionLimits, json_response, read_json
from workshop.net.server import LanServer

pytestmark = pytest.mark.slow  # a real server on loopback, driven hard

ATTACKER = "127.0.0.2"  # another client address on loopback (Linux answers all of 127/8)
LIMITS = ConnectionLimits(per_client=8, total=64, idle_s=0.5)


def echo_app(app: web.Application) -> None:
    async def echo(request):
        return json_response({"got": await read_json(request)})

    async def slow_stream(request):  # a live stream, quiet for longer than the idle timeout
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        for i in range(2):
            await asyncio.sleep(LIMITS.idle_s * 1.5)
            await response.write(b"data: %d\n\n" % i)
        await response.write_eof()
        return response
    app.router.add_post("/api/v1/echo", echo)
    app.router.add_get("/live", slow_stream)


@pytest.fixture
def lan():
    server = LanServer(echo_app, rate_limit=None, limits=LIMITS)
    server.start("127.0.0.1", 0)
    yield server
    server.stop()


def open_attack(port: int, idle: int, half_sent: int) -> list:
    socks = []
    for i in range(idle + half_sent):
        try:
            sock = connect(port, ATTACKER)
            if i >= idle:  # slowloris: a request line and part of a header, then nothing
                sock.sendall(b"POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Ty")
        except OSError:  # refused at once: the cap at work
            continue
        socks.append(sock)
    return socks


def test_a_real_phone_is_served_quickly_while_one_client_holds_many_idle_sockets(lan):
    port = lan.bound.port
    socks = open_attack(port, idle=150, half_sent=50)
    try:
        time.sleep(0.05)  # let the server's loop accept the burst (waits on it, not on a clock)
        assert lan.gate.held_by(ATTACKER) <= LIMITS.per_client
        started = time.monotonic()
        reply = Phone(lan.bound.base_url).post("/api/v1/echo", {"v": 1, "key": "k"})
        took = time.monotonic() - started
        assert reply.status == 200 and reply.json["got"]["key"] == "k"
        assert took < 1.0
        # Every socket the attacker still holds (idle or half-sent) is closed by the server.
        assert closed_by_server(socks, within=5.0) == len(socks)
        assert lan.gate.held_by(ATTACKER) == 0
    finally:
        for sock in socks:
            sock.close()


def test_a_body_that_stops_arriving_is_answered_408(lan, monkeypatch):
    monkeypatch.setattr("workshop.net.request.BODY_TIMEOUT_S", 0.3)
    with connect(lan.bound.port) as sock:
        sock.sendall(b"POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                     b"\r\nContent-Length: 100\r\n\r\n{\"v\": 1, ")
        started = time.monotonic()
        status, headers, body = split_answer(read_all(sock, timeout=5))
    assert status == 408 and "took too long" in body.decode()
    assert time.monotonic() - started < 3


def test_the_total_cap_holds_across_clients(lan):
    port = lan.bound.port
    socks = []
    try:
        for i in range(3, 3 + 12):  # 12 clients x 8 connections = 96 > total 64
            socks += [connect(port, f"127.0.0.{i}") for _ in range(8)]
        time.sleep(0.05)
        assert lan.gate.held <= lan.gate.total == LIMITS.total
        assert closed_by_server(socks, within=5.0) == len(socks)
        assert lan.gate.held == 0
        assert split_answer(exchange(port, b"GET /x HTTP/1.1\r\nHost: x\r\n"
                                           b"Connection: close\r\n\r\n"))[0] == 404
    finally:
        for sock in socks:
            sock.close()


def test_the_gate_counts_per_client_and_in_total():
    gate = ConnectionGate(ConnectionLimits(per_client=2, total=3), files=10_000)
    assert [gate.admit("a"), gate.admit("a"), gate.admit("a")] == [True, True, False]
    assert gate.admit("b") and not gate.admit("c")  # the total is reached
    gate.release("a")
    assert gate.admit("c") and gate.held == 3 and gate.refused == 2
    assert ConnectionGate(ConnectionLimits(total=1000), files=300).total == 300 - 128


def test_an_answer_in_progress_is_not_idle(lan):
    # A phone's live stream may be quiet for longer than the idle timeout: it stays open.
    raw = exchange(lan.bound.port, b"GET /live HTTP/1.1\r\nHost: x\r\n\r\n", timeout=8)
    assert split_answer(raw)[0] == 200
    assert all(b"data: %d" % i in raw for i in range(2)), raw


def test_a_kept_alive_connection_is_closed_once_idle(lan):
    with connect(lan.bound.port) as sock:
        sock.sendall(b"POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                     b"\r\nContent-Length: 8\r\n\r\n{\"v\": 1}")
        started = time.monotonic()
        raw = read_all(sock, timeout=5)  # the answer, then the server closes the idle connection
        closed_after = time.monotonic() - started
    assert split_answer(raw)[0] == 200
    assert LIMITS.idle_s * 0.8 < closed_after < 3


def test_the_default_caps_let_a_room_of_1000_phones_hold_streams_and_load_pages():
    gate = ConnectionGate(ConnectionLimits(), files=4096)
    phones = [f"10.0.{i // 250}.{i % 250 + 1}" for i in range(1000)]
    assert all(gate.admit(phone) for phone in phones)             # every live stream
    assert all(gate.admit(phone) for phone in phones[::2])        # half of them loading a page
    assert gate.held == 1500 and gate.refused == 0
