"""Flowables the handouts share: the QR code, write-in lines, and escaped paragraphs."""
from __future__ import annotations

import contextvars
import copy
import re
from contextlib import contextmanager
from typing import Iterator

from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags
from reportlab.platypus.paraparser import ParaParser

from workshop.pdf import fonts
from workshop.pdf.styles import CUT, MUTED, RULE, WRITE_LINE_GAP, styles
from workshop.qr import QrMatrix, qr_matrix


_TEMPLATES: dict[int, tuple] = {}   # id(style) -> (style, the fragment plain text gets)


def _template(style):
    """The fragment reportlab's parser makes for plain text in ``style`` (parsed once)."""
    entry = _TEMPLATES.get(id(style))
    if entry is None or entry[0] is not style:
        parsed = ParaParser().parse("x", style)[1]
        if parsed is None or len(parsed) != 1:
            return None
        entry = _TEMPLATES[id(style)] = (style, parsed[0])
    return entry[1]


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
    template = _template(style)
    if template is None:
        return None
    frag = copy.copy(template)
    frag.text = cleaned
    frag.link, frag.us_lines = [], []   # fresh, as each parse makes them
    frags = [frag]
    textTransformFrags(frags, style)
    return cleaned, frags


# The markup this module writes (fonts.markup, rich, <br/> for typed line breaks); anything
# else goes to reportlab's parser.
_TOKEN = re.compile(r'<b>|</b>|<br/>|<font name="([^"<>&]*)">|</font>|&(amp|lt|gt);|[^<&]+|.', re.S)
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}


def _markup_frags(text: str, style) -> tuple[str, list] | None:
    """``(text, fragments)`` for the markup this app writes, built the way reportlab's parser
    builds them (a stack of fragments: ``<b>`` and ``<font>`` push a copy with bold or the
    face changed, each run of text or entity becomes a copy of the top, ``<br/>`` a line-break
    fragment), or None for anything else. The PDSA cycles' label-and-text paragraphs are
    most of the markup in a pack, and the parser costs ~0.3 ms each."""
    cleaned = cleanBlockQuotedText(text)
    template = _template(style) if cleaned else None
    if template is None:
        return None
    base = copy.copy(template)          # the <para> fragment, its face as ps2tt names it,
    del base.text
    base.link, base.us_lines = [], []   # with the lists its fragments share, as in a parse
    try:
        base.fontName = ps2tt(style.fontName)[0]
    except ValueError:
        return None
    stack, frags = [base], []

    def push(tag: str, **attrs) -> None:
        frag = copy.copy(stack[-1])
        frag.__tag__ = tag
        for key, value in attrs.items():
            setattr(frag, key, value)
        stack.append(frag)

    def data(chunk: str) -> None:
        frag = copy.copy(stack[-1])
        frag.fontName = tt2ps(frag.fontName, frag.bold, frag.italic)
        frag.text = chunk
        frags.append(frag)

    for match in _TOKEN.finditer(cleaned):
        token = match.group(0)
        if token == "<b>":
            push("b", bold=1)
        elif token == "<br/>":
            push("br", lineBreak=True, text="")
            data("")
            stack.pop()
        elif token.startswith("<font "):
            try:
                face, bold, italic = ps2tt(match.group(1))
            except ValueError:
                return None
            push("font", fontName=face, bold=bold, italic=italic)
        elif token in ("</b>", "</font>"):
            if len(stack) == 1 or stack[-1].__tag__ != token[2:-1]:
                return None
            stack.pop()
        elif match.group(2):
            data(_ENTITIES[match.group(2)])
        elif token[0] in "<&":
            return None
        else:
            data(token)
    if len(stack) != 1:
        return None
    textTransformFrags(frags, style)
    return cleaned, frags


# Line-breakings shared by identical paragraphs of one document (``shared_layouts``):
# (markup, id(style), bullet, direction, width) -> (style, what Paragraph.wrap set).
_LAYOUTS: contextvars.ContextVar[dict | None] = contextvars.ContextVar("layouts", default=None)
# What reportlab's wrap and line-breaking set on a paragraph, besides blPara, width, height.
_LAYOUT_ATTRS = ("frags", "_wrapWidths", "_width_max", "_splitLongWordCount", "_hyphenations")


@contextmanager
def shared_layouts() -> Iterator[None]:
    """Within this, a paragraph with the same markup, style, direction and width as one laid
    out before takes that one's line-breaking instead of breaking its lines again. A handout
    repeats many: every group card lists the same stations and times, every blank PDSA cycle
    the same headings, every empty field "— not written yet". Scoped to one document: the
    layout objects are shared, so they must not outlive it."""
    token = _LAYOUTS.set({})
    try:
        yield
    finally:
        _LAYOUTS.reset(token)


