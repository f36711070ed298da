"""The import plan: each messy real-world file read end to end, the mapping changed, files that are no roster."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.workshop.academy.roster.samples import DATA, TEXT, people, plan_of
from workshop.academy.roster.csvfile import RosterError
from workshop.academy.roster.plan import read_roster


def test_eventbrite_attendee_export_reads_attendees_not_buyers():
    plan = plan_of("eventbrite.csv")
    assert (plan.encoding, plan.delimiter, plan.has_header) == ("UTF-8", ",", True)
    assert plan.columns[plan.mapping["email"]] == "Email"      # not "Buyer Email"
    assert plan.columns[plan.mapping["school"]] == "Company"
    assert plan.columns[plan.mapping["role"]] == "Job Title"
    assert plan.mapping["name"] is None and plan.mapping["readiness"] is None
    assert people(plan) == [
        ("Zoë Brennan-O'Neil", "Maplewood Elementary", "Teacher", "exploring",
         "zoe.brennan@maplewood.example.org"),
        ("José Núñez", "Maplewood Elementary", "Principal", "exploring",
         "jose.nunez@maplewood.example.org"),
        ("Ольга Петрова", "Riverside Middle School, Campus B", "Instructional Coach", "exploring",
         "olga.petrova@riverside.example.org"),
        ("伟 张", "Lincoln High School", "District Leader", "exploring",
         "zhang.wei@lincolnhigh.example.org"),
    ]
    assert [r.row for r in plan.rows] == [2, 3, 4, 5]


def test_google_forms_export_full_name_timestamps_and_readiness_in_words():
    plan = plan_of("google_forms.csv")
    assert plan.columns[plan.mapping["name"]] == "Full name"
    assert plan.columns[plan.mapping["role"]] == "What is your role at your school?"
    assert plan.columns[plan.mapping["readiness"]].startswith("How ready is your school")
    assert 0 not in plan.mapping.values()  # the timestamp is ignored
    by_row = {r.row: r for r in plan.rows}
    assert by_row[2].participant.name == "Ελένη Παπαδοπούλου"
    assert by_row[2].participant.readiness == "exploring"
    assert by_row[3].participant.readiness == "planning"
    # Row numbers are the spreadsheet's: the multi-line answer of row 3 is still one row.
    formula = by_row[4].participant
    assert formula.name == '=HYPERLINK("http://evil.example","click me")'
    assert formula.readiness == "implementing"
    assert by_row[5].participant is None and "no name" in by_row[5].error
    grace = by_row[6]
    assert grace.participant.name == "Grace Okafor" and grace.participant.email == ""
    assert "not an email address" in grace.note and "readiness" in grace.note


def test_excel_on_windows_cp1252_semicolons_crlf():
    raw = (DATA / "excel_windows.csv").read_bytes()
    assert b"\r\n" in raw and "Zoë".encode("cp1252") in raw  # the fixture is what Excel writes
    plan = plan_of("excel_windows.csv")
    assert (plan.encoding, plan.delimiter) == ("Windows-1252", ";")
    assert people(plan) == [
        ("Zoë Brennan-O'Neil", "Maplewood Elementary", "Teacher", "exploring",
         "zoe.brennan@maplewood.example.org"),
        ("Núñez, José", "Maplewood Elementary", "Principal", "planning",
         "jose.nunez@maplewood.example.org"),
        ("Renée Dubois", "Valley Unified District Office", "District leader", "implementing",
         "renee.dubois@district.example.org"),
        ("Anneliese Müller", "Valley Unified District Office", "Professional learning lead",
         "exploring", ""),
    ]


def test_excel_utf8_with_bom_first_and_last_name_columns():
    plan = plan_of("excel_utf8_bom.csv")
    assert plan.encoding == "UTF-8 with BOM"
    assert plan.columns[0] == "First name"  # the BOM is not glued to the first header
    assert [p.name for p in plan.participants] == ["Ольга Петрова", "张 伟", "Γιώργος Νικολάου"]
    assert {p.school for p in plan.participants} >= {"Lincoln High School"}
    assert plan.participants[2].role == "Curriculum coordinator"


def test_excel_unicode_text_is_utf16_tab_separated():
    plan = plan_of("excel_unicode.txt")
    assert (plan.encoding, plan.delimiter) == ("UTF-16", "\t")
    assert [(p.name, p.school) for p in plan.participants] == [
        ("Nguyễn Thị Lan", "Cedar Ridge Academy"), ("Björn Sæther", "Cedar Ridge Academy")]


def test_excel_sep_hint_line_sets_the_delimiter():
    plan = plan_of("excel_sep_hint.csv")
    assert plan.delimiter == ";" and plan.has_header
    assert [p.name for p in plan.participants] == ["Maya Goldberg", "Samuel Adeyemi"]
    assert [r.row for r in plan.rows] == [2, 3]


def test_pasted_block_without_header_is_guessed_by_content():
    text = (DATA / "pasted_block.tsv").read_text(encoding="utf-8")
    plan = read_roster(text)
    assert not plan.has_header and plan.delimiter == "\t"
    assert plan.mapping["name"] == 0 and plan.mapping["school"] == 1 and plan.mapping["role"] == 2
    assert plan.mapping["email"] == 3 and plan.mapping["readiness"] == 4
    assert people(plan)[1] == ("李娜", "Northgate STEM Magnet", "Teacher", "implementing",
                               "li.na@northgate.example.org")
    assert [r.row for r in plan.rows] == [1, 2, 3]


def test_a_header_we_cannot_read_can_be_declared_and_undeclared():
    plan = read_roster("Who\tWhere\nZoë\tMaplewood\n")
    assert not plan.has_header and [p.name for p in plan.participants] == ["Who", "Zoë"]
    declared = plan.with_header(True)
    assert declared.header == ("Who", "Where") and declared.row_numbers == (2,)
    assert [(p.name, p.school) for p in declared.participants] == [("Zoë", "Maplewood")]
    assert declared.with_header(False).participants == plan.participants


@pytest.mark.parametrize("name, message", [
    ("not_a_roster.xlsx", "Excel workbook"),
    ("empty.csv", "no roster"),
])
def test_files_that_are_not_rosters_are_refused_clearly(name, message):
    with pytest.raises(RosterError, match=message):
        plan_of(name)


def test_a_header_only_file_has_a_problem_not_a_crash():
    plan = read_roster(b"Name,School\r\n")
    assert plan.participants == [] and "only a header" in plan.problem


def test_mapping_can_be_changed_and_a_missing_name_column_is_a_problem():
    plan = plan_of("excel_windows.csv")
    none = plan.with_mapping({"name": None})
    assert "name" in none.problem and none.participants == []
    swapped = plan.with_mapping({"name": 1, "school": 0})
    assert swapped.participants[0].name == "Maplewood Elementary"
    twice = plan.with_mapping({"role": 1})
    assert "chosen for two fields" in twice.problem


def test_names_are_nfc_and_scripts_kept_exactly():
    decomposed = unicodedata.normalize("NFD", "Zoë Núñez")
    plan = read_roster(f"Name,School\n{decomposed},Maplewood\n".encode())
    assert plan.participants[0].name == "Zoë Núñez"
    assert unicodedata.is_normalized("NFC", plan.participants[0].name)


@settings(max_examples=300, deadline=None)
@given(data=st.one_of(st.binary(max_size=600),
                      st.text(max_size=600).map(lambda t: t.encode("utf-8")),
                      st.lists(st.lists(TEXT, max_size=5), max_size=8).map(
                          lambda rows: "\n".join(";".join(r) for r in rows).encode("cp1252", "replace"))))
def test_any_bytes_give_a_plan_or_a_clear_refusal(data):
    try:
        plan = read_roster(data)
    except RosterError as exc:
        assert str(exc).endswith(".")
        return
    assert len(plan.rows) == len(plan.raw_rows)
    for row in plan.rows:
        assert (row.participant is None) == bool(row.error)


def test_a_cell_too_long_to_quote_whole_is_read_not_refused():
    # Found by test_any_bytes_give_a_plan_or_a_clear_refusal: guessing the columns quoted the
    # cell in a readiness note, and quoting raised "Text is too long" for the whole file.
    # Issue 12 item 11: an over-long free-text cell no longer skips the person; the note names
    # its column and the rest of the row is imported.
    row, = read_roster("Ana\t" + "+" * 250).rows
    assert row.participant is not None and row.participant.school == ""
    assert row.note == ("school in column “Column 2” is too long (250 characters; at most 200) "
                        "and was left out")


@pytest.mark.parametrize("cells, quoted", [
    ("Name\tReadiness\nAna\t" + "+" * 250, "readiness “" + "+" * 199 + "…”"),
    ("Name\tEmail\nAna\t" + "not an email " * 20,
     "email in column “Email” is too long (259 characters; at most 200) and was left out"),
])
def test_a_long_cell_is_quoted_cut_short_in_the_row_note(cells, quoted):
    row, = read_roster(cells).rows
    assert row.participant is not None and row.participant.name == "Ana"
    assert quoted in row.note
