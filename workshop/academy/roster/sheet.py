"""Excel workbooks (.xlsx) as roster rows: the first sheet, each cell as the text it shows.

Read with python-calamine (Rust's calamine: 6.7x faster than openpyxl on a 5,000-row
roster in ``tests/bench/bench_xlsx_roster.py``, and it reads .xls/.ods with the same call);
imported inside ``read_sheet`` so the CLI and the window start without it. Before calamine
sees the file, the zip's directory is checked with the standard library: a "workbook" that
would inflate past ``MAX_INFLATED`` (a zip bomb) or holds no workbook is refused in one line.
"""
from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time, timedelta

from workshop.academy.roster.csvfile import RosterError

XLSX_MAGIC = b"PK\x03\x04"
MAX_INFLATED = 200 * 1024 * 1024     # a 5,000-person roster inflates to about 2 MB
MAX_ROWS = 50_000
MAX_COLUMNS = 200


def is_workbook(data: bytes) -> bool:
    """Whether the bytes are a zip holding an Excel workbook."""
    if not data.startswith(XLSX_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, ValueError):
        return False


def _shown(value: object) -> str:
    """A cell as a person reads it: 12 not 12.0, dates in ISO, booleans as words."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def read_sheet(data: bytes) -> tuple[list[list[str]], str]:
    """The first sheet's rows as text, and the sheet's name; RosterError when unreadable."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
            if "xl/workbook.xml" not in archive.namelist():
                raise RosterError("This zip file holds no Excel workbook; save the roster as "
                                  ".xlsx or .csv and import that.")
    except RosterError:
        raise
    except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, ValueError):
        # zipfile refuses a mangled header with NotImplementedError ("zip file version 11.2")
        # or EOFError as well as BadZipFile: each is a damaged file, not a bug.
        raise RosterError("This Excel workbook (.xlsx) is damaged (its zip structure cannot be "
                          "read); save it again from Excel and import the new file.") from None
    if inflated > MAX_INFLATED:
        raise RosterError(f"This workbook would take {inflated // 1024 ** 2} MB once opened "
                          f"(at most {MAX_INFLATED // 1024 ** 2} MB); save the roster alone "
                          "as .xlsx or .csv and import that.")
    from python_calamine import CalamineWorkbook   # only when a workbook is imported

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise RosterError("This workbook has no sheets.")
        sheet = workbook.get_sheet_by_index(0)
        if sheet.height > MAX_ROWS or sheet.width > MAX_COLUMNS:
            raise RosterError(f"The first sheet has {sheet.height} rows and {sheet.width} "
                              f"columns (at most {MAX_ROWS} and {MAX_COLUMNS}); is it the "
                              "roster?")
        rows = [[_shown(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
    except RosterError:
        raise
    except Exception as exc:   # calamine's errors (XmlError, ZipError, PasswordError…)
        reason = " ".join(str(exc).split())[:100] or type(exc).__name__
        raise RosterError(f"This Excel file cannot be read ({reason}); save it again from "
                          "Excel, or as .csv, and import the new file.") from None
    return rows, sheet.name
