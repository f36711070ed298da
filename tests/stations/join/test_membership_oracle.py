"""A phone that has spent its budget of names must learn nothing more, not even whether a
guessed name is on the roster (found in the attacker's tryout of 1 December): before, a spent
phone was told "looked up enough names" for a name on the roster and "nobody" for a name that is
not — a free yes/no for every guess, through the search and through the walk-in form alike."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stations.join.identity.guard import JoinLimits
from tests.fuzzing import fuzz_settings
from tests.stations.join.phone import Phone
from workshop.academy.demo import demo_participants
from workshop.academy.model import Participant

pytestmark = pytest.mark.slow  # a real server on loopback

BUDGET = JoinLimits().names_per_phone
ON_ROSTER = [p.name for p in demo_participants()]
NOT_ON_ROSTER = ["Quentin Zyx", "Harriet Vole", "Ole Brandvik", "佐藤 花子"]


@pytest.fixture
def room(ctx, demo_academy, serving):
    bound = ctx.join.start_server(host="127.0.0.1", port=0, rate_limit=None)
    yield bound.base_url, [link.token for link in ctx.join.links(demo_academy.id)]
    ctx.join.stop_server()


def spend(phone: Phone, token: str) -> list[str]:
    """Spend the phone's budget on the first BUDGET people; return their names."""
    seen = []
    for name in ON_ROSTER[:BUDGET]:
        assert phone.search(token, name).json["matches"], name
        seen.append(name)
    return seen


def answer(reply) -> tuple:
    body = reply.json
    names = tuple(m["name"] for m in body.get("matches") or ())
    return reply.status, names, body.get("more"), body.get("hint"), body.get("error")


def test_a_spent_phone_gets_the_same_answer_for_names_on_and_off_the_roster(room):
    base_url, tokens = room
    phone = Phone(base_url, source="127.0.0.21", cookies=True)
    phone.get(f"/s/{tokens[0]}")
    seen = spend(phone, tokens[0])
    on = {answer(phone.search(tokens[0], name)) for name in ON_ROSTER[BUDGET:BUDGET + 6]}
    off = {answer(phone.search(tokens[0], name)) for name in NOT_ON_ROSTER}
    assert len(on) == 1 and on == off, (on, off)
    # Whom it has seen it still finds (looking someone up again costs nothing).
    assert [m["name"] for m in phone.search(tokens[0], seen[0]).json["matches"]] == [seen[0]]


def test_a_refusal_spends_what_was_left_so_it_is_told_once(ctx, room):
    """A phone with budget left that asks for more people at once than it may see is refused
    (it learns "more than I have left match"); from then on it is spent."""
    base_url, tokens = room
    (academy,) = [a for a in ctx.academies.list() if a.title]
    for suffix in ("Ann", "Bea"):
        ctx.academies.add_participant(academy.id, Participant(f"Kim Lee {suffix}"))
    phone = Phone(base_url, source="127.0.0.22", cookies=True)
    phone.get(f"/s/{tokens[0]}")
    for name in ON_ROSTER[:BUDGET - 1]:
        assert phone.search(tokens[0], name).json["matches"]
    refused = answer(phone.search(tokens[0], "Kim L"))        # two people, one left: refused
    assert refused[1] == () and refused[3]
    assert answer(phone.search(tokens[0], NOT_ON_ROSTER[0])) == refused
    assert answer(phone.search(tokens[0], ON_ROSTER[BUDGET])) == refused


def test_a_spent_phone_walking_in_under_a_guessed_name_learns_nothing_either(ctx, room):
    """Two phones with the same history, one guessing names on the roster, the other names
    that are not: each walk-in is answered the same (the first joins as a walk-in within the
    phone's allowance, the next wait for the facilitator), and no rostered person is claimed."""
    base_url, tokens = room
    guessers = {"on": Phone(base_url, source="127.0.0.23", cookies=True),
                "off": Phone(base_url, source="127.0.0.25", cookies=True)}
    for phone in guessers.values():
        phone.get(f"/s/{tokens[0]}")
        spend(phone, tokens[0])
    for on_name, off_name in zip(ON_ROSTER[BUDGET + 1:BUDGET + 4], NOT_ON_ROSTER):
        replies = {"on": guessers["on"].walk_in(tokens[0], on_name),
                   "off": guessers["off"].walk_in(tokens[0], off_name)}
        shapes = {side: (r.status, r.json.get("waiting"), r.json.get("walk_in"),
                         r.json.get("error"), r.json.get("message")) for side, r in replies.items()}
        assert shapes["on"] == shapes["off"], shapes
    (academy,) = ctx.academies.list()
    rostered = {p.id for p in ctx.academies.participants(academy.id)} - \
        ctx.academies.repo.walk_in_ids(academy.id)
    assert not {c.participant_id for c in ctx.join.checkins(academy.id)} & rostered


@fuzz_settings(25)
@given(guess=st.sampled_from(ON_ROSTER[BUDGET:] + NOT_ON_ROSTER),
       typed=st.sampled_from(["as is", "folded", "first and initial"]))
def test_whatever_a_spent_phone_guesses_the_answer_is_the_same(room, guess, typed):
    base_url, tokens = room
    phone = Phone(base_url, source="127.0.0.24", cookies=True)
    phone.get(f"/s/{tokens[0]}")
    for name in ON_ROSTER[:BUDGET]:
        phone.search(tokens[0], name)   # spent (again: the address's budget stays spent)
    words = guess.split()
    query = {"as is": guess, "folded": guess.lower(),
             "first and initial": f"{words[0]} {words[-1][0]}" if len(words) > 1 else guess}[typed]
    assert answer(phone.search(tokens[0], query)) == answer(phone.search(tokens[0], "Quentin Zyx"))
