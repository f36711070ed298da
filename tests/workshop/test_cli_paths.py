"""A path the system refuses (a name past the file system's 255 bytes, found by the attacker's
tryout of 1 December with an argv fuzz): every command says so in one line, exit 2 — before,
`--db`, `library search|build|serve`, `academy export --out` and `export --out` were each an
OSError traceback."""
from __future__ import annotations

import pytest

from workshop.app import main

LONG = "x" * 300


@pytest.mark.parametrize("args", [
    ["academies"],
    ["library", "search", "{long}", "stat"],
    ["library", "build", "--out", "{long}", "{long}.bundle"],
    ["library", "serve", "{long}"],
    ["academy", "export", "--academy", "Test Academy", "--out", "{long}"],
    ["export", "attendance", "--academy", "Test Academy", "--out", "{long}.csv"],
    ["export", "groups", "--academy", "Test Academy", "--out", "{long}.xlsx"],
], ids=lambda a: " ".join(a[:2]))
def test_a_path_too_long_for_the_system_is_one_line(args, tmp_path, capsys, config, ctx, academy):
    long = str(tmp_path / LONG)
    db = long if args == ["academies"] else str(config.db_path)
    code = main(["--db", db, *[a.replace("{long}", long) for a in args]])
    err = capsys.readouterr().err
    assert code == 2 and len(err.splitlines()) == 1 and err.startswith("error: "), err
    assert "too long" in err.lower()
