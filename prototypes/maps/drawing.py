"""The drawing of an initiative map as plain primitives, shared by every renderer: the Qt
canvas (and its PNG/SVG export) and the PDF handout draw exactly these shapes, so the map
on screen and the map on paper agree.

Coordinates are map units (x right, y **down**; the hub near (0, 0), the first ring of spokes
about 1.1 units out). ``Drawing.fitted(width, height, margin)`` scales everything — positions,
sizes, line widths, dash lengths, font sizes — into a ``width × height`` box, still y-down;
a y-up renderer such as reportlab maps each point with ``y' = height - y`` (every text line
carries its own baseline, so no text needs flipping).

The rating of a link is shown three ways, never by colour alone: line **width** grows with
the rating, the **dash pattern** changes (0 dotted, 1 dashed, 2 long dashes, 3 solid), and the
**digit** is written in a label on the line (at its middle, or slid along it so that no
two labels and no label and box overlap). A node's status is written in the
node ("Planned · load 3") as well as shown by its border style.

Text is wrapped with an estimated glyph width (``CHAR_WIDTH`` em): the model must not depend on
Qt's or reportlab's font metrics, and with the bundled DejaVu Sans the estimate errs wide,
so lines fit in both renderers.
"""
from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field, replace

from prototypes.maps.model import (HUB, RATING_LABELS, STATUS_LABELS, InitiativeMap, Link, Node,
                             positions)

FONT_FAMILY = "DejaVu Sans"     # bundled in assets/fonts
CHAR_WIDTH = 0.60               # average advance of a regular glyph, in em
BOLD_CHAR_WIDTH = 0.66
LINE_HEIGHT = 1.22              # baseline-to-baseline, in em

NAME_SIZE = 0.040
META_SIZE = 0.030
VISION_SIZE = 0.050
LABEL_SIZE = 0.042
BOX_PAD = 0.022
BOX_MIN_W, BOX_MAX_W = 0.26, 0.44
HUB_MIN_R = 0.24
HUB_TEXT_W = 0.52               # width of the vision's text block inside the hub
MAX_NAME_LINES = None         # names are never cut: the drawing must show what the team wrote

TEXT = "#111827"
MUTED = "#4b5563"
NODE_STYLES = {   # status -> (fill, stroke, stroke width, dash)
    "active": ("#e8f1fb", "#1f4e79", 0.007, ()),
    "planned": ("#ffffff", "#1f4e79", 0.007, (0.030, 0.016)),
    "winding_down": ("#f1f1f1", "#6b7280", 0.007, (0.008, 0.010)),
}
HUB_STYLE = ("#fff4d6", "#b7791f", 0.012, ())
EDGE_WIDTHS = {0: 0.005, 1: 0.008, 2: 0.012, 3: 0.018}
EDGE_DASHES = {0: (0.006, 0.014), 1: (0.040, 0.024), 2: (0.090, 0.024), 3: ()}
HUB_EDGE_COLORS = {0: "#b42318", 1: "#b54708", 2: "#1f6f8b", 3: "#1f3a5f"}
SPOKE_EDGE_COLOR = "#6b7280"
LABEL_FILL = "#ffffff"


@dataclass(frozen=True)
class TextLine:
    """One line of text sitting on the baseline ``y``; ``x`` is its centre when ``anchor`` is
    ``"middle"`` and its left end when ``"start"``."""
    text: str
    x: float
    y: float
    size: float
    bold: bool = False
    italic: bool = False
    color: str = TEXT
    anchor: str = "middle"


@dataclass(frozen=True)
class NodeShape:
    """The hub (``shape == "ellipse"``, a circle) or an initiative (``"box"``, rounded by
    ``corner``), centred on (cx, cy) with half-extents (hw, hh)."""
    key: int
    kind: str
    shape: str
    cx: float
    cy: float
    hw: float
    hh: float
    corner: float
    fill: str
    stroke: str
    stroke_width: float
    dash: tuple[float, ...]
    lines: tuple[TextLine, ...]
    status: str = ""

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return (self.cx - self.hw, self.cy - self.hh, self.cx + self.hw, self.cy + self.hh)

    def moved_to(self, x: float, y: float) -> "NodeShape":
        dx, dy = x - self.cx, y - self.cy
        return replace(self, cx=x, cy=y, lines=tuple(replace(t, x=t.x + dx, y=t.y + dy)
                                                     for t in self.lines))

    def border_point(self, toward: tuple[float, float]) -> tuple[float, float]:
        """Where the straight line from the centre toward ``toward`` leaves the shape."""
        dx, dy = toward[0] - self.cx, toward[1] - self.cy
        if dx == 0 and dy == 0:
            return (self.cx, self.cy)
        if self.shape == "ellipse":
            t = 1 / math.sqrt((dx / self.hw) ** 2 + (dy / self.hh) ** 2)
        else:
            t = min(self.hw / abs(dx) if dx else math.inf, self.hh / abs(dy) if dy else math.inf)
        return (self.cx + dx * t, self.cy + dy * t)


