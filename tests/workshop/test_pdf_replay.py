"""Identical drawings of one document are drawn once and their operators written again
(``flowables.replay``), and a paragraph builds its fragments only when it needs them: the
same bytes as drawing and parsing every time (issue 20, the fifth pass)."""
from __future__ import annotations

import contextlib

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Table

from workshop.pdf import DocMeta, document, flowables, fonts, render
from workshop.pdf.flowables import Para, WriteLines, para
from workshop.pdf.styles import styles

LABEL = f"<b>{fonts.markup('Station 1:', bold=True)}</b> Teacher-led targeted instruction"


def _story() -> list:
    """Repeats of every kind a handout has: cells, headings, lines to write on, pages."""
    cells = [[Para(LABEL, styles()["cell"]), para("— not written yet", "small")]
             for _ in range(12)]
    story: list = []
    for n in range(4):
        story += [para(f"Cycle {n}", "h2"), para("Plan", "h3"), WriteLines(2, "Our question"),
                  Table(cells, colWidths=[60 * mm, 40 * mm]), PageBreak()]
    return story


def _meta() -> DocMeta:
    return DocMeta(title="Cards", academy="Regional Design Academy — Ольга & 张伟",
                   date_text="School 01 · printed 12 March 2026")


def test_a_story_of_repeats_draws_the_bytes_it_draws_with_nothing_remembered(monkeypatch):
    remembered = render(_story(), _meta())
    monkeypatch.setattr(document, "shared_layouts", contextlib.nullcontext)
    assert render(_story(), _meta()) == remembered


def test_identical_paragraphs_lines_and_furniture_are_drawn_once_a_document(monkeypatch):
    drawn: list[str] = []
    real_para, real_lines = Paragraph.drawPara, WriteLines._draw
    monkeypatch.setattr(Paragraph, "drawPara",
                        lambda self, debug=0: drawn.append(self.text) or real_para(self, debug))
    monkeypatch.setattr(WriteLines, "_draw", lambda self: drawn.append("lines") or real_lines(self))
    strings: list[str] = []
    real_string = fonts.draw_string
    monkeypatch.setattr(fonts, "draw_string",
                        lambda c, x, y, text, *a, **k: strings.append(text)
                        or real_string(c, x, y, text, *a, **k))
    pdf = render(_story(), _meta())
    assert pdf.count(b"/Type /Page\n") == 4
    # Each text once (in each canvas state it meets), however often the pages repeat it.
    assert drawn.count("lines") == 1 and drawn.count("— not written yet") == 1
    assert drawn.count(LABEL) == 1
    assert sorted(t for t in drawn if t.startswith("Cycle")) == [f"Cycle {n}" for n in range(4)]
    # The header and the footer's date once; the page number on every page.
    assert strings.count("Cards") == 1 and strings.count("School 01 · printed 12 March 2026") == 1
    assert [s for s in strings if s.startswith("Page ")] == [f"Page {n} of 4" for n in range(1, 5)]
    # Nothing is remembered across documents: the next one draws its own.
    drawn.clear()
    render(_story(), _meta())
    assert drawn.count("— not written yet") == 1


def test_a_drawing_that_links_or_leaves_the_state_changed_is_drawn_each_time(monkeypatch):
    from reportlab.pdfgen.canvas import Canvas
    import io

    canvas = Canvas(io.BytesIO())
    calls: list[str] = []

    def linking():
        calls.append("link")
        canvas.linkURL("https://example.org", (0, 0, 10, 10))

    def colouring():
        calls.append("colour")
        canvas.setFillColorRGB(1, 0, 0)   # not restored: the next drawing starts red

    with flowables.shared_layouts():
        for _ in range(3):
            flowables.replay(canvas, ("link",), linking)
        for _ in range(2):
            canvas.setFillColorRGB(0, 0, 0)
            flowables.replay(canvas, ("colour",), colouring)
        kept: list[str] = []
        for _ in range(3):
            flowables.replay(canvas, ("kept",), lambda: kept.append("x") or canvas.addLiteral("% x"))
    assert calls == ["link"] * 3 + ["colour"] * 2 and kept == ["x"]
    assert str(canvas._code).count("% x") == 3


