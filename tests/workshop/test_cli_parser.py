"""The shell's own commands (academies, academy, roster) are parsed without building every
feature's parser (issue 20): for any command line, ``parser_for`` parses it exactly as the
whole parser does — the same arguments, or the same help, usage and error on the same stream
with the same exit code."""
from __future__ import annotations

import contextlib
import io

import pytest
from hypothesis import given, strategies as st

from tests.fuzzing import fuzz_settings
from workshop.app import build_parser
from workshop.commands import parser_for as choose


def parser_for(argv):
    return choose(argv, build_parser)

TOKENS = ["academies", "academy", "create", "export", "import", "delete", "roster", "group",
          "groups", "rotation", "serve", "prototype", "list", "handout", "pack", "library",
          "--db", "--db=x.sqlite", "--demo", "--d", "--version", "-h", "--help", "--academy",
          "--csv", "--place", "--map", "name=first_name", "Spring", "-", "x.sqlite", "--", "-x",
          "--bogus", "", "é"]


def parsed(parser, argv: list[str]):
    """What parsing ``argv`` gives: the arguments, or (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            return vars(parser.parse_args(argv))
        except SystemExit as exit:
            return exit.code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("argv", [
    ["academies"], ["--db", "x.sqlite", "academies"], ["academies", "--bogus"], ["academie"],
    ["-h", "academies"], ["academies", "-h"], ["academy", "create", "Spring", "--place", "Hall"],
    ["roster", "export", "--academy", "Spring", "--csv"], ["--db"], [], ["--help"],
    ["group", "--help"], ["--db=x.sqlite", "roster"], ["--demo"], ["--bogus"], ["--version"],
    ["--db", "x.sqlite", "--demo", "--bogus"], ["-x"], ["--", "academies"],
    ["academies", "--"], ["--db", "--", "academies"],
])
def test_a_command_line_parses_as_the_whole_parser_parses_it(argv):
    assert parsed(parser_for(argv), argv) == parsed(build_parser(), argv)


def test_the_window_and_the_shells_commands_leave_the_features_parsers_unbuilt(monkeypatch):
    import prototypes.cli
    import stations.cli
    import workshop.handouts.cli
    built: list[str] = []
    for module in (stations.cli, prototypes.cli, workshop.handouts.cli):
        real = module.register
        monkeypatch.setattr(module, "register", lambda sub, *a, real=real, name=module.__name__,
                            **k: built.append(name) or real(sub, *a, **k))
    for argv in (["--db", "x.sqlite", "academies"], ["roster", "export", "--academy", "A",
                                                      "--csv"], ["--db", "x.sqlite", "--demo"]):
        assert isinstance(parsed(parser_for(argv), argv), dict)   # parsed, no exit
        assert built == [], argv
    parser_for(["serve"])   # a feature's command: the whole parser
    assert built == ["stations.cli", "prototypes.cli", "workshop.handouts.cli"]


@pytest.mark.fuzz
@fuzz_settings(60)
@given(st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=8)), max_size=6))
def test_any_command_line_parses_as_the_whole_parser_parses_it(argv):
    assert parsed(parser_for(argv), argv) == parsed(build_parser(), argv)
