"""Roster import from the files facilitators really have (pure: no Qt, no SQL).

``read_roster(bytes_or_text)`` decodes (UTF-8, UTF-8 with BOM, UTF-16 with BOM, else cp1252),
finds the delimiter (``,`` ``;`` tab ``|``), tells a header from data, guesses which column is
which field and parses every row into a ``Participant`` or a row error. The result is an
``ImportPlan``; a person confirms or changes its mapping (``plan.with_mapping``) and the service
writes it in one transaction, answering with an ``ImportReport``.

Every cell is text: ``=HYPERLINK(...)`` stays that literal string. ``neutralise_formula`` is applied
whenever a roster is written back to CSV, so a spreadsheet never runs what a participant typed.
"""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from workshop.academy.model import Participant, ValidationError, clean_text, fold

# The fields a column can map to, in the order the mapping dialog shows them.
FIELDS = ("name", "first_name", "last_name", "email", "school", "role", "readiness")
FIELD_LABELS = {"name": "Full name", "first_name": "First name", "last_name": "Last name",
                "email": "Email", "school": "School", "role": "Role", "readiness": "Readiness"}
EXPORT_COLUMNS = ("name", "email", "school", "role", "readiness")
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
SNIFF_ROWS = 50


class RosterError(ValidationError):
    """The input cannot be read as a roster at all (the message says why and what to do)."""


# -- decoding ----------------------------------------------------------------------------------

def decode(data: bytes) -> tuple[str, str]:
    """Text and the name of the encoding it was in.

    UTF-8 is tried strictly first: real cp1252 text (é = 0xE9 alone) is almost never valid
    UTF-8, so a clean UTF-8 decode is trustworthy. cp1252 is what Excel on Windows writes for
    "CSV (Comma delimited)"; latin-1 catches the five bytes cp1252 leaves undefined.
    """
    if not data.strip():
        raise RosterError("The file is empty: there is no roster in it.")
    if data.startswith(b"PK\x03\x04"):
        raise RosterError("This is an Excel workbook (.xlsx), not a CSV file. In Excel choose "
                          "File ▸ Save As ▸ “CSV UTF-8 (Comma delimited)” and import that file.")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterError("This is an old Excel workbook (.xls), not a CSV file. In Excel choose "
                          "File ▸ Save As ▸ “CSV UTF-8 (Comma delimited)” and import that file.")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8 with BOM"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" export
        return data.decode("utf-16"), "UTF-16"
    if b"\x00" in data[:4096]:
        raise RosterError("This file is not text (it contains binary data). Export the roster "
                          "as CSV and import that file.")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


# -- splitting into rows -----------------------------------------------------------------------

def _rows(text: str, delimiter: str) -> list[list[str]]:
    # newline="" lets the csv module handle CRLF, lone CR and line breaks inside quotes.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [row for row in reader]


