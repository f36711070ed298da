"""Issue 19 item 6 (fourth pass): the live streams' states come from the academy's phone book on
the server's loop — read once by the reader, then kept by the check-ins the writer commits — with
no hop to the reader per stream; and the book says exactly what the reader would."""
from __future__ import annotations

import pytest

from stations.grouping.service import ensure_demo_grouping
from stations.join.desk import CheckInRequest, JoinDesk
from stations.join.identity.guard import Guard, JoinLimits
from stations.join.serving import ServerArgs, open_desk
from stations.join.shared import PhoneBook
from tests.stations.join.phone import Phone
from tests.stations.join.test_push import Stream
from workshop.academy.model import Participant

NAMES = ["Ada Lovelace", "Alan Turing", "Grace Hopper"]


@pytest.fixture
def people(ctx, academy):
    return {name: ctx.academies.add_participant(academy.id, Participant(name)).id for name in NAMES}


@pytest.fixture
def calls(monkeypatch):
    """How often the reader's desk answered a state, and built a phone book."""
    seen = {"state": 0, "book": 0}
    state, book = JoinDesk.state, JoinDesk.book

    def counted_state(self, token, key):
        seen["state"] += 1
        return state(self, token, key)

    def counted_book(self, token):
        seen["book"] += 1
        return book(self, token)
    monkeypatch.setattr(JoinDesk, "state", counted_state)
    monkeypatch.setattr(JoinDesk, "book", counted_book)
    return seen


def test_a_live_streams_first_state_makes_no_hop_to_the_reader(ctx, academy, people, calls):
    ctx.join.start_server(host="127.0.0.1", port=0)
    try:
        token = ctx.join.links(academy.id)[0].token
        phones = {name: Phone(ctx.join.bound.base_url, source=f"127.0.0.{i + 2}", cookies=True)
                  for i, name in enumerate(NAMES)}
        keys = {name: phone.key_for(token, name) for name, phone in phones.items()}
        streams = []
        for name in NAMES:  # each checks in, then opens its stream, as bench_room's phones do
            assert phones[name].check_in(token, keys[name]).status == 200
            streams.append(stream := Stream(phones[name], token, keys[name]))
            first = stream.wait_for(lambda e: e["checked_in"] is not None)
            assert first["you"]["name"] == name and first["checked_in"]["station"] == 1
        assert calls == {"state": 0, "book": 1}  # one read for the academy, then the loop's
        # An unknown key is still refused (by the reader, which says why).
        assert phones["Ada Lovelace"].state(token, "x" * 22).status == 403
        for stream in streams:
            stream.close()
    finally:
        ctx.join.stop_server()


def test_the_windows_undo_reaches_the_stream_through_a_new_book(ctx, academy, people):
    ctx.join.start_server(host="127.0.0.1", port=0)
    try:
        token = ctx.join.links(academy.id)[0].token
        phone = Phone(ctx.join.bound.base_url, cookies=True)
        key = phone.key_for(token, "Ada Lovelace")
        stream = Stream(phone, token, key)
        stream.wait_for(lambda e: e["checked_in"] is None)
        done = ctx.join.check_in_for(academy.id, people["Ada Lovelace"], 2)  # the window
        stream.wait_for(lambda e: (e["checked_in"] or {}).get("station") == 2, timeout=3)
        stream.events.clear()
        ctx.join.undo_check_in(done)  # Edit ▸ Undo: the book the loop holds is stale now
        stream.wait_for(lambda e: e["checked_in"] is None, timeout=3)
        assert phone.state(token, key).json["checked_in"] is None
        stream.close()
    finally:
        ctx.join.stop_server()


def _same(desk: JoinDesk, tokens: list[str], keys: list[str]) -> None:
    for token in tokens:
        _, station, book = desk.book(token)
        for key in keys:
            assert book.state(station, key) == desk.state(token, key)


def test_the_book_says_what_the_reader_says_through_the_rotation(ctx, clock, demo_academy):
    academy_id = demo_academy.id
    ensure_demo_grouping(ctx, academy_id)  # groups: where each person is expected
    tokens = [link.token for link in ctx.join.links(academy_id)]
    # The server's own kind of desk: groups and rotation read there.
    desk = open_desk(ServerArgs(ctx.config.db_path, 1.0, groups=ctx.join.groups_factory), clock,
                     Guard(JoinLimits(), clock.monotonic))
    try:
        people = sorted(desk.repo.people(academy_id))[:6]
        keys = [desk.key_of(academy_id, pid) for pid in people]
        _same(desk, tokens, keys)  # nobody checked in yet, before the rotation
        for i, key in enumerate(keys[:4]):
            desk.check_in(CheckInRequest(tokens[i % 3], key))
        desk.check_in(CheckInRequest(tokens[0], keys[0]))  # a repeated tap is the latest
        _same(desk, tokens, keys)
        ctx.rotation.start(academy_id)
        desk.forget()
        desk.check_in(CheckInRequest(tokens[2], keys[1]))
        _same(desk, tokens, keys)
        ctx.rotation.next(academy_id)  # round 1 → the transition: "Move to Station N"
        desk.forget()
        _same(desk, tokens, keys)
        assert any(desk.state(tokens[0], key)["move_to"] for key in keys)
    finally:
        desk.close()


def test_a_replayed_check_in_never_reorders_a_persons_visits(ctx, clock, academy, people):
    tokens = [link.token for link in ctx.join.links(academy.id)]
    desk = JoinDesk.on(ctx.db, clock)
    key = desk.key_of(academy.id, people["Ada Lovelace"])
    desk.check_in(CheckInRequest(tokens[0], key))
    first_seq = desk.repo.last_seq
    desk.check_in(CheckInRequest(tokens[1], key))
    _, station, book = desk.book(tokens[0])
    assert book.state(station, key)["checked_in"]["station"] == 2
    run = book.view.room.checkin_run
    # The writer's log replays a check-in the book already read: the later one stays latest.
    book.checked_in(people["Ada Lovelace"], 1, 0, run, first_seq)
    assert book.state(station, key)["checked_in"]["station"] == 2
    # A check-in committed after the read becomes the latest.
    book.checked_in(people["Ada Lovelace"], 3, 0, run, first_seq + 10)
    assert book.state(station, key)["checked_in"]["station"] == 3
    assert [v["position"] for v in book.state(station, key)["visited"]] == [1, 2, 3]
    assert isinstance(book, PhoneBook) and book.state(station, "no such key") is None
