"""The import plan: the table as read, the column mapping, and every row parsed (pure).

``read_roster`` reads a file's bytes or pasted text into a plan with a guessed mapping; a person
confirms or changes it (``with_mapping``, ``with_header``) and each change parses the rows anew.
A plan decides nothing about the database: merging with the people already there is the
service's.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field, replace

from workshop.academy.model import Participant, ValidationError, clean_text
from workshop.academy.roster.columns import (EMAIL, FIELDS, guess_mapping_from_content,
                                             guess_mapping_from_header, looks_like_header)
from workshop.academy.roster.csvfile import (DELIMITER_NAMES, RosterError, decode, quoted,
                                             sniff_delimiter, split_rows, unguard)
from workshop.academy.roster.readiness import readiness_from_text

@dataclass(frozen=True)
class PlanRow:
    """One data row: the person read from it, or why it cannot be imported."""
    row: int                         # as a spreadsheet shows it (the header is row 1)
    participant: Participant | None
    error: str = ""
    note: str = ""                   # imported, but something was guessed or dropped
    provided: frozenset[str] = frozenset()  # fields that had a value (a merge keeps the others)



def _cell(raw: list[str], col: int | None) -> str:
    if col is None or col >= len(raw):
        return ""
    return unguard(raw[col])


def parse_row(raw: list[str], mapping: dict[str, int | None], row: int,
              scale_max: int = 3) -> PlanRow:
    """One data row read through the mapping: a participant with notes, or why it cannot be."""
    values = {f: _cell(raw, mapping.get(f)) for f in FIELDS}
    name = values["name"].strip() or " ".join(
        v.strip() for v in (values["first_name"], values["last_name"]) if v.strip())
    provided = {f for f in ("email", "school", "role", "readiness") if values[f].strip()}
    notes = []
    stage, note = readiness_from_text(values["readiness"], scale_max)
    if note:
        notes.append(note)
    email = values["email"].strip()
    if email and not EMAIL.match(clean_text(email, limit=sys.maxsize)):
        notes.append(f"email “{quoted(email)}” is not an email address and was left out")
        email = ""
        provided.discard("email")
    if not stage:
        provided.discard("readiness")
    if not name.strip():
        return PlanRow(row, None, "no name in this row")
    try:
        person = Participant(name=name, email=email, school=values["school"],
                             role=values["role"], readiness=stage or "exploring")
    except ValidationError as exc:
        return PlanRow(row, None, str(exc))
    return PlanRow(row, person, note="; ".join(notes), provided=frozenset(provided | {"name"}))


@dataclass(frozen=True)
class ImportPlan:
    """What an import will do: the table as read, the column mapping, and every parsed row."""
    source: str
    encoding: str
    delimiter: str
    table: tuple[tuple[int, tuple[str, ...]], ...]  # (row number, cells) of every non-blank row
    has_header: bool
    mapping: dict[str, int | None]
    rows: tuple[PlanRow, ...] = field(default=(), compare=False)

    @property
    def header(self) -> tuple[str, ...]:
        """The header row's cells, or () when the first row is a person."""
        return self.table[0][1] if self.has_header else ()

    @property
    def raw_rows(self) -> tuple[tuple[str, ...], ...]:
        """The cells of every data row (the header left out)."""
        return tuple(cells for _, cells in self.table[1 if self.has_header else 0:])

    @property
    def row_numbers(self) -> tuple[int, ...]:
        """Each data row's number as a spreadsheet shows it."""
        return tuple(n for n, _ in self.table[1 if self.has_header else 0:])

    @property
    def columns(self) -> list[str]:
        """A label for each column: its header, or "Column 3" without one."""
        width = max([len(self.header)] + [len(r) for r in self.raw_rows])
        return [(self.header[i] if i < len(self.header) and self.header[i].strip() else
                 f"Column {i + 1}") for i in range(width)]

    @property
    def problem(self) -> str:
        """Why nothing can be imported with this mapping ("" if it can)."""
        m = self.mapping
        if m.get("name") is None and m.get("first_name") is None and m.get("last_name") is None:
            return ("No column is chosen for the participants' names. Pick the name column "
                    "(or first and last name) in the mapping.")
        chosen = [c for c in m.values() if c is not None]
        if len(chosen) != len(set(chosen)):
            dup = Counter(chosen).most_common(1)[0][0]
            return f"The column “{self.columns[dup]}” is chosen for two fields; choose it once."
        if not self.raw_rows:
            return "There are no people in it: only a header row."
        return ""

    @property
    def participants(self) -> list[Participant]:
        """The people the rows read as."""
        return [r.participant for r in self.rows if r.participant]

    @property
    def errors(self) -> list[PlanRow]:
        """The rows that cannot be imported, each with its reason."""
        return [r for r in self.rows if r.participant is None]

    def with_mapping(self, mapping: dict[str, int | None]) -> "ImportPlan":
        """This plan with some fields mapped to other columns (None: not imported)."""
        return _parsed(replace(self, mapping=dict(self.mapping) | dict(mapping)))

    def with_header(self, has_header: bool) -> "ImportPlan":
        """This plan with the first row read as a header (or as a person), mapping guessed anew."""
        return _planned(self.source, self.encoding, self.delimiter, self.table, has_header)

    def describe(self) -> str:
        """One line about how the input was read (shown above the mapping)."""
        kind = "with a header row" if self.has_header else "without a header row"
        return (f"{len(self.raw_rows)} rows, {DELIMITER_NAMES[self.delimiter]}-separated, "
                f"{self.encoding}, {kind}.")