def _nonblank(rows: list[list[str]]) -> list[list[str]]:
    return [r for r in rows if any(c.strip() for c in r)]


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first row into the most columns, consistently.

    csv.Sniffer guesses from character frequencies and is easily fooled by commas inside
    names ("Núñez, José") in a semicolon file, so every candidate is verified: the first row
    (usually the header) must split into at least two cells and the rows below must mostly
    have the same count.
    """
    sample = "\n".join(text.splitlines()[:SNIFF_ROWS])
    best, best_score = ",", (-1.0, 0)
    for delimiter in DELIMITERS:
        rows = _nonblank(_rows(sample, delimiter))
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        consistent = sum(1 for r in rows if len(r) == width) / len(rows)
        score = (round(consistent, 2), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


# -- recognising columns -----------------------------------------------------------------------

def _norm_header(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", fold(text)).replace("_", " ").split())


# Exact header variants (normalised) score 3, keyword matches 2, a buyer's column only 1:
# Eventbrite lists both the buyer and the attendee and we want the attendee.
_EXACT = {
    "name": {"name", "full name", "fullname", "attendee name", "participant name", "your name",
             "participant", "attendee", "what is your name", "what is your full name",
             "name surname", "first and last name", "first last name", "educator name"},
    "first_name": {"first name", "firstname", "first", "given name", "forename",
                   "attendee first name", "prenom"},
    "last_name": {"last name", "lastname", "last", "surname", "family name",
                  "attendee last name", "nom"},
    "email": {"email", "e mail", "email address", "e mail address", "mail", "attendee email",
              "work email", "school email", "your email", "emailaddress"},
    "school": {"school", "organization", "organisation", "company", "campus", "school name",
               "institution", "employer", "site", "building", "school site", "your school",
               "school or organization", "district school", "organization name", "company name"},
    "role": {"role", "job title", "title", "position", "job", "your role", "occupation",
             "role title", "what is your role", "job role", "position title"},
    "readiness": {"readiness", "readiness stage", "stage", "ready", "readiness level"},
}
_KEYWORDS = {
    "first_name": [r"\bfirst\b.*\bname\b", r"\bgiven\b"],
    "last_name": [r"\b(last|sur|family)\b.*\bname\b", r"\bsurname\b"],
    "email": [r"\be ?mail\b"],
    "school": [r"\bschool\b", r"\borgani[sz]ation\b", r"\bcompany\b", r"\bcampus\b",
               r"\binstitution\b", r"\bemployer\b"],
    "role": [r"\brole\b", r"\bjob\b", r"\bposition\b", r"\btitle\b", r"\bwhat do you teach\b"],
    "readiness": [r"\bready\b", r"\breadiness\b", r"\bpersonali[sz]ed learning\b", r"\bstage\b"],
    "name": [r"\bname\b"],
}
_WEAK = re.compile(r"\b(buyer|purchaser|order|billing|emergency|contact|guardian|parent)\b")
_NOT_A_PERSON_NAME = re.compile(r"\b(school|organi[sz]ation|company|campus|event|ticket|file|"
                                r"user|team|district|first|last|sur|family|given|badge)\b")


def header_score(header: str, field_name: str) -> int:
    """How strongly a header cell says "I am this field" (0 = not at all)."""
    h = _norm_header(header)
    if not h:
        return 0
    weak = bool(_WEAK.search(h))
    if h in _EXACT[field_name]:
        return 1 if weak else 3
    if field_name == "name" and _NOT_A_PERSON_NAME.search(h):
        return 0
    if field_name == "school" and re.search(r"\bname\b", h) and not re.search(
            r"\b(school|organi[sz]ation|company|campus)\b", h):
        return 0
    if field_name == "school" and re.search(r"\b(role|job|position|e ?mail|teach)\b", h):
        return 0  # "What is your role at your school?" is about the role
    if field_name == "role" and re.search(r"\b(ticket|event)\b", h):
        return 0
    if any(re.search(p, h) for p in _KEYWORDS[field_name]):
        return 1 if weak else 2
    return 0


def guess_mapping_from_header(header: list[str]) -> dict[str, int | None]:
    """Each field → the column that matches it best (each column used once)."""
    candidates = sorted(((header_score(cell, f), -col, f, col)
                         for col, cell in enumerate(header) for f in FIELDS), reverse=True)
    mapping: dict[str, int | None] = dict.fromkeys(FIELDS)
    used: set[int] = set()
    for score, _, f, col in candidates:
        # A buyer's column (score 1) is never taken by itself: one buyer's email on a whole
        # group order would merge all its attendees into one person. It stays choosable.
        if score >= 2 and mapping[f] is None and col not in used:
            mapping[f], used = col, used | {col}
    if mapping["name"] is not None and mapping["first_name"] is not None:
        # "Name" plus "First name": the pair is the more precise reading (Eventbrite).
        mapping["name"] = None
    return mapping


def _best_score(cell: str) -> int:
    return max(header_score(cell, f) for f in FIELDS)


def _looks_like_header(row: list[str], next_row: list[str] | None) -> bool:
    """A header names fields: one exact variant ("Email", "Full name") is enough. A keyword
    ("Lincoln High School" contains "school") only counts when the row below does not repeat
    it in the same column, which is what a column of school names does."""
    if any("@" in c for c in row):
        return False
    scores = [_best_score(c) for c in row]
    if 3 in scores:
        return True
    keyword_columns = [i for i, s in enumerate(scores) if s == 2]
    if not keyword_columns:
        return False
    if next_row is None:
        return True
    return any(i >= len(next_row) or _best_score(next_row[i]) < 2 for i in keyword_columns)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def guess_mapping_from_content(rows: list[list[str]]) -> dict[str, int | None]:
    """No header: find the email and readiness columns by their values, then read the rest
    in the usual order name, school, role."""
    width = max(len(r) for r in rows)
    mapping: dict[str, int | None] = dict.fromkeys(FIELDS)

    def share(col: int, test) -> float:
        cells = [r[col].strip() for r in rows if col < len(r) and r[col].strip()]
        return sum(1 for c in cells if test(c)) / len(cells) if cells else 0.0

    for col in range(width):
        if mapping["email"] is None and share(col, _EMAIL.match) >= 0.6:
            mapping["email"] = col
        elif mapping["readiness"] is None and share(col, lambda c: readiness_from_text(c)[0]) >= 0.8:
            mapping["readiness"] = col
    rest = [c for c in range(width) if c not in (mapping["email"], mapping["readiness"])]
    for f, col in zip(("name", "school", "role"), rest):
        mapping[f] = col
    return mapping


# -- readiness in words ------------------------------------------------------------------------

_STAGE_WORDS = [
    ("implementing", r"implement|already|in place|under ?way|rolled out|rolling out|scal(e|ing)|"
                     r"fully|we are doing|currently (using|doing|piloting)|piloting|launched|"
                     r"established|well on our way|advanced"),
    ("planning", r"plan|prepar|getting ready|design(ing)?\b|next (year|term|semester)|"
                 r"about to|ready to (start|begin|try)|pilot|starting soon|mapping out"),
    ("exploring", r"explor|curious|just (starting|beginning|learning)|new to|learning about|"
                  r"beginn|early|thinking about|unsure|not sure|no idea|haven'?t|have not|"
                  r"interested|investigat|researching|aware|started looking"),
]
_NEGATION = re.compile(r"\b(not yet|not|no|haven'?t|have not|isn'?t|aren'?t|without)\s+(\w+\s+)?$")


def readiness_from_text(text: str, scale_max: int = 3) -> tuple[str | None, str]:
    """The stage a free-text answer means, and a note when it had to guess.

    Returns (stage, "") when clear, (None, "") for an empty answer (use the default) and
    (None, note) when nothing in it names a stage. The earliest stage word wins ("planning to
    implement" → planning); a negated word is passed over ("not yet implementing" → exploring).
    A number is read on the column's scale (1–3, or 1–5 as in a Google Forms linear scale).
    """
    answer = fold(text)
    if not answer:
        return None, ""
    if re.fullmatch(r"\d+", answer):
        n = int(answer)
        if scale_max > 3:
            return ("exploring" if n <= 2 else "planning" if n == 3 else "implementing"), ""
        return ("exploring", "planning", "implementing")[max(0, min(n, 3) - 1)], ""
    hits = []
    negated = False
    for stage, pattern in _STAGE_WORDS:
        for m in re.finditer(pattern, answer):
            if _NEGATION.search(answer[:m.start()]):
                negated = True
                continue
            hits.append((m.start(), stage))
    if hits:
        return min(hits)[1], ""
    if negated:
        return "exploring", ""
    return None, f"readiness “{clean_text(text)}” not understood, set to exploring"


# -- the plan ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class PlanRow:
    """One data row: the person read from it, or why it cannot be imported."""
    row: int                         # as a spreadsheet shows it (the header is row 1)
    participant: Participant | None
    error: str = ""
    note: str = ""                   # imported, but something was guessed or dropped
    provided: frozenset = frozenset()  # fields that had a value (a merge keeps the others)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_GUARDED = _FORMULA_START + ("'",)


def _unescape(cell: str) -> str:
    """Undo our own export's guard ('=…, and '' for a value that began with '), so that
    export → import round-trips exactly."""
    if len(cell) > 1 and cell[0] == "'" and cell[1:].startswith(_GUARDED):
        return cell[1:]
    return cell


def _cell(raw: list[str], col: int | None) -> str:
    if col is None or col >= len(raw):
        return ""
    return _unescape(raw[col])


def parse_row(raw: list[str], mapping: dict[str, int | None], row: int,
              scale_max: int = 3) -> PlanRow:
    values = {f: _cell(raw, mapping.get(f)) for f in FIELDS}
    name = values["name"].strip() or " ".join(
        v.strip() for v in (values["first_name"], values["last_name"]) if v.strip())
    provided = {f for f in ("email", "school", "role", "readiness") if values[f].strip()}
    notes = []
    stage, note = readiness_from_text(values["readiness"], scale_max)
    if note:
        notes.append(note)
    email = values["email"].strip()
    if email and not _EMAIL.match(clean_text(email)):
        notes.append(f"email “{clean_text(email)}” is not an email address and was left out")
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
        return self.table[0][1] if self.has_header else ()

    @property
    def raw_rows(self) -> tuple[tuple[str, ...], ...]:
        return tuple(cells for _, cells in self.table[1 if self.has_header else 0:])

    @property
    def row_numbers(self) -> tuple[int, ...]:
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
        return [r.participant for r in self.rows if r.participant]

    @property
    def errors(self) -> list[PlanRow]:
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
    rows = _rows(text, delimiter)
    numbered = [(i + 1, [c.strip() for c in r]) for i, r in enumerate(rows)
                if any(c.strip() for c in r)]
    if not numbered:
        raise RosterError("There is no roster in it: every row is empty.")
    table = tuple((n, tuple(cells)) for n, cells in numbered)
    has_header = _looks_like_header(numbered[0][1], numbered[1][1] if len(numbered) > 1 else None)
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


# -- the report --------------------------------------------------------------------------------

OUTCOMES = ("imported", "merged", "skipped")


@dataclass(frozen=True)
class ReportLine:
    row: int
    outcome: str   # one of OUTCOMES
    name: str
    reason: str


@dataclass
class ImportReport:
    source: str = ""
    lines: list[ReportLine] = field(default_factory=list)

    def add(self, row: int, outcome: str, name: str, reason: str) -> None:
        assert outcome in OUTCOMES
        self.lines.append(ReportLine(row, outcome, name, reason))

    def count(self, outcome: str) -> int:
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
        return f"{self.imported} imported, {self.merged} merged, {self.skipped} skipped"

    def format(self) -> str:
        """The report as plain text: the summary, then one line per row."""
        head = f"{self.source}: {self.summary()}" if self.source else self.summary()
        lines = [head]
        for line in sorted(self.lines, key=lambda x: x.row):
            who = f" {line.name}" if line.name else ""
            lines.append(f"  row {line.row}: {line.outcome}{who} — {line.reason}")
        return "\n".join(lines)


# -- writing back ------------------------------------------------------------------------------

def neutralise_formula(value: str) -> str:
    """Prefix ' to a cell a spreadsheet would run as a formula (OWASP "CSV injection").

    A value that itself starts with ' is prefixed too, so that reading our own export back
    can tell the guard from the text and restore every value exactly.
    """
    return "'" + value if value.startswith(_GUARDED) else value


def roster_csv(participants: list[Participant]) -> str:
    """The roster as CSV text (CRLF, the csv module's default and Excel's), formulas neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for p in participants:
        writer.writerow([neutralise_formula(getattr(p, c)) for c in EXPORT_COLUMNS])
    return out.getvalue()
