"""The rules of DESIGN.md §3 as one table, and the parser they read modules with.

A module is read once with ``ast`` into what the rules need: every import it makes (relative
ones resolved against its package; ``importlib.import_module("…")`` and ``__import__("…")``
calls with a literal name count as imports), its string constants (docstrings left out) and its
length. Each ``Rule`` answers "what is wrong with this module?"; rules about folders look at
the whole tree. Every rule carries a violating example that its self-test feeds it.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

PACKAGES = ("workshop", "stations", "prototypes", "assets")
FEATURES = ("stations", "prototypes")
MAX_LINES = 400
MAX_MODULES_PER_FOLDER = 12

# SQL as this tree writes it: upper-case keywords in their statement shapes. English UI text
# ("Delete the station?") never matches; a query in an f-string is read with its holes filled.
SQL = re.compile(
    r"\b(SELECT\s.+?\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+[\w\"\[]+\s+SET|DELETE\s+FROM"
    r"|CREATE\s+(TEMP\s+)?(TABLE|(UNIQUE\s+)?INDEX|VIEW|TRIGGER)|DROP\s+(TABLE|INDEX|VIEW)"
    r"|ALTER\s+TABLE|PRAGMA\s+\w+|BEGIN\s+IMMEDIATE)\b", re.S)


@dataclass(frozen=True)
class Import:
    """One import: the dotted name it reaches and the line it is on."""
    target: str
    line: int

    @property
    def root(self) -> str:
        return self.target.split(".")[0]

    def within(self, package: str) -> bool:
        return self.target == package or self.target.startswith(package + ".")


@dataclass
class Module:
    """What the rules read of one module: ``rel`` is its path from the checkout, posix style."""
    rel: str
    imports: list[Import]
    strings: list[tuple[str, int]]
    lines: int

    @property
    def dotted(self) -> str:
        parts = self.rel.removesuffix(".py").split("/")
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)

    @property
    def package(self) -> str:
        return self.dotted if self.rel.endswith("__init__.py") else self.dotted.rpartition(".")[0]

    @property
    def feature(self) -> str:
        return self.rel.split("/")[0]

    @property
    def in_ui(self) -> bool:
        return "/ui/" in f"/{self.rel}"


def _resolve(package: str, level: int, name: str | None) -> str:
    """The absolute name of ``from <level dots><name> import …`` inside ``package``."""
    if level == 0:
        return name or ""
    base = package.split(".") if package else []
    base = base[:len(base) - (level - 1)] if level > 1 else base
    return ".".join([*base, name] if name else base)


def _dynamic_import(node: ast.Call, package: str) -> str | None:
    """The module a literal ``importlib.import_module(…)`` or ``__import__(…)`` call loads."""
    func = node.func
    named = (isinstance(func, ast.Attribute) and func.attr == "import_module") or \
            (isinstance(func, ast.Name) and func.id in ("import_module", "__import__"))
    if not named or not node.args:
        return None
    first = node.args[0]
    if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
        return None
    name = first.value
    if name.startswith("."):
        level = len(name) - len(name.lstrip("."))
        return _resolve(package, level, name.lstrip(".") or None)
    return name


def _docstring_nodes(tree: ast.Module) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def parse(root: Path, rel: str) -> Module:
    """Read ``root/rel`` into a Module."""
    text = (root / rel).read_text(encoding="utf-8")
    tree = ast.parse(text, rel)
    module = Module(rel, [], [], len(text.splitlines()))
    package = module.package
    skip = _docstring_nodes(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            module.imports += [Import(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(package, node.level, node.module)
            module.imports.append(Import(base, node.lineno))
            # `from stations import rotation` may name a module: count base.name as reached too.
            module.imports += [Import(f"{base}.{alias.name}", node.lineno)
                               for alias in node.names if alias.name != "*"]
        elif isinstance(node, ast.Call):
            target = _dynamic_import(node, package)
            if target:
                module.imports.append(Import(target, node.lineno))
        elif isinstance(node, ast.JoinedStr):  # met before its parts: ast.walk goes top-down
            skip.update(id(part) for part in node.values)
            text = "".join(part.value if isinstance(part, ast.Constant) else "x"
                           for part in node.values)
            module.strings.append((text, node.lineno))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in skip:
                module.strings.append((node.value, node.lineno))
    return module


def tree_modules(root: Path) -> Iterator[Module]:
    """Every product module under ``root``."""
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            yield parse(root, path.relative_to(root).as_posix())


# -- where each library may be used -----------------------------------------------------------
def _ui_or_root(rel: str) -> bool:
    return "/ui/" in f"/{rel}" or rel == "workshop/app.py"


def _storage(rel: str) -> bool:
    return (rel.startswith("workshop/store/") or rel.endswith("/migrations.py")
            or any(part.startswith("repository") for part in rel.split("/")[1:]))


def _print(rel: str) -> bool:
    return rel.startswith("workshop/pdf/") or "/handouts/" in rel


def _transport(rel: str) -> bool:
    return rel.startswith(("workshop/net/", "stations/join/routes"))


def _files(rel: str) -> bool:
    return rel.startswith("workshop/pdf/") or "/exchange/" in rel


LIBRARY_HOMES: dict[str, Callable[[str], bool]] = {
    "PySide6": _ui_or_root, "shiboken6": _ui_or_root, "sqlite_utils": _storage,
    "sqlite3": _storage, "reportlab": _print, "aiohttp": _transport, "pypdf": _files,
}


# -- the rules --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    """One rule of the table: ``check`` lists the violations in one module (or, for a
    ``tree`` rule, in all of them); ``bad`` are scratch modules (path → source) it must catch,
    ``good`` ones it must let through."""
    name: str
    why: str
    check: Callable[[Module], Iterable[str]] | None = None
    check_tree: Callable[[list[Module]], Iterable[str]] | None = None
    bad: tuple[dict[str, str], ...] = ()
    good: tuple[dict[str, str], ...] = field(default=())

    def violations(self, modules: list[Module]) -> list[str]:
        if self.check_tree is not None:
            return sorted(self.check_tree(modules))
        assert self.check is not None
        return sorted(f"{m.rel}: {problem}" for m in modules for problem in self.check(m))


def layers(m: Module) -> Iterator[str]:
    for imp in m.imports:
        if imp.root not in FEATURES or imp.root == m.feature or m.rel == "workshop/app.py":
            continue
        if m.feature in FEATURES or m.feature == "workshop":
            yield f"line {imp.line} imports {imp.target} (stations → workshop ← prototypes)"


def library_homes(m: Module) -> Iterator[str]:
    for imp in m.imports:
        home = LIBRARY_HOMES.get(imp.root)
        if home is not None and not home(m.rel):
            yield f"line {imp.line} imports {imp.target} outside its layer"


def sql_strings(m: Module) -> Iterator[str]:
    if _storage(m.rel):
        return
    for text, line in m.strings:
        if SQL.search(text):
            yield f"line {line} has SQL: {text.strip()[:60]!r}"


def no_tests_import(m: Module) -> Iterator[str]:
    for imp in m.imports:
        if imp.root == "tests":
            yield f"line {imp.line} imports {imp.target} (product code never needs the tests)"


def _is_ui_package(target: str) -> bool:
    return "ui" in target.split(".")


def ui_stays_on_top(m: Module) -> Iterator[str]:
    if m.in_ui or m.rel == "workshop/app.py":
        return
    for imp in m.imports:
        if imp.root in (*FEATURES, "workshop") and _is_ui_package(imp.target):
            yield f"line {imp.line} imports {imp.target} (a core module never imports a ui/)"


def transport_knows_no_storage(m: Module) -> Iterator[str]:
    if not m.rel.startswith("workshop/net/"):
        return
    for imp in m.imports:
        parts = imp.target.split(".")
        if (imp.within("workshop.store") or imp.root in ("sqlite_utils", "sqlite3")
                or any(p in ("repository", "migrations") for p in parts)):
            yield f"line {imp.line} imports {imp.target} (the transport stores nothing)"


def module_size(m: Module) -> Iterator[str]:
    if m.lines > MAX_LINES:
        yield f"{m.lines} lines (at most {MAX_LINES}: one concept, one home)"


def folder_size(modules: list[Module]) -> Iterator[str]:
    folders: dict[str, int] = {}
    for m in modules:
        if not m.rel.endswith("__init__.py"):
            folder = m.rel.rpartition("/")[0]
            folders[folder] = folders.get(folder, 0) + 1
    for folder, count in folders.items():
        if count > MAX_MODULES_PER_FOLDER:
            yield f"{folder}/: {count} modules (at most {MAX_MODULES_PER_FOLDER})"


RULES: tuple[Rule, ...] = (
    Rule("layers", "stations → workshop ← prototypes; only workshop/app.py imports both",
         check=layers, bad=(
             {"stations/rotation/log.py": "from prototypes.model import Prototype\n"},
             {"prototypes/maps/model.py": "import stations.rotation.schedule\n"},
             {"workshop/academy/service.py": "from stations.setup.model import Station\n"},
             # the review's two: a relative import and importlib reaching the other feature
             {"stations/rotation/log.py": "from ...prototypes import model\n"},
             {"stations/grouping/engine.py":
              "import importlib\nm = importlib.import_module('prototypes.model')\n"},
             {"prototypes/service.py": "m = __import__('stations.cli')\n"},
         ), good=(
             {"workshop/app.py": "import stations.cli\nimport prototypes.cli\n"},
             {"stations/rotation/log.py": "from . import schedule\nfrom workshop.clock import Clock\n"},
         )),
    Rule("library-homes", "each third-party library stays in its layer (DESIGN.md §3)",
         check=library_homes, bad=(
             {"stations/setup/model.py": "from PySide6.QtCore import QObject\n"},
             {"stations/join/desk.py": "from aiohttp import web\n"},
             {"stations/join/service.py": "import aiohttp.web\n"},
             {"stations/rotation/service.py": "import sqlite_utils\n"},
             {"prototypes/maps/drawing.py": "from reportlab.lib import colors\n"},
             {"prototypes/service.py": "import pypdf\n"},
             {"stations/rotation/log.py":
              "import importlib\nqt = importlib.import_module('PySide6.QtWidgets')\n"},
         ), good=(
             {"stations/ui/rotation/page.py": "from PySide6.QtWidgets import QWidget\n"},
             {"stations/join/routes.py": "from aiohttp import web\n"},
             {"stations/join/routes_page.py": "from aiohttp import web\n"},
             {"workshop/academy/repository.py": "import sqlite_utils\n"},
             {"stations/migrations.py": "import sqlite_utils\n"},
             {"stations/repository/rotation.py": "import sqlite_utils\n"},
             {"prototypes/handouts/render.py": "from reportlab.lib import colors\n"},
             {"prototypes/exchange/pdf.py": "import pypdf\n"},
         )),
    Rule("sql-strings", "SQL only in repositories, migrations and workshop/store/",
         check=sql_strings, bad=(
             {"stations/join/desk.py": "Q = 'SELECT id FROM participant WHERE token = ?'\n"},
             {"workshop/academy/service.py": "def f(t):\n    return f'DELETE FROM {t} WHERE id = ?'\n"},
             {"stations/rotation/log.py": "DDL = '''\n    CREATE TABLE IF NOT EXISTS x (id)'''\n"},
         ), good=(
             {"stations/repository/join.py": "Q = 'SELECT id FROM participant'\n"},
             {"stations/ui/setup/page.py": "ASK = 'Delete the station? Select one first.'\n"},
             {"stations/rotation/log.py": '"""Reads SELECT x FROM y in its docstring."""\n'},
         )),
    Rule("no-tests-import", "no product module imports the tests", check=no_tests_import, bad=(
        {"workshop/clock.py": "from tests.fakes import FakeClock\n"},
        {"stations/rotation/log.py": "import importlib\nf = importlib.import_module('tests.fakes')\n"},
    )),
    Rule("ui-stays-on-top", "a core module never imports a ui/ (its feature's or the shell's)",
         check=ui_stays_on_top, bad=(
             {"stations/rotation/service.py": "from stations.ui.rotation.page import RotationPage\n"},
             {"stations/rotation/service.py": "from ..ui.rotation import page\n"},
             {"workshop/handouts/service.py": "from workshop.ui.widgets import show_error\n"},
             {"prototypes/service.py": "from prototypes import ui\n"},
         ), good=(
             {"stations/ui/rotation/page.py": "from workshop.ui.widgets import show_error\n"},
             {"workshop/app.py": "from workshop.ui.window import MainWindow\n"},
             {"stations/rotation/service.py": "from stations.rotation.guide import x\n"},
         )),
    Rule("transport-knows-no-storage", "workshop/net never imports the store, a repository or sqlite",
         check=transport_knows_no_storage, bad=(
             {"workshop/net/server.py": "from workshop.store import open_database\n"},
             {"workshop/net/writer.py": "from ..store.database import Database\n"},
             {"workshop/net/server.py": "import sqlite_utils\n"},
         ), good=(
             {"workshop/net/server.py": "from workshop.net.request import parse\n"},
         )),
    Rule("module-size", f"no module over {MAX_LINES} lines", check=module_size, bad=(
        {"stations/rotation/log.py": "x = 1\n" * (MAX_LINES + 1)},
    ), good=(
        {"stations/rotation/log.py": "x = 1\n" * MAX_LINES},
    )),
    Rule("folder-size", f"no folder over {MAX_MODULES_PER_FOLDER} modules", check_tree=folder_size, bad=(
        {f"stations/rotation/m{i}.py": "" for i in range(MAX_MODULES_PER_FOLDER + 1)},
    ), good=(
        {"stations/rotation/__init__.py": "",
         **{f"stations/rotation/m{i}.py": "" for i in range(MAX_MODULES_PER_FOLDER)}},
    )),
)
