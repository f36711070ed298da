"""Role categories and look-alike school names: the pure mapping, the academy's own choices,
and the fuzzed boundary (any text is a role; nothing crashes, every role gets a category)."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from tests.fuzzing import fuzz_settings
from workshop.academy.model import Participant
from workshop.academy.roles import CATEGORIES, category_of, default_category, role_table, similar_schools
from workshop.errors import ValidationError


@pytest.mark.parametrize("role, category", [
    ("Teacher", "teacher"), ("teacher", "teacher"), ("TEACHER ", "teacher"),
    ("6th Grade ELA Teacher", "teacher"), ("Classroom teacher", "teacher"), ("Educator", "teacher"),
    ("Instructional Coach", "coach"), ("District Math Coach", "coach"), ("TOSA", "coach"),
    ("Principal", "school_leader"), ("Assistant Principal", "school_leader"),
    ("Head of School", "school_leader"), ("Dean of Students", "school_leader"),
    ("District leader", "district_leader"), ("Assistant Superintendent", "district_leader"),
    ("Chief Academic Officer", "district_leader"), ("Director of Curriculum", "district_leader"),
    ("Librarian", "specialist"), ("Technology Integrator", "specialist"), ("Counselor", "specialist"),
    ("Special Education Teacher", "specialist"), ("Paraprofessional", "specialist"),
    ("Parent", "other"), ("", "other"), ("Bürgermeisterin", "other"),
])
def test_common_job_titles_have_sensible_defaults(role, category):
    assert default_category(role) == category


def test_the_academy_choice_wins_case_insensitively():
    overrides = {"professional learning lead": "coach"}
    assert category_of("Professional Learning Lead", overrides) == "coach"
    assert category_of("professional  learning lead", overrides) == "coach"
    assert category_of("Teacher", {"teacher": "nonsense"}) == "teacher"   # a bad file: the default


def test_the_role_table_counts_spellings_as_one_role():
    rows = role_table(["Teacher", "teacher", "TEACHER", "Principal", "", "Coach"])
    assert rows[0] == ("Teacher", 3, "teacher")
    assert {r[0] for r in rows} == {"Teacher", "Principal", "Coach"}


def test_look_alike_school_names_are_paired_and_different_schools_are_not():
    pairs = similar_schools(["Lincoln HS", "Lincoln High School", "lincoln hs", "Washington MS",
                             "Washington HS", "Roosevelt Elementary", "Roosvelt Elementary",
                             "St. Mary Academy", "Saint Mary Academy", "Jefferson Middle", "Madison Middle",
                             "Oak Elementary School", "Oak Elementary", "Oak Middle School"])
    assert pairs == [("Lincoln HS", "Lincoln High School"), ("Roosevelt Elementary", "Roosvelt Elementary"),
                     ("St. Mary Academy", "Saint Mary Academy"),
                     ("Oak Elementary School", "Oak Elementary")]   # a dropped "School"


@pytest.mark.fuzz
@fuzz_settings(200)
@given(st.lists(st.text(max_size=40), max_size=12))
def test_any_text_gets_a_category_and_pairs_come_from_the_input(texts):
    assert all(default_category(t) in CATEGORIES for t in texts)
    for a, b in similar_schools(texts):
        assert a.strip() and b.strip() and a != b


def test_the_service_saves_a_category_with_undo_and_refuses_nonsense(ctx, academy):
    for role in ("Teacher", "teacher", "Professional learning lead"):
        ctx.academies.add_participant(academy.id, Participant(name=f"P {role}", role=role, school="S"))
    assert ("Professional learning lead", 1, "other") in ctx.academies.role_categories(academy.id)
    before = ctx.academies.set_role_category(academy.id, "PROFESSIONAL LEARNING LEAD", "coach")
    assert before is None
    assert ("Professional learning lead", 1, "coach") in ctx.academies.role_categories(academy.id)
    with pytest.raises(ValidationError, match="not a role category"):
        ctx.academies.set_role_category(academy.id, "Teacher", "wizard")
    with pytest.raises(ValidationError):
        ctx.academies.set_role_category(academy.id, "  ", "coach")
    assert ctx.academies.role_overrides(academy.id) == {"professional learning lead": "coach"}
    cats = ctx.academies.categories(academy.id)
    assert sorted(cats.values()) == ["coach", "teacher", "teacher"]
    ctx.academies.set_role_category(academy.id, "Professional learning lead", before)
    assert ctx.academies.role_overrides(academy.id) == {}


def test_a_school_merge_is_one_transaction_and_restores(ctx, academy):
    for i, school in enumerate(["Lincoln HS", "Lincoln High School", "lincoln hs", "Other"]):
        ctx.academies.add_participant(academy.id, Participant(name=f"P{i}", school=school))
    assert ctx.academies.similar_schools(academy.id) == [("Lincoln HS", "Lincoln High School")]
    before = ctx.academies.merge_school(academy.id, "lincoln HS", "Lincoln High School")
    assert len(before) == 2
    assert sorted(p.school for p in ctx.academies.participants(academy.id)) == [
        "Lincoln High School"] * 3 + ["Other"]
    ctx.academies.restore_people(academy.id, before)
    assert sorted(p.school for p in ctx.academies.participants(academy.id))[:2] == ["Lincoln HS", "Lincoln High School"]
    with pytest.raises(ValidationError, match="Nobody"):
        ctx.academies.merge_school(academy.id, "Nowhere", "Other")
