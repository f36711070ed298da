"""Issue 13 item 16: counts agree with their nouns ("1 school", "2 schools") everywhere.

``workshop.text.plural`` is the one home; a guard reads every product f-string and fails on a
count written straight before a plural noun ("{n} schools"), which says "1 schools" when n is 1.
Bounds that are constants (``{MAX_STATIONS} stations``) are never 1 and are let through."""
from __future__ import annotations

import ast
import re

import pytest

from tests.paths import ROOT
from workshop.text import plural

NOUNS = ("schools", "minutes", "people", "groups", "stations", "participants", "handouts",
         "initiatives", "rounds", "roles", "prototypes", "iterations", "members", "links",
         "files", "teams", "check-ins", "objections", "cycles", "seconds", "risks")
COUNT_THEN_NOUN = re.compile(rf"^ ({'|'.join(map(re.escape, NOUNS))})\b")
PACKAGES = ("workshop", "stations", "prototypes")


@pytest.mark.parametrize("count, args, expected", [
    (0, ("school",), "0 schools"), (1, ("school",), "1 school"), (2, ("school",), "2 schools"),
    (1, ("minute",), "1 minute"), (90, ("minute",), "90 minutes"),
    (1, ("person", "people"), "1 person"), (3, ("person", "people"), "3 people"),
    (1.0, ("minute",), "1 minute"), (1.5, ("minute",), "1.5 minutes"), (120, ("minute",), "120 minutes"),
])
def test_plural(count, args, expected):
    assert plural(count, *args) == expected


def _is_constant(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id.isupper() or isinstance(node, ast.Constant)


def count_before_plural(tree: ast.AST):
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        for part, after in zip(node.values, node.values[1:]):
            if (isinstance(part, ast.FormattedValue) and not _is_constant(part.value)
                    and isinstance(after, ast.Constant) and isinstance(after.value, str)
                    and COUNT_THEN_NOUN.match(after.value)):
                yield node.lineno, f"{{{ast.unparse(part.value)}}}{after.value[:20]}"


def test_no_count_is_written_straight_before_a_plural_noun():
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [f"{path.relative_to(ROOT)}:{line}: {text}"
                      for line, text in count_before_plural(tree)]
    assert not found, "say it with workshop.text.plural:\n" + "\n".join(found)


def test_the_guard_sees_a_bad_count_and_lets_a_constant_through():
    bad = ast.parse('n = 1\nf"{n} schools"\nf"{len(x)} people here"')
    assert [text for _, text in count_before_plural(bad)] == ["{n} schools", "{len(x)} people here"]
    assert not list(count_before_plural(ast.parse('f"at most {MAX_STATIONS} stations"')))
