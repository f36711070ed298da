"""AcademyService.import_roster: one transaction, merges instead of duplicates, a report for
every row; and the export that neutralises formulas."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from workshop.academy.model import Participant
from workshop.errors import ValidationError
from workshop.academy.roster.plan import read_roster

DATA = Path(__file__).parent / "data"
FIXTURES = ["eventbrite.csv", "google_forms.csv", "excel_windows.csv", "excel_utf8_bom.csv",
            "excel_unicode.txt", "excel_sep_hint.csv", "pasted_block.tsv"]


def plan_of(name: str):
    return read_roster((DATA / name).read_bytes(), source=name)


def roster(ctx, academy_id):
    return sorted((p.name, p.school, p.role, p.readiness, p.email)
                  for p in ctx.academies.participants(academy_id))


@pytest.mark.parametrize("name", FIXTURES)
def test_importing_the_same_file_twice_leaves_one_row_per_person(ctx, academy, name):
    plan = plan_of(name)
    first = ctx.academies.import_roster(academy.id, plan)
    after_first = roster(ctx, academy.id)
    assert first.imported == len(after_first) == len(plan.participants) > 0
    second = ctx.academies.import_roster(academy.id, plan_of(name))
    assert roster(ctx, academy.id) == after_first
    assert (second.imported, second.merged) == (0, first.imported)
    assert all("nothing changed" in line.reason for line in second.lines if line.outcome == "merged")


def test_report_names_every_row_with_its_outcome(ctx, academy):
    report = ctx.academies.import_roster(academy.id, plan_of("google_forms.csv"))
    outcomes = {line.row: (line.outcome, line.reason) for line in report.lines}
    assert sorted(outcomes) == [2, 3, 4, 5, 6]
    assert outcomes[5] == ("skipped", "no name in this row")
    assert outcomes[6][0] == "imported" and "not an email address" in outcomes[6][1]
    assert report.summary() == "4 imported, 0 merged, 1 skipped"


def test_merge_fills_in_and_updates_but_never_blanks(ctx, academy):
    ctx.academies.add_participant(academy.id, Participant(
        "Zoë Brennan-O'Neil", school="Maplewood Elementary", role="Teacher",
        email="zoe.brennan@maplewood.example.org", readiness="planning"))
    ctx.academies.add_participant(academy.id, Participant("Renée Dubois", school="Valley Unified District Office"))
    report = ctx.academies.import_roster(academy.id, read_roster(
        b"Email,Name,School,Role\n"
        b"ZOE.BRENNAN@maplewood.example.org,Zoe B.,Maplewood Elementary,Instructional coach\n"
        b"renee@district.example.org,renee dubois,valley unified district office,\n"))
    people = {p.email or p.name: p for p in ctx.academies.participants(academy.id)}
    zoe = people["zoe.brennan@maplewood.example.org"]
    assert (zoe.name, zoe.role, zoe.readiness) == ("Zoë Brennan-O'Neil", "Instructional coach", "planning")
    renee = people["renee@district.example.org"]
    assert renee.name == "Renée Dubois" and renee.school == "Valley Unified District Office"
    assert [line.reason.split(";")[0] for line in report.lines] == [
        "already on the roster as Zoë Brennan-O'Neil (same email)",
        "already on the roster as Renée Dubois (same name and school)"]
    assert len(people) == 2


def test_same_name_and_school_with_different_emails_are_two_people(ctx, academy):
    ctx.academies.add_participant(academy.id, Participant("Sam Lee", school="Lincoln", email="sam1@x.org"))
    report = ctx.academies.import_roster(academy.id, read_roster(
        b"Name,School,Email\nSam Lee,Lincoln,sam2@x.org\n"))
    assert report.imported == 1 and len(ctx.academies.participants(academy.id)) == 2


def test_duplicates_inside_one_file_merge_into_the_first(ctx, academy):
    report = ctx.academies.import_roster(academy.id, read_roster(
        b"Name,School,Role\nAnn Lee,Lincoln,\nann lee,LINCOLN,Teacher\n"))
    assert (report.imported, report.merged) == (1, 1)
    assert "same person as row 2" in report.lines[1].reason
    [ann] = ctx.academies.participants(academy.id)
    assert ann.role == "Teacher"


def test_a_plan_that_cannot_import_is_refused_and_writes_nothing(ctx, academy):
    plan = plan_of("excel_windows.csv").with_mapping({"name": None})
    with pytest.raises(ValidationError, match="No column is chosen"):
        ctx.academies.import_roster(academy.id, plan)
    with pytest.raises(ValidationError, match="no academy number"):
        ctx.academies.import_roster(9999, plan_of("excel_windows.csv"))
    assert ctx.academies.participants(academy.id) == []


def test_a_failure_midway_rolls_back_the_whole_import(ctx, academy, monkeypatch):
    ctx.academies.add_participant(academy.id, Participant("Already Here"))
    repo = ctx.academies.repo

    def explode(done, total):
        if done == 3:
            raise RuntimeError("disk unplugged")

    with pytest.raises(RuntimeError):
        ctx.academies.import_roster(academy.id, plan_of("eventbrite.csv"), progress=explode)
    assert [p.name for p in repo.participants(academy.id)] == ["Already Here"]


def test_export_is_csv_with_formulas_neutralised(ctx, academy):
    ctx.academies.import_roster(academy.id, plan_of("google_forms.csv"))
    text = ctx.academies.export_roster_csv(academy.id)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["name"] for r in rows} >= {"Ελένη Παπαδοπούλου", "'=HYPERLINK(\"http://evil.example\",\"click me\")"}
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.values())
    # Exported and imported into a new academy: the same people, exactly.
    other = ctx.academies.create("Copy")
    ctx.academies.import_roster(other.id, read_roster(text.encode()))
    assert roster(ctx, other.id) == roster(ctx, academy.id)