def _scale_max(plan: ImportPlan) -> int:
    col = plan.mapping.get("readiness")
    numbers = [int(c) for r in plan.raw_rows
               if (c := _cell(list(r), col).strip()).isdecimal()]
    return max(numbers, default=3)


def _parsed(plan: ImportPlan) -> ImportPlan:
    if plan.problem and not plan.raw_rows:
        return replace(plan, rows=())
    if plan.problem:
        return replace(plan, rows=tuple(PlanRow(n, None, plan.problem)
                                        for n in plan.row_numbers))
    scale = _scale_max(plan)
    return replace(plan, rows=tuple(parse_row(list(r), plan.mapping, n, scale)
                                    for r, n in zip(plan.raw_rows, plan.row_numbers)))


def read_roster(data: bytes | str, source: str = "") -> ImportPlan:
    """Read a CSV/TSV file's bytes, or pasted text, into an import plan with a guessed mapping."""
    if isinstance(data, bytes):
        text, encoding = decode(data)
    else:
        text, encoding = data, "text"
        if not text.strip():
            raise RosterError("There is nothing to import: the pasted text is empty.")
    text = text.lstrip("\ufeff")
    delimiter = None
    first, _, rest = text.partition("\n")
    if m := re.fullmatch(r"\s*sep=(.)\s*", first):  # Excel's "sep=;" hint line
        delimiter, text = m.group(1), rest
    if delimiter is None:
        delimiter = "\t" if isinstance(data, str) and "\t" in first else sniff_delimiter(text)
    rows = split_rows(text, delimiter)
    numbered = [(i + 1, [c.strip() for c in r]) for i, r in enumerate(rows)
                if any(c.strip() for c in r)]
    if not numbered:
        raise RosterError("There is no roster in it: every row is empty.")
    table = tuple((n, tuple(cells)) for n, cells in numbered)
    has_header = looks_like_header(numbered[0][1], numbered[1][1] if len(numbered) > 1 else None)
    return _planned(source, encoding, delimiter, table, has_header)


def _planned(source: str, encoding: str, delimiter: str,
             table: tuple[tuple[int, tuple[str, ...]], ...], has_header: bool) -> ImportPlan:
    plan = ImportPlan(source=source, encoding=encoding, delimiter=delimiter, table=table,
                      has_header=has_header, mapping=dict.fromkeys(FIELDS))
    mapping = guess_mapping_from_header(list(plan.header)) if has_header else {}
    if not any(c is not None for c in mapping.values()) and plan.raw_rows:
        # No header, or one we cannot read: the columns' contents are the best guess.
        mapping = guess_mapping_from_content([list(r) for r in plan.raw_rows])
    return _parsed(replace(plan, mapping=mapping))
