"""Text fitted to a box on the projector: the largest font for which it fits (by its line
box, or by its ink for the digits), cached because fitting is a binary search."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetricsF


@dataclass
class Box:
    """One text on the projector: where, in which font and colour, and its role."""
    text: str
    rect: QRectF
    font: QFont
    colour: str
    flags: int
    role: str


class Fitter:
    """The largest font (by pixel size) for which a text fits its box; results are cached
    because fitting is a binary search and the layout rarely changes."""

    def __init__(self):
        self._cache: dict = {}

    def fit(self, text: str, rect: QRectF, flags: int, max_px: float, bold: bool = False,
            family: str | None = None) -> QFont:
        key = (text, round(rect.width()), round(rect.height()), flags, round(max_px), bold, family)
        font = self._cache.get(key)
        if font is None:
            font = QFont(family) if family else QFont()
            font.setBold(bold)
            low, high = 6, max(6, int(max_px))
            while low < high:
                mid = (low + high + 1) // 2
                font.setPixelSize(mid)
                box = QFontMetricsF(font).boundingRect(rect, flags, text)
                if box.width() <= rect.width() + 0.5 and box.height() <= rect.height() + 0.5:
                    low = mid
                else:
                    high = mid - 1
            font.setPixelSize(low)
            if len(self._cache) > 2000:
                self._cache.clear()
            self._cache[key] = font
        return font

    def fit_ink(self, text: str, rect: QRectF, bold: bool = False) -> QFont:
        """The font whose *ink* (not line box) fills the rect: digits have no descenders, so
        sizing them by their glyphs makes them as large as the space allows."""
        key = ("ink", text, round(rect.width()), round(rect.height()), bold)
        font = self._cache.get(key)
        if font is None:
            font = QFont()
            font.setBold(bold)
            font.setPixelSize(100)
            ink = QFontMetricsF(font).tightBoundingRect(text)
            scale = min(rect.width() * 0.96 / ink.width(), rect.height() / ink.height())
            font.setPixelSize(max(6, int(100 * scale)))
            self._cache[key] = font
        return font
