"""Bundled fonts, registered once, and text split into runs a font can draw.

Reportlab draws each string with exactly one font and never falls back, so a name like
“张伟” set in DejaVu Sans prints as empty boxes. We give every character the first bundled font
whose cmap covers it: DejaVu Sans (Latin, Greek, Cyrillic and many symbols) first, then Droid Sans
Fallback (Chinese and Japanese), then Nanum Gothic (Korean Hangul, which Droid Sans Fallback
lacks), and the Noto faces for Arabic, Hebrew, Devanagari, Bengali, Tamil and Thai, and Noto
Emoji. Coverage comes from the fonts themselves rather than from a table of Unicode script
ranges, so whatever a font can draw is drawn; two exceptions: DejaVu Sans has Arabic and Hebrew
letters but is not designed for them, so those blocks prefer the Noto faces, and combining marks
and joiners (ZWJ, ZWNJ, variation selectors, skin tones) stay in the font of the letter before
them, since a shaper can only join what one font draws. The faces in ``SHAPED`` are shaped with
HarfBuzz and laid out in bidi order by ``workshop.pdf.shaping``.
"""
from __future__ import annotations

import struct
import threading
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from assets import asset_path
# Every drawing module imports this one: reportlab's helpers are replaced before any use.
from workshop.pdf import accel  # noqa: F401

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
CJK = "DroidSansFallback"
HANGUL = "NanumGothic"
ARABIC = "NotoSansArabic"
HEBREW = "NotoSansHebrew"
DEVANAGARI = "NotoSansDevanagari"
BENGALI = "NotoSansBengali"
TAMIL = "NotoSansTamil"
THAI = "NotoSansThai"
EMOJI = "NotoEmoji"
SHAPED = frozenset((ARABIC, HEBREW, DEVANAGARI, BENGALI, TAMIL, THAI, EMOJI))
# Tried in order for what the base face cannot draw; the small script faces first, so that a
# Chinese name never needs them parsed only after the 4 MB faces.
FALLBACKS = (ARABIC, HEBREW, DEVANAGARI, BENGALI, TAMIL, THAI, CJK, HANGUL, EMOJI)
FAMILY = "DejaVuSans"

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", CJK: "DroidSansFallbackFull.ttf",
          HANGUL: "NanumGothic.ttf", ARABIC: "NotoSansArabic-Regular.ttf",
          HEBREW: "NotoSansHebrew-Regular.ttf", DEVANAGARI: "NotoSansDevanagari-Regular.ttf",
          BENGALI: "NotoSansBengali-Regular.ttf", TAMIL: "NotoSansTamil-Regular.ttf",
          THAI: "NotoSansThai-Regular.ttf", EMOJI: "NotoEmoji-Regular.ttf"}
# Blocks whose letters DejaVu Sans has but the Noto face draws as intended (with its joining
# forms and marks); emoji above U+1F000 go to Noto Emoji for one consistent style.
_PREFERRED = ((0x0590, 0x05FF, HEBREW), (0xFB1D, 0xFB4F, HEBREW), (0x0600, 0x06FF, ARABIC),
              (0x0750, 0x077F, ARABIC), (0x08A0, 0x08FF, ARABIC), (0xFB50, 0xFDFF, ARABIC),
              (0xFE70, 0xFEFF, ARABIC), (0x1F000, 0x1FAFF, EMOJI))
