"""Rosters as people have them (issue 16 item 4): .xlsx workbooks, headers in French, Spanish,
German and Portuguese, ``--map "HEADER=field"``, and registrations marked as not coming."""
from __future__ import annotations

import datetime
import io
import re
import zipfile

import pytest
from hypothesis import given, strategies as st

from tests.fuzzing import fuzz_settings
from workshop.academy.roster.csvfile import RosterError
from workshop.academy.roster.plan import read_roster, with_map


STAMP = (2026, 3, 12, 9, 0, 0)   # every workbook of these tests is dated so


def workbook(*rows) -> bytes:
    """An .xlsx of these rows, the same bytes on every call: openpyxl stamps each zip entry and
    docProps/core.xml with the wall clock, so two calls a second apart differed (in length too,
    once compressed) — a fuzz example replayed by Hypothesis met other bytes, and a fixed offset
    into the file missed its field (the CI failure of the last session)."""
    import openpyxl
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    fixed = io.BytesIO()
    stamp = "%04d-%02d-%02dT%02d:%02d:%02dZ" % STAMP
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as made, \
            zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as again:
        for info in made.infolist():
            data = made.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp.encode(), data)
            again.writestr(zipfile.ZipInfo(info.filename, date_time=STAMP), data,
                           compress_type=zipfile.ZIP_DEFLATED)
    return fixed.getvalue()


def people(plan):
    return [(p.name, p.email, p.school, p.role) for p in plan.participants]


def test_an_xlsx_roster_reads_like_its_csv():
    data = workbook(["Prénom", "Nom de famille", "Courriel", "École", "Fonction", "Statut"],
                    ["Zoë", "Núñez", "zoe@example.org", "Lincoln", "Enseignante", "Attending"],
                    ["José", 12, None, datetime.date(2026, 3, 1), None, "Not Attending"],
                    [None, None, None, None, None, None],
                    ["Ольга", "Петрова", "olga@example.org", "Riverside", "Coach", "Checked In"])
    plan = read_roster(data, source="roster.xlsx")
    assert plan.describe() == "3 rows, Excel workbook (sheet “Sheet”), with a header row."
    assert people(plan) == [("Zoë Núñez", "zoe@example.org", "Lincoln", "Enseignante"),
                            ("Ольга Петрова", "olga@example.org", "Riverside", "Coach")]
    assert [(r.row, r.error) for r in plan.errors] == [
        (3, "not coming: “Not Attending” in column “Statut”")]   # row numbers as Excel shows


@pytest.mark.parametrize("header, expected", [
    ("Prénom;Nom de famille;Courriel;École;Fonction", "first_name last_name email school role"),
    ("Nom complet;Adresse électronique;Établissement;Poste", "name email school role"),
    ("Nombre;Apellidos;Correo electrónico;Escuela;Cargo", "first_name last_name email school role"),
    ("Nombre completo;Correo;Colegio;Puesto", "name email school role"),
    ("Vorname;Nachname;E-Mail-Adresse;Schule;Funktion", "first_name last_name email school role"),
    ("Nome completo;E-mail;Escola;Função", "name email school role"),
    ("Primeiro nome;Sobrenome;Endereço de e-mail;Nome da escola;Cargo",
     "first_name last_name email school role"),
])
def test_headers_in_four_more_languages(header, expected):
    cells = header.split(";")
    values = ["Zoë", "Núñez", "z@example.org", "Lincoln", "Teacher"][-len(cells):] \
        if len(cells) == 4 else ["Zoë", "Núñez", "z@example.org", "Lincoln", "Teacher"]
    if len(cells) == 4:
        values = ["Zoë Núñez", "z@example.org", "Lincoln", "Teacher"]
    plan = read_roster(("\n".join([";".join(cells), ";".join(values)]) + "\n").encode())
    mapped = [f for f, col in plan.mapping.items() if col is not None]
    assert sorted(mapped) == sorted(expected.split())
    assert people(plan) == [("Zoë Núñez", "z@example.org", "Lincoln", "Teacher")]


def test_eventbrite_not_attending_and_cancelled_rows_are_skipped_with_a_reason():
    text = ("First Name,Last Name,Email,Attendee Status,Company\n"
            "Zoë,Brennan,zoe@example.org,Attending,Maplewood\n"
            "Bo,Lee,bo@example.org,Not Attending,Maplewood\n"
            "Ana,Ruiz,ana@example.org,Cancelled,Riverside\n"
            "Kai,Ono,kai@example.org,Checked In,Riverside\n")
    plan = read_roster(text.encode())
    assert [p.name for p in plan.participants] == ["Zoë Brennan", "Kai Ono"]
    assert [r.error for r in plan.errors] == [
        "not coming: “Not Attending” in column “Attendee Status”",
        "not coming: “Cancelled” in column “Attendee Status”"]
    # read as nothing, the status column skips nobody
    assert len(with_map(plan, ["Attendee Status=none"]).participants) == 4


