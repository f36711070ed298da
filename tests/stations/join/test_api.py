"""The join server over loopback: check-in, walk-in, idempotency, tokens, bad requests."""
from __future__ import annotations

import html
import json
import re
import socket
import threading

import pytest

from stations.join.model import JoinEvent
from tests.stations.join.phone import Phone
from tests.workshop.net.hosted import wait_until
from workshop.academy.model import Participant
from workshop.net import RateLimit
from workshop.store import open_database

HTML = "<b>Bold</b><img src=x onerror=alert(1)>"
ROSTER = [("Maria Núñez", "maria@valley.example", "Valley High"),
          ("Mark Obi", "mark@valley.example", "Valley High"),
          ("Zoë Adams", "zoe@hill.example", "Hill Middle"),
          ("Ольга Petrova", "olga@hill.example", "Hill Middle"),
          ("张伟", "wei@lake.example", "Lake Elementary")] + [
    (f"Sam Test{i}", f"sam{i}@lake.example", "Lake Elementary") for i in range(8)]


@pytest.fixture
def people(ctx, academy):
    return {name: ctx.academies.add_participant(academy.id, Participant(name, school=school, email=email)).id
            for name, email, school in ROSTER}


@pytest.fixture
def server(ctx, academy, people, events, serving):
    bound = ctx.join.start_server(host="127.0.0.1", port=0, live_interval=0.05)
    yield bound
    ctx.join.stop_server()


@pytest.fixture
def phone(server):
    return Phone(server.base_url)


@pytest.fixture
def tokens(ctx, academy, server):
    return [link.token for link in ctx.join.links(academy.id)]


def committed_checkins(config):
    """Read through a separate connection: what is really in the file."""
    db = open_database(config.db_path)
    try:
        return db.execute("SELECT participant_id, station_id, round FROM join_checkins").fetchall()
    finally:
        db.close()


def test_station_page_is_served_for_a_valid_token_with_a_strict_csp(phone, tokens):
    page = phone.get(f"/s/{tokens[0]}")
    assert page.status == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert '<script src="/join/app.js"' in page.text and "http" not in page.text.replace("http-equiv", "")
    info = phone.get(f"/api/v1/s/{tokens[1]}").json
    assert info["station"]["title"] == "Station 2 — Independent learning"
    assert info["v"] == 1


def test_search_needs_a_name_typed_exactly_enough_and_shows_at_most_three(phone, tokens):
    assert phone.search(tokens[0], "s").json["matches"] == []
    assert phone.search(tokens[0], "").json["matches"] == []
    assert phone.search(tokens[0], "sa").json["matches"] == []    # a prefix names nobody
    many = phone.search(tokens[0], "sam t").json                   # eight people match
    assert many["matches"] == [] and many["hint"] == "Several people match. Type your full name."
    assert [m["name"] for m in phone.search(tokens[0], "zoe a").json["matches"]] == ["Zoë Adams"]
    assert [m["name"] for m in phone.search(tokens[0], "MARÍA NÚÑ").json["matches"]] == ["Maria Núñez"]
    assert [m["name"] for m in phone.search(tokens[0], "ольга petrova").json["matches"]] == ["Ольга Petrova"]


def test_no_endpoint_returns_an_email_or_the_roster(ctx, academy, phone, tokens):
    key = phone.key_for(tokens[0], "Maria Núñez")
    phone.check_in(tokens[0], key)
    replies = [phone.get(f"/s/{tokens[0]}"), phone.get(f"/api/v1/s/{tokens[0]}"),
               phone.state(tokens[0], key), phone.get(f"/api/v1/s/{tokens[0]}/state?key=x"),
               phone.check_in(tokens[0], key), phone.get("/"), phone.get("/api/v1/")]
    replies += [phone.search(tokens[0], q) for q in ("", "a", "@", "%", "__", ".example", "m", "*")]
    everything = " ".join(r.text for r in replies)
    assert "@" not in everything.replace("@media", "")
    for _, email, _ in ROSTER:
        assert email not in everything
    # Wildcards and the email domain match nobody: names only, by their words.
    for q in ("%%", "__", ".example", "valley"):
        assert phone.search(tokens[0], q).json["matches"] == []


