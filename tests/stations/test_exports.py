"""``workshop export reflections|attendance|groups`` as CSV and .xlsx (issue 16 item 3)."""
from __future__ import annotations

import csv
import io

import pytest

from stations import exports
from tests.workshop.bundle.conftest import full_context
from workshop.handouts.tables import csv_text, xlsx_bytes


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    ctx, academy_id = full_context(tmp_path_factory.mktemp("exports") / "room.sqlite")
    yield ctx, academy_id
    ctx.close()


def test_reflections_keep_moderation_and_never_name_the_anonymous(ran):
    ctx, academy_id = ran
    header, rows = exports.reflections(ctx, academy_id)
    stored = ctx.join.reflections(academy_id, include_hidden=True)
    assert len(rows) == len(stored) > 0
    for row, r in zip(rows, stored):
        record = dict(zip(header, row))
        assert record["Reflection"] == r.text
        assert record["Moderation"] == ("hidden" if r.hidden else "shown")
        if r.anonymous:
            assert record["Author"] == "" and record["Anonymous"] == "yes"
    assert any(r.hidden for r in stored) and any(r.anonymous for r in stored)


def test_attendance_has_each_round_expected_and_seen(ran):
    ctx, academy_id = ran
    header, rows = exports.attendance(ctx, academy_id)
    rounds = len(ctx.rotation.plan(academy_id).rounds)
    assert header[:3] == ["Name", "School", "Group"] and len(header) == 3 + 2 * rounds
    assert len(rows) == len(ctx.academies.participants(academy_id))
    seen = sum(1 for row in rows for cell in row[4::2] if cell)
    assert seen == len({(c.participant_id, max(c.round, 1)) for c in ctx.join.checkins(academy_id)})
    assert any(row[3] == row[4] for row in rows)   # most people were where they were expected


def test_groups_per_round(ran):
    ctx, academy_id = ran
    header, rows = exports.groups(ctx, academy_id)
    assert header[:3] == ["Round", "Group", "Name"]
    assert len(rows) == 36 and {r[0] for r in rows} == {1}
    assert {r[1] for r in rows} == {g.name for g in ctx.grouping.saved_groups(academy_id)}


def test_typed_text_never_runs_as_a_formula():
    header, rows = ["Reflection"], [["=HYPERLINK(\"http://x\",\"click\")"], ["+1"], ["plain"]]
    read = list(csv.reader(io.StringIO(csv_text(header, rows))))
    assert [r[0] for r in read[1:]] == ["'=HYPERLINK(\"http://x\",\"click\")", "'+1", "plain"]
    import openpyxl
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(header, rows))).active
    cells = [ws.cell(row=i, column=1) for i in (2, 3, 4)]
    assert [c.value for c in cells] == [r[0] for r in rows]
    assert all(c.data_type == "s" for c in cells)


@pytest.mark.parametrize("table", exports.TABLES)
def test_the_cli_writes_csv_and_xlsx(run_cli, demo_academy, tmp_path, table):
    for suffix in (".csv", ".xlsx"):
        out = tmp_path / f"{table}{suffix}"
        code, stdout, err = run_cli("export", table, "--academy", demo_academy.title,
                                    "--out", str(out))
        assert code == 0 and stdout.startswith(f"Wrote {out}"), err
        assert out.stat().st_size > 0
    from workshop.academy.roster.sheet import read_sheet
    rows, _ = read_sheet((tmp_path / f"{table}.xlsx").read_bytes())
    assert rows[0][0] in ("Station", "Name", "Round")


def test_the_cli_refuses_another_format_in_one_line(run_cli, demo_academy, tmp_path):
    code, out, err = run_cli("export", "groups", "--academy", demo_academy.title,
                             "--out", str(tmp_path / "groups.pdf"))
    assert code == 2 and err.count("\n") == 1 and ".csv or .xlsx" in err
