"""Hostile roster files (issue 12, item 11): each one is a clear one-line refusal — exit 2 in
the CLI, a message on the page — with nothing stored changed, or an import that names what it
had to leave out or warn about. Fuzzing roster bytes through the service holds to the same."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from workshop.academy.model import Participant
from workshop.errors import ValidationError
from workshop.academy.roster.plan import read_roster

HOSTILE = Path(__file__).parents[3] / "data" / "hostile" / "roster"

# file → the refusal's words (a one-line RosterError).
REFUSED = {
    "unbalanced_quote.csv": "Row 3 has a cell over 128 KB: usually a quote mark",
    "unclosed_quote.csv": "Row 3 opens a quote mark (\") that is never closed",
    "utf16_truncated.txt": "ends in the middle of a character: it was cut short",
    "utf16_lone_surrogate.txt": "holds a broken character at byte 36",
    "utf16_reversed_surrogates.txt": "holds a broken character at byte 28",
    "sep_quote.csv": "names a quote mark as the separator",
    "sep_letter.csv": "names “a” as the separator",
    "nul_in_middle.csv": "it contains binary data",
    "fake_xlsx.csv": "This Excel workbook (.xlsx) is damaged",   # .xlsx are read now (issue 16)
    "blank_lines.csv": "every row is empty",
    "only_header.csv": "only a header row",
}
# file → (names imported, {row: words of its note or error}, words of the warning or "").
IMPORTED = {
    "sep_hash.csv": (["Ana Ruiz", "Bo Lee"], {}, ""),
    "long_role_cell.csv": (["Ana Ruiz", "Bo Lee"], {
        2: "role in column “Role” is too long (227 characters; at most 200) and was left out"}, ""),
    "long_name_cell.csv": (["Bo Lee"], {
        2: "the name in column “Name” is too long (123 characters; at most 80)"}, ""),
    "mixed_utf8_cp1252.csv": (["José Núñez", "Ольга Петрова", "Zoë Brennan"], {},
                              "mixes two encodings: line 3 is Windows-1252, the rest UTF-8"),
    "double_encoded.csv": (["Bo Lee", "JosÃ© NÃºÃ±ez"], {},
                           "garbled accents: line 2 looks like “Ã©” where “é” was meant"),
    "invisible_names.csv": (["AnaRuiz"], {2: "needs a name", 3: "needs a name"}, ""),
    "formula_cells.csv": (['=HYPERLINK("http://evil")'], {}, ""),
}


def test_every_hostile_file_is_in_the_table():
    assert {p.name for p in HOSTILE.iterdir()} == set(REFUSED) | set(IMPORTED)


def dump(ctx) -> list[str]:
    """Every table's rows, to compare what is stored before and after."""
    return list(ctx.db.conn.iterdump())


@pytest.fixture
def seeded(ctx, academy):
    ctx.academies.add_participant(academy.id, Participant("Dee Shaw", school="Maplewood",
                                                          email="dee@x.org"))
    return academy


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_refused_file_is_one_clear_line_and_changes_nothing(ctx, seeded, run_cli, name):
    before = dump(ctx)
    code, out, err = run_cli("roster", "import", str(HOSTILE / name), "--academy", seeded.title)
    assert code == 2 and "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("error: ") and REFUSED[name] in err
    assert dump(ctx) == before


@pytest.mark.parametrize("name", sorted(IMPORTED))
def test_a_readable_file_imports_the_sound_rows_and_names_the_rest(ctx, seeded, run_cli, name):
    expected, notes, warning = IMPORTED[name]
    code, out, err = run_cli("roster", "import", str(HOSTILE / name), "--academy", seeded.title)
    assert code == 0, err
    assert sorted(p.name for p in ctx.academies.participants(seeded.id)) == sorted(
        expected + ["Dee Shaw"])
    for row, words in notes.items():
        assert f"row {row}: " in out and words in out.split(f"row {row}: ")[1].split("\n")[0]
    assert (warning in err) if warning else err == ""


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_the_window_says_why_a_file_is_refused(qtbot, make_window, ctx, seeded, name):
    window = make_window("roster")
    window.open_academy(seeded.id)
    page = window.page("roster")
    dialog = page.import_file(HOSTILE / name)
    if dialog is None:
        assert page.import_dialog is None and REFUSED[name] in page.error.text()
    else:  # read, but nothing to import: the dialog says why and will not import
        qtbot.addWidget(dialog)
        assert REFUSED[name] in dialog.problem.text() and not dialog.import_button.isEnabled()


def test_the_import_dialog_shows_the_encoding_warning(qtbot, make_window, seeded):
    window = make_window("roster")
    window.open_academy(seeded.id)
    dialog = window.page("roster").import_file(HOSTILE / "mixed_utf8_cp1252.csv")
    qtbot.addWidget(dialog)
    assert not dialog.warning.isHidden()
    assert dialog.warning.text().startswith("Warning: The file mixes two encodings")
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.showing_report
    assert dialog.details.toPlainText().startswith("Warning: The file mixes two encodings")


# -- fuzzing ---------------------------------------------------------------------------------

_PIECES = [b",", b";", b"\t", b"|", b'"', b"\r\n", b"\n", b"\r", b"sep=", b"=", b"'",
           b"Name", b"Email", b"School", b"@x.org", b"Ana", "José".encode(), "Zoë".encode("cp1252"),
           b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\x00", b"\xd8\x00", b"\x00\xdc",
           b"\xed\xa0\x80", b"\xc3\xa9", b"\xe9", b"x" * 300]
ROSTER_BYTES = st.one_of(
    st.binary(max_size=200),
    st.lists(st.sampled_from(_PIECES), max_size=40).map(b"".join),
    st.lists(st.lists(st.sampled_from(["Ana", "Bo Lee", "a@x.org", "=1+1", '"', "x" * 250,
                                       "\u3164", "\u202e", "planning", ""]),
                      min_size=1, max_size=5), min_size=1, max_size=6)
    .map(lambda rows: "\n".join(",".join(r) for r in rows).encode()),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=ROSTER_BYTES)
@example(data=b'sep="\nName"School\n')
@example(data=b"\xff\xfeN\x00a\x00m")
@example(data=b'Name\n"' + b"x" * 140_000)
def test_any_roster_bytes_through_the_service_give_a_clear_answer(ctx, seeded, data):
    """A clear error or an import, never an exception; nothing stored changes on refusal."""
    before = dump(ctx)
    try:
        plan = read_roster(data, source="fuzz.csv")
        report = ctx.academies.import_roster(seeded.id, plan)
    except ValidationError as exc:
        message = str(exc)
        assert message and "\n" not in message and "Traceback" not in message
        assert dump(ctx) == before
        return
    assert report.imported + report.merged + report.skipped == len(plan.rows)


PASTED = st.one_of(st.text(max_size=120),
                   st.lists(st.sampled_from(["\t", "\n", '"', "sep=", "Name", "Ana", "=1",
                                             "\ud800", "\u3164", "\u202e", "x" * 250, "\x00"]),
                            max_size=30).map("".join))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=PASTED)
@example(text='sep="\nName"School\n')
def test_any_pasted_text_through_the_service_gives_a_clear_answer(ctx, seeded, text):
    """Pasted rows (the clipboard can hold anything, lone surrogates included) hold to the same."""
    before = dump(ctx)
    try:
        report = ctx.academies.import_roster(seeded.id, read_roster(text))
    except ValidationError as exc:
        assert str(exc) and "\n" not in str(exc)
        assert dump(ctx) == before
        return
    assert all(p.name.encode("utf-8") for p in ctx.academies.participants(seeded.id))
    assert report.summary()
