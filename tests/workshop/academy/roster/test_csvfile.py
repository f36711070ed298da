"""Roster files as text: the delimiter, the formula guard, export → import round trips."""
from __future__ import annotations

import csv
import io

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.workshop.academy.roster.samples import TEXT
from workshop.academy.model import Participant
from workshop.errors import ValidationError
from workshop.academy.roster.csvfile import neutralise_formula, roster_csv, sniff_delimiter
from workshop.academy.roster.plan import read_roster


@pytest.mark.parametrize("text, delimiter", [
    ("a,b,c\n1,2,3\n", ","),
    ("a;b;c\n1;2;3\n", ";"),
    ("a\tb\tc\n1\t2\t3\n", "\t"),
    ("Name;School\nNúñez, José;Maplewood\nBell, Marcus;Maplewood\n", ";"),
    ('Name,Notes\n"Bell, Marcus","a; b; c"\n', ","),
])
def test_delimiter_is_verified_not_just_sniffed(text, delimiter):
    assert sniff_delimiter(text) == delimiter


@pytest.mark.parametrize("value, written", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1 555 0100", "'+1 555 0100"),
    ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t'=1"),
    ("Zoë", "Zoë"), ("a=b", "a=b"), ("", ""), ("O'Neil", "O'Neil"), ("'quoted'", "''quoted'"),
])
def test_neutralise_formula(value, written):
    assert neutralise_formula(value) == written


def test_export_neutralises_and_reimport_round_trips():
    people_in = [Participant(name='=HYPERLINK("http://evil","x")', school="Maplewood"),
                 Participant(name="Ольга Петрова", school="Riverside", role="Teacher",
                             readiness="planning", email="olga@riverside.example.org")]
    text = roster_csv(people_in)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == '\'=HYPERLINK("http://evil","x")'
    back = read_roster(text.encode("utf-8")).participants
    assert [(p.name, p.school, p.readiness, p.email) for p in back] == [
        (p.name, p.school, p.readiness, p.email) for p in people_in]


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.tuples(TEXT, TEXT, TEXT), min_size=1, max_size=6))
def test_any_roster_survives_export_and_import(rows):
    """Whatever people typed (formulas, quotes, delimiters, any script), export → import
    gives back exactly the same values."""
    people = []
    for name, school, role in rows:
        try:
            people.append(Participant(name=name, school=school, role=role))
        except ValidationError:
            continue
    assume(people)
    text = roster_csv(people)
    assert not any(line.startswith(("=", "+", "-", "@")) for line in text.splitlines())
    back = read_roster(text.encode("utf-8"))
    assert [(p.name, p.school, p.role) for p in back.participants] == [
        (p.name, p.school, p.role) for p in people]
