"""Flowables the handouts share: the QR code, write-in lines, and escaped paragraphs."""
from __future__ import annotations

import contextvars
import operator
from contextlib import contextmanager
from typing import Callable, Iterator

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText

from workshop.pdf import fonts
from workshop.pdf.frags import markup_frags as _markup_frags, plain_frags as _plain_frags
from workshop.pdf.styles import CUT, MUTED, RULE, WRITE_LINE_GAP, styles
from workshop.qr import QrMatrix, qr_matrix


# Line-breakings shared by identical paragraphs of one document (``shared_layouts``):
# (markup, id(style), bullet, direction, width) -> (style, what Paragraph.wrap set).
_LAYOUTS: contextvars.ContextVar[dict | None] = contextvars.ContextVar("layouts", default=None)
# What reportlab's wrap and line-breaking set on a paragraph, besides blPara, width, height.
_LAYOUT_ATTRS = ("frags", "_wrapWidths", "_width_max", "_splitLongWordCount", "_hyphenations")


# What identical drawings of one document wrote (``shared_layouts``): key -> the operators.
_DRAWN: contextvars.ContextVar[dict | None] = contextvars.ContextVar("drawn", default=None)
# The canvas state a drawing may read (a text object starts in the canvas's font, size and
# leading); the position is not among them: a flowable draws after ``drawOn`` moved the origin.
_DRAW_STATE = operator.itemgetter(
    "_fontname", "_fontsize", "_leading", "_textMode", "_fillMode", "_charSpace", "_wordSpace",
    "_horizScale", "_textRenderMode", "_rise", "_lineCap", "_lineJoin", "_lineWidth",
    "_mitreLimit", "_fillColorObj", "_strokeColorObj")


@contextmanager
def shared_layouts() -> Iterator[None]:
    """Within this, a paragraph with the same markup, style, direction and width as one laid
    out before takes that one's line-breaking instead of breaking its lines again, and one
    drawn before in the same canvas state writes that one's operators again (``replay``). A
    handout repeats many: every group card lists the same stations and times, every blank PDSA
    cycle the same headings and lines to write on, every empty field "— not written yet".
    Scoped to one document: the layout objects are shared, and the operators name the
    document's font subsets, so they must not outlive it."""
    token, drawn = _LAYOUTS.set({}), _DRAWN.set({})
    try:
        yield
    finally:
        _LAYOUTS.reset(token)
        _DRAWN.reset(drawn)


def replay(canv, key: tuple | None, draw: Callable[[], object]) -> None:
    """``draw()``, or what it wrote on ``canv`` the first time it was called with ``key`` in
    the same canvas state, in this document. The operators a flowable writes are relative to
    the origin ``drawOn`` moved to, so identical content draws the same bytes anywhere. Only
    drawings that write nothing but operators are kept: ones that leave the canvas state
    changed, use a graphics-state resource (transparency) or add an annotation (a link)
    draw again each time."""
    memo = _DRAWN.get()
    if memo is None or key is None:
        draw()
        return
    d = canv.__dict__
    try:
        state = _DRAW_STATE(d)
        full = (key, id(canv), state, tuple(d["_lineDash"] or ()))
        found = memo.get(full)
    except (KeyError, TypeError):   # an unhashable value: not worth remembering
        draw()
        return
    code = canv._code
    if found is not None:
        code.extend(found)
        return
    start, annotations = len(code), canv._annotationCount
    draw()
    wrote = code[start:]
    if (canv._annotationCount == annotations and not any(" gs" in op for op in wrote)
            and _DRAW_STATE(d) == state):
        memo[full] = tuple(wrote)


