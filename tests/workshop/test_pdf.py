"""PDF mechanics: per-run font fallback, escaping, paper sizes, page furniture, attachments."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from workshop.pdf import AttachmentError, DocMeta, attachments, default_paper, read_attachment, render
from workshop.pdf import fonts
from workshop.pdf.flowables import QrCode, WriteLines, para
from workshop.qr import qr_matrix

NAMES = ["Zoë Brennan-O'Neil", "José Núñez", "Ольга Петрова", "张伟", "김민준"]


@pytest.mark.parametrize("text, expected", [
    ("Zoë Núñez", [(fonts.REGULAR, "Zoë Núñez")]),
    ("Ольга Ελένη", [(fonts.REGULAR, "Ольга Ελένη")]),
    ("张伟 and 李娜", [(fonts.CJK, "张伟"), (fonts.REGULAR, " and "), (fonts.CJK, "李娜")]),
    ("김민준 さくら", [(fonts.HANGUL, "김민준"), (fonts.REGULAR, " "), (fonts.CJK, "さくら")]),
    ("", []),
])
def test_runs_give_each_script_a_font_that_draws_it(text, expected):
    assert fonts.runs(text) == expected


def test_bold_runs_keep_the_bold_face_where_it_covers():
    assert fonts.runs("Zoë 张", bold=True) == [(fonts.BOLD, "Zoë "), (fonts.CJK, "张")]


def test_markup_escapes_participant_text_and_wraps_cjk_runs():
    assert fonts.markup("<b>Bold</b> & 张伟") == (
        '&lt;b&gt;Bold&lt;/b&gt; &amp; <font name="DroidSansFallback">张伟</font>')


@pytest.mark.parametrize("environ, paper", [
    ({"LANG": "en_US.UTF-8"}, "letter"),
    ({"LANG": "fr_CA.UTF-8"}, "letter"),
    ({"LANG": "en_GB.UTF-8"}, "a4"),
    ({"LANG": "de_DE.UTF-8", "LC_PAPER": "en_US.UTF-8"}, "letter"),
    ({"LC_ALL": "en_AU.UTF-8", "LC_PAPER": "en_US.UTF-8"}, "a4"),
    ({"LANG": "C.UTF-8"}, "a4"),
    ({}, "a4"),
    ({"LANG": "en_US.UTF-8", "WORKSHOP_PAPER": "a4"}, "a4"),
])
def test_default_paper_follows_the_locale(environ, paper):
    assert default_paper(environ) == paper


def test_without_locale_variables_the_desktop_region_decides():
    assert default_paper({}, region="US") == "letter"
    assert default_paper({}, region="DE") == "a4"
    assert default_paper({"LANG": "en_GB.UTF-8"}, region="US") == "a4"


def test_render_has_header_footer_page_numbers_and_exact_names():
    story = [para("Title", "title")] + [para(n) for n in NAMES * 40] + [WriteLines(3, "Notes")]
    pdf = render(story, DocMeta("Debrief", academy="Academy 张伟", date_text="12 March 2026"),
                 paper="letter")
    reader = PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    assert pages >= 2
    assert reader.pages[0].mediabox.width == pytest.approx(612)  # US Letter
    last = reader.pages[-1].extract_text()
    assert f"Page {pages} of {pages}" in last and "Academy 张伟" in last and "12 March 2026" in last
    text = "".join(p.extract_text() for p in reader.pages)
    for name in NAMES:
        assert name in text
    assert reader.metadata.title == "Debrief"


def test_cjk_font_is_subset_and_the_file_stays_small():
    pdf = render([para(" ".join(NAMES))], DocMeta("Names"), paper="a4")
    assert len(pdf) < 80_000   # the 4 MB CJK font is embedded as a subset


def test_attachments_round_trip_and_a_missing_one_is_named():
    pdf = render([para("x")], DocMeta("X", attachments={"prototype.json": b'{"a": 1}'}))
    assert attachments(pdf) == {"prototype.json": b'{"a": 1}'}
    assert read_attachment(pdf, "prototype.json") == b'{"a": 1}'
    with pytest.raises(AttachmentError, match="no embedded other.json"):
        read_attachment(pdf, "other.json")
    with pytest.raises(AttachmentError, match="not a readable PDF"):
        attachments(b"not a pdf")


def test_qr_flowable_draws_the_shared_matrix():
    matrix = qr_matrix("http://10.0.0.2:8765/s/abc")
    flowable = QrCode(matrix.text, size=100)
    assert flowable.matrix == matrix
    assert flowable.wrap(500, 500) == (100, 100)


def test_qr_flowable_writes_what_one_rect_per_run_of_dark_modules_writes(monkeypatch):
    # The boxes are written as literal operators (formatting each number once): byte for
    # byte what canvas.rect wrote for every run, and rect itself is not called.
    from reportlab.pdfgen.canvas import Canvas
    matrix = qr_matrix("http://192.0.2.7:8765/p/" + "Qr_-" * 8)

    def page(draw) -> bytes:
        out = io.BytesIO()
        canvas = Canvas(out, invariant=1, pageCompression=0)
        draw(canvas)
        canvas.showPage()
        canvas.save()
        return out.getvalue()

    def by_rect(canvas) -> None:
        cell = 70 / matrix.size
        canvas.saveState()
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setStrokeColorRGB(0, 0, 0)
        canvas.setLineWidth(0.01)
        for r, row in enumerate(matrix.modules):
            start = None
            for col, dark in enumerate(row + (False,)):
                if dark and start is None:
                    start = col
                elif not dark and start is not None:
                    canvas.rect(start * cell, 70 - (r + 1) * cell, (col - start) * cell, cell,
                                stroke=0, fill=1)
                    start = None
        canvas.restoreState()

    expected = page(by_rect)

    def refuse(*args, **kwargs):
        raise AssertionError("a rect call per box")
    monkeypatch.setattr(Canvas, "rect", refuse)
    def by_flowable(canvas) -> None:
        flowable = QrCode(matrix, size=70)
        flowable.canv = canvas
        flowable.draw()
    assert page(by_flowable) == expected


def test_pdftotext_gives_the_names_back_exactly(tmp_path):
    import subprocess
    from tests.conftest import require_tool
    pdftotext = require_tool("pdftotext", "extracts the text as a reader's tools would")
    path = tmp_path / "names.pdf"
    path.write_bytes(render([para(n) for n in NAMES], DocMeta("Names", academy="张伟 Academy")))
    text = subprocess.run([pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    for name in NAMES:
        assert name in text.splitlines()
    assert "张伟 Academy" in text


def test_the_paper_sizes_are_reportlabs_own():
    """workshop.pdf.paper writes A4 and Letter out (the paper choice loads without reportlab):
    they must be reportlab's, to the last bit."""
    from reportlab.lib.pagesizes import A4, letter
    from workshop.pdf.paper import PAPERS
    assert PAPERS == {"a4": A4, "letter": letter}
