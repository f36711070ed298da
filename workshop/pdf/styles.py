"""The one stylesheet of every handout, and the named measurements pages are laid out with."""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm

from workshop.pdf import fonts

# Page furniture (millimetres, as a designer would specify them).
MARGIN = 18 * mm
MARGIN_TOP = 24 * mm      # leaves room for the header line
MARGIN_BOTTOM = 20 * mm   # and for the footer
HEADER_OFFSET = 12 * mm   # header baseline, from the top edge
FOOTER_OFFSET = 10 * mm   # footer baseline, from the bottom edge
RULE = 0.4                # points: hairlines and write-in lines
WRITE_LINE_GAP = 8 * mm   # one handwritten line
GUTTER = 6 * mm

INK = colors.HexColor("#1d2430")
MUTED = colors.HexColor("#5b6472")
ACCENT = colors.HexColor("#2f6f9f")
LIGHT = colors.HexColor("#e8eef4")
CUT = colors.HexColor("#9aa3ad")


def _stylesheet() -> StyleSheet1:
    fonts.register_fonts()
    sheet = StyleSheet1()
    base = ParagraphStyle("body", fontName=fonts.REGULAR, fontSize=10, leading=13.5,
                          textColor=INK, spaceAfter=3)
    sheet.add(base)
    sheet.add(ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=MUTED))
    sheet.add(ParagraphStyle("label", parent=base, fontName=fonts.BOLD, fontSize=8.5, leading=11,
                             textColor=MUTED, spaceAfter=1))
    sheet.add(ParagraphStyle("title", parent=base, fontName=fonts.BOLD, fontSize=20, leading=25,
                             spaceAfter=4))
    sheet.add(ParagraphStyle("subtitle", parent=base, fontSize=11, leading=15, textColor=MUTED,
                             spaceAfter=10))
    sheet.add(ParagraphStyle("h2", parent=base, fontName=fonts.BOLD, fontSize=13.5, leading=17,
                             textColor=ACCENT, spaceBefore=10, spaceAfter=4, keepWithNext=1))
    sheet.add(ParagraphStyle("h3", parent=base, fontName=fonts.BOLD, fontSize=11, leading=14,
                             spaceBefore=6, spaceAfter=2, keepWithNext=1))
    sheet.add(ParagraphStyle("cell", parent=base, fontSize=9, leading=11.5, spaceAfter=0))
    sheet.add(ParagraphStyle("cell_bold", parent=base, fontName=fonts.BOLD, fontSize=9,
                             leading=11.5, spaceAfter=0))
    sheet.add(ParagraphStyle("sign_title", parent=base, fontName=fonts.BOLD, fontSize=40,
                             leading=46, alignment=TA_CENTER, spaceAfter=6))
    sheet.add(ParagraphStyle("sign_kind", parent=base, fontSize=18, leading=23,
                             alignment=TA_CENTER, textColor=ACCENT, spaceAfter=10))
    sheet.add(ParagraphStyle("sign_prompt", parent=base, fontSize=15, leading=20,
                             alignment=TA_CENTER, spaceAfter=8))
    sheet.add(ParagraphStyle("sign_url", parent=base, fontSize=13, leading=17,
                             alignment=TA_CENTER, textColor=INK))
    sheet.add(ParagraphStyle("card_title", parent=base, fontName=fonts.BOLD, fontSize=12,
                             leading=15, spaceAfter=1))
    return sheet


_SHEET: StyleSheet1 | None = None


def styles() -> StyleSheet1:
    """The shared stylesheet (built once)."""
    global _SHEET
    if _SHEET is None:
        _SHEET = _stylesheet()
    return _SHEET
