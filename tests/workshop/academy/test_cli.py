"""The headless commands: thin layers over the services, with meaningful exit codes."""
from __future__ import annotations

import csv
import io
from pathlib import Path

DATA = Path(__file__).parent / "data"


def test_academies_create_and_list(run_cli):
    assert run_cli("academies") == (0, "", "")
    code, out, _ = run_cli("academy", "create", "Spring Design Academy", "--place", "Gym")
    assert code == 0 and "Spring Design Academy" in out
    code, out, _ = run_cli("academies")
    assert code == 0 and "Spring Design Academy\t0 participants" in out
    code, _, err = run_cli("academy", "create", "spring design academy")
    assert code == 2 and "already exists" in err


def test_roster_import_prints_the_report_and_merges_on_reimport(run_cli):
    run_cli("academy", "create", "Spring")
    code, out, err = run_cli("roster", "import", str(DATA / "google_forms.csv"), "--academy", "spring")
    assert code == 0, err
    assert "4 imported, 0 merged, 1 skipped" in out
    assert "row 5: skipped — no name in this row" in out
    assert "name ← “Full name”" in out
    code, out, _ = run_cli("roster", "import", str(DATA / "google_forms.csv"), "--academy", "Spring")
    assert code == 0 and "0 imported, 4 merged, 1 skipped" in out
    _, out, _ = run_cli("academies")
    assert "Spring\t4 participants" in out


def test_roster_export_writes_neutralised_csv(run_cli):
    run_cli("academy", "create", "Spring")
    run_cli("roster", "import", str(DATA / "google_forms.csv"), "--academy", "Spring")
    code, out, _ = run_cli("roster", "export", "--academy", "Spring", "--csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 4
    assert "'=HYPERLINK(\"http://evil.example\",\"click me\")" in {r["name"] for r in rows}
    assert "Ελένη Παπαδοπούλου" in {r["name"] for r in rows}


def test_roster_errors_exit_2_with_a_message(run_cli, tmp_path):
    run_cli("academy", "create", "Spring")
    code, _, err = run_cli("roster", "import", str(tmp_path / "missing.csv"), "--academy", "Spring")
    assert code == 2 and "cannot read" in err and "missing.csv" in err
    code, _, err = run_cli("roster", "import", str(DATA / "google_forms.csv"), "--academy", "Autumn")
    assert code == 2 and "No academy is called “Autumn”" in err
    code, _, err = run_cli("roster", "import", str(DATA / "not_a_roster.xlsx"), "--academy", "Spring")
    assert code == 2 and "Excel workbook" in err
    code, _, err = run_cli("roster", "export", "--academy", "Autumn", "--csv")
    assert code == 2 and "No academy" in err


def test_roster_import_reads_standard_input(run_cli, monkeypatch):
    import sys
    run_cli("academy", "create", "Spring")
    data = (DATA / "excel_windows.csv").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run_cli("roster", "import", "-", "--academy", "Spring")
    assert code == 0 and "4 imported" in out and "Windows-1252" in out
