"""``workshop serve --academy A`` serves A's station links only: another academy's links are
unknown there (404, like a made-up token) and nothing is stored through them."""
from __future__ import annotations

import argparse
import threading

import pytest

from stations.join.cli import cmd_serve
from tests.stations.join.phone import Phone
from workshop.academy.model import Participant


@pytest.fixture
def two(ctx):
    """Two academies with one person each, and their station links."""
    a = ctx.academies.create("Spring Academy")
    b = ctx.academies.create("Autumn Academy")
    ctx.academies.add_participant(a.id, Participant("Ann Spring"))
    ctx.academies.add_participant(b.id, Participant("Bob Autumn"))
    return a, b


def tokens(ctx, academy) -> list[str]:
    return [link.token for link in ctx.join.links(academy.id)]


def refused_everywhere(phone: Phone, token: str, key: str) -> None:
    for reply in (phone.get(f"/s/{token}"), phone.get(f"/api/v1/s/{token}"),
                  phone.search(token, "Bob"), phone.state(token, key),
                  phone.get(f"/api/v1/s/{token}/live?key={key}"), phone.check_in(token, key),
                  phone.walk_in(token, "Walk In"), phone.reflect(token, key, 1, "Hello")):
        assert reply.status == 404, reply
        assert "This link does not work" in reply.text


def test_a_server_for_one_academy_refuses_the_links_of_another(ctx, two):
    a, b = two
    key_b = ctx.join._desk().key_of(b.id, ctx.academies.participants(b.id)[0].id)
    bound = ctx.join.start_server(host="127.0.0.1", port=0, academy_id=a.id)
    try:
        phone = Phone(bound.base_url)
        refused_everywhere(phone, tokens(ctx, b)[0], key_b)
        assert ctx.join.checkins(b.id) == [] and len(ctx.academies.participants(b.id)) == 1
        token_a = tokens(ctx, a)[0]
        assert phone.get(f"/s/{token_a}").status == 200
        assert phone.check_in(token_a, phone.key_for(token_a, "Ann Spring")).status == 200
        refused_everywhere(phone, tokens(ctx, b)[1], key_b)  # still, once A's link was used
    finally:
        ctx.join.stop_server()
    assert [c.participant_name for c in ctx.join.checkins(a.id)] == ["Ann Spring"]


def test_the_window_server_serves_every_academy(ctx, two):
    a, b = two
    bound = ctx.join.start_server(host="127.0.0.1", port=0)
    try:
        phone = Phone(bound.base_url)
        assert all(phone.get(f"/s/{tokens(ctx, x)[0]}").status == 200 for x in (a, b))
    finally:
        ctx.join.stop_server()


def test_workshop_serve_passes_its_academy_to_the_server(ctx, two, capsys):
    a, b = two
    stop = threading.Event()
    args = argparse.Namespace(academy="spring academy", host="127.0.0.1", port=0)
    codes: list[int] = []
    serving = threading.Thread(target=lambda: codes.append(cmd_serve(args, lambda: ctx, stop)))
    serving.start()
    try:
        for _ in range(200):  # until it listens (the first printed line comes after)
            if ctx.join.bound is not None:
                break
            stop.wait(0.02)
        phone = Phone(ctx.join.bound.base_url)
        assert phone.get(f"/s/{tokens(ctx, a)[0]}").status == 200
        assert phone.get(f"/s/{tokens(ctx, b)[0]}").status == 404
    finally:
        stop.set()
        serving.join(timeout=20)
    assert codes == [0]
