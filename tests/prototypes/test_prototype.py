"""The prototype: validation of what a team writes, the status rules, dicts round-trip."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from prototypes.check import Objection
from prototypes.pdsa import Iteration, diff, next_iteration
from prototypes.prototype import STATUSES, TRANSITIONS, Prototype
from workshop.text import clean_long
from tests.prototypes.samples import DAY, draft, safe_check
from workshop.errors import ValidationError

def test_a_prototype_needs_a_title_and_says_so():
    with pytest.raises(ValidationError, match="needs a title"):
        Prototype(title="   ")


def test_long_fields_keep_line_breaks_but_not_control_characters():
    p = draft(why="Line one\r\nLine two\x07  \n\n")
    assert p.why == "Line one\nLine two"
    assert clean_long("a\u202eb") == "ab"


def test_unknown_classroom_model_is_refused_by_name():
    with pytest.raises(ValidationError, match="classroom model must be one of"):
        draft(model="beanbags")


def test_other_model_names_itself_and_other_models_ignore_that_name():
    assert draft(model="other", model_other="Choice boards").model_label == "Choice boards"
    flex = draft(model="flex", model_other="Choice boards")
    assert flex.model_label == "Flex" and flex.model_other == "Choice boards"  # kept for undo
    changes = diff(draft(model="flex").snapshot(), flex.snapshot())
    assert changes == []                         # a hidden name is not a change


def test_core_four_is_kept_in_canonical_order_without_duplicates():
    p = draft(core_four=("reflection_ownership", "flexible_content", "flexible_content"))
    assert p.core_four == ("flexible_content", "reflection_ownership")


@pytest.mark.parametrize("start, target", [(s, t) for s in STATUSES for t in STATUSES
                                           if t not in TRANSITIONS[s] and t != s])
def test_transitions_not_listed_are_refused(start, target):
    p = replace(draft(check=safe_check()), status=start,
                history=({"status": start, "on": DAY},))
    reasons = p.can_move_to(target)
    assert reasons and "can move to" in reasons[0]


def test_the_full_life_of_a_prototype_is_dated():
    p = draft(check=safe_check())
    for status, day in [("trying", date(2026, 12, 1)), ("iterating", date(2027, 1, 10)),
                        ("adapted", date(2027, 3, 2))]:
        p = p.move_to(status, day)
    assert p.status == "adapted"
    assert [(h.status, h.on) for h in p.history] == [
        ("draft", DAY), ("trying", date(2026, 12, 1)), ("iterating", date(2027, 1, 10)),
        ("adapted", date(2027, 3, 2))]


def test_revert_status_goes_back_one_step():
    p = draft(check=safe_check()).move_to("trying", DAY)
    back = p.revert_status()
    assert back.status == "draft" and len(back.history) == 1
    with pytest.raises(ValidationError):
        back.revert_status()


def test_history_must_agree_with_status():
    with pytest.raises(ValidationError, match="history ends"):
        Prototype(title="x", status="trying", history=({"status": "draft", "on": DAY},))


def test_round_trip_through_dicts_is_exact():
    p = draft(check=safe_check(objections=(Objection("x", "y"),)), core_four=("data_driven",),
              created_at="2026-11-25T09:00:00+00:00", updated_at="2026-11-25T09:00:00+00:00")
    assert Prototype.from_dict(p.to_dict()) == replace(p, id=None)
    it = next_iteration(p, [], DAY)
    assert Iteration.from_dict(it.to_dict()) == it
