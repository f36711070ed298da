"""Every join request, hostile: the hostile bodies of tests/data/hostile/join/ and a Hypothesis
fuzz over each route, method, body, header, cookie and query string, against the real server on
loopback. Whatever arrives, the answer is one of STATUSES (never a 500), carries the security
headers, and a refusal leaves every stored row as it was."""
from __future__ import annotations

import http.client
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.stations.join.phone import Phone
from workshop.academy.model import Participant
from workshop.net import SECURITY_HEADERS
from workshop.store import open_database

pytestmark = pytest.mark.slow  # a real server on loopback, driven hard

# `FUZZ_SCALE=20 pytest …` (a longer `make fuzz`) multiplies the examples; ~5 s at 1.
FUZZ_SCALE = int(os.environ.get("FUZZ_SCALE", "1"))
HOSTILE = Path(__file__).parents[2] / "data" / "hostile" / "join"
# What the join server may answer: success, not modified, the refusals it documents (bad
# request, unknown person, unknown link, stalled body, too large, not JSON, an Expect header other
# than 100-continue, too many requests), and "could not save" when the disk fails. Never 500.
STATUSES = {200, 304, 400, 403, 404, 408, 413, 415, 417, 429, 503}
POSTS = ("checkin", "walkin", "reflections")
NAMES = ["Maria Núñez", "Mark Obi", "Zoë Adams", "张伟"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One server for the module (fuzz examples share it): tokens, a real key, its check-in."""
    from tests.fakes import FakeClock
    from workshop.app import build_context
    from workshop.config import AppConfig
    config = AppConfig(db_path=tmp_path_factory.mktemp("fuzz") / "academy.sqlite",
                       host="127.0.0.1", port=0)
    ctx = build_context(config, clock=FakeClock())
    academy = ctx.academies.create("Fuzz Academy", place="Gym", facilitator="Sam Rivera")
    for name in NAMES:
        ctx.academies.add_participant(academy.id, Participant(name))
    bound = ctx.join.start_server(host="127.0.0.1", port=0, rate_limit=None, live_interval=0.05)
    tokens = [link.token for link in ctx.join.links(academy.id)]
    phone = Phone(bound.base_url)
    key = phone.key_for(tokens[0], "Maria Núñez")
    # Maria's personal link too (the phone that fuzzes is hers: her own link is a 200).
    maria = next(p.id for p in ctx.academies.participants(academy.id) if p.name == "Maria Núñez")
    tokens.append(ctx.join.personal_links(academy.id)[maria].rsplit("/", 1)[1])
    assert phone.check_in(tokens[0], key).status == 200
    yield {"ctx": ctx, "config": config, "port": bound.port, "tokens": tokens, "key": key}
    ctx.join.stop_server()
    ctx.close()


def dump(config) -> dict[str, list]:
    """Every row of every table, read through a connection of its own."""
    db = open_database(config.db_path)
    try:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"').fetchall()))
                for t in tables}
    finally:
        db.close()


def send(port: int, method: str, target: str, body: bytes | None = None,
         headers: dict | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One raw request; a live stream's body is not read (it never ends)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        for name, value in {"Host": f"127.0.0.1:{port}", **(headers or {})}.items():
            conn.putheader(name, value)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        response = conn.getresponse()
        streaming = response.getheader("Content-Type", "").startswith("text/event-stream")
        return response.status, response.headers, b"" if streaming else response.read()
    finally:
        conn.close()


def check(site, status: int, headers, body: bytes, before: dict) -> None:
    assert status in STATUSES, (status, body[:300])
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, (name, status, body[:200])
    if status == 417 and body:  # (a HEAD answer has no body)
        assert body == b"417 Expectation Failed\n"  # aiohttp's own quotes the header back
    if status >= 400:
        assert dump(site["config"]) == before, (status, body[:300])
        if headers.get("Content-Type", "").startswith("application/json"):
            assert json.loads(body)["error"]  # one clear line for the phone


# -- item 13: the bodies that used to answer 500 -----------------------------------------------
@pytest.mark.parametrize("path", sorted(HOSTILE.glob("*.json")), ids=lambda p: p.stem)
@pytest.mark.parametrize("route", POSTS)
def test_a_hostile_body_is_refused_with_400_and_a_clear_message(site, path, route):
    body = path.read_bytes().replace(b"KEY", site["key"].encode())
    before = dump(site["config"])
    status, headers, answer = send(site["port"], "POST", f"/api/v1/s/{site['tokens'][0]}/{route}",
                                   body, {"Content-Type": "application/json"})
    check(site, status, headers, answer, before)
    assert status == 400, answer
    message = json.loads(answer)["error"]
    assert message and "\n" not in message and "Traceback" not in message


@pytest.mark.parametrize("target", [
    "/api/v1/s/{t}/names?q=%ED%A0%80%ED%A0%80", "/api/v1/s/{t}/names?q=Ma%ED%A0%80",
    "/api/v1/s/{t}/state?key=%ED%A0%80%ED%A0%80%ED%A0%80%ED%A0%80", "/api/v1/s/%ED%A0%80/state",
    "/s/%ED%A0%80{t}", "/api/v1/s/{t}%00/names?q=ma", "/join/%ED%A0%80.js",
    "/api/v1/s/{t}/names?q=" + "9" * 5000, "/api/v1/s/{t}/state?key=\\ud800",
])
def test_hostile_links_and_queries_are_refused_not_failed(site, target):
    before = dump(site["config"])
    status, headers, answer = send(site["port"], "GET", target.replace("{t}", site["tokens"][0]))
    check(site, status, headers, answer, before)


# -- the fuzz ----------------------------------------------------------------------------------
ROUTES = [("GET", "/s/{t}"), ("GET", "/join/{f}"), ("GET", "/api/v1/s/{t}"),
          ("GET", "/api/v1/s/{t}/names"), ("POST", "/api/v1/s/{t}/checkin"),
          ("POST", "/api/v1/s/{t}/walkin"), ("POST", "/api/v1/s/{t}/reflections"),
          ("GET", "/api/v1/s/{t}/state"), ("GET", "/api/v1/s/{t}/live"), ("GET", "/p/{t}")]
METHODS = ["GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "BREW"]
PRINTABLE = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
odd_text = st.one_of(
    st.text(max_size=40),  # any code point, lone surrogates included
    st.sampled_from(["", " ", "\u202e", "\ufeff", "\x00", "<b>x</b>", "=1+1", "é" * 300,
                     "Maria Núñez", "ma", "\ud800", "a\udfffb"]))
odd_number = st.one_of(st.integers(), st.integers(min_value=2**62, max_value=2**80),
                       st.floats(allow_nan=False, allow_infinity=False), st.just(-0.0))
json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), odd_number, odd_text),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(odd_text, inner, max_size=4)),
    max_leaves=12)
FIELDS = ["v", "key", "name", "station", "text", "anonymous", "request_id"]


@st.composite
def json_body(draw, key: str) -> bytes:
    """A body close enough to a real one to reach the handlers, with odd values anywhere."""
    body: dict = {}
    for name in draw(st.lists(st.sampled_from(FIELDS), unique=True, max_size=len(FIELDS))):
        real = {"v": 1, "key": key, "station": 1, "anonymous": False}.get(name)
        body[name] = draw(st.one_of(st.just(real), json_value)) if real is not None else \
            draw(json_value)
    if draw(st.booleans()):
        body.update(draw(st.dictionaries(odd_text, json_value, max_size=3)))
    text = json.dumps(body if draw(st.integers(0, 9)) else draw(json_value))
    return text.encode("utf-8", "surrogatepass")  # lone surrogates as the raw bytes, sometimes


raw_body = st.one_of(
    st.binary(max_size=200),
    st.sampled_from([b"", b"{", b"[" * 3000, b'{"v": 1, "name": ' + b"1" * 5000 + b"}",
                     b'{"v": Infinity}', b'{"v": 1, "name": "\\ud800"}', b"\xff\xfe{\x00}\x00",
                     b"{}" * 9000]))
header_value = st.text(PRINTABLE, max_size=60)


@st.composite
def request(draw, site) -> tuple[str, str, bytes | None, dict]:
    """One request: a route (or any method on it), a link, a query, a body and headers."""
    method, template = draw(st.sampled_from(ROUTES))
    if draw(st.integers(0, 5)) == 0:
        method = draw(st.sampled_from(METHODS))
    token = draw(st.one_of(st.sampled_from(site["tokens"]), st.text(PRINTABLE, max_size=70),
                           st.sampled_from(["%ED%A0%80", "%00", "..%2F..", "a" * 65])))
    name = draw(st.sampled_from(["app.js", "app.css", "x", "..%2Fapp.js", "%ED%A0%80"]))
    target = template.replace("{t}", token.replace("/", "%2F").replace("?", "%3F")
                              .replace("#", "%23").replace(" ", "%20")).replace("{f}", name)
    query = draw(st.lists(st.tuples(st.sampled_from(["q", "key", "x", "q"]), st.one_of(
        st.sampled_from([site["key"], "ma", "Maria", "%ED%A0%80", "%FF", "9" * 300]),
        st.text(PRINTABLE, max_size=30))), max_size=3))
    if query:
        target += "?" + "&".join(f"{k}={v.replace(' ', '%20').replace('#', '%23')}"
                                 for k, v in query)
    headers: dict = {}
    if draw(st.booleans()):
        headers["Content-Type"] = draw(st.sampled_from(
            ["application/json", "application/json; charset=utf-16", "text/plain",
             "application/json; charset=\"", "multipart/form-data; boundary=x", "*/*"]))
    if draw(st.booleans()):
        headers["Cookie"] = draw(header_value)
    for extra in draw(st.lists(st.sampled_from(
            ["If-None-Match", "Accept", "Accept-Language", "Origin", "Referer", "User-Agent",
             "X-Forwarded-For", "Range", "Accept-Encoding", "Expect"]), unique=True,
            max_size=3)):
        headers[extra] = draw(header_value)
    body = None
    if method in ("POST", "PUT", "PATCH") or draw(st.integers(0, 4)) == 0:
        body = draw(st.one_of(json_body(site["key"]), raw_body))
    return method, target, body, headers


@settings(max_examples=150 * FUZZ_SCALE, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_fuzz_every_join_request(site, data):
    method, target, body, headers = data.draw(request(site))
    before = dump(site["config"])
    status, answer_headers, answer = send(site["port"], method, target, body, headers)
    check(site, status, answer_headers, answer, before)
