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

from workshop.academy.model import MAX_NAME, Participant
from workshop.errors import ValidationError
from workshop.text import MAX_TEXT, clean_text
from workshop.academy.roster.columns import (EMAIL, FIELD_LABELS, FIELDS,
                                             guess_mapping_from_content,
                                             guess_mapping_from_header, looks_like_header)
from workshop.academy.roster.csvfile import (RosterError, decode, delimiter_name,
                                             hinted_delimiter, quoted, sniff_delimiter,
                                             split_rows, unguard)
from workshop.academy.roster.readiness import readiness_from_text
from workshop.academy.roster.sheet import XLSX_MAGIC, read_sheet
from workshop.academy.roster.status import not_attending, status_column

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


def _length(text: str) -> int:
    return len(clean_text(text, limit=sys.maxsize))


def parse_row(raw: list[str], mapping: dict[str, int | None], row: int,
              scale_max: int = 3, columns: list[str] | None = None) -> PlanRow:
    """One data row read through the mapping: a participant with notes, or why it cannot be.

    A cell too long for its field is named by its column: an optional one (email, school,
    role) is left out with a note and the person imported; a name too long skips the row.
    """
    def column(f: str) -> str:
        col = mapping.get(f)
        assert col is not None
        label = columns[col] if columns and col < len(columns) else f"Column {col + 1}"
        return f"column “{quoted(label)}”"

    values = {f: _cell(raw, mapping.get(f)) for f in FIELDS}
    name_from = ["name"] if values["name"].strip() else [
        f for f in ("first_name", "last_name") if values[f].strip()]
    name = " ".join(values[f].strip() for f in name_from)
    provided = {f for f in ("email", "school", "role", "readiness") if values[f].strip()}
    notes = []
    for f in ("email", "school", "role"):
        if f in provided and (n := _length(values[f])) > MAX_TEXT:
            notes.append(f"{FIELD_LABELS[f].lower()} in {column(f)} is too long ({n} characters; "
                         f"at most {MAX_TEXT}) and was left out")
            values[f] = ""
            provided.discard(f)
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
    if (n := _length(name)) > MAX_NAME:
        where = " and ".join(column(f) for f in name_from)
        return PlanRow(row, None, f"the name in {where} is too long ({n} characters; "
                                  f"at most {MAX_NAME})")
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
    warning: str = ""                # the file was read, but something in it is doubtful
    status: int | None = None        # a registration status column (Eventbrite's "Attendee Status")

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
        return _planned(self.source, self.encoding, self.delimiter, self.table, has_header,
                        self.warning)

    @property
    def unused_columns(self) -> list[str]:
        """The columns nothing is read from (the CLI names them: ``--map`` can take them)."""
        used = {c for c in self.mapping.values() if c is not None} | {self.status}
        return [label for i, label in enumerate(self.columns) if i not in used]

    def describe(self) -> str:
        """One line about how the input was read (shown above the mapping)."""
        kind = "with a header row" if self.has_header else "without a header row"
        how = (f"{delimiter_name(self.delimiter)}-separated, {self.encoding}" if self.delimiter
               else self.encoding)
        return f"{len(self.raw_rows)} rows, {how}, {kind}."


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
    scale, columns = _scale_max(plan), plan.columns
    rows = []
    for r, n in zip(plan.raw_rows, plan.row_numbers):
        why = not_attending(_cell(list(r), plan.status), columns, plan.status)
        rows.append(PlanRow(n, None, why) if why else
                    parse_row(list(r), plan.mapping, n, scale, columns))
    return replace(plan, rows=tuple(rows))


# Bytes of a roster file read at most: a 5,000-person workbook is about 1 MB, its CSV less. A
# device or a pipe that never ends (/dev/zero) is refused here rather than read until memory
# runs out (it grew a process to 8 GB in ten seconds).
MAX_ROSTER_BYTES = 64 * 1024 * 1024


def read_roster_bytes(stream) -> bytes:
    """At most MAX_ROSTER_BYTES of an open binary file or stdin; RosterError past that."""
    data = stream.read(MAX_ROSTER_BYTES + 1)
    if len(data) > MAX_ROSTER_BYTES:
        raise RosterError(f"The file is larger than any roster (at most "
                          f"{MAX_ROSTER_BYTES // (1024 * 1024)} MB are read); save the roster "
                          "alone as CSV or .xlsx and import that.")
    return data


