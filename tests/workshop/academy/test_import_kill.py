"""Killing the process in the middle of an import leaves the database as it was before.

Deterministic: the child process imports through the real service and, once it has written
1,000 rows inside the transaction, says so on stdout and blocks; the parent kills it (SIGKILL,
no clean-up) only after reading that line. No sleeps.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests import paths
from workshop.app import build_context
from workshop.academy.roster.plan import read_roster

ROOT = paths.ROOT
ROWS = 3000

CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from workshop.app import build_context
    from workshop.config import AppConfig
    from workshop.academy.roster.plan import read_roster

    db_path, roster_path = sys.argv[1:3]
    ctx = build_context(AppConfig(db_path=Path(db_path)))
    academy = ctx.academies.find("Big Academy")
    plan = read_roster(Path(roster_path).read_bytes(), source=roster_path)

    def progress(done, total):
        if done == 1000:
            print("WRITING", done, total, flush=True)
            sys.stdin.readline()  # never answered: we wait here to be killed

    ctx.academies.import_roster(academy.id, plan, progress=progress)
    print("FINISHED", flush=True)
""")


@pytest.mark.slow
def test_killed_mid_import_leaves_the_database_as_before(config, tmp_path):
    ctx = build_context(config)
    academy = ctx.academies.create("Big Academy")
    ctx.academies.import_roster(academy.id, read_roster(
        "Name,School,Email\nZoë Brennan-O'Neil,Maplewood,zoe@x.org\nОльга Петрова,Riverside,\n"
        .encode()))
    before = [(p.id, p.name, p.school, p.email) for p in ctx.academies.participants(academy.id)]
    ctx.close()
    big = tmp_path / "big.csv"
    big.write_text("Name,School,Email\n" + "".join(
        f"Person {i},School {i % 12},p{i}@school.example.org\n" for i in range(ROWS)),
        encoding="utf-8")

    child = subprocess.Popen([sys.executable, "-c", CHILD, str(config.db_path), str(big)],
                             cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()
        assert line.startswith("WRITING 1000"), (line, child.stderr.read() if not line else "")
        # While the child holds its open transaction, others still see the old roster.
        peek = build_context(config)
        assert len(peek.academies.participants(academy.id)) == len(before)
        peek.close()
        child.kill()
    finally:
        child.kill()
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
        child.stdin.close()
    assert child.returncode != 0

    after = build_context(config)
    try:
        assert after.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert [(p.id, p.name, p.school, p.email)
                for p in after.academies.participants(academy.id)] == before
        # And the same import, run to the end, works on the recovered file.
        report = after.academies.import_roster(academy.id, read_roster(big.read_bytes()))
        assert report.imported == ROWS
    finally:
        after.close()
