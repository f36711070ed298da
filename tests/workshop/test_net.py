"""The LAN transport on its own: address discovery, port fallback, limits, headers, 404."""
from __future__ import annotations

import json
import socket

import pytest
from aiohttp import web

from tests.fakes import FakeClock
from tests.stations.join.phone import Phone
from workshop.net import (Broadcast, RateLimit, RateLimiter, json_response, lan_address,
                          read_json, serve_events)
from workshop.net.address import LOOPBACK
from workshop.net.server import Bound, LanServer


def echo_app(app: web.Application) -> None:
    async def echo(request):
        return json_response({"got": await read_json(request)})

    async def boom(request):
        raise RuntimeError("a bug")
    app.router.add_post("/api/v1/echo", echo)
    app.router.add_get("/boom", boom)


@pytest.fixture
def server():
    lan = LanServer(echo_app, rate_limit=None)
    bound = lan.start("127.0.0.1", 0)
    yield lan, bound
    lan.stop()


def test_lan_address_is_the_source_address_the_kernel_picks(monkeypatch):
    # Probe towards loopback (tests stay on loopback): the source chosen is loopback too.
    monkeypatch.setattr("workshop.net.address._PROBE", ("127.0.0.1", 9))
    assert lan_address() == "127.0.0.1"


def test_lan_address_falls_back_to_loopback_without_a_network(monkeypatch):
    def no_route(self, address):
        raise OSError(101, "Network is unreachable")
    monkeypatch.setattr(socket.socket, "connect", no_route)
    assert lan_address() == LOOPBACK


def test_a_busy_port_falls_back_to_a_free_one_and_says_so():
    with socket.create_server(("127.0.0.1", 0)) as taken:
        busy = taken.getsockname()[1]
        lan = LanServer(echo_app, rate_limit=None)
        bound = lan.start("127.0.0.1", busy)
        try:
            assert bound.port != busy and bound.fell_back
            assert f"port {busy} was busy" in bound.note and str(bound.port) in bound.note
            assert Phone(bound.base_url).post("/api/v1/echo", {"v": 1}).status == 200
        finally:
            lan.stop()
    assert not lan.running


def test_the_requested_port_is_used_when_free(server):
    _, bound = server
    assert not bound.fell_back and bound.base_url == f"http://127.0.0.1:{bound.port}"


@pytest.mark.parametrize("body,status,words", [
    (b'{"v": 1, "x": "\xc3\xa9"}', 200, '"x":"é"'),
    (b'{"v": 1, "x": "' + b"y" * 17000 + b'"}', 413, "too much"),
    (b"{nope", 400, "not valid JSON"),
    (b'"text"', 400, "JSON object"),
    (b'{"v": "1"}', 400, "Reload the page"),
    (b"\xff\xfe", 400, "not valid JSON"),
])
def test_bodies_are_checked_for_size_syntax_and_version(server, body, status, words):
    _, bound = server
    reply = Phone(bound.base_url).post("/api/v1/echo", body)
    assert reply.status == status and words in reply.text


def test_every_response_carries_the_csp_and_unknown_paths_get_a_plain_404(server):
    _, bound = server
    phone = Phone(bound.base_url)
    for reply in (phone.get("/nothing"), phone.post("/api/v1/echo", {"v": 1}), phone.get("/boom")):
        assert reply.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert "frame-ancestors 'none'" in reply.headers["Content-Security-Policy"]
    missing = phone.get("/nothing")
    assert missing.status == 404 and missing.headers["Content-Type"].startswith("text/html")
    assert "<script" not in missing.text and "This link does not work" in missing.text
    failed = phone.get("/boom")  # a bug answers with a message, not a traceback
    assert failed.status == 500 and "Traceback" not in failed.text and "went wrong" in failed.json["error"]


def test_stop_releases_the_port(server):
    lan, bound = server
    lan.stop()
    with socket.create_server(("127.0.0.1", bound.port)):
        pass


def test_rate_limiter_refills_with_the_clock_and_keeps_clients_apart():
    clock = FakeClock()
    limiter = RateLimiter(RateLimit(per_second=2, burst=4), clock.monotonic)
    assert [limiter.allow("a") for _ in range(4)] == [0.0] * 4
    assert limiter.allow("a") == pytest.approx(0.5)
    assert limiter.allow("b") == 0.0
    clock.advance(0.5)
    assert limiter.allow("a") == 0.0
    assert limiter.allow("a", cost=5) > 0  # more than the bucket ever holds
    clock.advance(60)
    assert [limiter.allow("a") for _ in range(5)].count(0.0) == 4  # never more than the burst


def test_rate_limiter_forgets_idle_clients_when_full():
    clock = FakeClock()
    limiter = RateLimiter(RateLimit(per_second=1, burst=2), clock.monotonic, max_clients=3)
    for c in "abc":
        limiter.allow(c)
    clock.advance(10)
    limiter.allow("d")
    assert set(limiter._buckets) == {"d"}


def test_without_a_network_the_note_says_phones_cannot_reach_the_laptop():
    # (A Bound, not a server: tests never listen beyond loopback.)
    lost = Bound(host="0.0.0.0", advertised=LOOPBACK, port=8765, requested_port=8765)
    assert "on no network" in lost.note and "Wi-Fi" in lost.note
    local = Bound(host="127.0.0.1", advertised=LOOPBACK, port=8765, requested_port=8765)
    assert local.note == "Phones join at http://127.0.0.1:8765."
    moved = Bound(host="192.168.1.23", advertised="192.168.1.23", port=41235, requested_port=8765)
    assert moved.note == ("Phones join at http://192.168.1.23:41235 "
                          "(port 8765 was busy, so port 41235 is used).")