@dataclass(frozen=True)
class EdgeShape:
    """A link from (x1, y1) to (x2, y2), both on the nodes' borders. ``dash`` is a list of
    on/off lengths in the same units as the coordinates (empty = solid). The rating label is
    the text ``label`` in a rounded box centred on (label_cx, label_cy), of half-size
    (label_hw, label_hh); ``label_t`` is how far along the line it sits (0.5 = the middle)."""
    key: int
    a: int
    b: int
    x1: float
    y1: float
    x2: float
    y2: float
    rating: int
    to_hub: bool
    width: float
    dash: tuple[float, ...]
    color: str
    label: TextLine
    label_hw: float
    label_hh: float
    label_cx: float = 0.0
    label_cy: float = 0.0
    label_t: float = 0.5


@dataclass
class Drawing:
    """The shapes and texts of one map, in map units; every renderer paints these."""
    nodes: list[NodeShape]            # hub first, then initiatives in id order
    edges: list[EdgeShape]            # in link id order (drawn below the nodes)
    legend: list[tuple[EdgeShape, TextLine]] = field(default_factory=list)
    bounds: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)

    def node(self, key: int) -> NodeShape:
        return next(n for n in self.nodes if n.key == key)

    def texts(self) -> list[str]:
        """Every piece of text drawn, in drawing order (for tests and accessibility)."""
        out = [e.label.text for e in self.edges]
        for n in self.nodes:
            out += [t.text for t in n.lines]
        out += [t.text for _, t in self.legend]
        return out

    def fitted(self, width: float, height: float, margin: float = 0.0) -> "Drawing":
        """The same drawing scaled uniformly and centred in a ``width × height`` box."""
        x0, y0, x1, y1 = self.bounds
        bw, bh = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
        s = min((width - 2 * margin) / bw, (height - 2 * margin) / bh)
        ox = (width - bw * s) / 2 - x0 * s
        oy = (height - bh * s) / 2 - y0 * s
        return self.transformed(s, ox, oy)

    def transformed(self, s: float, ox: float, oy: float) -> "Drawing":
        """Every coordinate ``v`` becomes ``v·s + offset``; every length is multiplied by ``s``."""
        x0, y0, x1, y1 = self.bounds
        return Drawing([transform_node(n, s, ox, oy) for n in self.nodes],
                       [transform_edge(e, s, ox, oy) for e in self.edges],
                       [(transform_edge(e, s, ox, oy), transform_text(t, s, ox, oy))
                        for e, t in self.legend],
                       (x0 * s + ox, y0 * s + oy, x1 * s + ox, y1 * s + oy))


def transform_text(t: TextLine, s: float, ox: float = 0.0, oy: float = 0.0) -> TextLine:
    """A text line scaled by ``s`` and moved by the offset."""
    return replace(t, x=t.x * s + ox, y=t.y * s + oy, size=t.size * s)


def transform_edge(e: EdgeShape, s: float, ox: float = 0.0, oy: float = 0.0) -> EdgeShape:
    """An edge, its dash and its label scaled by ``s`` and moved by the offset."""
    return replace(e, x1=e.x1 * s + ox, y1=e.y1 * s + oy, x2=e.x2 * s + ox, y2=e.y2 * s + oy,
                   width=e.width * s, dash=tuple(d * s for d in e.dash),
                   label=transform_text(e.label, s, ox, oy),
                   label_hw=e.label_hw * s, label_hh=e.label_hh * s,
                   label_cx=e.label_cx * s + ox, label_cy=e.label_cy * s + oy)


