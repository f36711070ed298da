"""The vision poster and the one-page plan: the print model (hard), the PDFs (text, pages),
`workshop handout plan`, and the plan in each team's folder of the pack."""
from __future__ import annotations

import subprocess

import pytest

from prototypes.handouts.plan_models import build_plan_print
from prototypes.rollout.plan import Milestone
from tests.conftest import require_tool
from tests.prototypes.rollout.test_plan import SCHOOL, full_plan
from workshop.pdf.format import long_date


def pdf_text(raw: bytes, tmp_path) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(raw)
    text = subprocess.run([require_tool("pdftotext"), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    return "\f".join(" ".join(page.split()) for page in text.split("\f"))   # lines wrap anywhere


def pages(raw: bytes) -> int:
    from pypdf import PdfReader
    import io
    return len(PdfReader(io.BytesIO(raw)).pages)


def test_the_print_model_groups_phases_and_words_dates():
    plan = full_plan(milestones=[Milestone("B", phase="Try"), Milestone("A", phase="Prepare",
                                                                     due="2027-01-04"),
                                 Milestone("C", phase="Try", due="2027-02-01", owner="Ana",
                                           prototypes=["P"], initiatives=["MTSS", "PBL"])])
    model = build_plan_print(plan, SCHOOL, "Spring", ["x"], long_date)
    assert [p for p, _ in model.phases] == ["Try", "Prepare"]
    assert model.phases[0][1] == [("C", "Ana", "1 February 2027", "Planned", "P; MTSS, PBL"),
                                  ("B", "", "", "Planned", "")]
    assert model.measures[0][1] == "1 February 2027: 60% on target\n1 April 2027: 75% on target"
    assert model.communications == [("4 January 2027", "Parents", "Letter about stations", "Ana")]
    assert model.wins == [("First full rotation", "15 January 2027", False)]
    assert model.warnings == ["x"] and model.evangelists == ["Ana Núñez"]


@pytest.fixture
def planned(ctx, academy):
    ctx.rollout.save(academy.id, SCHOOL, full_plan())
    return academy


def test_handout_plan_writes_the_plan_and_the_poster(run_cli, planned, tmp_path):
    out = tmp_path / "plan.pdf"
    code, stdout, err = run_cli("handout", "plan", "--academy", "Test Academy",
                                "--team", "lincoln ELEMENTARY", "--out", str(out))
    assert code == 0, err
    raw = out.read_bytes()
    assert pages(raw) == 2    # one page of plan, one poster
    text = pdf_text(raw, tmp_path)
    for words in ("Vision and rollout plan — Lincoln Elementary", "Every student owns their",
                  "Pilot stations in grade 4", "11 January 2027", "Coach visits weekly",
                  "Letter about stations", "First full rotation", "Ana Núñez", "Own it!",
                  "relies on “MTSS”"):
        assert words in text, words


def test_handout_plan_for_a_team_without_one_is_one_line(run_cli, planned, tmp_path):
    code, out, err = run_cli("handout", "plan", "--academy", "Test Academy", "--team", "Nowhere",
                             "--out", str(tmp_path / "x.pdf"))
    assert code == 2 and len(err.splitlines()) == 1
    assert "“Nowhere” has no vision or plan yet (teams with one: Lincoln Elementary)" in err
    assert not (tmp_path / "x.pdf").exists()


def test_a_long_plan_still_prints_on_one_page(ctx, planned, tmp_path):
    many = [Milestone(f"Milestone number {i} with a longer name than most", phase=f"Phase {i % 4}",
                      owner="Someone", due=f"2027-0{1 + i % 9}-1{i % 9}") for i in range(60)]
    ctx.rollout.edit(planned.id, SCHOOL, milestones=many)
    raw = ctx.handouts.make("plan", planned.id, team=SCHOOL)
    assert pages(raw) == 2
    assert "Milestone number 59" in pdf_text(raw, tmp_path)


def test_the_pack_puts_the_plan_in_each_team_folder(ctx, planned, tmp_path):
    ctx.prototypes.create(planned.id, "Reading stations", team=SCHOOL)
    ctx.rollout.save(planned.id, "Adams Middle", full_plan(vision="Adams' own why"))
    files = {i.filename: i for i in ctx.handouts.pack_items(planned.id)}
    folder = files[f"Prototypes/{SCHOOL}.pdf"].make(None)
    first = pdf_text(folder, tmp_path).split("\f")[0]
    assert "Vision and rollout plan — Lincoln Elementary" in first
    assert "Reading stations" in pdf_text(folder, tmp_path)
    alone = files["Prototypes/Adams Middle.pdf"].make(None)   # a plan, no prototype yet
    assert "Adams' own why" in pdf_text(alone, tmp_path) and pages(alone) == 2


def test_the_vision_poster_is_a_page_of_its_own(ctx, planned, tmp_path):
    raw = ctx.handouts.make("vision", planned.id, team=SCHOOL)
    assert pages(raw) == 1
    text = pdf_text(raw, tmp_path)
    assert "Own it!" in text and "Literacy by grade 3" in text and "Page 1" not in text


@pytest.mark.fuzz
def test_any_team_typed_makes_the_plan_or_one_line(ctx, planned):
    from hypothesis import given, strategies as st
    from tests.fuzzing import fuzz_settings
    from workshop.errors import ValidationError

    @given(st.text(max_size=60) | st.sampled_from([SCHOOL, SCHOOL.upper(), " lincoln elementary ",
                                                   "\n", "x" * 5000]))
    @fuzz_settings(60)
    def check(team):
        try:
            raw = ctx.handouts.make("plan", planned.id, team=team)
        except ValidationError as exc:
            assert "\n" not in str(exc) and len(str(exc)) < 300
            assert "no vision or plan yet" in str(exc) or "choose which" in str(exc)
        else:
            assert raw.startswith(b"%PDF-")
    check()


def test_a_team_folder_reads_its_plan_once_for_every_attachment_and_its_pages(ctx, planned,
                                                                              monkeypatch):
    # The plan (and with it the team's map) was read for each prototype's attachment, for the
    # plan's pages and for their warnings: four times for a team of three prototypes.
    from prototypes.handouts.data import PrototypeHandouts
    ids = [ctx.prototypes.create(planned.id, f"Stations {i}", team=SCHOOL).id for i in range(3)]
    items = {i.filename: i for i in ctx.handouts.pack_items(planned.id)}
    # What the one-prototype handouts (which read everything themselves) print, first.
    alone = PrototypeHandouts(ctx.academies, ctx.prototypes, ctx.maps)
    singles = [(alone.prototype_print(i), alone.iteration_log(i)) for i in ids]
    reads = []
    real = ctx.rollout.plan
    monkeypatch.setattr(ctx.rollout, "plan", lambda academy_id, school: (
        reads.append(school), real(academy_id, school))[1])
    pairs, academy, team, plan = items[f"Prototypes/{SCHOOL}.pdf"].prepare()
    assert reads == [SCHOOL]
    assert pairs == singles and b'"rollout":{' in pairs[0][0].attachment
    monkeypatch.undo()
    from prototypes.handouts.plan_models import plan_print_for
    assert plan == plan_print_for(ctx.rollout, planned.id, SCHOOL, long_date)
