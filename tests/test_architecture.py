"""The layering rules of DESIGN.md §3, from one table (tests/architecture/rules.py): each rule
runs on the tree, and each proves first that it catches what it forbids."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.architecture.rules import RULES, Rule, parse, tree_modules
from tests.paths import ROOT


def scratch_modules(root: Path, files: dict[str, str]):
    for rel, source in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return [parse(root, rel) for rel in files]


@pytest.fixture(scope="module")
def tree():
    return list(tree_modules(ROOT))


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_the_tree_keeps_the_rule(rule: Rule, tree):
    assert rule.violations(tree) == [], f"{rule.name}: {rule.why}"


CASES = [(rule, i, files) for rule in RULES for i, files in enumerate(rule.bad)]


@pytest.mark.parametrize(("rule", "i", "files"), CASES, ids=[f"{r.name}-{i}" for r, i, _ in CASES])
def test_the_rule_catches_a_violation(rule: Rule, i, files, tmp_path):
    violations = rule.violations(scratch_modules(tmp_path, files))
    assert violations, f"{rule.name} let this through: {files}"


GOOD = [(rule, i, files) for rule in RULES for i, files in enumerate(rule.good)]


@pytest.mark.parametrize(("rule", "i", "files"), GOOD, ids=[f"{r.name}-{i}" for r, i, _ in GOOD])
def test_the_rule_lets_the_allowed_through(rule: Rule, i, files, tmp_path):
    assert rule.violations(scratch_modules(tmp_path, files)) == []


def test_every_rule_has_a_self_test():
    assert all(rule.bad for rule in RULES)
    assert len({rule.name for rule in RULES}) == len(RULES)


@pytest.mark.parametrize(("rel", "source", "expected"), [
    ("stations/rotation/log.py", "from . import schedule\n", "stations.rotation.schedule"),
    ("stations/rotation/log.py", "from ..join.desk import JoinDesk\n", "stations.join.desk"),
    ("stations/rotation/__init__.py", "from .log import RotationLog\n", "stations.rotation.log"),
    ("stations/rotation/log.py", "import importlib\nimportlib.import_module('.schedule', __package__)\n",
     "stations.rotation.schedule"),
    ("stations/rotation/log.py", "from importlib import import_module\nimport_module('workshop.clock')\n",
     "workshop.clock"),
])
def test_relative_and_dynamic_imports_are_resolved(rel, source, expected, tmp_path):
    (module,) = scratch_modules(tmp_path, {rel: source})
    assert expected in [imp.target for imp in module.imports]
