"""aiohttp's own error answers (requests it cannot parse) carry the security headers and a fixed
body that echoes nothing of the request."""
from __future__ import annotations

import os

import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.workshop.net.raw import exchange, split_answer
from workshop.net import SECURITY_HEADERS, json_response, read_json
from workshop.net.server import LanServer

# `FUZZ_SCALE=20 pytest …` (a longer `make fuzz`) multiplies the examples; ~5 s at 1.
FUZZ_SCALE = int(os.environ.get("FUZZ_SCALE", "1"))
MARK = b"<script>alert(1)</script>"
MALFORMED = {
    "bad method": b"G\x01T /" + MARK + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "markup in the target": b"GET " + MARK + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "garbage line": MARK + b"\r\n\r\n",
    "unknown version": b"GET /" + MARK + b" HTTP/9.9\r\nHost: x\r\n\r\n",
    "line too long": b"GET /" + MARK + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "header too long": b"GET / HTTP/1.1\r\nHost: x\r\nX-A: " + MARK + b"b" * 9000 + b"\r\n\r\n",
    "too many headers": b"GET / HTTP/1.1\r\n" + b"".join(
        b"X-%d: " % i + MARK + b"\r\n" for i in range(200)) + b"\r\n",
    "bad header name": b"GET / HTTP/1.1\r\nHost: x\r\nX" + MARK + b": 1\r\n\r\n",
    "bad content length": b"POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: "
                          + MARK + b"\r\n\r\n",
    "two content lengths": b"POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
                           b"Content-Length: 2\r\n\r\n" + MARK,
    "bad chunk": b"POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                 b"Content-Type: application/json\r\n\r\nzz" + MARK + b"\r\n",
    "control in header": b"GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\x00" + MARK + b"\r\n\r\n",
}


def echo_app(app: web.Application) -> None:
    async def echo(request):
        return json_response({"got": await read_json(request)})
    async def broken(request):  # a bug past the guard: aiohttp itself answers 500
        return "not a response"
    app.router.add_post("/api/v1/echo", echo)
    app.router.add_get("/broken", broken)


@pytest.fixture(scope="module")
def port():
    lan = LanServer(echo_app, rate_limit=None)
    bound = lan.start("127.0.0.1", 0)
    yield bound.port
    lan.stop()


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_request_gets_a_fixed_answer_with_the_security_headers(port, name):
    raw = exchange(port, MALFORMED[name])
    status, headers, body = split_answer(raw)
    assert 400 <= status < 500, raw[:300]
    for header, value in SECURITY_HEADERS.items():
        assert headers.get(header.lower()) == value, (name, header, raw[:300])
    assert MARK not in raw and b"script" not in body.lower() and b"alert" not in raw
    assert body.strip() in (b"400 Bad Request", b"413 Request Entity Too Large",
                            b"431 Request Header Fields Too Large", b"404 Not Found"), body


def test_a_bug_answers_a_fixed_500_without_a_traceback(port):
    raw = exchange(port, b"GET /broken?" + MARK + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                         b"Accept: text/html\r\n\r\n")
    status, headers, body = split_answer(raw)
    assert status == 500 and body in (b"500 Internal Server Error\n", b"500: Internal Server Error")
    assert MARK not in raw and b"Traceback" not in raw
    assert all(headers.get(h.lower()) == v for h, v in SECURITY_HEADERS.items())


# -- any bytes as a request head -----------------------------------------------------------
FIXED_BODIES = {b"400 Bad Request", b"413 Request Entity Too Large",
                b"431 Request Header Fields Too Large", b"404 Not Found", b"417 Expectation Failed",
                b"501 Not Implemented", b"505 HTTP Version Not Supported"}
head_part = st.one_of(st.binary(max_size=40), st.sampled_from(
    [b"GET", b"POST", b"/", b"HTTP/1.1", b"HTTP/1.0", b"\r\n", b"\n", b" ", b":", b"\x00",
     b"Host: x", b"Content-Length: 5", b"Transfer-Encoding: chunked", b"Expect: x", MARK,
     b"%ED%A0%80", b"\xff\xfe", b"a" * 5000]))


@settings(max_examples=120 * FUZZ_SCALE, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(head_part, min_size=1, max_size=8))
def test_fuzz_request_heads_never_echo_and_always_carry_the_headers(port, parts):
    data = b"".join(parts) + MARK + b"\r\n\r\n"
    raw = exchange(port, data, timeout=3)
    if not raw:  # closed without an answer (an idle-looking head): nothing leaked
        return
    status, headers, body = split_answer(raw)
    assert 400 <= status < 600 and status != 500, raw[:300]
    for header, value in SECURITY_HEADERS.items():
        assert headers.get(header.lower()) == value, (header, raw[:300])
    assert MARK not in raw, raw[:300]
    if headers.get("content-type", "").startswith("text/plain"):
        assert body.strip() in FIXED_BODIES, body[:200]


def test_a_sender_that_hangs_up_mid_body_is_no_traceback_in_the_log(port, caplog):
    """Found by the attacker's tryout: a body cut short by its sender (Content-Length promised
    more) was logged as a bug with its traceback, one per request, for any client to repeat."""
    import logging
    import socket
    import time
    caplog.set_level(logging.DEBUG, logger="workshop.net")
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                         b"\r\nContent-Length: 100\r\n\r\n{\"v\": 1")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not any("hung up" in r.getMessage() or r.levelno >= logging.ERROR
                                                  for r in caplog.records):
        time.sleep(0.05)   # the server's loop notices the closed socket on its own thread
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR], \
        [r.getMessage() for r in caplog.records]
    status, _, body = split_answer(exchange(port, b"POST /api/v1/echo HTTP/1.1\r\nHost: x\r\n"
                                                  b"Content-Type: application/json\r\n"
                                                  b"Content-Length: 8\r\nConnection: close\r\n"
                                                  b"\r\n{\"v\": 1}"))
    assert status == 200
