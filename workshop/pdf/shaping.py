"""Complex scripts on the page: HarfBuzz shaping, bidi order per line, and extractable text.

Reportlab shapes a string with HarfBuzz (``uharfbuzz``) when asked, but its paragraph shaping
shapes a whole word with the first fragment's font (a word such as “(محمد)” mixes DejaVu and
Noto Arabic) and its right-to-left support needs ``rlbidi``. So we keep reportlab's shaper
(``shapeFragWord``, one font at a time: our runs are already one font each) and its text
operators, and add the rest here:

* levels come from python-bidi's implementation of the Unicode bidirectional algorithm (rules
  P2–I2); the reordering of one line (L1, L2) is done here on styled segments, after the
  paragraph has been broken into lines, because the library only reorders whole strings;
* every shaped or reversed segment is written inside ``/Span <</ActualText …>> BDC … EMC``, so
  text extraction and copy-paste give the logical text (a conjunct or a lam-alef is one glyph,
  and without ActualText a viewer would give its nearest code point, or none).
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TypeVar

from reportlab.pdfbase import pdfmetrics

Style = TypeVar("Style")

SHAPED_CACHE = 50_000
# HarfBuzz's defaults (required ligatures, marks, joining forms) plus kerning; not reportlab's
# discretionary ligatures, which turn the letters of “محمد” inside any name into the
# vowelled “ﷴ” ligature.
FEATURES = {"kern": True, "liga": True, "dlig": False}


def _bidi():
    from bidi import algorithm   # python-bidi's pure-Python algorithm: it exposes the levels
    return algorithm


@lru_cache(maxsize=SHAPED_CACHE)
def shaped(text: str, font_name: str):
    """``(ShapedStr, advance)`` for ``text`` in one font, advance in 1/1000 em (cached per
    text and font: the same names recur all through a pack, and shaping is not free)."""
    from reportlab.lib.abag import ABag
    from reportlab.pdfbase.ttfonts import ShapedStr, shapeFragWord
    word = shapeFragWord([0, (ABag(fontName=font_name, fontSize=1000), text)], FEATURES,
                         force=True)
    pieces = [s for _, s in word[1:]]
    if not pieces:
        return ShapedStr("", shapeData=[]), 0.0
    out = pieces[0]
    for piece in pieces[1:]:
        out = out + piece
    if not isinstance(out, ShapedStr):   # nothing shaped: plain advances
        return out, pdfmetrics.getFont(font_name).stringWidth(text, 1000)
    return out, float(sum(sd.x_advance for sd in out.__shapeData__))


@lru_cache(maxsize=4096)
def base_level(text: str) -> int:
    """0 when ``text`` is a left-to-right paragraph, 1 when its first strong letter is RTL."""
    return _bidi().get_base_level(text)


FIELD_SEPARATOR = " · "   # how the handouts join fields: “team · academy · Status: Draft”


@lru_cache(maxsize=SHAPED_CACHE)
def levels(text: str, base: int) -> tuple[int, ...]:
    """The resolved embedding level of every character of ``text`` (rules X1–I2, then L1).

    Fields the app joins with `` · `` are isolated from each other, as ``<bdi>`` or
    FSI…PDI would isolate them (python-bidi's algorithm has no isolates): each field takes
    its own direction, so the digits of “25 November 2026” never join a Hebrew academy name
    before them and read “November 2026 25”."""
    if FIELD_SEPARATOR not in text:
        return _levels(text, base)
    out: list[int] = []
    for number, field in enumerate(text.split(FIELD_SEPARATOR)):
        if number:
            out += [base] * len(FIELD_SEPARATOR)
        own = base_level(field) if field.strip() else base
        inner = _levels(field, own)
        # An isolate of the other direction sits one or two levels above the paragraph.
        lift = 0 if own == base or own == 1 else 2
        out += [level + lift for level in inner]
    return tuple(out)


def _levels(text: str, base: int) -> tuple[int, ...]:
    import unicodedata
    algorithm = _bidi()
    storage = algorithm.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    # A code point this Python's Unicode tables do not know has no bidi class, which the
    # algorithm cannot take: it is given L, the class UAX #9 defaults most of them to.
    known = "".join(ch if unicodedata.bidirectional(ch) else "a" for ch in text)
    algorithm.get_embedding_levels(known, storage)
    for index, ch in enumerate(storage["chars"]):
        ch["index"] = index
    try:
        algorithm.explicit_embed_and_overrides(storage)
        algorithm.resolve_weak_types(storage)
        algorithm.resolve_neutral_types(storage, False)
        algorithm.resolve_implicit_levels(storage, False)
    except AssertionError:   # a class sequence the algorithm's own checks refuse: logical order
        return tuple(base for _ in text)
    # X9 drops the joiners (ZWJ, ZWNJ) and embedding marks; they take the level before them.
    out: list[int | None] = [None] * len(text)
    for ch in storage["chars"]:
        out[ch["index"]] = ch["level"]
    previous = base
    for i, level in enumerate(out):
        if level is None:
            out[i] = previous
        else:
            previous = level
    # L1: whitespace at the end of the line goes back to the paragraph level.
    i = len(text)
    while i and text[i - 1].isspace():
        i -= 1
        out[i] = base
    return tuple(int(v) for v in out)   # type: ignore[arg-type]


def visual(pieces: Sequence[tuple[str, Style]], base: int) -> list[tuple[str, Style, bool]]:
    """One line's ``(text, style)`` pieces in logical order → ``(text, style, rtl)`` segments
    in visual order, left to right (rule L2 on segments: split where the level changes,
    then reverse every maximal sequence at each level from the highest down to the lowest odd
    one). A segment marked rtl is still in logical order: its drawer reverses it."""
    line = "".join(text for text, _ in pieces)
    lv = levels(line, base)
    segments: list[list] = []
    i = 0
    for text, style in pieces:
        for ch in text:
            level = lv[i]
            i += 1
            if segments and segments[-1][1] == style and segments[-1][2] == level:
                segments[-1][0] += ch
            else:
                segments.append([ch, style, level])
    if not segments:
        return []
    top = max(s[2] for s in segments)
    lowest_odd = min((s[2] for s in segments if s[2] % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):
        j = 0
        while j < len(segments):
            if segments[j][2] >= level:
                k = j
                while k < len(segments) and segments[k][2] >= level:
                    k += 1
                segments[j:k] = segments[j:k][::-1]
                j = k
            else:
                j += 1
    return [(text, style, bool(level % 2)) for text, style, level in segments]


def _actual_text(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def mirrored(text: str) -> str:
    """``text`` reversed for a right-to-left run, brackets mirrored (“(” draws as “)”)."""
    from bidi.mirror import MIRRORED
    return "".join(MIRRORED.get(ch, ch) for ch in reversed(text))


def drawn_glyphs(text: str, font: str, rtl: bool):
    """The shaped glyphs of one segment in drawing order (left to right), and the advance.
    HarfBuzz picks a direction from the script, but the bidi level decides: Arabic-Indic
    digits (٥٦) sit at an even level and read left to right; Arabic punctuation between
    right-to-left words sits at an odd one."""
    glyphs, advance = shaped(text, font)
    data = glyphs.__shapeData__
    if len(data) > 1 and (data[0].cluster > data[-1].cluster) != rtl:
        glyphs = glyphs[::-1]
    return glyphs, advance


def segment_width(text: str, font: str, size: float, shape: bool) -> float:
    """The printed width of one segment."""
    if shape:
        return shaped(text, font)[1] * size / 1000
    return pdfmetrics.stringWidth(text, font, size)


def draw_segments(text_object, x: float, y: float,
                  segments: list[tuple[str, str, float, object, bool, bool]]) -> float:
    """Draw ``(text, font, size, colour, rtl, shape)`` segments, already in visual order, left
    to right from ``x`` on baseline ``y``; returns the width drawn."""
    start = x
    for text, font, size, colour, rtl, shape in segments:
        if not text:
            continue
        if colour is not None:
            text_object.setFillColor(colour)
        text_object.setTextOrigin(x, y)
        text_object.setFont(font, size)
        if shape:
            glyphs, advance = drawn_glyphs(text, font, rtl)
            width = advance * size / 1000
        else:
            glyphs = mirrored(text) if rtl else text
            width = pdfmetrics.stringWidth(text, font, size)
        spanned = shape or (rtl and len(text) > 1)
        if spanned and not text.isspace():
            # Extractors spread a span's text over its box left to right and then read
            # right-to-left words backwards, as they do for the glyphs of any RTL PDF; so a
            # right-to-left span gives its text in drawing order, and comes out logical.
            actual = text[::-1] if rtl else text
            text_object._code.append(f"/Span <</ActualText {_actual_text(actual)}>> BDC")
            text_object._code.append(text_object._formatText(glyphs))
            text_object._code.append("EMC")
        else:
            text_object._code.append(text_object._formatText(glyphs))
        x += width
    return x - start


def _line_pieces(line, kind: int, blpara) -> list[tuple[str, tuple]]:
    """A broken line's ``(text, (font, size, colour))`` pieces, in logical order."""
    if kind == 0:
        style = (blpara.fontName, blpara.fontSize, blpara.textColor)
        return [(" ".join(line[1]), style)]
    pieces: list[tuple[str, tuple]] = []
    for frag in line.words:
        text = getattr(frag, "text", "")
        if text:
            pieces.append((text, (frag.fontName, frag.fontSize, frag.textColor)))
    return pieces


def draw_paragraph(paragraph) -> None:
    """Draw a wrapped Paragraph whose text needs shaping or bidi: each line reordered on its
    own (levels per line, with the paragraph's direction), a right-to-left paragraph set
    flush right unless centred. Replaces reportlab's line drawing for such paragraphs only."""
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from workshop.pdf.fonts import SHAPED
    canvas, style, blpara = paragraph.canv, paragraph.style, paragraph.blPara
    lines = blpara.lines
    if not lines:
        return
    text = "".join(t for line in lines for t, _ in _line_pieces(line, blpara.kind, blpara))
    direction = getattr(paragraph, "direction", None)
    base = base_level(text) if direction is None else int(direction == "rtl")
    alignment = style.alignment
    if base and alignment not in (TA_CENTER, TA_RIGHT):
        alignment = TA_RIGHT
    left = style.leftIndent
    width = paragraph.width - style.leftIndent - style.rightIndent
    y = paragraph.height - getattr(blpara, "ascent", style.fontSize)
    canvas.saveState()
    obj = canvas.beginText(left, y)
    for number, line in enumerate(lines):
        pieces = _line_pieces(line, blpara.kind, blpara)
        # Spaces where reportlab broke the line are not drawn (they would shift a right edge).
        while pieces and pieces[-1][0].rstrip() != pieces[-1][0]:
            stripped = pieces[-1][0].rstrip()
            pieces[-1:] = [(stripped, pieces[-1][1])] if stripped else []
        segments = [(t, st[0], st[1], st[2], rtl, st[0] in SHAPED)
                    for t, st, rtl in visual(pieces, base)]
        used = sum(segment_width(t, f, s, sh) for t, f, s, _, _, sh in segments)
        x = left + (style.firstLineIndent if number == 0 and not base else 0)
        if alignment == TA_RIGHT:
            x = left + width - used
        elif alignment == TA_CENTER:
            x = left + (width - used) / 2
        draw_segments(obj, x, y, segments)
        y -= style.leading
    canvas.drawText(obj)
    canvas.restoreState()
