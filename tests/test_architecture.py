"""The layering rules of DESIGN.md, checked by parsing every module with ``ast``."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("workshop", "stations", "prototypes", "assets")


def modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), path


def imported_roots(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {n.split(".")[0] for n in names}


def allowed(rel: str, library: str) -> bool:
    if library == "PySide6":
        return "/ui/" in rel or rel == "workshop/app.py"
    if library == "sqlite_utils":
        return (rel.startswith("workshop/store/") or rel.endswith("/repository.py")
                or "/repository/" in rel or rel.endswith("/migrations.py"))
    if library == "reportlab":
        return rel.startswith("workshop/pdf/") or rel in ("stations/handouts/render.py", "prototypes/handouts/render.py")
    return True


@pytest.mark.parametrize("library", ["PySide6", "sqlite_utils", "reportlab"])
def test_library_stays_in_its_layer(library):
    offenders = [rel for rel, path in modules()
                 if library in imported_roots(path) and not allowed(rel, library)]
    assert offenders == [], f"{library} imported outside its layer: {offenders}"


def test_features_never_import_each_other():
    offenders = []
    for rel, path in modules():
        roots = imported_roots(path)
        if rel.startswith("stations/") and "prototypes" in roots:
            offenders.append(rel)
        if rel.startswith("prototypes/") and "stations" in roots:
            offenders.append(rel)
        if rel.startswith("workshop/") and rel != "workshop/app.py" and roots & {"stations", "prototypes"}:
            offenders.append(rel)
    assert offenders == [], f"imports against the stations → workshop ← prototypes rule: {offenders}"


def test_no_module_is_huge():
    long = [(rel, n) for rel, path in modules()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 650]
    assert long == [], f"split these modules (one concept, one home): {long}"


def test_architecture_test_sees_a_violation(tmp_path):
    """The checker itself works: a Qt import in a non-UI module is caught."""
    bad = tmp_path / "model.py"
    bad.write_text("from PySide6.QtCore import QObject\n")
    assert "PySide6" in imported_roots(bad)
    assert not allowed("stations/setup/model.py", "PySide6")
