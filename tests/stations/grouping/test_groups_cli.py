"""`workshop groups form|show`: an academy's groups formed and saved headless (the app then
shows them), printed as JSON; bad arguments are one line on stderr, exit 2, nothing saved
(issue 15, item 5)."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, strategies as st

from tests.fuzzing import fuzz_settings

ROLES = ("Teacher", "teacher", "Principal", "Instructional coach")


@pytest.fixture
def academy(run_cli, tmp_path):
    rows = ["name,school,role,readiness"] + [
        f"Person {i:02d},School {i % 4},{ROLES[i % 4]},{('exploring', 'planning', 'implementing')[i % 3]}"
        for i in range(20)]
    path = tmp_path / "roster.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert run_cli("academy", "create", "Spring Academy")[0] == 0
    assert run_cli("roster", "import", str(path), "--academy", "Spring Academy")[0] == 0
    return "Spring Academy"


def show(run_cli, title="Spring Academy") -> dict:
    code, out, err = run_cli("groups", "show", "--academy", title)
    assert code == 0, err
    return json.loads(out)


def test_form_saves_what_show_prints_and_the_app_reads(run_cli, academy, config, clock):
    code, out, err = run_cli("groups", "form", "--academy", "spring academy", "--groups", "4",
                             "--rounds", "2", "--keep-together", "Person 00,person 01",
                             "--keep-apart", "Person 02,Person 03", "--absent", "Person 19",
                             "--no-lone", "school", "--time-limit", "1")
    assert code == 0, err
    assert out.startswith("Saved 4 groups × 2 rounds for “Spring Academy”: 19 people in 4 groups")
    assert "✓ Keep together: Person 00, Person 01" in out and "✓ Keep apart: Person 02 and Person 03" in out
    assert "✓ Absent: Person 19 — left out of every group" in out
    saved = show(run_cli)
    assert saved["strategy"] == "balanced" and len(saved["rounds"]) == 2
    for rnd in saved["rounds"]:
        where = {m["name"]: k for k, g in enumerate(rnd) for m in g["members"]}
        assert len(where) == 19 and "Person 19" not in where
        assert where["Person 00"] == where["Person 01"] and where["Person 02"] != where["Person 03"]
    member = saved["rounds"][0][0]["members"][0]
    assert set(member) == {"id", "name", "school", "role", "role_category", "readiness"}
    assert {m["role_category"] for g in saved["rounds"][0] for m in g["members"]} == {
        "teacher", "school_leader", "coach"}
    # the window's service sees the same grouping, rules and all
    from workshop.app import build_context
    ctx = build_context(config, clock=clock)
    try:
        a = ctx.academies.find("Spring Academy")
        draft = ctx.grouping.draft(a.id)
        assert len(draft.rounds) == 2 and draft.rules.no_lone == "school" and len(draft.rules.absent) == 1
        assert [len(g.member_ids) for g in ctx.grouping.saved_groups(a.id, round=2)] == [5, 5, 5, 4]
    finally:
        ctx.close()


@pytest.mark.parametrize("args, message", [
    (["--keep-apart", "Person 00"], "--keep-apart takes 2 different people"),
    (["--keep-apart", "Person 00,Person 00"], "--keep-apart takes 2 different people"),
    (["--keep-together", "Person 00,Nobody"], "nobody called “Nobody”"),
    (["--absent", "Ghost"], "nobody called “Ghost”"),
    (["--groups", "0"], "at least 1"),
    (["--groups", "99"], "need at least"),
    (["--rounds", "0"], "Rounds must be"),
    (["--time-limit", "nan"], "--time-limit"),
    (["--not-arrived"], "no phone has checked in"),
    (["--keep-together", "Person 00,Person 01", "--keep-apart", "Person 00,Person 01"], "kept apart and also kept together"),
])
def test_bad_arguments_are_one_line_and_save_nothing(run_cli, academy, args, message):
    code, out, err = run_cli("groups", "form", "--academy", academy, *args)
    assert code == 2 and message in err and err.count("\n") == 1 and "Traceback" not in err
    code, _out, err = run_cli("groups", "show", "--academy", academy)
    assert code == 2 and "no saved groups yet" in err


def test_an_unknown_academy_is_named(run_cli, academy):
    code, _out, err = run_cli("groups", "show", "--academy", "Nope")
    assert code == 2 and "No academy is called “Nope”" in err


@pytest.mark.fuzz
@fuzz_settings(15)
@given(st.lists(st.sampled_from(["--keep-together", "--keep-apart", "--absent"]), max_size=3),
       st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=20), min_size=3, max_size=3))
def test_any_names_are_refused_in_one_line_or_grouped(run_cli, academy, flags, texts):
    args = [a for flag, text in zip(flags, texts) for a in (flag, text) if not text.startswith("-")]
    code, _out, err = run_cli("groups", "form", "--academy", academy, "--time-limit", "1", *args)
    assert code in (0, 2) and "Traceback" not in err
    assert code == 0 or err.count("\n") == 1