def test_a_check_in_is_committed_before_it_is_acknowledged(ctx, config, academy, people, phone, tokens, events):
    reply = phone.check_in(tokens[1], phone.key_for(tokens[1], "Zoë Adams"))
    assert reply.status == 200
    assert reply.json["name"] == "Zoë Adams" and reply.json["duplicate"] is False
    assert committed_checkins(config) == [(people["Zoë Adams"], ctx.join.links(academy.id)[1].station_id, 0)]
    # The window hears of it on the writer's thread (a server on a thread: before the answer)
    # or over the server process's pipe, which never holds the answer up (it may come after).
    assert wait_until(lambda: JoinEvent("checked_in", academy.id, people["Zoë Adams"], 2, 0)
                      in events)


def test_a_double_tap_is_one_check_in(ctx, config, academy, phone, tokens):
    key = phone.key_for(tokens[0], "Mark Obi")
    replies = []
    threads = [threading.Thread(target=lambda: replies.append(phone.check_in(tokens[0], key)))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.json["duplicate"] for r in replies) == [False, True, True, True]
    assert len(committed_checkins(config)) == 1
    assert len(ctx.join.checkins(academy.id)) == 1


@pytest.mark.serving("thread")  # a rotation on the fake clock
def test_moving_on_records_the_new_station_with_its_round(ctx, clock, academy, people, phone, tokens):
    key = phone.key_for(tokens[0], "Maria Núñez")
    assert phone.check_in(tokens[0], key).json["round"] == 0      # before the rotation
    ctx.rotation.start(academy.id)
    clock.advance(1)  # the server re-reads the rotation
    assert phone.check_in(tokens[0], key).json["round"] == 1
    ctx.rotation.next(academy.id)  # round 1 → transition
    clock.advance(1)
    moved = phone.check_in(tokens[1], key).json
    assert (moved["station"], moved["round"], moved["duplicate"]) == (2, 2, False)
    mine = [(c.station_position, c.round) for c in ctx.join.checkins(academy.id)]
    assert mine == [(1, 0), (1, 1), (2, 2)]
    here = ctx.join.attendance(academy.id)
    assert here.round == 2 and here.stations[1].here == [people["Maria Núñez"]]
    assert here.stations[0].here == []  # her round-1 check-in no longer counts as "here now"


def test_a_walk_in_is_flagged_and_a_second_tap_is_the_same_person(ctx, academy, phone, tokens, events):
    first = phone.walk_in(tokens[2], "  Pat   Newcomer ")
    again = phone.walk_in(tokens[2], "pat newcomer")
    assert first.status == again.status == 200
    assert first.json["walk_in"] is True and first.json["name"] == "Pat Newcomer"
    assert again.json["key"] == first.json["key"] and again.json["duplicate"] is True
    walk_ins = [p for p in ctx.academies.participants(academy.id) if p.name == "Pat Newcomer"]
    assert len(walk_ins) == 1
    assert ctx.academies.repo.walk_in_ids(academy.id) == {walk_ins[0].id}
    assert ctx.join.checkins(academy.id)[0].walk_in is True
    assert wait_until(lambda: any(e.kind == "walked_in" for e in events))   # (over the pipe)
    assert ctx.join.attendance(academy.id).walk_ins == [walk_ins[0].id]


def test_a_walk_in_typing_a_roster_name_is_checked_in_as_that_person(ctx, academy, people, phone, tokens):
    reply = phone.walk_in(tokens[0], "zoë adams").json
    assert reply["walk_in"] is False and reply["name"] == "Zoë Adams"
    assert ctx.academies.repo.walk_in_ids(academy.id) == set()


