"""The import report: counted by outcome, one line per row in row order."""
from __future__ import annotations

from workshop.academy.roster.report import ImportReport


def test_report_counts_and_formats_every_row():
    report = ImportReport("x.csv")
    report.add(3, "merged", "B", "same email")
    report.add(2, "imported", "A", "new")
    report.add(4, "skipped", "", "no name in this row")
    assert (report.imported, report.merged, report.skipped) == (1, 1, 1)
    lines = report.format().splitlines()
    assert lines[0] == "x.csv: 1 imported, 1 merged, 1 skipped"
    assert [line.split(":")[0].strip() for line in lines[1:]] == ["row 2", "row 3", "row 4"]