def transform_node(n: NodeShape, s: float, ox: float = 0.0, oy: float = 0.0) -> NodeShape:
    """A node, its outline and its lines scaled by ``s`` and moved by the offset."""
    return replace(n, cx=n.cx * s + ox, cy=n.cy * s + oy, hw=n.hw * s, hh=n.hh * s,
                   corner=n.corner * s, stroke_width=n.stroke_width * s,
                   dash=tuple(d * s for d in n.dash),
                   lines=tuple(transform_text(t, s, ox, oy) for t in n.lines))


# -- text ------------------------------------------------------------------------------------
def text_width(text: str, size: float, bold: bool = False) -> float:
    """The estimated width of a text at ``size`` (no font metrics in the pure core)."""
    return len(text) * size * (BOLD_CHAR_WIDTH if bold else CHAR_WIDTH)


def wrap(text: str, width: float, size: float, bold: bool = False,
         max_lines: int | None = None) -> list[str]:
    """Lines of at most ``width`` (estimated); words are broken only when longer than a line;
    past ``max_lines`` the last line ends with an ellipsis."""
    chars = max(4, int(width / (size * (BOLD_CHAR_WIDTH if bold else CHAR_WIDTH))))
    lines = textwrap.wrap(text, chars, break_on_hyphens=False) or [""]
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:chars - 1].rstrip() + "…"
    return lines


def _stack(lines: list[tuple[str, float, bool, bool, str]], cx: float, cy: float) -> tuple[TextLine, ...]:
    """Centre a block of (text, size, bold, italic, colour) lines vertically on cy."""
    heights = [size * LINE_HEIGHT for _, size, *_ in lines]
    y = cy - sum(heights) / 2
    out = []
    for (text, size, bold, italic, color), h in zip(lines, heights):
        # The baseline sits about 0.8 em below the top of a line box of height 1.22 em.
        out.append(TextLine(text, cx, y + h / 2 + size * 0.36, size, bold, italic, color))
        y += h
    return tuple(out)


# -- nodes and edges ---------------------------------------------------------------------------
def node_shape(node: Node, x: float, y: float) -> NodeShape:
    """The shape of one node at (x, y): the hub's ellipse, or an initiative's box."""
    if node.kind == HUB:
        fill, stroke, sw, dash = HUB_STYLE
        if node.name:
            rows = [(t, VISION_SIZE, True, False, TEXT)
                    for t in wrap(node.name, HUB_TEXT_W, VISION_SIZE, bold=True)]
        else:
            rows = [(t, VISION_SIZE * 0.8, False, True, MUTED)
                    for t in wrap("Double-click to write your vision", HUB_TEXT_W, VISION_SIZE * 0.8)]
        w = max(text_width(r[0], r[1], r[2]) for r in rows)
        h = sum(r[1] * LINE_HEIGHT for r in rows)
        r = max(HUB_MIN_R, math.hypot(w / 2, h / 2) + BOX_PAD)
        return NodeShape(node.id, HUB, "ellipse", x, y, r, r, 0.0, fill, stroke, sw, dash,
                         _stack(rows, x, y))
    fill, stroke, sw, dash = NODE_STYLES[node.status]
    color = MUTED if node.status == "winding_down" else TEXT
    inner = BOX_MAX_W - 2 * BOX_PAD
    rows = [(t, NAME_SIZE, True, False, color)
            for t in wrap(node.name, inner, NAME_SIZE, bold=True, max_lines=MAX_NAME_LINES)]
    rows.append((f"{STATUS_LABELS[node.status]} · load {node.load}", META_SIZE, False, False, MUTED))
    if node.owner:
        rows += [(t, META_SIZE, False, True, MUTED)
                 for t in wrap(node.owner, inner, META_SIZE, max_lines=1)]
    w = max(text_width(r[0], r[1], r[2]) for r in rows) + 2 * BOX_PAD
    w = min(BOX_MAX_W, max(BOX_MIN_W, w))
    h = sum(r[1] * LINE_HEIGHT for r in rows) + 2 * BOX_PAD
    return NodeShape(node.id, node.kind, "box", x, y, w / 2, h / 2, 0.03, fill, stroke, sw, dash,
                     _stack(rows, x, y), status=node.status)


def edge_shape(link: Link, a: NodeShape, b: NodeShape, hub_id: int, label_t: float = 0.5) -> EdgeShape:
    """The line between two node shapes (recomputed by the canvas while a node is dragged),
    its label ``label_t`` of the way from ``a`` to ``b``."""
    x1, y1 = a.border_point((b.cx, b.cy))
    x2, y2 = b.border_point((a.cx, a.cy))
    to_hub = hub_id in link.ends
    return _edge(link.id, link.a, link.b, x1, y1, x2, y2, link.rating, to_hub, label_t)