def test_paragraphs_that_share_a_layout_never_build_their_fragments(monkeypatch):
    built: list[str] = []
    real_plain, real_markup = flowables._plain_frags, flowables._markup_frags
    monkeypatch.setattr(flowables, "_plain_frags",
                        lambda text, style: built.append(text) or real_plain(text, style))
    monkeypatch.setattr(flowables, "_markup_frags",
                        lambda text, style: built.append(text) or real_markup(text, style))
    cells = [[Para(LABEL, styles()["cell"])] for _ in range(20)]
    render([Table(cells, colWidths=[60 * mm])], DocMeta(title="Cards"))
    assert built.count(LABEL) <= 2   # the first: plain failed, then the app's markup
    # Asked for, a paragraph's text and fragments are what the parser makes.
    fresh, parsed = Para(LABEL, styles()["cell"]), Paragraph(LABEL, styles()["cell"])
    assert fresh.text == parsed.text
    assert [f.__dict__ for f in fresh.frags] == [f.__dict__ for f in parsed.frags]


def _positions(monkeypatch, story: list) -> tuple[int, list]:
    """(pages, [(page, what was drawn, where its origin was on the page)])."""
    drawn: list = []
    real_para, real_lines = Para.draw, WriteLines.draw

    def record(what, real):
        def draw(self):
            a, b, c, d, e, f = self.canv._currentMatrix
            drawn.append((self.canv.getPageNumber(), what(self), round(e, 6), round(f, 6)))
            real(self)
        return draw
    monkeypatch.setattr(Para, "draw", record(lambda p: p.text, real_para))
    monkeypatch.setattr(WriteLines, "draw", record(lambda w: w.label, real_lines))
    pdf = render(story, DocMeta(title="Forms"))
    monkeypatch.undo()
    return pdf.count(b"/Type /Page\n"), drawn


def _blank(n: int, lines: int = 2) -> list:
    from workshop.pdf.flowables import KeepPlain
    return [para(f"Cycle {n}", "h2"), para("Started ______   Finished ______"),
            *[KeepPlain([para(step, "h3"), WriteLines(lines, f"{step} notes"),
                         para("Decision: ☐ Adopt ☐ Adapt")]) for step in ("Plan", "Do", "Study")]]


def test_a_fixed_form_draws_its_parts_where_the_frame_places_them_one_by_one(monkeypatch):
    from workshop.pdf.flowables import FixedForm
    lead = [para("A heading", "h2"), para("Some words before the forms. " * 20)]
    loose = lead + [f for n in range(5) for f in _blank(n)]
    fixed = lead + [FixedForm(_blank(n)) for n in range(5)]
    assert _positions(monkeypatch, fixed) == _positions(monkeypatch, loose)
    # Taller than a page: it splits into its flowables, which the frame places as before.
    tall = [FixedForm(_blank(0, lines=30))]
    pages, drawn = _positions(monkeypatch, tall)
    assert (pages, drawn) == _positions(monkeypatch, _blank(0, lines=30)) and pages > 1


def test_a_texts_markup_is_made_once_a_process_and_is_what_fonts_make(monkeypatch):
    made: list[str] = []
    real = fonts.markup
    monkeypatch.setattr(fonts, "markup", lambda text, bold=False: made.append(text)
                        or real(text, bold=bold))
    monkeypatch.setattr(flowables, "_MARKUPS", {})
    texts = ["Zoë & <Ольга>", "张伟 teaches", "— not written yet", "plain"]
    for _ in range(3):
        for text in texts:
            assert flowables.markup(text) == real(text)
            assert flowables.markup(text, bold=True) == real(text, bold=True)
    assert sorted(made) == sorted(texts * 2)            # once each, plain and bold
    assert flowables.markup(None) == "" and flowables.markup(42) == "42"   # not remembered
    monkeypatch.setattr(flowables, "MARKUP_MEMO_LIMIT", 2)
    for text in ("a", "b", "c"):
        flowables.markup(text)
    assert len(flowables._MARKUPS) <= 2
