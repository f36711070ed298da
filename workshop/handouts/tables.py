"""Tables people ask for (reflections, attendance, groups) written as CSV or .xlsx.

Both guard against formula injection: a CSV cell a spreadsheet would run gets the roster
export's ' prefix (``neutralise_formula``); an .xlsx cell is written as a string cell, which
Excel never evaluates, so its text stays exactly what was typed. openpyxl is imported only when
an .xlsx is written (it is the writer; calamine only reads).
"""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from workshop.academy.roster.csvfile import neutralise_formula
from workshop.errors import ValidationError

FORMATS = (".csv", ".xlsx")


def csv_text(header: list[str], rows: list[list[object]]) -> str:
    """The table as CSV text (CRLF, every cell quoted, formulas neutralised)."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise_formula(str(v)) if isinstance(v, str) else v for v in row])
    return out.getvalue()


def xlsx_bytes(header: list[str], rows: list[list[object]], sheet: str = "Sheet") -> bytes:
    """The table as an .xlsx workbook: a bold header row, text as string cells."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31])
    bold = Font(bold=True)

    def cell(value, header_cell=False):
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            c.data_type = "s"   # never a formula, whatever the text starts with
        if header_cell:
            c.font = bold
        return c
    ws.append([cell(h, True) for h in header])
    for row in rows:
        ws.append([cell(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_table(path: Path | str, header: list[str], rows: list[list[object]],
                sheet: str = "Sheet") -> Path:
    """Write the table to ``path`` as CSV or .xlsx, by its suffix; whole or not at all."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValidationError(f"Name the file .csv or .xlsx (got “{path.name}”).")
    data = (xlsx_bytes(header, rows, sheet) if suffix == ".xlsx"
            else csv_text(header, rows).encode("utf-8-sig"))   # the BOM: Excel reads UTF-8
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ValidationError(f"Could not write {path} ({exc.strerror or exc}).") from None
    return path