_JOINERS = {"\u200c", "\u200d", "\u20e3"}
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
            if self.fontName in SHAPED:
                # What HarfBuzz will draw: conjuncts and joined forms have their own widths.
                from workshop.pdf.shaping import shaped
                advance = shaped(text, self.fontName)[1]
                self._advances[text] = advance
                return 0.001 * size * advance
            get, default = self.face.charWidths.get, self.face.defaultWidth
            advance = sum(get(ord(ch), default) for ch in text)
            if len(self._advances) >= WIDTH_MEMO_LIMIT:
                self._advances.clear()
            self._advances[text] = advance
        return 0.001 * size * advance

    def splitString(self, text, doc, encoding="utf-8"):
        """reportlab's split of ``text`` into subset codes, remembered per document: a code,
        once given to a character in a document, never changes, so the same text splits the
        same way every later time (a pack draws the same words and numbers thousands of
        times, and the split is a Python loop over every character). The memo lives on the
        document's subset state, which reportlab drops with the document."""
        state = self.state.get(doc)
        memo = getattr(state, "_workshop_splits", None)
        if memo is not None:
            found = memo.get(text)
            if found is not None:
                return list(found)
        result = super().splitString(text, doc, encoding)
        memo = self.state[doc].__dict__.setdefault("_workshop_splits", {})
        if len(memo) < WIDTH_MEMO_LIMIT:
            memo[text] = tuple(result)
        return result


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


def register_for(texts: Iterable[str]) -> None:
    """Register the faces that draw ``texts``, regular and bold (and no other: the pack's
    command parses these once before it forks its workers, instead of all eleven faces; a
    worker that meets another script later parses that face itself)."""
    register_fonts()
    for text in texts:
        runs(text)
        runs(text, bold=True)


def _covers(name: str, ch: str) -> bool:
    if name in _registered:
        return ord(ch) in pdfmetrics.getFont(name).face.charToGlyph
    return _in_ranges(ord(ch), _coverage(name))


