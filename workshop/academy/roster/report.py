"""What an import did, row by row: imported, merged into someone already there, or skipped."""
from __future__ import annotations

from dataclasses import dataclass, field

OUTCOMES = ("imported", "merged", "skipped")


@dataclass(frozen=True)
class ReportLine:
    """One row's outcome, who it was and why."""
    row: int
    outcome: str   # one of OUTCOMES
    name: str
    reason: str


@dataclass
class ImportReport:
    """The answer to an import: one line per row, counted by outcome."""
    source: str = ""
    lines: list[ReportLine] = field(default_factory=list)

    def add(self, row: int, outcome: str, name: str, reason: str) -> None:
        """Record what happened to one row."""
        assert outcome in OUTCOMES
        self.lines.append(ReportLine(row, outcome, name, reason))

    def count(self, outcome: str) -> int:
        """How many rows had this outcome."""
        return sum(1 for line in self.lines if line.outcome == outcome)

    @property
    def imported(self) -> int:
        return self.count("imported")

    @property
    def merged(self) -> int:
        return self.count("merged")

    @property
    def skipped(self) -> int:
        return self.count("skipped")

    def summary(self) -> str:
        """The counts in one line: "3 imported, 1 merged, 0 skipped"."""
        return f"{self.imported} imported, {self.merged} merged, {self.skipped} skipped"

    def format(self) -> str:
        """The report as plain text: the summary, then one line per row."""
        head = f"{self.source}: {self.summary()}" if self.source else self.summary()
        lines = [head]
        for line in sorted(self.lines, key=lambda x: x.row):
            who = f" {line.name}" if line.name else ""
            lines.append(f"  row {line.row}: {line.outcome}{who} — {line.reason}")
        return "\n".join(lines)