class Counter:
    """A feature-free state for the live stream: a number that the test bumps, then removes."""

    def __init__(self, interval: float = 60.0, heartbeat: float = 600.0):
        # By default only a nudge wakes it in time, and it never needs a heartbeat.
        self.broadcast = Broadcast(interval=interval, spread=0.0)
        self.heartbeat = heartbeat
        self.value = 0

    def setup(self, app: web.Application) -> None:
        self.broadcast.open()

        async def close(app):
            self.broadcast.close()
        app.on_shutdown.append(close)

        async def read():
            if self.value < 0:
                raise LookupError("gone")
            return {"n": self.value}

        async def live(request):
            seen = self.broadcast.generation
            return await serve_events(request, self.broadcast, await read(), seen, read,
                                      lambda state, last, since: state != last,
                                      gone=(LookupError,), heartbeat=self.heartbeat)
        app.router.add_get("/live", live)


def test_a_quiet_event_stream_sends_a_heartbeat_so_the_phone_knows_the_link_is_alive():
    counter = Counter(interval=0.02, heartbeat=0.1)  # nothing changes: only beats follow
    lan = LanServer(counter.setup, rate_limit=None)
    bound = lan.start("127.0.0.1", 0)
    try:
        conn = socket.create_connection(("127.0.0.1", bound.port), timeout=10)
        conn.sendall(b"GET /live HTTP/1.1\r\nHost: x\r\n\r\n")
        stream = conn.makefile("rb")
        lines = []
        while len([line for line in lines if line == b"event: beat\n"]) < 2:
            line = stream.readline()
            assert line, "the stream ended"
            lines.append(line)
        assert [line for line in lines if line.startswith(b"data:")][0] == b'data: {"v":1,"n":0}\n'
        conn.close()
    finally:
        lan.stop()


def test_the_event_stream_sends_on_a_nudge_and_ends_when_its_subject_is_gone():
    counter = Counter()
    lan = LanServer(counter.setup, rate_limit=None)
    bound = lan.start("127.0.0.1", 0)
    try:
        conn = socket.create_connection(("127.0.0.1", bound.port), timeout=10)
        conn.sendall(b"GET /live HTTP/1.1\r\nHost: x\r\n\r\n")
        stream = conn.makefile("rb")
        head = []
        while (line := stream.readline()) not in (b"\r\n", b""):
            head.append(line.decode())
        assert head[0].startswith("HTTP/1.1 200") and any("text/event-stream" in h for h in head)
        assert any(h.lower().startswith("content-security-policy") for h in head)

        def next_line(prefix: bytes) -> bytes:
            while not (line := stream.readline()).startswith(prefix):
                assert line, "the stream ended"
            return line
        assert next_line(b"retry:") == b"retry: 3000\n"
        assert json.loads(next_line(b"data:")[5:]) == {"v": 1, "n": 0}
        counter.value = 1
        lan.call(counter.broadcast.nudge)  # well before the 60 s interval
        assert json.loads(next_line(b"data:")[5:]) == {"v": 1, "n": 1}
        counter.value = -1
        lan.call(counter.broadcast.nudge)
        assert next_line(b"event:") == b"event: gone\n"
        conn.close()
    finally:
        lan.stop()


def test_an_event_stream_opens_with_one_write_headers_retry_and_first_state_together():
    """(Issue 19 item 6.) Each send to a phone is a system call and a wake-up of its reader:
    the stream's headers, its retry line and its first state leave in one write (they were
    three), with the security headers still on them."""
    counter = Counter()
    writes: list[bytes] = []

    def setup(app: web.Application) -> None:
        counter.setup(app)

        async def counted(request):
            transport = request.transport
            write, writelines = transport.write, transport.writelines
            transport.write = lambda data: (writes.append(bytes(data)), write(data))[1]
            transport.writelines = lambda chunks: (writes.append(b"".join(chunks)),
                                                   writelines(chunks))[1]
            async def read():
                return {"n": 0}
            seen = counter.broadcast.generation
            return await serve_events(request, counter.broadcast, await read(), seen, read,
                                      lambda state, last, since: state != last,
                                      gone=(LookupError,), heartbeat=600.0)
        app.router.add_get("/counted", counted)
    lan = LanServer(setup, rate_limit=None)
    bound = lan.start("127.0.0.1", 0)
    try:
        conn = socket.create_connection(("127.0.0.1", bound.port), timeout=10)
        conn.sendall(b"GET /counted HTTP/1.1\r\nHost: x\r\n\r\n")
        stream = conn.makefile("rb")
        while not (line := stream.readline()).startswith(b"data:"):
            assert line, "the stream ended"
        assert line == b'data: {"v":1,"n":0}\n'
        assert len(writes) == 1, writes
        assert writes[0].startswith(b"HTTP/1.1 200") and b"retry: 3000\n\n" in writes[0]
        assert b"content-security-policy" in writes[0].lower()
        conn.close()
    finally:
        lan.stop()


def test_beats_fall_on_a_grid_so_streams_opened_apart_beat_in_one_wake_up():
    """(Issue 19 item 6.) 1,000 idle streams opened over 10 s beat 200 times a second, each
    its own wake-up of the loop; on a one-second grid the beats due within it go out together,
    never early and at most a grid late (the page waits 12 s before calling a link lost)."""
    from workshop.net.stream import BEAT_GRID_S, next_beat
    opened = [100.0 + i * 0.0137 for i in range(60)]       # 60 streams within 0.82 s
    beats = {next_beat(at, 5.0) for at in opened}
    assert len(beats) <= 2                                   # one or two wake-ups, not 60
    for at in opened:
        assert at + 5.0 <= next_beat(at, 5.0) < at + 5.0 + BEAT_GRID_S
    assert next_beat(100.0, 0.1) - 100.1 < 0.02 + 1e-9      # a short heartbeat: a finer grid
