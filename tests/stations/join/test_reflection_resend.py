"""Issue 12 item 2: a reflection resent with its request id is stored once, and a resend that
changed anything is refused (409) — never acknowledged as saved with its new words dropped."""
from __future__ import annotations

import pytest

from tests.stations.join.phone import Phone
from workshop.academy.model import Participant
from workshop.store import open_database


@pytest.fixture
def room(ctx, academy, serving):
    maria = ctx.academies.add_participant(academy.id, Participant("Maria Núñez")).id
    mark = ctx.academies.add_participant(academy.id, Participant("Mark Obi")).id
    bound = ctx.join.start_server(host="127.0.0.1", port=0)
    tokens = [link.token for link in ctx.join.links(academy.id)]
    for pid in (maria, mark):
        ctx.join.record_checkin(academy.id, pid, 1)
    keys = {pid: ctx.join._desk().key_of(academy.id, pid) for pid in (maria, mark)}
    yield Phone(bound.base_url), tokens, keys[maria], keys[mark]
    ctx.join.stop_server()


def stored(config):
    db = open_database(config.db_path)
    try:
        return db.execute("SELECT text, anonymous, request_id FROM join_reflections ORDER BY id").fetchall()
    finally:
        db.close()


def test_the_identical_resend_is_the_same_reflection(config, room):
    phone, tokens, maria, _ = room
    first = phone.reflect(tokens[0], maria, 1, "It felt calm.", request_id="r-1")
    again = phone.reflect(tokens[0], maria, 1, "It felt calm.", request_id="r-1")
    assert first.status == again.status == 200
    assert (first.json["duplicate"], again.json["duplicate"]) == (False, True)
    assert stored(config) == [("It felt calm.", 0, "r-1")]


@pytest.mark.parametrize("change", [
    {"text": "It felt rushed, actually."},      # new words
    {"anonymous": True},                        # now without the name
    {"who": "mark"},                            # someone else reusing the id
])
def test_a_changed_resend_is_refused_and_nothing_changes(config, room, change):
    phone, tokens, maria, mark = room
    assert phone.reflect(tokens[0], maria, 1, "It felt calm.", request_id="r-1").status == 200
    resent = phone.reflect(tokens[0], mark if change.get("who") else maria, 1,
                           change.get("text", "It felt calm."), anonymous=change.get("anonymous", False),
                           request_id="r-1")
    assert resent.status == 409, resent
    assert "saved" not in resent.json
    assert resent.json["error"].startswith("That reflection was already sent with different words")
    assert stored(config) == [("It felt calm.", 0, "r-1")]
