"""The rule of issue 12 item 1, checked on the source: every write goes through ``write(db)``.

Read with ``ast``. (1) Nothing outside ``workshop/store/transactions.py`` opens or ends a
transaction itself: no ``.atomic()``, ``.begin()``, ``.commit()``, ``.rollback()``, no
``BEGIN``/``COMMIT`` executed. (2) In every product module but the migrations (they run inside
the runner's transaction), each write call — sqlite-utils' ``insert``/``upsert``/``update``/``delete``… on a table, ``executemany``, an
``execute`` of INSERT/UPDATE/DELETE/REPLACE — sits inside ``with write(…)``, or in a private
helper whose every call sits inside one. Each rule has a violating example it must catch.
"""
from __future__ import annotations

import ast
import re
import pytest

from tests.paths import ROOT

PACKAGES = ("workshop", "stations", "prototypes")
HELPER = "workshop/store/transactions.py"
TRANSACTION_METHODS = {"atomic", "begin", "commit", "rollback"}
TABLE_WRITES = {"insert", "insert_all", "upsert", "upsert_all", "update", "delete", "delete_where",
                "create", "drop", "add_column"}   # not ``transform``: a Qt item's too (migrations only)
WRITE_SQL = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.I)
CONTROL_SQL = re.compile(r"^\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b", re.I)


def product_modules() -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for pkg in PACKAGES
                  for p in (ROOT / pkg).rglob("*.py"))


def checked_for_writes(rel: str) -> bool:
    """Every product module but the migrations, which run inside the migration runner's write."""
    return not rel.endswith("/migrations.py")


def _sql_text(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return None


def _is_write(call: ast.Call) -> bool:
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr == "executemany":
        return True
    if func.attr == "execute" and call.args:
        text = _sql_text(call.args[0])
        return text is not None and bool(WRITE_SQL.match(text))
    # ``db["t"].insert(…)`` / ``db.table("t").update(…)``: a table's own writing methods
    on_table = isinstance(func.value, ast.Subscript) or (
        isinstance(func.value, ast.Call) and isinstance(func.value.func, ast.Attribute)
        and func.value.func.attr == "table")
    return on_table and func.attr in TABLE_WRITES


def _is_write_block(node: ast.AST) -> bool:
    return isinstance(node, ast.With) and any(
        isinstance(item.context_expr, ast.Call) and (
            (isinstance(item.context_expr.func, ast.Name) and item.context_expr.func.id == "write")
            or (isinstance(item.context_expr.func, ast.Attribute)
                and item.context_expr.func.attr in ("write", "transaction")))
        for item in node.items)


def transaction_problems(rel: str, source: str) -> list[str]:
    """Rule 1: transactions opened or ended by hand."""
    if rel == HELPER:
        return []
    out = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        if node.func.attr in TRANSACTION_METHODS and not node.args:
            out.append(f"{rel}:{node.lineno}: .{node.func.attr}() opens or ends a transaction by "
                       "hand; use workshop.store.transactions.write(db)")
        if node.func.attr in ("execute", "executescript") and node.args:
            text = _sql_text(node.args[0])
            if text is not None and CONTROL_SQL.match(text):
                out.append(f"{rel}:{node.lineno}: {text.split()[0]} executed by hand; use write(db)")
    return out


def unguarded_writes(rel: str, source: str) -> list[str]:
    """Rule 2: writes outside ``with write(…)`` (or a private helper only called inside one)."""
    tree = ast.parse(source)
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node

    def enclosing(node: ast.AST) -> tuple[bool, ast.AST | None]:
        """(inside a write block?, the function it is in)."""
        while node in parents:
            node = parents[node]
            if _is_write_block(node):
                return True, None
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return False, node
        return False, None

    calls_of: dict[str, list[ast.Call]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "self":
            calls_of.setdefault(node.func.attr, []).append(node)

    def guarded(node: ast.AST, seen: frozenset[str] = frozenset()) -> bool:
        inside, function = enclosing(node)
        if inside:
            return True
        if function is None or not function.name.startswith("_") or function.name in seen:
            return False
        callers = calls_of.get(function.name, [])
        return bool(callers) and all(guarded(c, seen | {function.name}) for c in callers)

    return [f"{rel}:{node.lineno}: a write outside `with write(db)`"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and _is_write(node) and not guarded(node)]


def test_no_module_opens_a_transaction_by_hand():
    problems = [p for rel in product_modules()
                for p in transaction_problems(rel, (ROOT / rel).read_text(encoding="utf-8"))]
    assert problems == []


def test_every_repository_write_is_inside_the_write_helper():
    modules = [rel for rel in product_modules() if checked_for_writes(rel)]
    assert any("repository" in rel for rel in modules)  # the rule reads the real tree
    problems = [p for rel in modules
                for p in unguarded_writes(rel, (ROOT / rel).read_text(encoding="utf-8"))]
    assert problems == []


# -- each rule catches what it is for ----------------------------------------------------------
@pytest.mark.parametrize("source", [
    "def f(db):\n    with db.atomic():\n        pass\n",
    "def f(db):\n    db.execute('BEGIN')\n",
    "def f(db):\n    db.conn.commit()\n",
    "def f(self):\n    self.db.execute('BEGIN IMMEDIATE')\n",
])
def test_the_transaction_rule_catches(source):
    assert transaction_problems("stations/repository/x.py", source)


@pytest.mark.parametrize("source", [
    "def f(self):\n    self.db['t'].insert({'a': 1})\n",
    "def f(self):\n    self.db.execute('UPDATE t SET a = 1')\n",
    "def f(self):\n    self.db.execute(f'DELETE FROM t WHERE id IN ({x})')\n",
    "def f(self):\n    self.db.conn.executemany('INSERT INTO t VALUES (?)', rows)\n",
    "def f(self):\n    self.db.table('t').upsert({'a': 1}, pk='a')\n",
    # a private helper is fine only when every call of it is inside a write block
    "def _h(self):\n    self.db['t'].delete(1)\n"
    "def f(self):\n    with write(self.db):\n        self._h()\n"
    "def g(self):\n    self._h()\n",
    "def _h(self):\n    self.db['t'].delete(1)\n",   # never called: still not allowed
])
def test_the_write_rule_catches(source):
    assert unguarded_writes("stations/repository/x.py", source)


@pytest.mark.parametrize("source", [
    "def f(self):\n    with write(self.db):\n        self.db['t'].insert({'a': 1})\n",
    "def _h(self):\n    self.db.execute('DELETE FROM t')\n"
    "def f(self):\n    with write(self.db):\n        self._h()\n",
    "def f(self):\n    return self.db.execute('SELECT 1 FROM t').fetchone()\n",
    "def f(self):\n    with self.transaction():\n        self.db.execute('INSERT INTO t VALUES (1)')\n",
])
def test_the_write_rule_allows(source):
    assert unguarded_writes("stations/repository/x.py", source) == []

