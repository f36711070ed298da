"""The team's vision and plan travel in each prototype export (JSON and PDF) and come back:
round trips, older files, newer copies here, and hostile sections refused with nothing
changed (files in tests/data/hostile/rollout/, then Hypothesis)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from prototypes.exchange import format as exchange
from prototypes.exchange.files import documents_in_pdf
from prototypes.rollout.exchange import parse_section
from tests.fuzzing import fuzz_settings
from tests.paths import ROOT
from tests.prototypes.exchange.test_hostile_files import stored
from tests.prototypes.rollout.test_plan import SCHOOL, full_plan
from workshop.errors import ValidationError

HOSTILE = ROOT / "tests" / "data" / "hostile" / "rollout"
CASES = {
    "section-list.json": "“rollout” should be an object with “team” and “plan”",
    "plan-text.json": "“rollout.plan” should be an object",
    "milestone-no-title.json": "The rollout plan: A milestone needs a name",
    "bad-date.json": "The rollout plan: A milestone's date must be a date like",
    "celebrated-text.json": "Celebrated must be true or false",
    "stamp-without-zone.json": "“updated_at” must be a date and time with its UTC offset",
    "unknown-field.json": "unknown field(s): colour",
    "checkpoints-object.json": "The checkpoints should be a list",
}


@pytest.fixture
def team(ctx, academy):
    """A prototype of the team, and the team's full plan."""
    p = ctx.prototypes.create(academy.id, "Reading stations", team=SCHOOL)
    plan = ctx.rollout.save(academy.id, SCHOOL, full_plan())
    return p, plan


def forget_plan(ctx, academy):
    ctx.db.execute("DELETE FROM rollout_plans")
    ctx.maps.set_vision(ctx.maps.open(academy.id, SCHOOL).id, "")
    assert ctx.rollout.plan(academy.id, SCHOOL).is_empty


def test_the_plan_comes_back_with_the_prototype_json(ctx, academy, team):
    p, plan = team
    doc = json.loads(ctx.prototypes.export_json(p.id))
    assert doc["version"] == 2 and doc["rollout"]["team"] == SCHOOL
    assert doc["rollout"]["plan"]["vision"] == "Every student owns their learning"
    forget_plan(ctx, academy)
    ctx.prototypes.import_document(doc, academy.id)
    assert ctx.rollout.plan(academy.id, SCHOOL) == plan          # the stamp too
    assert ctx.maps.open(academy.id, SCHOOL).vision == plan.vision
    assert json.loads(ctx.prototypes.export_json(p.id)) == doc   # export → import → export


def test_the_plan_comes_back_with_the_team_folder_pdf(ctx, academy, team):
    p, plan = team
    raw = ctx.handouts.make("prototype", academy.id, prototype=p.id)
    forget_plan(ctx, academy)
    ctx.prototypes.import_documents(documents_in_pdf(raw), academy.id)
    assert ctx.rollout.plan(academy.id, SCHOOL) == plan


def test_a_plan_edited_here_since_is_kept(ctx, academy, team, clock):
    p, _ = team
    doc = json.loads(ctx.prototypes.export_json(p.id))
    clock.advance(60)
    newer = ctx.rollout.edit(academy.id, SCHOOL, rallying_cry="Ours now")
    ctx.prototypes.import_document(doc, academy.id)
    assert ctx.rollout.plan(academy.id, SCHOOL) == newer


def test_a_version_1_file_without_a_plan_still_imports(ctx, academy, team):
    p, plan = team
    doc = json.loads(ctx.prototypes.export_json(p.id))
    doc["version"] = 1
    del doc["rollout"]
    ctx.prototypes.import_document(doc, academy.id)
    assert ctx.rollout.plan(academy.id, SCHOOL) == plan


def test_a_team_with_no_plan_exports_no_section(ctx, academy):
    p = ctx.prototypes.create(academy.id, "Flex", team="Adams Middle")
    assert "rollout" not in json.loads(ctx.prototypes.export_json(p.id))


def test_the_hostile_table_covers_every_file():
    assert {f.name for f in HOSTILE.glob("*.json")} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_hostile_section_is_refused_in_one_line_and_nothing_changes(name, run_cli, ctx):
    before = stored(ctx.db)
    code, out, err = run_cli("prototype", "import", str(HOSTILE / name))
    assert code == 2 and out == "" and len(err.splitlines()) == 1, err
    assert CASES[name] in err, err
    assert stored(ctx.db) == before


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.sampled_from(
                        ["team", "plan", "milestones", "measures", "wins", "communications",
                         "title", "due", "on", "checkpoints", "celebrated", "vision",
                         "priorities", "updated_at", "text", "name"]), inner, max_size=5),
                    max_leaves=20))
@fuzz_settings(150)
@pytest.mark.fuzz
def test_any_section_parses_or_is_refused_in_words(section):
    try:
        parse_section(section)
    except ValidationError as exc:
        assert str(exc) and "\n" not in str(exc)


def write_hostile_files(valid: dict) -> None:
    """(Re)write the hostile files from a valid export (run by hand: python -m ...)."""
    def with_plan(**changes):
        doc = json.loads(json.dumps(valid))
        doc["rollout"] = {"team": SCHOOL, "plan": {**full_plan().to_dict(), **changes}}
        return doc
    files = {
        "section-list.json": {**valid, "rollout": [1]},
        "plan-text.json": {**valid, "rollout": {"team": SCHOOL, "plan": "x"}},
        "milestone-no-title.json": with_plan(milestones=[{"title": " "}]),
        "bad-date.json": with_plan(milestones=[{"title": "x", "due": "soon"}]),
        "celebrated-text.json": with_plan(wins=[{"text": "x", "celebrated": "false"}]),
        "stamp-without-zone.json": with_plan(updated_at="2026-11-25T09:00:00"),
        "unknown-field.json": with_plan(colour="red"),
        "checkpoints-object.json": with_plan(measures=[{"name": "m", "checkpoints": {"a": 1}}]),
    }
    HOSTILE.mkdir(parents=True, exist_ok=True)
    for name, doc in files.items():
        (HOSTILE / name).write_text(exchange.dumps(doc), encoding="utf-8")


if __name__ == "__main__":
    write_hostile_files(json.loads(
        (Path(__file__).parents[2] / "data/hostile/prototypes/valid.json").read_text("utf-8")))
