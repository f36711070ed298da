"""Write the hostile prototype files beside this script from the two valid exports here
(``valid.json`` from `workshop prototype export`, ``valid.pdf`` from `workshop handout
prototype`). Each file is one way a file can be broken; ``tests/prototypes/exchange/
test_hostile_files.py`` holds the table of what importing each must say. Run it again after
changing a case (the outputs are committed):

    PYTHONPATH=. .venv/bin/python tests/data/hostile/prototypes/make_files.py
"""
from __future__ import annotations

import copy
import io
import json
import re
import zlib
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
VALID = json.loads((HERE / "valid.json").read_text(encoding="utf-8"))
VALID_PDF = (HERE / "valid.pdf").read_bytes()


def edited(change: Callable[[dict], None]) -> bytes:
    """valid.json with one change, written as the app writes it."""
    doc = copy.deepcopy(VALID)
    change(doc)
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False).encode() + b"\n"


def text_edit(old: str, new: str) -> bytes:
    text = (HERE / "valid.json").read_text(encoding="utf-8")
    assert old in text, old
    return text.replace(old, new, 1).encode("utf-8", "surrogatepass")


def proto(key: str, value) -> Callable[[dict], None]:
    return lambda doc: doc["prototype"].__setitem__(key, value)


def consent(key: str, value) -> Callable[[dict], None]:
    return lambda doc: doc["prototype"]["check"]["consent"].__setitem__(key, value)


def first_iteration(key: str, value) -> Callable[[dict], None]:
    return lambda doc: doc["iterations"][0].__setitem__(key, value)


def snapshot(key: str, value) -> Callable[[dict], None]:
    return lambda doc: doc["iterations"][0]["snapshot"].__setitem__(key, value)


def measures(*items) -> Callable[[dict], None]:
    """A version 2 file whose "measures" section is ``items`` (one good measure by default
    is the base each case spoils)."""
    def change(doc: dict) -> None:
        doc["version"] = 2
        doc["measures"] = list(items)
    return change


GOOD_MEASURE = {"uid": "a1", "name": "Exit tickets", "unit": "%", "direction": "up",
                "goal": 80.0, "how": "", "how_often": "daily",
                "points": [{"on": "2026-11-25", "value": 74.0, "note": ""}],
                "predictions": [{"cycle": 1, "value": 80.0}]}


def spoiled(**changes) -> dict:
    return {**GOOD_MEASURE, **changes}


def pdf_with_attachment(data: bytes, compressed: bytes | None = None) -> bytes:
    """A one-page PDF carrying ``prototype.json`` as the app embeds it (``compressed`` replaces
    the deflated stream, to make it damaged)."""
    from reportlab.pdfgen.canvas import Canvas
    from workshop.pdf.attachments import embed

    out = io.BytesIO()
    canvas = Canvas(out, invariant=True)   # the same bytes on every run
    canvas.drawString(72, 720, "Hostile prototype PDF")
    canvas.showPage()
    embed(canvas._doc, {"prototype.json": data})
    canvas.save()
    pdf = out.getvalue()
    if compressed is not None:
        good = zlib.compress(data, 9)
        assert pdf.count(good) == 1
        pdf = pdf.replace(good, compressed).replace(
            f"/Length {len(good)}".encode(), f"/Length {len(compressed)}".encode())
    return pdf


def damaged_stream(pdf: bytes) -> bytes:
    """valid.pdf with bytes in the middle of its embedded file's deflated stream changed."""
    at = pdf.index(b"/Type /EmbeddedFile")
    start = pdf.index(b"stream", at) + len(b"stream\r\n")
    middle = start + 40
    return pdf[:middle] + bytes(b ^ 0x5A for b in pdf[middle:middle + 30]) + pdf[middle + 30:]


def without_xref(pdf: bytes) -> bytes:
    return re.sub(rb"xref.*?trailer", b"trailer", pdf, count=1, flags=re.S).replace(
        b"startxref", b"startxrxf")


