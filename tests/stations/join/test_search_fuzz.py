"""Hypothesis at the new join boundaries (issue 12): any typed query, cookie or ticket gets an
answer or a clear refusal — never an exception — and a search never shows more than it may."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stations.join.desk import JoinDesk
from stations.join.identity.guard import Client, Guard, JoinLimits
from stations.join.model import MAX_SUGGESTIONS, name_matches
from workshop.academy.demo import demo_participants
from workshop.errors import ValidationError
from workshop.text import fold

NAMES = {i: p.name for i, p in enumerate(demo_participants())}
FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
hostile_text = st.text(st.characters(codec="utf-8"), max_size=120) | st.sampled_from(
    ["", " ", "%", "_", "*", "\u200b", "\u202e", "a" * 200, "张", "Ζ", "ß", "ǅ", "\x00ma"])


@FUZZ
@given(hostile_text)
def test_a_query_that_is_no_whole_first_word_names_nobody(query):
    found = name_matches(query, NAMES)
    words = fold(query).split()
    for pid in found or []:
        name = fold(NAMES[pid]).split()
        # Whatever matched, the query spelled out the whole name or its whole first word.
        assert "".join(words) == "".join(name) or words[0] == name[0]


@pytest.fixture
def desk(ctx, clock, demo_academy):
    return JoinDesk.on(ctx.db, clock, guard=Guard(JoinLimits(), clock.monotonic))


@pytest.fixture
def token(ctx, demo_academy):
    return ctx.join.links(demo_academy.id)[0].token


@FUZZ
@given(query=hostile_text, cookie=st.none() | hostile_text, address=st.none() | hostile_text)
def test_any_search_from_any_client_answers_within_the_budget(desk, token, query, cookie, address):
    client = Client.of(cookie, address)
    reply = desk.names(token, query, client)
    assert len(reply["matches"]) <= MAX_SUGGESTIONS
    assert set(reply) <= {"matches", "more", "hint"}


@FUZZ
@given(ticket=st.none() | st.integers() | hostile_text)
def test_any_ticket_is_an_answer_or_a_clear_refusal(desk, token, ticket):
    with pytest.raises(ValidationError, match="not known here"):
        desk.walk_in_status(token, ticket, Client.of(None, "127.0.0.1"))


def test_a_malformed_cookie_counts_as_none():
    assert Client.of("bad cookie;", "10.0.0.2") == Client(None, "10.0.0.2")
    assert Client.of("A" * 65, None) == Client(None, "?")
    assert Client.of("abcdefghijklmnop", "10.0.0.2").phone == "d:abcdefghijklmnop"
