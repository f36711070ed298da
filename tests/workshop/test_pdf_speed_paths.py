"""The shortcuts taken for speed give exactly what reportlab's own paths give."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph

from tests.fuzzing import fuzz_settings

from workshop.pdf import DocMeta, attachments, render
from workshop.pdf.flowables import Para
from workshop.pdf.styles import styles

TEXTS = ["Plain words", "  leading and trailing  ", "two\nlines", "Zoë Brennan-O'Neil",
         "Ольга Петрова", "a" * 300, "— not written yet", "Exit tickets: 80 % ‘got it’"]


@pytest.mark.parametrize("name", sorted(styles().byName))
def test_plain_paragraphs_get_the_fragments_the_parser_makes(name):
    style = styles()[name]
    for text in TEXTS:
        fast, parsed = Para(text, style), Paragraph(text, style)
        assert fast.text == parsed.text
        assert [f.__dict__ for f in fast.frags] == [f.__dict__ for f in parsed.frags]


def test_markup_and_empty_text_still_go_through_the_parser():
    style = styles()["body"]
    bold = Para("<b>Label:</b> text", style)
    assert [f.fontName for f in bold.frags] == ["DejaVuSans-Bold", "DejaVuSans"]
    assert Para("", style).frags == Paragraph("", style).frags
    assert "".join(f.text for f in Para("a &amp; b", style).frags) == "a & b"


class _Parsed(Paragraph):
    """Paragraph with the parser always run: what Para must match."""


def test_a_story_of_plain_paragraphs_renders_the_same_bytes(tmp_path):
    def story(cls):
        return [cls(text, styles()[name]) for name in ("title", "body", "cell", "small")
                for text in TEXTS]
    meta = DocMeta(title="Test", academy="Academy", date_text="1 March 2026")
    assert render(story(Para), meta, paper="a4") == render(story(_Parsed), meta, paper="a4")


def test_attachments_are_sorted_in_the_name_tree_and_read_back():
    files = {f"prototype-{i}.json": f'{{"n": {i}}}'.encode() for i in (2, 10, 1)}
    meta = DocMeta(title="Test", attachments=files)
    pdf = render([Para("x", styles()["body"])], meta, paper="a4")
    assert attachments(pdf) == files
    found = list(attachments(pdf))
    assert found == sorted(found)


def test_memoised_widths_are_reportlabs_widths_to_the_bit():
    from reportlab.pdfbase import pdfmetrics

    from workshop.pdf import fonts
    fonts.register_fonts()
    memo = pdfmetrics.getFont(fonts.REGULAR)
    assert isinstance(memo, fonts.MemoTTFont)

    def pure_python(text, size):
        # reportlab's own Python width, the one a pack is laid out with. Its C accelerator
        # (rl_accel) multiplies in another order and can differ in the last bit (9 pt:
        # 51.47753906250001 against 51.4775390625): the memo keeps the Python formula, so
        # a pack's line breaks do not depend on whether the accelerator is installed.
        get, default = memo.face.charWidths.get, memo.face.defaultWidth
        return 0.001 * size * sum(get(ord(ch), default) for ch in text)
    for text in TEXTS + ["", "x", "张伟"]:
        for size in (8, 8.5, 9, 13.5, 40):
            assert memo.stringWidth(text, size) == pure_python(text, size)
            assert memo.stringWidth(text, size) == pure_python(text, size)   # memoised


MARKUP = ["<b>Label:</b> text", "<b>The change:</b> Three stations<br/><b>Question:</b> a &amp; b",
          "<b>A &lt;b&gt;:</b> x<br/>line two<br/><br/>", "x <b>y</b> z",
          'Lead <font name="DroidSansFallback">张伟</font> and <font name="NanumGothic">김민준</font>',
          '<b>Who:</b> <font name="DroidSansFallback">张伟</font>&amp;Ольга',
          '<b><font name="DroidSansFallback">张伟</font> bold</b>', "  <b> spaced </b>  out  "]


@pytest.mark.parametrize("name", ["body", "cell", "small", "h3", "title"])
def test_the_apps_markup_gets_the_fragments_the_parser_makes(name):
    from workshop.pdf import fonts
    fonts.register_all()
    style = styles()[name]
    from workshop.pdf.flowables import _markup_frags
    for text in MARKUP:
        assert _markup_frags(text, style) is not None, text   # the shortcut is taken
        fast, parsed = Para(text, style), Paragraph(text, style)
        assert fast.text == parsed.text
        assert [f.__dict__ for f in fast.frags] == [f.__dict__ for f in parsed.frags], text


@pytest.mark.parametrize("text", ["<i>other tags</i>", "<b>unclosed", "</b>stray", "a & b",
                                  '<font color="red">x</font>', "&nbsp;"])
def test_other_markup_is_left_to_the_parser(text):
    from workshop.pdf.flowables import _markup_frags
    assert _markup_frags(text, styles()["body"]) is None


def test_a_story_of_the_apps_markup_renders_the_same_bytes():
    from workshop.pdf import fonts
    fonts.register_all()
    def story(cls):
        return [cls(text, styles()[name]) for name in ("body", "cell") for text in MARKUP]
    meta = DocMeta(title="Test", academy="Academy", date_text="1 March 2026")
    assert render(story(Para), meta, paper="a4") == render(story(_Parsed), meta, paper="a4")


def test_identical_paragraphs_of_one_document_break_their_lines_once(monkeypatch):
    from reportlab.lib.units import mm
    from reportlab.platypus import Table

    from workshop.pdf import fonts
    calls: list[str] = []
    real = Paragraph.breakLines

    def counting(self, width):
        calls.append(self.text)
        return real(self, width)
    monkeypatch.setattr(Paragraph, "breakLines", counting)
    markup = f"<b>{fonts.markup('Station 1:', bold=True)}</b> Teacher-led targeted instruction"
    cells = [[Para(markup, styles()["cell"]), Para("09:00–09:15", styles()["cell"])]
             for _ in range(30)]
    render([Table(cells, colWidths=[40 * mm, 30 * mm])], DocMeta(title="Cards"))
    assert len(calls) == 2                      # one layout each, shared by its 29 copies
    calls.clear()
    # Another style, width or direction is another layout; nothing is shared across documents.
    story = [Para("09:00–09:15", styles()["cell"]), Para("09:00–09:15", styles()["body"])]
    rtl = Para("09:00–09:15", styles()["cell"])
    rtl.direction = "rtl"
    render(story + [rtl, Table([[Para("09:00–09:15", styles()["cell"])]], colWidths=[20 * mm])],
           DocMeta(title="Other"))
    assert len(calls) == 4


def test_shared_layouts_split_across_pages_give_the_bytes_of_unshared_ones(monkeypatch):
    # Splitting edits a layout in place, so a shared paragraph that splits breaks its own lines
    # first: a story of identical long paragraphs, many split at a page's foot, must come out
    # byte for byte as it does with nothing shared.
    import contextlib

    from workshop.pdf import document
    text = "A long paragraph that runs over several lines and splits at the foot of a page. " * 9
    marked = "<b>Plan:</b> " + text

    def story():
        return [Para(t, styles()[s]) for _ in range(14)
                for t, s in ((text, "body"), (marked, "cell"), ("Short", "small"))]
    shared = render(story(), DocMeta(title="Split"))
    monkeypatch.setattr(document, "shared_layouts", contextlib.nullcontext)
    assert render(story(), DocMeta(title="Split")) == shared


def test_keep_plain_measures_without_copying_the_frame_and_lays_out_as_keep_together(
        monkeypatch):
    from reportlab.platypus import KeepTogether, Spacer, flowables as rl_flowables

    from workshop.pdf.flowables import KeepPlain, WriteLines
    text = "A block kept on one page: a heading, some words and lines to write on. " * 3

    def story(keep):
        return [keep([Para(f"Block {i}", styles()["cell_bold"]), Para(text, styles()["body"]),
                      WriteLines(3, "Notes"), Spacer(0, 4)]) for i in range(12)]
    expected = render(story(KeepTogether), DocMeta(title="Blocks"))

    def refuse(*args, **kwargs):
        raise AssertionError("the frame was deep-copied")
    monkeypatch.setattr(rl_flowables, "deepcopy", refuse)
    assert render(story(KeepPlain), DocMeta(title="Blocks")) == expected
    with pytest.raises(AssertionError, match="deep-copied"):
        render(story(KeepTogether), DocMeta(title="Blocks"))


@pytest.mark.fuzz
@fuzz_settings(200)
@given(st.lists(st.sampled_from(["Zoë", "Ольга Петрова", "09:00–09:15", "a b", "", " ",
                                 "Round 1", "\u00a0x", "张伟"]) | st.text(max_size=12),
                max_size=30))
def test_a_remembered_split_is_what_reportlab_splits_for_the_same_document(texts):
    from reportlab.pdfbase.pdfdoc import PDFDocument
    from reportlab.pdfbase.ttfonts import TTFont

    from workshop.pdf import fonts
    fonts.register_fonts()
    font = pdfmetrics.getFont(fonts.REGULAR)
    ours, theirs = PDFDocument(), PDFDocument()
    for text in texts + texts:   # each text again, from the memo
        assert font.splitString(text, ours) == TTFont.splitString(font, text, theirs)


def test_the_split_memo_is_per_document(monkeypatch):
    from reportlab.pdfbase.pdfdoc import PDFDocument
    from reportlab.pdfbase.ttfonts import TTFont

    from workshop.pdf import fonts
    fonts.register_fonts()
    font = pdfmetrics.getFont(fonts.REGULAR)
    calls = []
    real = TTFont.splitString
    monkeypatch.setattr(TTFont, "splitString",
                        lambda self, text, doc, encoding="utf-8":
                        calls.append(text) or real(self, text, doc, encoding))
    first, second = PDFDocument(), PDFDocument()
    assert font.splitString("Ольга", first) == font.splitString("Ольга", first)
    font.splitString("Ольга", second)
    assert calls == ["Ольга", "Ольга"]   # once in each document


def test_the_headers_academy_is_fitted_once_a_document(monkeypatch):
    from reportlab.platypus import PageBreak

    from workshop.pdf import fonts
    fitted = []
    real = fonts.fit_text
    monkeypatch.setattr(fonts, "fit_text", lambda *a, **k: fitted.append(a[0]) or real(*a, **k))
    pdf = render([Para("One", styles()["body"]), PageBreak(), Para("Two", styles()["body"]),
                  PageBreak(), Para("Three", styles()["body"])],
                 DocMeta(title="Three pages", academy="Regional Design Academy — Ольга & 张伟"))
    assert pdf.count(b"/Type /Page\n") == 3 and fitted == ["Regional Design Academy — Ольга & 张伟"]