def _in_ranges(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    at = bisect_right(ranges, (code, 0x10FFFF))
    return at > 0 and ranges[at - 1][0] <= code <= ranges[at - 1][1]


@lru_cache(maxsize=16)
def _coverage(name: str) -> tuple[tuple[int, int], ...]:
    """The code points the face maps, as sorted ``(first, last)`` ranges, read from its cmap
    table alone (a few kilobytes; parsing the whole face takes up to 43 ms): which face draws
    a character is known without parsing the faces tried before it. The ranges are what
    reportlab's ``TTFontFile`` puts in ``charToGlyph`` (the same subtable chosen, every code
    of each segment, U+00A0 given with the space), so the choice is the same;
    ``tests/workshop/test_pdf_scripts.py`` compares the two for every bundled face. A font
    whose table this does not read is parsed whole instead."""
    try:
        with open(asset_path("fonts", _FILES[name]), "rb") as f:
            return _cmap_ranges(f)
    except (OSError, ValueError, struct.error):
        _register(name)
        codes = sorted(pdfmetrics.getFont(name).face.charToGlyph)
        return tuple((c, c) for c in codes)


def _cmap_ranges(f) -> tuple[tuple[int, int], ...]:
    def read(at: int, size: int) -> bytes:
        f.seek(at)
        data = f.read(size)
        if len(data) != size:
            raise ValueError("a short font file")
        return data
    tag, tables = struct.unpack(">4sH", read(0, 6))
    if tag not in (b"\x00\x01\x00\x00", b"true"):
        raise ValueError("not a plain TrueType file")
    directory = read(12, 16 * tables)
    cmap = next((struct.unpack(">I", directory[i + 8:i + 12])[0]
                 for i in range(0, len(directory), 16) if directory[i:i + 4] == b"cmap"), None)
    if cmap is None:
        raise ValueError("no cmap")
    version, count = struct.unpack(">HH", read(cmap, 4))
    if count == 0 and version != 0:
        count = version
    chosen, kind = None, 0   # reportlab's choice of subtable, rule for rule
    for i in range(count):
        platform, encoding, offset = struct.unpack(">HHI", read(cmap + 4 + 8 * i, 8))
        if platform == 3 or (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
            chosen, kind = offset, 1
        elif platform == 1 and encoding == 0 and kind != 1:
            chosen, kind = offset, 2
    if chosen is None:
        raise ValueError("no usable cmap subtable")
    start = cmap + chosen
    fmt = struct.unpack(">H", read(start, 2))[0]
    ranges: list[tuple[int, int]] = []
    if fmt == 4:
        segments = struct.unpack(">H", read(start + 6, 2))[0] // 2
        ends = struct.unpack(f">{segments}H", read(start + 14, 2 * segments))
        starts = struct.unpack(f">{segments}H", read(start + 16 + 2 * segments, 2 * segments))
        ranges = [(a, b) for a, b in zip(starts, ends) if a <= b]
    elif fmt == 12:
        groups = struct.unpack(">I", read(start + 12, 4))[0]
        values = struct.unpack(f">{3 * groups}I", read(start + 16, 12 * groups))
        ranges = [(values[i], values[i + 1]) for i in range(0, len(values), 3)
                  if values[i] <= values[i + 1]]
    else:
        raise ValueError(f"cmap format {fmt}")
    covered = lambda code: _in_ranges(code, tuple(sorted(ranges)))  # noqa: E731
    if covered(0x20) and not covered(0xA0):
        ranges.append((0xA0, 0xA0))
    elif covered(0xA0) and not covered(0x20):
        ranges.append((0x20, 0x20))
    merged: list[tuple[int, int]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return tuple(merged)


def _attaches(ch: str) -> bool:
    """A mark, joiner, variation selector or skin tone: drawn with the character before it."""
    code = ord(ch)
    return (ch in _JOINERS or 0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF
            or 0xE0020 <= code <= 0xE007F or unicodedata.category(ch) in ("Mn", "Mc", "Me"))


@lru_cache(maxsize=8192)
def font_for(ch: str, bold: bool = False) -> str:
    """The bundled font that draws ``ch``; whitespace and unknown characters stay in the base.
    That face is registered (parsed) before it is returned: it is about to draw."""
    face = _choose(ch, bold)
    _register(face)
    return face


def _choose(ch: str, bold: bool) -> str:
    base = BOLD if bold else REGULAR
    code = ord(ch)
    for low, high, preferred in _PREFERRED:
        if low <= code <= high and _covers(preferred, ch):
            return preferred
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
        if out and out[-1][0] != BOLD and out[-1][0] != REGULAR and _attaches(ch):
            font = out[-1][0]
        else:
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
                anchor: str = "left", direction: str | None = None) -> float:
    """Draw ``text`` on a canvas run by run; ``anchor`` is left, centre or right; ``direction``
    as for ``flowables.para`` (None: from the first strong letter). Returns width."""
    parts = runs(text, bold)   # once, for the width and the drawing (page furniture, labels)
    width = sum(pdfmetrics.stringWidth(chunk, font, size) for font, chunk in parts)
    if anchor == "centre":
        x -= width / 2
    elif anchor == "right":
        x -= width
    # One text object for all runs: viewers and text extraction read it as one line.
    obj = canvas.beginText(x, y)
    if any(font in SHAPED for font, _ in parts):
        from workshop.pdf import shaping
        base = shaping.base_level(text) if direction is None else int(direction == "rtl")
        ordered = shaping.visual([(chunk, font) for font, chunk in parts], base)
        shaping.draw_segments(obj, x, y, [(chunk, font, size, None, rtl, font in SHAPED)
                                          for chunk, font, rtl in ordered])
    else:
        for font, chunk in parts:
            obj.setFont(font, size)
            obj.textOut(chunk)
    canvas.drawText(obj)
    return width


def is_complex(text: str) -> bool:
    """True when ``text`` has a run that must be shaped or laid out right to left."""
    return not text.isascii() and any(font in SHAPED for font, _ in runs(text))


def fit_text(text: str, size: float, max_width: float, bold: bool = False) -> str:
    """``text`` shortened with an ellipsis to fit ``max_width`` (for one-line labels)."""
    if string_width(text, size, bold) <= max_width:
        return text
    while text and string_width(text + "…", size, bold) > max_width:
        text = text[:-1]
    return text.rstrip() + "…"
