"""Bundled fonts, registered once, and text split into runs a font can draw.

Reportlab draws each string with exactly one font and never falls back, so a name like
“张伟” set in DejaVu Sans prints as empty boxes. We give every character the first bundled font
whose cmap covers it: DejaVu Sans (Latin, Greek, Cyrillic and many symbols) first, then Droid Sans
Fallback (Chinese and Japanese), then Nanum Gothic (Korean Hangul, which Droid Sans Fallback
lacks). Coverage comes from the fonts themselves rather than from a
table of Unicode script ranges, so whatever either font can draw is drawn.
"""
from __future__ import annotations

import threading
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from assets import asset_path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
CJK = "DroidSansFallback"
HANGUL = "NanumGothic"
FALLBACKS = (CJK, HANGUL)   # tried in order for what the base face cannot draw
FAMILY = "DejaVuSans"

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", CJK: "DroidSansFallbackFull.ttf",
          HANGUL: "NanumGothic.ttf"}
_lock = threading.Lock()
_registered: set[str] = set()
WIDTH_MEMO_LIMIT = 200_000   # distinct strings per face before the memo starts afresh


class MemoTTFont(TTFont):
    """A TTFont that remembers string widths. Line-breaking measures every word of every
    paragraph in pure Python, a character at a time, and the same words recur all through a
    handout; the memo keeps the sum of advance widths (so results are bit-identical to
    reportlab's ``0.001 * size * sum(...)``) for any size."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._advances: dict[str, float] = {}

    def stringWidth(self, text, size, encoding="utf8"):
        advance = self._advances.get(text)
        if advance is None:
            if not isinstance(text, str):
                text = text.decode(encoding or "utf8")
            get, default = self.face.charWidths.get, self.face.defaultWidth
            advance = sum(get(ord(ch), default) for ch in text)
            if len(self._advances) >= WIDTH_MEMO_LIMIT:
                self._advances.clear()
            self._advances[text] = advance
        return 0.001 * size * advance


def _register(name: str) -> None:
    if name in _registered:
        return
    with _lock:
        if name in _registered:
            return
        pdfmetrics.registerFont(MemoTTFont(name, str(asset_path("fonts", _FILES[name]))))
        if name == BOLD and REGULAR in _registered:
            pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD,
                                          italic=REGULAR, boldItalic=BOLD)
        _registered.add(name)


def register_fonts() -> None:
    """Register the Latin/Greek/Cyrillic faces. The 4 MB fallback faces are parsed only when a
    text first needs them (about 0.3 s each), so handouts without such names stay quick."""
    _register(REGULAR)
    _register(BOLD)


def register_all() -> None:
    """Register every bundled face, fallbacks included (for a process that will render many
    handouts, such as the pack's fork server, so its workers never parse a font)."""
    register_fonts()
    for name in FALLBACKS:
        _register(name)


def _covers(name: str, ch: str) -> bool:
    _register(name)
    return ord(ch) in pdfmetrics.getFont(name).face.charToGlyph


@lru_cache(maxsize=8192)
def font_for(ch: str, bold: bool = False) -> str:
    """The bundled font that draws ``ch``; whitespace and unknown characters stay in the base."""
    base = BOLD if bold else REGULAR
    if ch.isspace() or _covers(base, ch):
        return base
    for fallback in FALLBACKS:
        if _covers(fallback, ch):
            return fallback
    return base


def runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """``[(font, text), …]``: maximal runs of ``text`` that one font draws."""
    register_fonts()
    if text.isascii() and text.isprintable():
        # DejaVu Sans covers all of printable ASCII: most labels and names need no scan.
        return [(BOLD if bold else REGULAR, text)] if text else []
    out: list[tuple[str, str]] = []
    for ch in text:
        font = font_for(ch, bold)
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + ch)
        else:
            out.append((font, ch))
    return out


def markup(text: object, bold: bool = False) -> str:
    """Participant text as Paragraph markup: escaped (``&``, ``<``, ``>``) and with every run the
    base font cannot draw wrapped in ``<font name=…>``. Never pass raw text to a Paragraph."""
    text = "" if text is None else str(text)
    base = BOLD if bold else REGULAR
    parts = []
    for font, chunk in runs(text, bold):
        escaped = escape(chunk)
        parts.append(escaped if font == base else f'<font name="{font}">{escaped}</font>')
    return "".join(parts)


def string_width(text: str, size: float, bold: bool = False) -> float:
    """The printed width of ``text`` at ``size``, each run measured in the font that draws it."""
    return sum(pdfmetrics.stringWidth(chunk, font, size) for font, chunk in runs(text, bold))


def draw_string(canvas, x: float, y: float, text: str, size: float, *, bold: bool = False,
                anchor: str = "left") -> float:
    """Draw ``text`` on a canvas run by run; ``anchor`` is left, centre or right. Returns width."""
    width = string_width(text, size, bold)
    if anchor == "centre":
        x -= width / 2
    elif anchor == "right":
        x -= width
    # One text object for all runs: viewers and text extraction read it as one line.
    obj = canvas.beginText(x, y)
    for font, chunk in runs(text, bold):
        obj.setFont(font, size)
        obj.textOut(chunk)
    canvas.drawText(obj)
    return width


def fit_text(text: str, size: float, max_width: float, bold: bool = False) -> str:
    """``text`` shortened with an ellipsis to fit ``max_width`` (for one-line labels)."""
    if string_width(text, size, bold) <= max_width:
        return text
    while text and string_width(text + "…", size, bold) > max_width:
        text = text[:-1]
    return text.rstrip() + "…"
