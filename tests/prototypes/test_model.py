"""The prototype model: validation, the status rules, snapshots and version diffs."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from prototypes.model import (RISKS, STATUSES, TRANSITIONS, Iteration, Objection, Prototype,
                              SafeToTryCheck, clean_long, diff, next_iteration)
from workshop.academy.model import ValidationError

DAY = date(2026, 11, 25)


def draft(**fields) -> Prototype:
    return Prototype(title="Math stations", history=({"status": "draft", "on": DAY},), **fields)


def safe_check(**overrides) -> SafeToTryCheck:
    check = SafeToTryCheck()
    for key in RISKS:
        check = check.with_risk(key, level="low", mitigation="Talk to the team weekly")
    return replace(check, consent_on=DAY, present="Ana, Bo", no_objection=True, **overrides)


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


def test_high_risk_without_mitigation_blocks_trying_and_names_the_risk():
    p = draft(check=safe_check().with_risk("devices", level="high", mitigation=""))
    with pytest.raises(ValidationError) as err:
        p.move_to("trying", DAY)
    assert "Devices and tools" in str(err.value) and "no mitigation" in str(err.value)
    # A mitigation makes it safe to try even though the risk stays high.
    p = replace(p, check=p.check.with_risk("devices", mitigation="Borrow the cart"))
    assert p.check.risks["devices"].level == "high"
    assert p.move_to("trying", DAY).status == "trying"


def test_open_objection_blocks_trying_until_resolved():
    p = draft(check=safe_check(objections=(Objection("Parents were not told"),)))
    reasons = p.can_move_to("trying")
    assert reasons == ["Objection 1 (“Parents were not told”) is still open: write how it was "
                       "resolved."]
    resolved = replace(p, check=replace(p.check, objections=(
        Objection("Parents were not told", "Letter home on Monday"),)))
    assert resolved.can_move_to("trying") == []


def test_both_blockers_are_reported_together():
    check = safe_check(objections=(Objection("Too soon"),)).with_risk("why", level="high",
                                                                       mitigation="")
    assert len(draft(check=check).check.blockers()) == 2


def test_unrated_risks_and_missing_consent_are_reminders_not_blockers():
    p = draft()
    assert p.can_move_to("trying") == []
    assert any("Not rated yet" in r for r in p.check.reminders())


def test_revert_status_goes_back_one_step():
    p = draft(check=safe_check()).move_to("trying", DAY)
    back = p.revert_status()
    assert back.status == "draft" and len(back.history) == 1
    with pytest.raises(ValidationError):
        back.revert_status()


def test_history_must_agree_with_status():
    with pytest.raises(ValidationError, match="history ends"):
        Prototype(title="x", status="trying", history=({"status": "draft", "on": DAY},))


def test_a_snapshot_is_frozen_when_the_iteration_starts():
    p = draft(why="Lost students")
    first = next_iteration(p, [], DAY)
    p2 = p.edit(why="Lost students in math", core_four=("data_driven",))
    assert first.number == 1 and first.snapshot["why"] == "Lost students"
    second = next_iteration(p2, [replace(first, next_change="Add an exit ticket")], DAY)
    assert second.number == 2
    assert second.change == "Add an exit ticket"       # plan pre-filled from the last cycle
    assert second.snapshot["core_four"] == ["data_driven"]
    assert first.snapshot["core_four"] == []


def test_diff_lists_changed_fields_with_labels_in_order():
    before = draft(why="A").snapshot()
    after = draft(why="B", model="flipped",
                  check=SafeToTryCheck().with_risk("capacity", level="medium")).snapshot()
    changes = diff(before, after)
    assert [(c.label, c.before, c.after) for c in changes] == [
        ("Problem and why it matters", "A", "B"),
        ("Classroom model", "Station rotation", "Flipped classroom"),
        ("Risk “No capacity to carry it on”: rating", "", "medium"),
    ]
    assert diff(after, after) == []


def test_iteration_dates_and_decision_are_checked():
    snap = draft().snapshot()
    with pytest.raises(ValidationError, match="ends .* before it starts"):
        Iteration(number=1, started_on=DAY, finished_on=date(2026, 11, 1), snapshot=snap)
    with pytest.raises(ValidationError, match="decision must be one of"):
        Iteration(number=1, started_on=DAY, snapshot=snap, decision="maybe")
    assert Iteration(number=1, started_on="2026-11-25", snapshot=snap,
                     decision="Adapt").decision == "adapt"


def test_round_trip_through_dicts_is_exact():
    p = draft(check=safe_check(objections=(Objection("x", "y"),)), core_four=("data_driven",),
              created_at="2026-11-25T09:00:00+00:00", updated_at="2026-11-25T09:00:00+00:00")
    assert Prototype.from_dict(p.to_dict()) == replace(p, id=None)
    it = next_iteration(p, [], DAY)
    assert Iteration.from_dict(it.to_dict()) == it