def test_regenerated_tokens_stop_old_links_at_once(ctx, academy, phone, tokens, events):
    key = phone.key_for(tokens[0], "Mark Obi")
    new = [link.token for link in ctx.join.regenerate_tokens(academy.id)]
    assert set(new).isdisjoint(tokens) and len(set(new)) == len(new)
    assert all(len(t) >= 32 for t in new)  # 24 random bytes = 192 bits
    for path in (f"/s/{tokens[0]}", f"/api/v1/s/{tokens[0]}", f"/api/v1/s/{tokens[0]}/names?q=ma"):
        gone = phone.get(path)
        assert gone.status == 404 and "This link does not work" in gone.text
    assert phone.check_in(tokens[0], key).status == 404
    # The phone's remembered key still works with the new code: the next scan is one tap.
    assert phone.check_in(new[0], key).json["name"] == "Mark Obi"
    assert any(e.kind == "tokens_regenerated" for e in events)


def test_reflections_anonymous_idempotent_and_moderated(ctx, config, academy, phone, tokens):
    key = phone.key_for(tokens[0], "Maria Núñez")
    phone.check_in(tokens[0], key)
    named = phone.reflect(tokens[0], key, 1, "Line one\n\nLine two", request_id="r1")
    twice = phone.reflect(tokens[0], key, 1, "Line one\n\nLine two", request_id="r1")
    anonymous = phone.reflect(tokens[0], key, 1, "It felt rushed.", anonymous=True, request_id="r2")
    assert named.json["duplicate"] is False and twice.json["duplicate"] is True
    assert anonymous.status == 200
    shown = ctx.join.reflections(academy.id)
    assert [(r.text, r.author, r.anonymous) for r in shown] == [
        ("Line one\n\nLine two", "Maria Núñez", False), ("It felt rushed.", None, True)]
    db = open_database(config.db_path)
    assert db.execute("SELECT participant_id FROM join_reflections WHERE anonymous = 1").fetchall() == [(None,)]
    db.close()
    ctx.join.set_hidden(shown[1].id, True)
    assert [r.text for r in ctx.join.reflections(academy.id)] == ["Line one\n\nLine two"]
    hidden = ctx.join.reflections(academy.id, include_hidden=True)
    assert [r.hidden for r in hidden] == [False, True]


