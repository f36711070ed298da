"""PDSA cycles: snapshots taken when a cycle starts, checked dates, and version diffs."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from prototypes.check import SafeToTryCheck
from prototypes.pdsa import Iteration, diff, next_iteration
from tests.prototypes.samples import DAY, draft
from workshop.errors import ValidationError

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