class Para(Paragraph):
    """A Paragraph that skips the markup parser for plain text and remembers its last
    line-breaking. Tables, KeepTogether and frame splitting wrap the same paragraph at the
    same width several times, and line-breaking is most of reportlab's time; the result
    depends on the width only, so it is reused (and, in ``shared_layouts``, shared with
    identical paragraphs)."""
    _wrapped: tuple | None = None
    _layout_key: tuple | None = None
    _shared = False                # its layout objects are in the document's shared layouts
    direction: str | None = None   # "ltr"/"rtl"; None: from the first strong letter (UBA P2)

    def __init__(self, text, style=None, bulletText=None, frags=None, **kwargs):
        key = None
        if frags is None and isinstance(text, str) and style is not None:
            # The fragments are a function of the markup and the style, so they are the key.
            key = None if kwargs else (text, id(style), bulletText)
            fast = _plain_frags(text, style) or _markup_frags(text, style)
            if fast is not None:
                text, frags = fast
        super().__init__(text, style, bulletText, frags, **kwargs)
        if key is not None:
            self._layout_key = key
            self._own_frags = self.frags   # line-breaking replaces them (kind 1)

    def draw(self):
        # Arabic, Hebrew, Indic, Thai and emoji runs are shaped and put in bidi order by our
        # own line drawer; every other paragraph keeps reportlab's (quicker) one.
        bl = self.blPara
        if (bl.fontName in fonts.SHAPED if bl.kind == 0 else
                any(f.fontName in fonts.SHAPED for line in bl.lines for f in line.words)):
            from workshop.pdf.shaping import draw_paragraph
            draw_paragraph(self)
        else:
            super().draw()

    def split(self, availWidth, availHeight):
        if self._shared:
            # Splitting edits the layout's fragments in place: a shared layout is left to
            # the paragraphs that share it, and this one breaks its own lines (the same).
            self._unshare()
            self._layout_key = None
            self.wrap(availWidth, availHeight)
        parts = super().split(availWidth, availHeight)
        for part in parts:
            part.direction = self.direction
        return parts

    def wrap(self, availWidth, availHeight):
        memo = self._wrapped
        if memo is not None and memo[0] == availWidth:
            self.width, self.height, self.blPara = memo[1], memo[2], memo[3]
            return memo[1], memo[2]
        if self._shared:   # another width: its lines are broken from its own fragments
            self._unshare()
        layouts = _LAYOUTS.get() if self._layout_key is not None else None
        key = (*self._layout_key, self.direction, availWidth) if layouts is not None else None
        found = layouts.get(key) if layouts is not None else None
        if found is not None and found[0] is self.style:
            self.__dict__.update(found[1])
            self._shared = True
            width, height = self.width, self.height
        else:
            width, height = super().wrap(availWidth, availHeight)
            if layouts is not None:
                taken = {name: self.__dict__[name] for name in _LAYOUT_ATTRS + (
                    "blPara", "width", "height") if name in self.__dict__}
                layouts[key] = (self.style, taken)
                self._shared = True
        self._wrapped = (availWidth, width, height, self.blPara)
        return width, height

    def _unshare(self) -> None:
        self._shared = False
        self.frags = self._own_frags
        self._wrapped = None


def para(text: object, style: str = "body", *, bold: bool | None = None,
         direction: str | None = None) -> Paragraph:
    """A Paragraph of participant (plain) text: escaped, with fallback fonts per run. Its
    direction follows its first strong letter (as ``dir="auto"``); a line the app composes
    around participant text (“academy · date”) passes ``direction="ltr"``, the handouts'
    language, so the app's words keep their order whatever the name is."""
    st = styles()[style]
    if bold is None:
        bold = st.fontName == fonts.BOLD
    # Line breaks a participant typed are kept (Paragraph would fold them into spaces).
    out = Para(fonts.markup(text, bold=bold).replace("\n", "<br/>"), st)
    out.direction = direction
    return out


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


class KeepPlain(KeepTogether):
    """KeepTogether for content that adds nothing to the frame (paragraphs, tables, lines to
    write on; no frame breaks or indenters). To measure its content reportlab deep-copies the
    document's frame on every wrap, so that content generated meanwhile lands in the copy;
    with none generated the copy is waste (a thirtieth of a team folder's render), so the
    frame is out of sight while the content is measured."""

    def wrap(self, aW, aH):
        doc = getattr(self.canv, "_doctemplate", None)
        frame = getattr(doc, "frame", None)
        if frame is None:
            return super().wrap(aW, aH)
        doc.frame = None
        try:
            return super().wrap(aW, aH)
        finally:
            doc.frame = frame


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
        from reportlab.lib import rl_accel
        from reportlab.pdfgen.canvas import PATH_OPS
        cell = self.size / self.matrix.size
        c = self.canv
        c.saveState()
        c.setFillColorRGB(0, 0, 0)
        c.setStrokeColorRGB(0, 0, 0)
        # A hairline stroke in the fill colour closes the anti-aliasing seams between boxes.
        c.setLineWidth(0.01)
        # Each box is what ``c.rect(x, y, w, h, stroke=0, fill=1)`` writes, "n x y w h re f*",
        # but its numbers are the same few dozen multiples of the cell, so each is formatted
        # once (a card's code is ~300 boxes, and rect formatted four numbers for every one).
        at = [rl_accel.fp_str(k * cell) for k in range(self.matrix.size + 1)]
        fill = PATH_OPS[0, 1, c._fillMode]
        boxes = []
        for r, row in enumerate(self.matrix.modules):
            y = rl_accel.fp_str(self.size - (r + 1) * cell)
            start = None
            for col, dark in enumerate(row + (False,)):
                if dark and start is None:
                    start = col
                elif not dark and start is not None:
                    boxes.append(f"n {at[start]} {y} {at[col - start]} {at[1]} re {fill}")
                    start = None
        if boxes:
            c.addLiteral("\n".join(boxes))
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