def test_map_reads_a_column_the_guess_left_out():
    text = "Who,Courriel,Ref,Badge\nZoë Núñez,z@example.org,LHS,Teacher\n"
    plan = read_roster(text.encode())
    assert plan.unused_columns == ["Who", "Ref", "Badge"]
    mapped = with_map(plan, ["who=name", "ref=School", "BADGE=role"])
    assert people(mapped) == [("Zoë Núñez", "z@example.org", "LHS", "Teacher")]
    assert mapped.unused_columns == []
    moved = with_map(mapped, ["Courriel=none"])
    assert people(moved) == [("Zoë Núñez", "", "LHS", "Teacher")]


@pytest.mark.parametrize("pair, message", [
    ("Nope=name", "has no column “Nope”"),
    ("Who=shoe size", "is not a field"),
    ("name", "is not HEADER=field"),
    ("=name", "is not HEADER=field"),
])
def test_a_bad_map_is_one_line(pair, message):
    plan = read_roster(b"Who,Email\nZo\xc3\xab,z@example.org\n")
    with pytest.raises(RosterError, match=message) as refused:
        with_map(plan, [pair])
    assert "\n" not in str(refused.value)


def test_the_cli_maps_and_names_what_it_leaves_out(run_cli, ctx, academy, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(workbook(["Who", "Courriel", "Campus code", "Shirt"],
                              ["Zoë Núñez", "z@example.org", "LHS", "M"]))
    code, out, err = run_cli("roster", "import", str(path), "--academy", "Test Academy",
                             "--map", "Who=name", "--map", "Campus code=school")
    assert code == 0, err
    assert "Not imported: “Shirt”" in out and "--map" in out
    assert [(p.name, p.school) for p in ctx.academies.participants(academy.id)] == [
        ("Zoë Núñez", "LHS")]
    code, out, err = run_cli("roster", "import", str(path), "--academy", "Test Academy",
                             "--map", "Nope=name")
    assert code == 2 and err.startswith("error: --map: the file has no column “Nope”")


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("data, message", [
    (_zip({"word/document.xml": b"<w/>"}), "holds no Excel workbook"),
    (_zip({"xl/workbook.xml": b"<not really"}), "cannot be read"),
    (b"PK\x03\x04" + b"\x00" * 40, "is damaged"),
], ids=["a Word file", "a broken workbook", "a truncated zip"])
def test_hostile_workbooks_are_one_line(data, message):
    with pytest.raises(RosterError, match=message) as refused:
        read_roster(data)
    assert "\n" not in str(refused.value)


def test_a_zip_bomb_is_refused_before_it_inflates():
    bomb = _zip({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml":
                 b"\x00" * (210 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(RosterError, match="would take 210 MB once opened"):
        read_roster(bomb)


@pytest.mark.fuzz
@fuzz_settings(40)
@given(cuts=st.lists(st.tuples(st.integers(0, 10_000), st.binary(min_size=1, max_size=6)),
                     min_size=1, max_size=4))
def test_a_damaged_workbook_is_read_or_refused_never_a_crash(cuts):
    data = bytearray(workbook(["Name", "Email"], ["Zoë Núñez", "z@example.org"]))
    for offset, chunk in cuts:
        offset = 4 + offset % (len(data) - 4)   # keep the zip's magic: it must reach calamine
        data[offset:offset + len(chunk)] = chunk
    try:
        read_roster(bytes(data))
    except RosterError as exc:
        assert "\n" not in str(exc)


@pytest.mark.fuzz
@fuzz_settings(200)
@given(pairs=st.lists(st.text(max_size=30), max_size=5))
def test_any_map_argument_is_taken_or_refused_in_one_line(pairs):
    plan = read_roster(b"Who,Email,Ref\nZo\xc3\xab,z@example.org,A\n")
    try:
        mapped = with_map(plan, pairs)
    except RosterError as exc:
        assert "\n" not in str(exc)
    else:
        chosen = [c for c in mapped.mapping.values() if c is not None]
        assert len(chosen) == len(set(chosen))   # a column is never read as two fields


def test_a_workbook_claiming_a_future_zip_version_is_refused_in_one_line():
    # Found by the fuzz test: two bytes of the central directory turned into "needs zip 11.2
    # to extract", which zipfile refuses with NotImplementedError rather than BadZipFile. The
    # field is found by its header's signature: the workbook's length varies with its timestamps.
    data = bytearray(workbook(["Name", "Email"], ["Zoë Núñez", "z@example.org"]))
    header = data.index(b"PK\x01\x02")            # the first central directory file header
    data[header + 6:header + 8] = (112).to_bytes(2, "little")   # version needed: 11.2
    with pytest.raises(RosterError) as refused:
        read_roster(bytes(data))
    assert "\n" not in str(refused.value)


def test_the_workbooks_of_these_tests_are_the_same_bytes_at_any_time(monkeypatch):
    """What the fuzz tests and the offsets above rely on: the clock moving does not change them."""
    import time
    first = workbook(["Name", "Email"], ["Zoë Núñez", "z@example.org"])
    later = time.time() + 3 * 86400 + 7
    real = time.localtime
    monkeypatch.setattr(time, "localtime", lambda secs=None: real(later if secs is None else secs + 3 * 86400 + 7))
    assert workbook(["Name", "Email"], ["Zoë Núñez", "z@example.org"]) == first
