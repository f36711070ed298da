"""Which column is which field: header or data, header variants, buyers never guessed."""
from __future__ import annotations

import pytest

from workshop.academy.roster.columns import guess_mapping_from_header, header_score
from workshop.academy.roster.plan import read_roster


@pytest.mark.parametrize("text, has_header", [
    ("Zoë\tMaplewood Elementary School\tTeacher\nJosé\tMaplewood Elementary School\tPrincipal\n",
     False),
    ("Participant\tSchool site\tJob\nZoë\tMaplewood Elementary School\tTeacher\n", True),
    ("Zoë\tann@x.org\n", False),
])
def test_header_or_data(text, has_header):
    plan = read_roster(text)
    assert plan.has_header is has_header
    assert plan.participants[0].name == "Zoë"


@pytest.mark.parametrize("header, field, strong", [
    ("First Name", "first_name", True), ("Surname", "last_name", True),
    ("Full name", "name", True), ("Attendee name", "name", True),
    ("E-mail", "email", True), ("Email Address", "email", True),
    ("Organization", "school", True), ("Campus", "school", True), ("Company", "school", True),
    ("Job Title", "role", True), ("Position", "role", True),
    ("How ready is your school for personalized learning?", "readiness", True),
    ("Buyer Email", "email", False), ("School name", "name", None),
    ("Ticket Type", "role", None), ("Timestamp", "name", None),
])
def test_header_variants(header, field, strong):
    score = header_score(header, field)
    if strong is None:
        assert score == 0
    else:
        assert (score >= 2) == strong and score > 0


def test_buyer_columns_are_never_guessed():
    mapping = guess_mapping_from_header(["Name", "Buyer First Name", "Buyer Email", "School"])
    assert mapping["name"] == 0 and mapping["first_name"] is None and mapping["email"] is None


def test_each_column_is_used_once_and_name_pair_beats_name():
    mapping = guess_mapping_from_header(["Name", "First name", "Last name", "School", "School email"])
    assert mapping["first_name"] == 1 and mapping["last_name"] == 2 and mapping["name"] is None
    assert mapping["school"] == 3 and mapping["email"] == 4
