"""Roster files as text: decoding the bytes, the delimiter, rows, and writing a roster back.

Reading and writing share the formula guard: ``neutralise_formula`` prefixes ' to each part of
a cell a spreadsheet would run, and ``unguard`` takes our own prefix off again, so that export →
import round-trips every value exactly. Every way a file can fail to read is a ``RosterError``
with one line saying why and what to do.
"""
from __future__ import annotations

import csv
import io
import re
import sys
from typing import NamedTuple

from workshop.academy.model import Participant
from workshop.errors import ValidationError
from workshop.text import MAX_TEXT, clean_text

EXPORT_COLUMNS = ("name", "email", "school", "role", "readiness")
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
SNIFF_ROWS = 50


class RosterError(ValidationError):
    """The input cannot be read as a roster at all (the message says why and what to do)."""


# -- decoding ----------------------------------------------------------------------------------

class Decoded(NamedTuple):
    """A file's text, the name of its encoding, and a warning when the reading is doubtful."""
    text: str
    encoding: str
    warning: str = ""


def _utf16(data: bytes) -> Decoded:
    try:
        return Decoded(data.decode("utf-16"), "UTF-16")
    except UnicodeDecodeError as exc:
        if "truncated" in exc.reason:
            raise RosterError("This UTF-16 file ends in the middle of a character: it was cut "
                              "short. Export the roster again and import the new file.") from None
        raise RosterError(f"This UTF-16 file is damaged: it holds a broken character at byte "
                          f"{exc.start}. Export the roster again and import the new file.") from None


def _single_byte(line: bytes) -> str:
    try:
        return line.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return line.decode("latin-1")


def _lines(numbers: list[int], one: str, many: str) -> str:
    """ "line 3 is" / "lines 3, 5 are" (at most eight numbers shown)."""
    shown = ", ".join(str(n) for n in numbers[:8])
    shown += f" and {len(numbers) - 8} more" if len(numbers) > 8 else ""
    return f"line {shown} {one}" if len(numbers) == 1 else f"lines {shown} {many}"


# cp1252 text that was read as cp1252 and saved again as UTF-8: "José" becomes "JosÃ©".
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178"
                       "\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]+")


def _garbled_lines(text: str) -> list[int]:
    """Lines holding UTF-8 read as Windows-1252 (a saved-twice file): each suspect run must
    turn back into valid UTF-8 when encoded as cp1252, which ordinary accents never do."""
    found = []
    for n, line in enumerate(text.split("\n"), 1):
        for m in _MOJIBAKE.finditer(line):
            try:
                m.group().encode("cp1252").decode("utf-8")
            except UnicodeError:
                continue
            found.append(n)
            break
    return found