def read_roster(data: bytes | str, source: str = "") -> ImportPlan:
    """Read a CSV/TSV file's bytes, or pasted text, into an import plan with a guessed mapping."""
    warning = ""
    if isinstance(data, bytes) and data.startswith(XLSX_MAGIC):
        sheet, name = read_sheet(data)
        numbered = [(i + 1, [c.strip() for c in r]) for i, r in enumerate(sheet)
                    if any(c.strip() for c in r)]
        if not numbered:
            raise RosterError("There is no roster in this workbook: its first sheet is empty.")
        return _planned(source, f"Excel workbook (sheet “{quoted(name)}”)", "",
                        tuple((n, tuple(cells)) for n, cells in numbered),
                        looks_like_header(numbered[0][1],
                                          numbered[1][1] if len(numbered) > 1 else None))
    if isinstance(data, bytes):
        text, encoding, warning = decode(data)
    else:
        text, encoding = data, "text"
        if not text.strip():
            raise RosterError("There is nothing to import: the pasted text is empty.")
    text = text.lstrip("\ufeff")
    delimiter = None
    first, _, rest = text.partition("\n")
    if m := re.fullmatch(r"\s*sep=(.)\s*", first):  # Excel's "sep=;" hint line
        delimiter, text = hinted_delimiter(m.group(1)), rest
    if delimiter is None:
        delimiter = "\t" if isinstance(data, str) and "\t" in first else sniff_delimiter(text)
    rows = split_rows(text, delimiter)
    numbered = [(i + 1, [c.strip() for c in r]) for i, r in enumerate(rows)
                if any(c.strip() for c in r)]
    if not numbered:
        raise RosterError("There is no roster in it: every row is empty.")
    table = tuple((n, tuple(cells)) for n, cells in numbered)
    has_header = looks_like_header(numbered[0][1], numbered[1][1] if len(numbered) > 1 else None)
    return _planned(source, encoding, delimiter, table, has_header, warning)


def _planned(source: str, encoding: str, delimiter: str,
             table: tuple[tuple[int, tuple[str, ...]], ...], has_header: bool,
             warning: str = "") -> ImportPlan:
    plan = ImportPlan(source=source, encoding=encoding, delimiter=delimiter, table=table,
                      has_header=has_header, mapping=dict.fromkeys(FIELDS), warning=warning,
                      status=status_column(table[0][1]) if has_header else None)
    mapping = guess_mapping_from_header(list(plan.header)) if has_header else {}
    if not any(c is not None for c in mapping.values()) and plan.raw_rows:
        # No header, or one we cannot read: the columns' contents are the best guess.
        mapping = guess_mapping_from_content([list(r) for r in plan.raw_rows])
    return _parsed(replace(plan, mapping=mapping))


def with_map(plan: ImportPlan, pairs: list[str]) -> ImportPlan:
    """The plan with ``HEADER=field`` choices applied (the CLI's ``--map``); ``field`` is a
    field's name or label, or ``none`` to read nothing from that column. RosterError names a
    header or field that is not there."""
    labels = {_key(f): f for f in FIELDS} | {_key(v): f for f, v in FIELD_LABELS.items()}
    mapping: dict[str, int | None] = {}
    for pair in pairs:
        header, sep, wanted = pair.rpartition("=")
        if not sep or not header.strip():
            raise RosterError(f"--map “{quoted(pair)}” is not HEADER=field (e.g. "
                              "\"Courriel=email\").")
        col = next((i for i, c in enumerate(plan.columns) if _key(c) == _key(header)), None)
        if col is None:
            known = ", ".join(f"“{quoted(c)}”" for c in plan.columns[:12])
            raise RosterError(f"--map: the file has no column “{quoted(header)}” "
                              f"(its columns: {known}).")
        if _key(wanted) in ("none", "ignore", ""):
            mapping |= {f: None for f, c in {**plan.mapping, **mapping}.items() if c == col}
            if col == plan.status:   # the status column read as nothing: nobody is skipped
                plan = replace(plan, status=None)
            continue
        if _key(wanted) not in labels:
            raise RosterError(f"--map: “{quoted(wanted)}” is not a field (fields: "
                              f"{', '.join(FIELDS)}, or none).")
        field_name = labels[_key(wanted)]
        mapping |= {f: None for f, c in {**plan.mapping, **mapping}.items() if c == col}
        mapping[field_name] = col
    return plan.with_mapping(mapping)


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).replace("_", " ").split())
