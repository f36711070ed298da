"""Roster files as text: decoding the bytes, the delimiter, rows, and writing a roster back.

Reading and writing share the formula guard: ``neutralise_formula`` prefixes ' to a cell a
spreadsheet would run, and ``unguard`` takes our own prefix off again, so that export → import
round-trips every value exactly.
"""
from __future__ import annotations

import csv
import io
import sys

from workshop.academy.model import MAX_TEXT, Participant, ValidationError, clean_text

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

def split_rows(text: str, delimiter: str) -> list[list[str]]:
    """Every row of the text as cells, blank rows included (their numbers count)."""
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
        rows = _nonblank(split_rows(sample, delimiter))
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        consistent = sum(1 for r in rows if len(r) == width) / len(rows)
        score = (round(consistent, 2), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def quoted(cell: str) -> str:
    """A cell as a row note repeats it: cleaned, and cut short however long it was."""
    # clean_text refuses text over its limit; a note must never fail on what a file holds.
    text = clean_text(cell, limit=sys.maxsize)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"


# -- the formula guard, both ways --------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_GUARDED = _FORMULA_START + ("'",)


def unguard(cell: str) -> str:
    """Undo our own export's guard ('=…, and '' for a value that began with '), so that
    export → import round-trips exactly."""
    if len(cell) > 1 and cell[0] == "'" and cell[1:].startswith(_GUARDED):
        return cell[1:]
    return cell


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