def decode(data: bytes) -> Decoded:
    """Text, the name of the encoding it was in, and a warning for a doubtful reading.

    UTF-8 is tried strictly first: real cp1252 text (é = 0xE9 alone) is almost never valid
    UTF-8, so a clean UTF-8 decode is trustworthy. cp1252 is what Excel on Windows writes for
    "CSV (Comma delimited)"; latin-1 catches the five bytes cp1252 leaves undefined. A file
    pieced together from both (valid UTF-8 lines beside cp1252 ones) is read line by line,
    each in its own encoding, with a warning naming the lines; so is UTF-8 that holds
    already-garbled accents ("JosÃ©").
    """
    if not data.strip():
        raise RosterError("The file is empty: there is no roster in it.")
    if data.startswith(b"PK\x03\x04"):
        raise RosterError("This is an Excel workbook (.xlsx), not a CSV file. In Excel choose "
                          "File ▸ Save As ▸ “CSV UTF-8 (Comma delimited)” and import that file.")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterError("This is an old Excel workbook (.xls), not a CSV file. In Excel choose "
                          "File ▸ Save As ▸ “CSV UTF-8 (Comma delimited)” and import that file.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" export
        return _utf16(data)
    if b"\x00" in data:
        raise RosterError("This file is not text (it contains binary data). Export the roster "
                          "as CSV and import that file.")
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    name = "UTF-8 with BOM" if bom else "UTF-8"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    else:
        garbled = _garbled_lines(text)
        warning = (f"The file has garbled accents: {_lines(garbled, 'looks', 'look')} like "
                   f"“Ã©” where “é” was meant (it was saved in the wrong encoding somewhere). "
                   f"Check those names after importing." if garbled else "")
        return Decoded(text, name, warning)
    lines = body.splitlines(keepends=True)
    parts, utf8, single = [], 0, []
    for n, line in enumerate(lines, 1):
        try:
            parts.append(line.decode("utf-8"))
            utf8 += not line.isascii()
        except UnicodeDecodeError:
            parts.append(_single_byte(line))
            single.append(n)
    if not utf8 and not bom:
        text = "".join(parts)
        return Decoded(text, "Latin-1" if any("\x80" <= c <= "\x9f" for c in text)
                       else "Windows-1252")
    return Decoded("".join(parts), "mixed UTF-8 and Windows-1252",
                   f"The file mixes two encodings: {_lines(single, 'is', 'are')} Windows-1252, "
                   f"the rest UTF-8. Each line was read in its own; check the accents on those "
                   f"lines after importing.")


# -- splitting into rows -----------------------------------------------------------------------

def split_rows(text: str, delimiter: str, *, whole: bool = True) -> list[list[str]]:
    """Every row of the text as cells, blank rows included (their numbers count).

    ``whole``: the text is the whole file, so a quote still open at its end is an error (a
    sample cut short may end inside a quoted cell)."""
    # newline="" lets the csv module handle CRLF, lone CR and line breaks inside quotes.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as exc:
        where = len(rows) + 1
        if "field limit" in str(exc):
            # The csv module's 128 KB cap is kept: no roster cell is that long, and the usual
            # cause is an opening quote that is never closed and swallows the rest of the file.
            raise RosterError(
                f"Row {where} has a cell over 128 KB: usually a quote mark (\") that opens a "
                f"cell and is never closed. Fix that row and import again.") from None
        raise RosterError(f"Row {where} cannot be read as CSV ({exc}).") from None
    if whole:
        _check_quotes_closed(text, delimiter)
    return rows


def _check_quotes_closed(text: str, delimiter: str) -> None:
    """Refuse a file whose last quoted cell never closes: the lenient reader above would read
    every row after it as that one cell, and those people would be lost without a word. Only
    the strict reader says so ("unexpected end of data"); its other complaints (a stray quote
    inside a cell) the lenient reading handles well, so they are ignored."""
    read = 0
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            read += 1
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise RosterError(
                f"Row {read + 1} opens a quote mark (\") that is never closed, so every row "
                f"after it would be read as one cell. Fix that row and import again.") from None


def delimiter_name(delimiter: str) -> str:
    """How a describe line names a delimiter: "semicolon", or the character itself."""
    return DELIMITER_NAMES.get(delimiter, f"“{delimiter}”")


def hinted_delimiter(hint: str) -> str:
    """The delimiter an Excel ``sep=`` line names; RosterError for one no CSV can use."""
    if hint in DELIMITERS or (hint.isprintable() and not hint.isalnum() and not hint.isspace()
                              and hint not in "\"'"):
        return hint
    shown = {"\r": "a line break", "\"": "a quote mark"}.get(hint, f"“{hint}”")
    raise RosterError(f"The first line “sep=…” names {shown} as the separator, which cannot "
                      f"separate cells. Delete that line (or write sep=, or sep=;) and import "
                      f"again.")


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
        try:
            rows = _nonblank(split_rows(sample, delimiter, whole=False))
        except RosterError:
            continue  # read_roster's own split names the row
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

# A spreadsheet runs a cell that starts with = + - @ (or tab/CR before one). It also splits a
# cell on , ; or tab when its locale or the import dialog says so: "x;=1+1;" is then a live
# formula in a de/fr/nl Excel. So every part after one of those separators is guarded too,
# with ' as OWASP advises; a ' already there is doubled so the guard can be told from the text
# and export → import round-trips every value exactly. Spaces and quote marks before the
# formula are passed over: a ; locale reads the comma file's `;""=1` as the cell =1 (found by
# the export fuzz test).
_GUARD = re.compile(r"(^|[,;\t])([ \"]*)(?=[=+\-@\t\r'])")
_UNGUARD = re.compile(r"(^|[,;\t])([ \"]*)'(?=[=+\-@\t\r'])")


def unguard(cell: str) -> str:
    """Undo our own export's guard (each ' the export put before =, +, -, @, tab, CR or ',
    at the start or after a , ; or tab), so that export → import round-trips exactly."""
    return _UNGUARD.sub(r"\1\2", cell)


def neutralise_formula(value: str) -> str:
    """Prefix ' to every part of a cell a spreadsheet would run as a formula (OWASP "CSV
    injection"): the start, and each part after a , ; or tab."""
    return _GUARD.sub(r"\1\2'", value)


def roster_csv(participants: list[Participant]) -> str:
    """The roster as CSV text (CRLF, the csv module's default and Excel's): every cell quoted,
    formulas neutralised."""
    out = io.StringIO()
    # Every cell is text, and quoting them all keeps each one whole in a ; or tab locale
    # whatever separators it holds.
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow(EXPORT_COLUMNS)
    for p in participants:
        writer.writerow([neutralise_formula(getattr(p, c)) for c in EXPORT_COLUMNS])
    return out.getvalue()