@pytest.mark.serving("thread")  # a rotation on the fake clock
def test_the_live_stream_follows_the_rotation(ctx, clock, academy, phone, tokens):
    key = phone.key_for(tokens[0], "Maria Núñez")
    phone.check_in(tokens[0], key)
    conn = socket.create_connection((phone.host, phone.port), timeout=10)
    conn.sendall(f"GET /api/v1/s/{tokens[0]}/live?key={key} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    stream = conn.makefile("rb")
    head = []
    while (line := stream.readline()) not in (b"\r\n", b""):
        head.append(line.decode())
    assert head[0].startswith("HTTP/1.1 200") and any("text/event-stream" in h for h in head)

    def next_event() -> dict:
        while True:
            line = stream.readline().decode()
            if line.startswith("data:"):
                return json.loads(line[5:])
    assert next_event()["phase"] == "ready"
    ctx.rotation.start(academy.id)  # no clock.advance: the change itself wakes the stream
    live = next_event()
    assert (live["phase"], live["round"], live["rounds_total"]) == ("round", 1, 3)
    assert 0 < live["remaining_s"] <= 15 * 60
    conn.close()


BAD = [
    # (what, method, path, body, headers, status, words in the reply)
    ("unknown token page", "GET", "/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", None, {}, 404, "This link does not work"),
    ("unknown path", "GET", "/admin", None, {}, 404, "This link does not work"),
    ("no listing at the root", "GET", "/", None, {}, 404, "This link does not work"),
    ("path traversal", "GET", "/join/..%2F..%2Fworkshop%2Fapp.py", None, {}, 404, "This link does not work"),
    ("unknown token api", "POST", "/api/v1/s/nope/checkin", b'{"v":1,"key":"x"}', None, 404, "does not work"),
    ("huge body", "POST", "/api/v1/s/{t}/walkin", b'{"v":1,"name":"' + b"x" * 20000 + b'"}', None, 413, "too much"),
    ("bad JSON", "POST", "/api/v1/s/{t}/walkin", b'{"v":1,"name":', None, 400, "not valid JSON"),
    ("not an object", "POST", "/api/v1/s/{t}/walkin", b'[1, 2]', None, 400, "JSON object"),
    ("wrong version", "POST", "/api/v1/s/{t}/walkin", b'{"v":2,"name":"Ann"}', None, 400, "Reload the page"),
    ("no version", "POST", "/api/v1/s/{t}/walkin", b'{"name":"Ann"}', None, 400, "Reload the page"),
    ("old API path", "POST", "/api/v0/s/{t}/walkin", b'{"v":1,"name":"Ann"}', None, 404, "does not work"),
    ("not JSON", "POST", "/api/v1/s/{t}/walkin", b"name=Ann", {"Content-Type": "application/x-www-form-urlencoded"}, 415, "must be JSON"),
    ("long name", "POST", "/api/v1/s/{t}/walkin", json.dumps({"v": 1, "name": "N" * 81}).encode(), None, 400, "at most 80"),
    ("empty name", "POST", "/api/v1/s/{t}/walkin", b'{"v":1,"name":"\\u0000 \\u001b"}', None, 400, "Type your name"),
    ("name of the wrong type", "POST", "/api/v1/s/{t}/walkin", b'{"v":1,"name":42}', None, 400, "wrong type"),
    ("unknown key", "POST", "/api/v1/s/{t}/checkin", b'{"v":1,"key":"AAAAAAAAAAAAAAAAAAAAAA"}', None, 403, "Find your name again"),
    ("missing key", "POST", "/api/v1/s/{t}/checkin", b'{"v":1}', None, 400, "missing"),
    ("GET on a write", "GET", "/api/v1/s/{t}/checkin", None, {}, 404, "does not work"),
    ("search too long", "GET", "/api/v1/s/{t}/names?q=" + "a" * 300, None, {}, 400, "longer than any name"),
    ("state without a key", "GET", "/api/v1/s/{t}/state", None, {}, 403, "Find your name again"),
]


@pytest.mark.parametrize("what,method,path,body,headers,status,words", BAD, ids=[b[0] for b in BAD])
def test_bad_requests_are_refused_clearly(ctx, academy, config, phone, tokens, what, method, path,
                                          body, headers, status, words):
    headers = {"Content-Type": "application/json"} if headers is None else headers
    reply = phone.request(method, path.replace("{t}", tokens[0]), body, headers)
    assert reply.status == status, reply
    assert words in reply.text
    assert reply.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert committed_checkins(config) == []


def test_too_long_or_unvisited_reflections_are_refused(phone, tokens):
    key = phone.key_for(tokens[0], "Mark Obi")
    phone.check_in(tokens[0], key)
    long = phone.reflect(tokens[0], key, 1, "x" * 2001)
    assert long.status == 400 and "at most 2000" in long.json["error"]
    elsewhere = phone.reflect(tokens[0], key, 2, "I was never there")
    assert elsewhere.status == 400 and "not checked in at Station 2" in elsewhere.json["error"]
    assert phone.reflect(tokens[0], key, 1, "é" * 2000).status == 200  # 2,000 in any script fits


def test_control_characters_are_stripped(ctx, academy, phone, tokens):
    reply = phone.walk_in(tokens[0], "Ann\u0000 \u202eLee\u0007\u200b")
    assert reply.json["name"] == "Ann Lee"
    key = reply.json["key"]
    phone.reflect(tokens[0], key, 1, "ok\u0000\u001b[31m red")
    assert ctx.join.reflections(academy.id)[0].text == "ok[31m red"


def test_html_is_stored_and_returned_literally(ctx, academy, phone, tokens):
    assert phone.search(tokens[0], HTML).json["matches"] == []
    reply = phone.walk_in(tokens[0], HTML)  # found by the next search at once
    assert reply.json["name"] == HTML
    assert [m["name"] for m in phone.search(tokens[0], HTML).json["matches"]] == [HTML]
    assert phone.state(tokens[0], reply.json["key"]).json["you"]["name"] == HTML
    assert ctx.join.checkins(academy.id)[0].participant_name == HTML


def test_a_flooding_phone_is_slowed_down(ctx, clock, academy, people):
    bound = ctx.join.start_server(host="127.0.0.1", port=0, rate_limit=RateLimit(per_second=2, burst=20))
    phone = Phone(bound.base_url)
    token = ctx.join.links(academy.id)[0].token
    replies = [phone.walk_in(token, f"Flood {i}") for i in range(6)]  # a write costs 5
    assert [r.status for r in replies] == [200] * 4 + [429] * 2
    assert "Too many requests" in replies[-1].json["error"]
    assert int(replies[-1].headers["Retry-After"]) >= 1
    # One walk-in per phone joins at once; the others wait for the facilitator (issue 12).
    assert len(ctx.academies.repo.walk_in_ids(academy.id)) == 1
    assert [r.json.get("waiting", False) for r in replies[:4]] == [False, True, True, True]
    clock.advance(3)  # the bucket refills with time
    assert phone.walk_in(token, "Flood 6").status == 200
    ctx.join.stop_server()


@pytest.mark.serving("thread")  # a rotation on the fake clock
def test_a_minute_added_reaches_the_phone_without_waiting_for_a_resync(ctx, clock, academy, phone, tokens):
    key = phone.key_for(tokens[0], "Maria Núñez")
    phone.check_in(tokens[0], key)
    ctx.rotation.start(academy.id)
    conn = socket.create_connection((phone.host, phone.port), timeout=10)
    conn.sendall(f"GET /api/v1/s/{tokens[0]}/live?key={key} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    stream = conn.makefile("rb")
    events = (json.loads(line[5:]) for line in iter(stream.readline, b"") if line.startswith(b"data:"))
    before = next(events)["remaining_s"]
    ctx.rotation.adjust(academy.id, 60)
    assert next(events)["remaining_s"] == pytest.approx(before + 60, abs=1)
    conn.close()


@pytest.mark.serving("thread")  # a rotation on the fake clock
def test_the_server_reads_the_rotation_but_never_writes_its_log(ctx, clock, config, academy, phone, tokens):
    key = phone.key_for(tokens[0], "Mark Obi")
    phone.check_in(tokens[0], key)
    ctx.rotation.start(academy.id)
    db = open_database(config.db_path)
    logged = db.execute("SELECT count(*) FROM rotation_events").fetchone()[0]
    clock.advance(15 * 60 + 1)  # round 1 is over; nobody in the window has looked yet
    state = phone.state(tokens[0], key).json
    assert (state["phase"], state["round"]) == ("transition", 1)
    assert db.execute("SELECT count(*) FROM rotation_events").fetchone()[0] == logged
    db.close()


def test_the_page_files_revalidate_instead_of_downloading_again(phone):
    first = phone.get("/join/app.js")
    assert first.status == 200 and first.headers["Content-Type"].startswith("text/javascript")
    again = phone.request("GET", "/join/app.js", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status == 304 and again.body == b""
    assert phone.get("/join/app.css").headers["ETag"] != first.headers["ETag"]
    assert phone.get("/join/index.html").status == 404  # only the two files, by name


def test_the_whole_phone_page_is_under_60_kb_and_fetches_nothing_elsewhere(phone, tokens):
    parts = [phone.get(f"/s/{tokens[0]}"), phone.get("/join/app.js"), phone.get("/join/app.css")]
    assert all(p.status == 200 for p in parts)
    assert sum(len(p.body) for p in parts) < 60 * 1024
    for p in parts:  # no absolute URLs: every fetch goes to the laptop itself
        assert "http://" not in p.text and "https://" not in p.text and "//cdn" not in p.text


def test_the_page_names_its_station_before_any_script_and_escapes_titles(ctx, academy, phone, tokens):
    ctx.academies.rename(academy.id, HTML)
    page = phone.get(f"/s/{tokens[1]}").text
    assert "<h1 id=\"station\">Station 2 — Independent learning</h1>" in page
    assert "&lt;b&gt;Bold&lt;/b&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert HTML not in page and "<img" not in page
    meta = re.search(r'<meta name="join-station" content="([^"]*)">', page).group(1)
    assert json.loads(html.unescape(meta))["academy"] == HTML
