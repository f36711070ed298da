"""Issue 12 item 6: a walk-in flood from one phone (or at one station) waits for the
facilitator's approval instead of filling the roster; approving and rejecting reach the phone."""
from __future__ import annotations

import pytest

from stations.join.desk import WAITING, WAITING_FULL
from stations.join.identity.guard import JoinLimits
from tests.stations.join.phone import Phone
from workshop.errors import ValidationError

LIMITS = JoinLimits()


@pytest.fixture
def room(ctx, academy, serving):
    bound = ctx.join.start_server(host="127.0.0.1", port=0, rate_limit=None)
    tokens = [link.token for link in ctx.join.links(academy.id)]
    yield bound.base_url, tokens
    ctx.join.stop_server()


def walk_ins(ctx, academy):
    return sorted(p.name for p in ctx.academies.participants(academy.id)
                  if p.id in ctx.academies.repo.walk_in_ids(academy.id))


def test_seventy_walk_ins_from_one_phone_add_one_and_the_rest_wait(ctx, academy, room):
    base_url, tokens = room
    phone = Phone(base_url, source="127.0.0.9", cookies=True)
    phone.get(f"/s/{tokens[0]}")
    replies = [phone.walk_in(tokens[0], f"Flood Person {i}") for i in range(70)]
    assert replies[0].status == 200 and replies[0].json["checked_in"] is True
    assert walk_ins(ctx, academy) == ["Flood Person 0"]  # the allowance: one
    waiting = [r for r in replies[1:] if r.status == 200]
    assert len(waiting) == LIMITS.waiting_per_phone
    assert all(r.json["waiting"] is True and r.json["message"] == WAITING
               and "key" not in r.json for r in waiting)
    refused = [r for r in replies[1:] if r.status != 200]
    assert {r.status for r in refused} == {429} and {r.json["error"] for r in refused} == {WAITING_FULL}
    assert [w.name for w in ctx.join.waiting_walk_ins(academy.id)] == [
        f"Flood Person {i}" for i in range(1, 1 + LIMITS.waiting_per_phone)]
    # Dropping the cookie does not help: the phone's address has spent its allowance too.
    bare = Phone(base_url, source="127.0.0.9")
    assert bare.walk_in(tokens[1], "Flood Person 99").status == 429
    assert walk_ins(ctx, academy) == ["Flood Person 0"]


@pytest.mark.serving("thread")  # a minute passes on the fake clock
def test_a_station_admits_a_few_walk_ins_a_minute_from_many_phones(ctx, clock, academy, room):
    base_url, tokens = room
    replies = [Phone(base_url, source=f"127.0.1.{i + 1}").walk_in(tokens[2], f"Crowd {i}")
               for i in range(70)]
    assert sum("checked_in" in r.json for r in replies) == LIMITS.walk_ins_per_station_minute
    assert sum(r.json.get("waiting", False) for r in replies) == 70 - LIMITS.walk_ins_per_station_minute
    assert len(walk_ins(ctx, academy)) == LIMITS.walk_ins_per_station_minute
    clock.advance(61)
    later = Phone(base_url, source="127.0.2.1").walk_in(tokens[2], "Late Comer")
    assert later.json["checked_in"] is True


def test_an_approved_walk_in_is_let_in_and_their_phone_hears_of_it(ctx, academy, room):
    base_url, tokens = room
    phone = Phone(base_url, source="127.0.0.10", cookies=True)
    phone.get(f"/s/{tokens[1]}")
    phone.walk_in(tokens[1], "First Walker")
    asked = phone.walk_in(tokens[1], "Second Walker").json
    assert asked["waiting"] is True
    again = phone.walk_in(tokens[1], "second walker").json  # a double tap: the same request
    assert again["ticket"] == asked["ticket"] and len(ctx.join.waiting_walk_ins(academy.id)) == 1
    assert phone.walk_in_status(tokens[1], asked["ticket"]).json["waiting"] is True
    (request,) = ctx.join.waiting_walk_ins(academy.id)
    assert (request.name, request.station_position) == ("Second Walker", 2)
    ctx.join.approve_walk_in(request.id)
    let_in = phone.walk_in_status(tokens[1], asked["ticket"]).json
    assert let_in["checked_in"] is True and let_in["name"] == "Second Walker" and let_in["station"] == 2
    assert phone.state(tokens[1], let_in["key"]).json["you"]["name"] == "Second Walker"
    # The facilitator let Second Walker in from this phone: it now checks in as them.
    assert phone.check_in(tokens[2], let_in["key"]).json["name"] == "Second Walker"
    assert walk_ins(ctx, academy) == ["First Walker", "Second Walker"]
    assert ctx.join.waiting_walk_ins(academy.id) == []
    with pytest.raises(ValidationError, match="no longer waiting"):
        ctx.join.approve_walk_in(request.id)  # approved once, added once


def test_a_rejected_walk_in_adds_nobody_and_their_phone_is_told(ctx, academy, room):
    base_url, tokens = room
    phone = Phone(base_url, source="127.0.0.11")
    phone.walk_in(tokens[0], "First Walker")
    ticket = phone.walk_in(tokens[0], "Not Welcome").json["ticket"]
    (request,) = ctx.join.waiting_walk_ins(academy.id)
    ctx.join.reject_walk_in(request.id)
    told = phone.walk_in_status(tokens[0], ticket).json
    assert told["rejected"] is True and "did not add you" in told["message"]
    assert walk_ins(ctx, academy) == ["First Walker"]
    with pytest.raises(ValidationError):
        ctx.join.reject_walk_in(request.id)
    # Tickets are unguessable, and one academy's ticket means nothing at another link.
    assert phone.walk_in_status(tokens[0], "x" * 24).status == 400
