"""Reading a 5,000-row .xlsx roster: python-calamine (what the app uses) against openpyxl
(read-only mode, values only), with the same roster as CSV as the floor. Medians of 5 runs.

Why calamine: it is the faster reader by a wide margin, it reads .xls and .ods through the same
call, and it is maintained (Rust's calamine, wheels for every platform the app ships on).
"""
from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

ROWS = 5000
RUNS = 5


def roster_rows():
    yield ["Prénom", "Nom de famille", "Courriel", "École", "Fonction", "Statut du participant"]
    for i in range(ROWS):
        yield [f"Zoë{i}", f"Núñez{i}", f"p{i}@example.org", f"École {i % 40}", "Enseignant",
               "Attending" if i % 20 else "Not Attending"]


def workbook_bytes() -> bytes:
    import openpyxl
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    for row in roster_rows():
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_openpyxl(data: bytes) -> list[list[str]]:
    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = [["" if v is None else str(v) for v in row] for row in wb.worksheets[0].iter_rows(
        values_only=True)]
    wb.close()
    return rows


def median(fn, *args) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    from workshop.academy.roster.plan import read_roster
    from workshop.academy.roster.sheet import read_sheet

    data = workbook_bytes()
    csv_text = "\n".join(",".join(r) for r in roster_rows()).encode()
    assert [r for r in read_sheet(data)[0]] == with_openpyxl(data)
    floor = median(read_roster, csv_text)
    calamine = median(read_sheet, data)
    openpyxl_s = median(with_openpyxl, data)
    whole = median(read_roster, data)
    print(f"{ROWS} rows, {len(data) // 1024} KB workbook")
    print(f"floor: the same roster as CSV through read_roster  {floor * 1000:8.1f} ms")
    print(f"python-calamine read_sheet                         {calamine * 1000:8.1f} ms "
          f"({calamine / floor:.2f}x floor)")
    print(f"openpyxl read-only, values only                    {openpyxl_s * 1000:8.1f} ms "
          f"({openpyxl_s / floor:.2f}x floor)")
    print(f"openpyxl / calamine                                {openpyxl_s / calamine:8.1f}x")
    print(f"read_roster on the workbook (calamine + plan)      {whole * 1000:8.1f} ms "
          f"({whole / floor:.2f}x floor)")


if __name__ == "__main__":
    main()
