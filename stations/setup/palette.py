"""Station colours and the contrast rule of the projector. Pure: the handouts use it too.

The colours are the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), designed so
that people with the common colour-vision deficiencies can tell them apart. A colour is never
the only cue: its station's name is always beside it.
"""
from __future__ import annotations

#: (hex, name) for stations 1..6 in order; black and dark blue are left out because they
#: vanish on the projector's dark background.
STATION_COLOURS = (("#E69F00", "orange"), ("#56B4E9", "sky blue"), ("#009E73", "bluish green"),
                   ("#F0E442", "yellow"), ("#CC79A7", "reddish purple"), ("#D55E00", "vermillion"))

# The projector's colours (text on background must reach 7:1, WCAG AAA).
BACKGROUND = "#101418"
TEXT = "#FFFFFF"
TEXT_SOFT = "#C9D1D9"
WARNING = "#F0E442"
PAUSED = "#AEB8C2"
MIN_CONTRAST = 7.0


def station_colour(position: int) -> str:
    return STATION_COLOURS[(position - 1) % len(STATION_COLOURS)][0]


def station_colour_name(position: int) -> str:
    return STATION_COLOURS[(position - 1) % len(STATION_COLOURS)][1]


def _channel(c: float) -> float:
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance of ``#RRGGBB``."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def laptop_clock_ink(warning: bool, paused: bool, page_background: str) -> str:
    """The laptop clock's ink: at least 7:1 on the page it sits on (the projector's rule), on a
    light theme or a dark one."""
    if luminance(page_background) < 0.18:  # a dark theme: the projector's own light inks
        return WARNING if warning else TEXT_SOFT if paused else TEXT
    return "#4D4200" if warning else "#444444" if paused else "#111111"
