"""The shell's own commands (academies, academy, roster) are parsed without building every
feature's parser (issue 20): for any command line, ``parser_for`` parses it exactly as the
whole parser does — the same arguments, or the same help, usage and error on the same stream
with the same exit code."""
from __future__ import annotations

import contextlib
import io
import sys

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
    ["group", "--help"], ["--db=x.sqlite", "roster"],
])
def test_a_command_line_parses_as_the_whole_parser_parses_it(argv):
    assert parsed(parser_for(argv), argv) == parsed(build_parser(), argv)


def test_the_shells_commands_leave_the_features_parsers_unbuilt(monkeypatch):
    for name in ("stations.cli", "prototypes.cli", "workshop.handouts.cli"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    parser = parser_for(["--db", "x.sqlite", "academies"])
    assert parsed(parser, ["--db", "x.sqlite", "academies"])["command"] == "academies"
    assert not {"stations.cli", "prototypes.cli", "workshop.handouts.cli"} & set(sys.modules)
    assert "serve" in parser_for(["serve"])._subparsers._group_actions[0].choices


@pytest.mark.fuzz
@fuzz_settings(60)
@given(st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=8)), max_size=6))
def test_any_command_line_parses_as_the_whole_parser_parses_it(argv):
    assert parsed(parser_for(argv), argv) == parsed(build_parser(), argv)
