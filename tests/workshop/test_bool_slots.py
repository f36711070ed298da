"""Issue 13 item 1, the whole class of it: ``clicked(bool)``, ``triggered(bool)`` and
``toggled(bool)`` hand their bool to the slot, so a slot whose first parameter is optional
(``write_pack(directory=None)``) receives False. Connect such slots through a lambda."""
from __future__ import annotations

import ast

from tests.paths import ROOT

PACKAGES = ("workshop", "stations", "prototypes")
BOOL_SIGNALS = {"clicked", "triggered", "toggled"}


def _optional_first(method: ast.FunctionDef) -> bool:
    params = method.args.args[1:]   # after self
    return bool(params) and len(method.args.defaults) == len(params) \
        and params[0].arg not in ("checked", "_checked", "on", "_on")


def bool_filled_slots(tree: ast.AST):
    """(line, slot) of ``self.method`` given to a bool signal where method's first parameter
    is optional and not meant for the bool."""
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        methods = {f.name: f for f in cls.body if isinstance(f, ast.FunctionDef)}
        for node in ast.walk(cls):
            target = None
            if isinstance(node, ast.keyword) and node.arg in BOOL_SIGNALS:
                target = node.value
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr == "connect" and node.args
                  and isinstance(node.func.value, ast.Attribute)
                  and node.func.value.attr in BOOL_SIGNALS):
                target = node.args[0]
            if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                    and target.value.id == "self" and target.attr in methods
                    and _optional_first(methods[target.attr])):
                yield target.lineno, target.attr


def test_no_bool_signal_fills_an_optional_parameter():
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [f"{path.relative_to(ROOT)}:{line}: self.{name}"
                      for line, name in bool_filled_slots(tree)]
    assert not found, "connect through a lambda that drops the bool:\n" + "\n".join(found)


def test_the_guard_finds_the_pack_bug_and_passes_its_fix():
    bug = ast.parse(
        "class Page:\n"
        "    def __init__(self):\n"
        "        a = QAction('Pack', self, triggered=self.write_pack)\n"
        "        b.clicked.connect(self.write_pack)\n"
        "        c.clicked.connect(self.refresh)\n"
        "        d.toggled.connect(self.show_it)\n"
        "    def write_pack(self, directory=None): ...\n"
        "    def refresh(self): ...\n"
        "    def show_it(self, on=False): ...\n")
    assert sorted(bool_filled_slots(bug)) == [(3, "write_pack"), (4, "write_pack")]
    fixed = ast.parse(
        "class Page:\n"
        "    def __init__(self):\n"
        "        a = QAction('Pack', self, triggered=lambda _checked=False: self.write_pack())\n"
        "    def write_pack(self, directory=None): ...\n")
    assert list(bool_filled_slots(fixed)) == []
