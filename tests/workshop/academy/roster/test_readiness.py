"""Readiness answers in words and on numbered scales."""
from __future__ import annotations

import pytest

from workshop.academy.roster.plan import read_roster
from workshop.academy.roster.readiness import readiness_from_text


@pytest.mark.parametrize("answer, stage", [
    ("exploring", "exploring"), ("Planning", "planning"), ("IMPLEMENTING", "implementing"),
    ("We're just exploring the idea", "exploring"),
    ("Curious, haven't started", "exploring"),
    ("Planning a pilot for next term", "planning"),
    ("We plan to implement next year", "planning"),
    ("Already implementing in three classrooms", "implementing"),
    ("Not yet implementing - still exploring", "exploring"),
    ("not yet implementing", "exploring"),
    ("Fully rolled out across the school", "implementing"),
    ("1", "exploring"), ("2", "planning"), ("3", "implementing"),
])
def test_readiness_answers_in_words(answer, stage):
    assert readiness_from_text(answer) == (stage, "")


def test_readiness_on_a_five_point_scale_and_unknown_answers():
    assert [readiness_from_text(str(n), scale_max=5)[0] for n in range(1, 6)] == [
        "exploring", "exploring", "planning", "implementing", "implementing"]
    assert readiness_from_text("") == (None, "")
    stage, note = readiness_from_text("purple")
    assert stage is None and "not understood" in note
    plan = read_roster(b"Name,Readiness\nA,1\nB,3\nC,5\n")
    assert [p.readiness for p in plan.participants] == ["exploring", "planning", "implementing"]