def _edge(key, a, b, x1, y1, x2, y2, rating, to_hub, t=0.5) -> EdgeShape:
    cx, cy = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
    label = TextLine(str(rating), cx, cy + LABEL_SIZE * 0.36,
                     LABEL_SIZE, bold=True, color=HUB_EDGE_COLORS[rating] if to_hub else TEXT)
    return EdgeShape(key, a, b, x1, y1, x2, y2, rating, to_hub, EDGE_WIDTHS[rating],
                     EDGE_DASHES[rating], HUB_EDGE_COLORS[rating] if to_hub else SPOKE_EDGE_COLOR,
                     label, LABEL_SIZE * 0.62, LABEL_SIZE * 0.72, cx, cy, t)


LABEL_SLIDES = (0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8)


def _overlaps(r, others) -> bool:
    return any(r[0] < o[2] and o[0] < r[2] and r[1] < o[3] and o[1] < r[3] for o in others)


def place_labels(edges: list[EdgeShape], nodes: list[NodeShape]) -> list[EdgeShape]:
    """Slide each rating label along its line to the first spot (middle first) where it
    overlaps no box and no label placed before it; if there is none, keep the middle."""
    taken = [n.bounds for n in nodes]
    out = []
    for e in edges:
        chosen = e
        for t in LABEL_SLIDES:
            cand = _edge(e.key, e.a, e.b, e.x1, e.y1, e.x2, e.y2, e.rating, e.to_hub, t)
            rect = (cand.label_cx - cand.label_hw, cand.label_cy - cand.label_hh,
                    cand.label_cx + cand.label_hw, cand.label_cy + cand.label_hh)
            if not _overlaps(rect, taken):
                chosen = cand
                break
        taken.append((chosen.label_cx - chosen.label_hw, chosen.label_cy - chosen.label_hh,
                      chosen.label_cx + chosen.label_hw, chosen.label_cy + chosen.label_hh))
        out.append(chosen)
    return out


def legend(x: float, y: float) -> list[tuple[EdgeShape, TextLine]]:
    """A key to the line styles, starting at (x, y): one sample line per rating."""
    rows = []
    for i, rating in enumerate(sorted(RATING_LABELS, reverse=True)):
        ly = y + i * 0.075
        sample = _edge(-1 - rating, 0, 0, x, ly, x + 0.22, ly, rating, True)
        text = f"{rating} {RATING_LABELS[rating]}"
        rows.append((sample, TextLine(text, x + 0.26, ly + META_SIZE * 0.36, META_SIZE,
                                      color=TEXT, anchor="start")))
    ly = y + len(rows) * 0.075
    rows.append((_edge(-10, 0, 0, x, ly, x + 0.22, ly, 2, False),
                 TextLine("grey: two initiatives linked (same styles)", x + 0.26,
                          ly + META_SIZE * 0.36, META_SIZE, color=TEXT, anchor="start")))
    return rows


def build_drawing(m: InitiativeMap, positions_override: dict[int, tuple[float, float]] | None = None,
                  *, with_legend: bool = True) -> Drawing:
    """The drawing of ``m`` at its saved positions (new maps get the radial layout)."""
    pos = positions(m) | (positions_override or {})
    hub_id = m.hub.id
    order = [hub_id] + [n.id for n in m.initiatives()]
    nodes = [node_shape(m.nodes[i], *pos[i]) for i in order]
    by_key = {n.key: n for n in nodes}
    edges = place_labels([edge_shape(link, by_key[link.a], by_key[link.b], hub_id)
                          for _, link in sorted(m.links.items())], nodes)
    boxes = [n.bounds for n in nodes]
    x0 = min(b[0] for b in boxes) - 0.05
    y0 = min(b[1] for b in boxes) - 0.05
    x1 = max(b[2] for b in boxes) + 0.05
    y1 = max(b[3] for b in boxes) + 0.05
    rows = []
    if with_legend:
        rows = legend(x0 + 0.02, y1 + 0.06)
        y1 += 0.06 + 0.075 * len(rows)
        x1 = max(x1, x0 + 0.75)
    return Drawing(nodes, edges, rows, (x0, y0, x1, y1))
