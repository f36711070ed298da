"""Domain validation: every bad input is refused with a message a person can act on."""
from __future__ import annotations

from datetime import date

import pytest

from workshop.academy.model import Academy, Participant, teams_of
from workshop.errors import ValidationError
from workshop.text import clean_text, fold


@pytest.mark.parametrize("fields, message", [
    ({"name": ""}, "needs a name"),
    ({"name": "   \t "}, "needs a name"),
    ({"name": "x" * 81}, "too long"),
    ({"name": "Ann", "email": "ann@"}, "does not look like an email"),
    ({"name": "Ann", "email": "ann at school.org"}, "does not look like an email"),
    ({"name": "Ann", "readiness": "ready"}, "Readiness must be one of"),
    ({"name": "Ann", "school": "s" * 201}, "too long"),
])
def test_bad_participants_are_refused(fields, message):
    with pytest.raises(ValidationError, match=message):
        Participant(**fields)


@pytest.mark.parametrize("fields, expected", [
    ({"name": "  Zoë   Brennan-O'Neil "}, {"name": "Zoë Brennan-O'Neil"}),
    ({"name": "Ann", "email": " Ann@School.ORG "}, {"email": "ann@school.org"}),
    ({"name": "Ann", "readiness": " Planning "}, {"readiness": "planning"}),
    ({"name": "Ann", "readiness": ""}, {"readiness": "exploring"}),
    ({"name": "张\u200b伟"}, {"name": "张伟"}),
    ({"name": "=HYPERLINK(\"x\")"}, {"name": "=HYPERLINK(\"x\")"}),
])
def test_participants_are_cleaned_but_keep_their_text(fields, expected):
    p = Participant(**fields)
    assert {k: getattr(p, k) for k in expected} == expected


@pytest.mark.parametrize("fields, message", [
    ({"title": ""}, "needs a title"),
    ({"title": "T" * 201}, "too long"),
    ({"title": "Spring", "start_date": date(2026, 3, 2), "end_date": date(2026, 3, 1)},
     "ends .* before it starts"),
])
def test_bad_academies_are_refused(fields, message):
    with pytest.raises(ValidationError, match=message):
        Academy(**fields)


def test_match_key_prefers_email_then_name_and_school():
    assert Participant("José Núñez", email="j@x.org").match_key == ("email", "j@x.org")
    a = Participant("José Núñez", school="Maplewood").match_key
    b = Participant("jose nunez", school="MAPLEWOOD").match_key
    assert a == b and a[0] == "name"
    assert Participant("José Núñez", school="Riverside").match_key != a


def test_fold_and_clean_text():
    assert fold("Zoë") == fold("zoe") == "zoe"
    assert clean_text("a\x00b\u202ec") == "abc"  # control and bidi overrides removed


def test_teams_group_by_school():
    teams = teams_of([Participant("A", school="B school"), Participant("C", school="A school"),
                      Participant("D", school="B school"), Participant("E")])
    assert [(t.school, t.size) for t in teams] == [("(no school)", 1), ("A school", 1),
                                                   ("B school", 2)]
