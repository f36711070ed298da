"""`workshop prototype list / export / import`: exit codes and messages a facilitator reads."""
from __future__ import annotations

import json

import pytest


@pytest.fixture
def made(ctx, academy):
    p = ctx.prototypes.create(academy.id, "Flex Fridays", team="Hill Middle", owner="Ana")
    ctx.prototypes.start_iteration(p.id)
    return p


def test_list_shows_prototypes_of_one_academy_or_all(run_cli, made, ctx):
    other = ctx.academies.create("Winter Academy")
    ctx.prototypes.create(other.id, "Playlist pilot")
    code, out, _ = run_cli("prototype", "list", "--academy", "Test Academy")
    assert code == 0
    assert out.splitlines() == [f"{made.id}\tFlex Fridays\tHill Middle\tDraft\t1 iteration"]
    code, out, _ = run_cli("prototype", "list")
    assert "Playlist pilot" in out and "Winter Academy" in out
    code, out, err = run_cli("prototype", "list", "--search", "playl")
    assert "Playlist pilot" in out and "Flex" not in out


def test_list_with_an_unknown_academy_names_the_known_ones(run_cli, made):
    code, _, err = run_cli("prototype", "list", "--academy", "Nope")
    assert code == 2 and "No academy is called “Nope”" in err and "Test Academy" in err


def test_export_then_import_elsewhere_round_trips(run_cli, made, tmp_path, capsys):
    out = tmp_path / "flex.json"
    code, stdout, _ = run_cli("prototype", "export", "--id", str(made.id), "--out", str(out))
    assert code == 0 and "Wrote prototype" in stdout
    from workshop.app import main
    other = tmp_path / "other.sqlite"
    assert main(["--db", str(other), "prototype", "import", str(out),
                 "--academy", "Test Academy"]) == 2       # no such academy there yet
    assert "No academy is called" in capsys.readouterr().err
    assert main(["--db", str(other), "prototype", "import", str(out)]) == 0
    assert "Imported “Flex Fridays” (Test Academy)" in capsys.readouterr().out
    again = tmp_path / "again.json"
    assert main(["--db", str(other), "prototype", "export", "--id", "1", "--out", str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()
    assert main(["--db", str(other), "prototype", "import", str(out)]) == 0
    assert "Already up to date" in capsys.readouterr().out


def test_conflict_exits_3_and_changes_nothing_until_told(run_cli, made, ctx, clock, tmp_path):
    out = tmp_path / "flex.json"
    run_cli("prototype", "export", "--id", str(made.id), "--out", str(out))
    clock.advance(60)
    ctx.prototypes.update(made.id, why="Edited after export")
    code, _, err = run_cli("prototype", "import", str(out))
    assert code == 3 and "--replace" in err and "--keep-local" in err
    assert ctx.prototypes.get(made.id).why == "Edited after export"
    code, out_text, _ = run_cli("prototype", "import", str(out), "--keep-local")
    assert code == 0 and "Kept the copy here" in out_text
    code, out_text, _ = run_cli("prototype", "import", str(out), "--replace")
    assert code == 0 and "Updated" in out_text
    assert ctx.prototypes.get(made.id).why == ""


@pytest.mark.parametrize("content, message", [
    ("{", "not valid JSON"),
    ('{"format": "design-academy-map", "version": 1}', "not a Design Academy Studio prototype"),
    ("[]", "JSON list"),
])
def test_malformed_file_exits_1_naming_the_problem(run_cli, tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    code, _, err = run_cli("prototype", "import", str(bad))
    assert code == 2 and message in err and "Nothing was imported" in err


def test_missing_file_and_unknown_id(run_cli, tmp_path):
    code, _, err = run_cli("prototype", "import", str(tmp_path / "nope.json"))
    assert code == 2 and "There is no file" in err
    code, _, err = run_cli("prototype", "export", "--id", "99", "--out", str(tmp_path / "x.json"))
    assert code == 2 and "no prototype number 99" in err
    assert not (tmp_path / "x.json").exists()


def test_export_to_stdout_is_the_json(run_cli, made):
    code, out, _ = run_cli("prototype", "export", "--id", str(made.id), "--out", "-")
    assert code == 0 and json.loads(out)["prototype"]["title"] == "Flex Fridays"
