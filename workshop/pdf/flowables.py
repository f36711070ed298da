"""Flowables the handouts share: the QR code, write-in lines, and escaped paragraphs."""
from __future__ import annotations

import copy

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags
from reportlab.platypus.paraparser import ParaParser

from workshop.pdf import fonts
from workshop.pdf.styles import CUT, MUTED, RULE, WRITE_LINE_GAP, styles
from workshop.qr import QrMatrix, qr_matrix


_TEMPLATES: dict[int, tuple] = {}   # id(style) -> (style, the fragment plain text gets)


def _plain_frags(text: str, style) -> tuple[str, list] | None:
    """``(text, fragments)`` for markup-free text, as reportlab's parser would make them, or
    None when the text has markup (or is empty) and needs the parser. Most paragraphs of a
    handout are plain, and the parser (an HTMLParser run per paragraph) was a tenth of the
    time of a big pack: a plain paragraph is one fragment of the style with the text in it,
    so the parser's fragment for the style is copied instead."""
    if "<" in text or "&" in text:
        return None
    cleaned = cleanBlockQuotedText(text)
    if not cleaned:
        return None
    entry = _TEMPLATES.get(id(style))
    if entry is None or entry[0] is not style:
        parsed = ParaParser().parse("x", style)[1]
        if parsed is None or len(parsed) != 1:
            return None
        entry = _TEMPLATES[id(style)] = (style, parsed[0])
    frag = copy.copy(entry[1])
    frag.text = cleaned
    frag.link, frag.us_lines = [], []   # fresh, as each parse makes them
    frags = [frag]
    textTransformFrags(frags, style)
    return cleaned, frags


class Para(Paragraph):
    """A Paragraph that skips the markup parser for plain text and remembers its last
    line-breaking. Tables, KeepTogether and frame splitting wrap the same paragraph at the
    same width several times, and line-breaking is most of reportlab's time; the result
    depends on the width only, so it is reused."""
    _wrapped: tuple | None = None

    def __init__(self, text, style=None, bulletText=None, frags=None, **kwargs):
        if frags is None and isinstance(text, str) and style is not None:
            plain = _plain_frags(text, style)
            if plain is not None:
                text, frags = plain
        super().__init__(text, style, bulletText, frags, **kwargs)

    def wrap(self, availWidth, availHeight):
        memo = self._wrapped
        if memo is not None and memo[0] == availWidth:
            self.width, self.height, self.blPara = memo[1], memo[2], memo[3]
            return memo[1], memo[2]
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, width, height, self.blPara)
        return width, height


def para(text: object, style: str = "body", *, bold: bool | None = None) -> Paragraph:
    """A Paragraph of participant (plain) text: escaped, with fallback fonts per run."""
    st = styles()[style]
    if bold is None:
        bold = st.fontName == fonts.BOLD
    # Line breaks a participant typed are kept (Paragraph would fold them into spaces).
    return Para(fonts.markup(text, bold=bold).replace("\n", "<br/>"), st)


def rich(parts: list[tuple[str, object]], style: str = "body") -> Paragraph:
    """A Paragraph built from ``(kind, text)`` parts, kind ``"b"`` (bold) or ``""`` (plain); each
    part is escaped, so mixing a label and participant text stays safe."""
    out = []
    for kind, text in parts:
        if kind == "b":
            out.append(f"<b>{fonts.markup(text, bold=True)}</b>")
        else:
            out.append(fonts.markup(text))
    return Para("".join(out), styles()[style])


class QrCode(Flowable):
    """The same modules the screen paints, drawn as vector boxes (crisp at any size and small:
    each row's dark runs become one rectangle)."""

    def __init__(self, data: str | QrMatrix, size: float = 60 * mm):
        super().__init__()
        self.matrix = data if isinstance(data, QrMatrix) else qr_matrix(data)
        self.size = size
        self.width = self.height = size
        self.hAlign = "CENTER"

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        cell = self.size / self.matrix.size
        c = self.canv
        c.saveState()
        c.setFillColorRGB(0, 0, 0)
        c.setStrokeColorRGB(0, 0, 0)
        # A hairline stroke in the fill colour closes the anti-aliasing seams between boxes.
        c.setLineWidth(0.01)
        for r, row in enumerate(self.matrix.modules):
            y = self.size - (r + 1) * cell
            start = None
            for col, dark in enumerate(row + (False,)):
                if dark and start is None:
                    start = col
                elif not dark and start is not None:
                    c.rect(start * cell, y, (col - start) * cell, cell, stroke=0, fill=1)
                    start = None
        c.restoreState()


class WriteLines(Flowable):
    """Ruled lines to write on by hand, optionally under a small label."""

    def __init__(self, lines: int = 4, label: str = "", gap: float = WRITE_LINE_GAP):
        super().__init__()
        self.lines, self.label, self.gap = lines, label, gap

    def wrap(self, available_width, available_height):
        self.width = available_width
        self.height = self.lines * self.gap + (4 * mm if self.label else 0)
        return self.width, self.height

    def draw(self):
        c = self.canv
        c.saveState()
        if self.label:
            c.setFillColor(MUTED)
            fonts.draw_string(c, 0, self.height - 3 * mm, self.label, 8.5)
        c.setStrokeColor(CUT)
        c.setLineWidth(RULE)
        for i in range(self.lines):
            y = (self.lines - 1 - i) * self.gap + 1
            c.line(0, y, self.width, y)
        c.restoreState()