CASES: dict[str, Callable[[], bytes]] = {
    # JSON
    "deep-nesting.json": lambda: b'{"format": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "deep-but-parsable.json": lambda: edited(proto("why", json.loads("[" * 40 + "]" * 40))),
    "number-5000-digits.json": lambda: text_edit('"version": 1', '"version": ' + "9" * 5000),
    "iteration-number-2-63.json": lambda: edited(first_iteration("number", 2 ** 63)),
    "iteration-number-huge.json": lambda: edited(first_iteration("number", 10 ** 17)),
    "snapshot-check-text.json": lambda: edited(snapshot("check", "all fine")),
    "snapshot-check-list.json": lambda: edited(snapshot("check", [])),
    "snapshot-core-four-number.json": lambda: edited(snapshot("core_four", 5)),
    "lone-surrogate-escaped.json": lambda: text_edit('"Flex Fridays"', '"Flex \\ud800Fridays"'),
    "lone-surrogate-raw.json": lambda: text_edit('"Flex Fridays"', '"Flex \ud800Fridays"'),
    "timestamp-without-zone.json": lambda: edited(proto("updated_at", "2026-12-01T10:00:00")),
    "no-objection-text-false.json": lambda: edited(consent("no_objection", "false")),
    "no-objection-zero.json": lambda: edited(consent("no_objection", 0)),
    "no-objection-null.json": lambda: edited(consent("no_objection", None)),
    "nan.json": lambda: text_edit('"version": 1', '"version": NaN'),
    "garbage.json": lambda: bytes(range(256)) * 8,
    "zlib.json": lambda: zlib.compress((HERE / "valid.json").read_bytes()),
    "nul-bytes.json": lambda: b"\x00" * 64,
    "core-four-object.json": lambda: edited(proto("core_four", [{"a": "x" * 10_000}])),
    "risk-extra-key.json": lambda: edited(
        lambda d: d["prototype"]["check"]["risks"]["why"].__setitem__("score", 3)),
    # PDF
    "attachment-bomb.pdf": lambda: pdf_with_attachment(b" " * (40 * 1024 * 1024)),
    # past pypdf's own 75 MB ceiling too (80 MB of spaces deflate to 80 KB)
    "attachment-bomb-past-pypdf.pdf": lambda: pdf_with_attachment(b" " * (80 * 1000 * 1000)),
    "attachment-bad-zlib.pdf": lambda: damaged_stream(VALID_PDF),
    "attachment-not-zlib.pdf": lambda: pdf_with_attachment(
        (HERE / "valid.json").read_bytes(), compressed=bytes(range(256)) * 4),
    "attachment-no-objection-text.pdf": lambda: pdf_with_attachment(
        edited(consent("no_objection", "false"))),
    "truncated.pdf": lambda: VALID_PDF[: len(VALID_PDF) // 2],
    "header-only.pdf": lambda: b"%PDF-",
    "header-then-garbage.pdf": lambda: b"%PDF-1.4\n" + bytes(range(256)) * 16,
    "no-xref.pdf": lambda: without_xref(VALID_PDF),
    "measures-not-a-list.json": lambda: edited(lambda d: (measures()(d), d.update(measures={}))),
    "measure-value-text.json": lambda: edited(measures(spoiled(
        points=[{"on": "2026-11-25", "value": "74", "note": ""}]))),
    "measure-value-huge.json": lambda: edited(measures(spoiled(
        points=[{"on": "2026-11-25", "value": 1e300, "note": ""}]))),
    "measure-date-bad.json": lambda: edited(measures(spoiled(
        points=[{"on": "25/11/2026", "value": 74.0, "note": ""}]))),
    "measure-prediction-unknown-cycle.json": lambda: edited(measures(spoiled(
        predictions=[{"cycle": 7, "value": 80.0}]))),
    "measure-direction-sideways.json": lambda: edited(measures(spoiled(direction="sideways"))),
    "measure-twice.json": lambda: edited(measures(GOOD_MEASURE, GOOD_MEASURE)),
    "measure-goal-text.json": lambda: edited(measures(spoiled(goal="80"))),
}


def main() -> None:
    for name, make in CASES.items():
        (HERE / name).write_bytes(make())
        print(f"wrote {name}")


if __name__ == "__main__":
    main()