class _Built:
    """A paragraph's ``text``, ``frags`` or ``_own_frags`` before it has them: reading one
    builds them (``Para._build``). The class attribute only answers while the instance has
    none of its own, so a built paragraph reads its attributes at full speed."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        if "_markup" not in obj.__dict__:
            raise AttributeError(self.name)
        obj._build()
        return obj.__dict__[self.name]


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
    text, frags, _own_frags = _Built(), _Built(), _Built()

    def __init__(self, text, style=None, bulletText=None, frags=None, **kwargs):
        if (frags is None and isinstance(text, str) and style is not None and not kwargs
                and "<para" not in text and "<bullet" not in text):
            # The fragments are a function of the markup and the style, so they are the key;
            # they are built when first asked for (``_Built``): a paragraph that takes a
            # shared layout never needs its own.
            self._layout_key = (text, id(style), bulletText)
            self._markup = text
            self.caseSensitive, self.encoding, self.debug = 1, "utf8", 0
            self.style = style
            self.bulletText = bulletText or getattr(style, "bulletText", None)
            return
        if frags is None and isinstance(text, str) and style is not None:
            fast = _plain_frags(text, style) or _markup_frags(text, style)
            if fast is not None:
                text, frags = fast
        super().__init__(text, style, bulletText, frags, **kwargs)

    def _build(self) -> None:
        """The text and fragments of a paragraph made from markup, built when first asked
        for (``_Built``), as ``Paragraph.__init__`` would have built them."""
        d = self.__dict__
        text = d.pop("_markup")
        shared = d.get("frags")
        fast = _plain_frags(text, self.style) or _markup_frags(text, self.style)
        if fast is not None:
            self._setup(fast[0], self.style, self.bulletText, fast[1], cleanBlockQuotedText)
        else:
            self._setup(text, self.style, self.bulletText, None, cleanBlockQuotedText)
        d["_own_frags"] = d["frags"]   # line-breaking replaces them (kind 1)
        if shared is not None:          # a shared layout's, until this one unshares
            d["frags"] = shared

    def draw(self):
        # Arabic, Hebrew, Indic, Thai and emoji runs are shaped and put in bidi order by our
        # own line drawer; every other paragraph keeps reportlab's (quicker) one.
        bl = self.blPara
        if (bl.fontName in fonts.SHAPED if bl.kind == 0 else
                any(f.fontName in fonts.SHAPED for line in bl.lines for f in line.words)):
            from workshop.pdf.shaping import draw_paragraph
            draw_paragraph(self)
            return
        # The drawing is a function of the layout (the markup, style, bullet, direction and
        # width its key names) and the height; a split part has no key and draws itself.
        key = self._layout_key
        if key is not None:
            key = (type(self), *key, self.direction, self.width, self.height)
        replay(self.canv, key, super().draw)

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


_MARKUPS: dict[tuple[str, bool], str] = {}
MARKUP_MEMO_LIMIT = 50_000   # distinct texts a process remembers


def markup(text: object, bold: bool = False) -> str:
    """``fonts.markup``, remembered per process: a pack escapes and splits into font runs the
    same labels, names, times and empty-field notes thousands of times, and a text's markup
    never changes (the fonts that cover each character are fixed)."""
    if type(text) is not str:
        return fonts.markup(text, bold=bold)
    key = (text, bold)
    found = _MARKUPS.get(key)
    if found is None:
        found = fonts.markup(text, bold=bold)
        if len(_MARKUPS) >= MARKUP_MEMO_LIMIT:
            _MARKUPS.clear()
        _MARKUPS[key] = found
    return found


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
    out = Para(markup(text, bold=bold).replace("\n", "<br/>"), st)
    out.direction = direction
    return out


def rich(parts: list[tuple[str, object]], style: str = "body") -> Paragraph:
    """A Paragraph built from ``(kind, text)`` parts, kind ``"b"`` (bold) or ``""`` (plain); each
    part is escaped, so mixing a label and participant text stays safe."""
    out = []
    for kind, text in parts:
        if kind == "b":
            out.append(f"<b>{markup(text, bold=True)}</b>")
        else:
            out.append(markup(text))
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


class FixedForm(Flowable):
    """A form that always stands together and has a fixed layout (a blank PDSA cycle: its
    headings and lines to write on), placed by the frame as one flowable: its parts are
    stacked once, as the frame stacks them one by one (between two parts the larger of the
    space after one and before the next), and each is drawn where the frame would have
    drawn it. Placing a dozen flowables, each block split into its parts, was most of a
    blank cycle's time. A form taller than the room left splits into its flowables, which
    the frame places as before."""

    def __init__(self, flowables: list):
        super().__init__()
        self._content = list(flowables)
        self._placed: tuple | None = None   # (width, height, [(part, its width, its y)])

    def parts(self) -> list:
        """The flowables the frame would place, in order (kept-together blocks opened)."""
        return [g for f in self._content
                for g in (f._content if isinstance(f, KeepTogether) else [f])]

    def getSpaceBefore(self):
        return self._content[0].getSpaceBefore()

    def getSpaceAfter(self):
        return self._content[-1].getSpaceAfter()

    def wrap(self, availWidth, availHeight):
        if self._placed is None or self._placed[0] != availWidth:
            canv = getattr(self, "canv", None)
            y, after, placed = 0.0, None, []
            for part in self.parts():
                if after is not None:
                    y -= max(part.getSpaceBefore() - after, 0) + after
                w, h = part.wrapOn(canv, availWidth, 0x7FFFFFFF)
                y -= h
                placed.append((part, w, y))
                after = part.getSpaceAfter()
            self._placed = (availWidth, -y, placed)
        self.width, self.height = availWidth, self._placed[1]
        return self.width, self.height

    def split(self, availWidth, availHeight):
        return list(self._content)

    def draw(self):
        width, height, placed = self._placed
        for part, w, y in placed:
            part.drawOn(self.canv, 0, y + height, _sW=width - w)


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
        # The same lines under the same label look the same everywhere: drawn once a document.
        replay(self.canv, ("lines", self.lines, self.label, self.gap, self.width, self.height),
               self._draw)

    def _draw(self):
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
