"""A roster "file" that never ends (the attacker's tryout of 1 December: `roster import
/dev/zero` grew the process to 8 GB in ten seconds; a pipe or a device picked in the window
would do the same): it is read up to the limit, then refused in one line, nothing stored."""
from __future__ import annotations

import io
import sys

import workshop.academy.roster.plan as plan


def test_the_cli_refuses_a_file_that_never_ends(run_cli, ctx, academy, monkeypatch):
    monkeypatch.setattr(plan, "MAX_ROSTER_BYTES", 4096)
    code, out, err = run_cli("roster", "import", "/dev/zero", "--academy", academy.title)
    assert code == 2 and len(err.splitlines()) == 1 and "at most" in err, err
    assert ctx.academies.participants(academy.id) == []


def test_stdin_past_the_limit_is_refused(run_cli, ctx, academy, monkeypatch):
    monkeypatch.setattr(plan, "MAX_ROSTER_BYTES", 64)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Name\n" + b"Ann Lee\n" * 50)))
    code, out, err = run_cli("roster", "import", "-", "--academy", academy.title)
    assert code == 2 and "at most" in err
    assert ctx.academies.participants(academy.id) == []


def test_a_roster_at_the_limit_still_imports(run_cli, ctx, academy, tmp_path, monkeypatch):
    path = tmp_path / "roster.csv"
    path.write_bytes(b"Name\nAnn Lee\nBo Chen\n")
    monkeypatch.setattr(plan, "MAX_ROSTER_BYTES", path.stat().st_size)
    code, out, err = run_cli("roster", "import", str(path), "--academy", academy.title)
    assert code == 0, err
    assert sorted(p.name for p in ctx.academies.participants(academy.id)) == ["Ann Lee", "Bo Chen"]


def test_the_window_refuses_it_on_the_page(qtbot, make_window, ctx, academy, monkeypatch):
    monkeypatch.setattr(plan, "MAX_ROSTER_BYTES", 4096)
    window = make_window("roster")
    window.open_academy(academy.id)
    page = window.page("roster")
    assert page.import_file("/dev/zero") is None
    assert "at most" in page.error.text() and page.import_dialog is None
