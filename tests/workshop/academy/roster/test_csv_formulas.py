"""CSV export never hands a spreadsheet a live formula (issue 12, item 7): every text cell is
quoted, and the start of a cell and every part after a , ; or tab is neutralised — a de/fr/nl
Excel splits "x;=1+1;" on ; and would run =1+1."""
from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.workshop.academy.roster.samples import TEXT
from workshop.academy.model import Participant
from workshop.errors import ValidationError
from workshop.academy.roster.csvfile import neutralise_formula, roster_csv, unguard
from workshop.academy.roster.plan import read_roster

LIVE = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("value, written", [
    ("x;=1+1;", "x;'=1+1;"),
    ("x,=1+1", "x,'=1+1"),
    ("x\t=1+1", "x\t'=1+1"),
    ("a; =SUM(A1)", "a; '=SUM(A1)"),            # spaces after the separator do not hide it
    ("a;+1;-2;@x", "a;'+1;'-2;'@x"),
    (';"=1', ';"\'=1'),                        # `;""=1` in the file is =1 in a ; locale
    ("=a;=b", "'=a;'=b"),
    ("x;'y", "x;''y"),                          # our guard doubled, so import can undo it
    ("a=b", "a=b"), ("1-2", "1-2"), ("a;b", "a;b"), ("O'Neil", "O'Neil"), ("", ""),
    ("@home", "'@home"), ("-", "'-"),
])
def test_every_part_a_spreadsheet_would_run_is_neutralised(value, written):
    assert neutralise_formula(value) == written
    assert unguard(written) == value


def _live_parts(text: str) -> list[str]:
    """Cells some spreadsheet would evaluate: the file read with each separator a locale or
    import dialog may use (quote-aware, as Excel and LibreOffice read), and every value split
    on , ; and tab by a reader that ignores quotes."""
    found = []
    for sep in (",", ";", "\t"):
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep):
            found += [c for c in row if c.lstrip(" ").startswith(LIVE)]
    for row in csv.reader(io.StringIO(text, newline="")):
        for value in row:
            for sep in (",", ";", "\t"):
                found += [p for p in value.split(sep) if p.lstrip(" ").startswith(LIVE)]
    return found


def test_export_quotes_every_cell_and_leaves_no_live_formula():
    people = [Participant(name="x;=1+1;", school="=HYPERLINK(\"http://evil\",\"x\")",
                          role="a, +1", email="ana@x.org")]
    text = roster_csv(people)
    assert text.splitlines() == [
        '"name","email","school","role","readiness"',
        '"x;\'=1+1;","ana@x.org","\'=HYPERLINK(""http://evil"",""x"")","a, \'+1","exploring"']
    assert _live_parts(text) == []
    back, = read_roster(text.encode()).participants
    assert (back.name, back.school, back.role) == (people[0].name, people[0].school, "a, +1")


# Cells built from separators and formula starts, mixed with ordinary text.
FORMULA_TEXT = st.lists(st.sampled_from([";", ",", " ", "=", "+", "-", "@", "'", '"', "1",
                                         "x", "SUM(A1)"]), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.tuples(st.one_of(FORMULA_TEXT, TEXT), FORMULA_TEXT, FORMULA_TEXT),
                     min_size=1, max_size=5))
def test_no_typed_value_exports_as_a_live_formula_in_any_locale(rows):
    people = []
    for name, school, role in rows:
        try:
            people.append(Participant(name=name, school=school, role=role))
        except ValidationError:
            continue
    text = roster_csv(people)
    assert _live_parts(text) == []
    for line in text.splitlines()[1:]:
        cells = next(csv.reader(io.StringIO(line)))
        assert line == ",".join('"' + c.replace('"', '""') + '"' for c in cells)
    back = read_roster(text.encode()).participants if people else []
    assert [(p.name, p.school, p.role) for p in back] == [(p.name, p.school, p.role) for p in people]
