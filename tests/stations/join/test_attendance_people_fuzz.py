"""The facilitator's check-in and merge are boundaries: anything typed or any stale id gives a
one-line refusal or a result, never an exception, and a refusal stores nothing."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from workshop.academy.model import Participant
from workshop.errors import ValidationError


def test_anything_typed_as_the_roster_name_finds_people_or_nobody(ctx, academy):
    for name in ("Zoë Brennan", "Mark Obi", "张 伟"):
        ctx.academies.add_participant(academy.id, Participant(name))
    ctx.join.record_walk_in(academy.id, "Zoe B.", 1)
    walk_in = next(iter(ctx.academies.walk_in_ids(academy.id)))
    roster = {p.id for p in ctx.academies.participants(academy.id)} - {walk_in}

    @settings(max_examples=200, deadline=None)
    @given(st.text(max_size=60))
    def typed(text):
        found = ctx.join.merge_candidates(academy.id, walk_in, text)
        assert set(found) <= roster
    typed()


def test_stale_or_hostile_ids_are_refused_in_one_line(ctx, academy):
    mark = ctx.academies.add_participant(academy.id, Participant("Mark Obi")).id
    ctx.join.record_walk_in(academy.id, "Zoe B.", 1)
    walk_in = next(iter(ctx.academies.walk_in_ids(academy.id)))
    before = ctx.join.checkins(academy.id)
    ids = st.integers(-2**63, 2**63 - 1).filter(lambda n: n not in (mark, walk_in))

    @settings(max_examples=150, deadline=None)
    @given(ids, st.integers(-2**63, 2**63 - 1).filter(lambda n: n not in (1, 2, 3)))
    def hostile(pid, position):
        for call in (lambda: ctx.join.check_in_for(academy.id, pid, 1),
                     lambda: ctx.join.check_in_for(academy.id, mark, position),
                     lambda: ctx.join.merge_walk_in(academy.id, pid, mark),
                     lambda: ctx.join.merge_walk_in(academy.id, walk_in, pid),
                     lambda: ctx.join.merge_walk_in(academy.id, mark, walk_in)):
            try:
                call()
            except ValidationError as exc:
                assert "\n" not in str(exc) and str(exc)
            else:
                raise AssertionError("a hostile id was taken")
    hostile()
    assert ctx.join.checkins(academy.id) == before              # nothing stored on refusal
    assert ctx.academies.walk_in_ids(academy.id) == {walk_in}
