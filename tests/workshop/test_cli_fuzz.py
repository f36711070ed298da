"""Every command's arguments, hostile: Hypothesis builds command lines from the real commands,
their options and values a person (or a script's unset variable) could pass — empty, NaN,
infinite, huge, negative, paths too long or in no folder, bidi controls. Whatever it builds,
the command succeeds, or says in one line why not (exit 2), or argparse prints its usage; never
a traceback. (The attacker's tryout of 1 December: an argv fuzz of this kind found the
too-long paths of tests/workshop/test_cli_paths.py.) Commands that serve or open a window are
left out: they do not return."""
from __future__ import annotations

import contextlib
import io
import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import fuzz_settings
from workshop.app import main

pytestmark = pytest.mark.fuzz

# Each command with what it needs (VALUE: drawn from the hostile values, or left as written).
A = "--academy=Demo Design Academy"
COMMANDS = [["academies"], ["academy", "create", "VALUE"], ["academy", "export", A, "--out=VALUE"],
            ["academy", "delete", A], ["roster", "export", A, "--csv=VALUE"],
            ["roster", "import", "VALUE", A], ["rotation", "simulate", A, "--speed=0"],
            ["rotation", "status", A], ["rotation", "log", A],
            ["export", "reflections", A, "--out=VALUE"], ["export", "attendance", A, "--out=VALUE"],
            ["export", "groups", A, "--out=VALUE"], ["prototype", "list"],
            ["prototype", "export", "--id=VALUE", "--out=VALUE"], ["prototype", "measures", "--id=VALUE"],
            ["prototype", "point", "--measure=VALUE", "--value=VALUE"],
            ["library", "search", "VALUE", "VALUE"], ["library", "build", "--out=VALUE", "VALUE"],
            ["handout", "debrief", A, "--out=VALUE"], ["handout", "agenda", A, "--out=VALUE"],
            ["groups", "form", A], ["groups", "use", A, "--round=VALUE"], ["groups", "show", A]]
FLAGS = ["--yes", "--replace", "--keep-local", "--with-people", "--save"]
OPTIONS = ["--academy", "--out", "--id", "--minutes", "--speed", "--groups", "--round",
           "--strategy", "--transition", "--debrief", "--warning", "--csv", "--value", "--on",
           "--measure", "--as", "--indent", "--map", "--seed", "--cycle"]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A data file with the demo academy, copied for every example."""
    from tests.workshop.bundle.conftest import full_context
    path = tmp_path_factory.mktemp("cli") / "base.sqlite"
    ctx, _ = full_context(path)
    ctx.close()
    return path


def values(folder) -> st.SearchStrategy[str]:
    return st.sampled_from([
        "Demo Design Academy", "", " ", "nan", "inf", "-inf", "-1", "0", "1", "3",
        "99999999999999999999", "1e400", "x" * 300, "/dev/null", str(folder / "out.csv"),
        str(folder / "out.xlsx"), str(folder / "out.pdf"), str(folder / "o.json"),
        str(folder / "missing" / "deep" / "x.bundle"), str(folder / ("y" * 300) / "z"),
        "\u202eevil", "a=b", "=", "12,x", "2026-02-30", "1,2,3", "Zoë Adams", "teams", "-"])


@fuzz_settings(40)
@given(data=st.data())
def test_any_command_line_succeeds_or_says_why_in_one_line(base, tmp_path_factory, monkeypatch,
                                                            data):
    folder = tmp_path_factory.mktemp("run")
    monkeypatch.chdir(folder)   # a relative --out ("Demo Design Academy") lands there
    db = folder / "academy.sqlite"
    shutil.copyfile(base, db)
    hostile = values(folder)
    argv = ["--db", str(db)]
    for part in data.draw(st.sampled_from(COMMANDS)):
        if "VALUE" in part:
            part = part.replace("VALUE", data.draw(hostile))
        elif part.startswith("--academy=") and data.draw(st.booleans()):
            part = "--academy=" + data.draw(hostile)
        argv.append(part)
    for _ in range(data.draw(st.integers(0, 3))):
        option = data.draw(st.sampled_from(OPTIONS + FLAGS))
        argv.append(option if option in FLAGS else f"{option}={data.draw(hostile)}")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:     # argparse: its usage and one error line
            assert exc.code == 2 and "usage:" in err.getvalue(), err.getvalue()
            return
    assert code in (0, 1, 2), (argv, err.getvalue())
    if code == 2:
        lines = [line for line in err.getvalue().splitlines() if not line.startswith("warning:")]
        assert len(lines) == 1 and lines[0].startswith("error: "), (argv, err.getvalue())
