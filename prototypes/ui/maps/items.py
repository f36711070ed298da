"""Qt painting of the map drawing model: the canvas items, and the PNG/SVG export, all
painted by the same functions from ``prototypes.maps.drawing`` primitives."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (QBrush, QColor, QFont, QFontDatabase, QFontMetricsF, QImage, QPainter,
                           QPainterPath, QPainterPathStroker, QPen)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from prototypes.maps.drawing import (FONT_FAMILY, Drawing, EdgeShape, NodeShape, TextLine,
                                    edge_shape, transform_edge, transform_node)
from prototypes.maps.model import Link


SCALE = 300.0          # scene pixels per map unit
SELECTION = QColor("#2563eb")
_fonts_loaded = False


def ensure_fonts() -> None:
    """Register the bundled DejaVu Sans once, so screen and paper use the same face."""
    global _fonts_loaded
    if _fonts_loaded:
        return
    from assets import asset_path
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        QFontDatabase.addApplicationFont(str(asset_path("fonts", name)))
    _fonts_loaded = True


def _pen(color: str, width: float, dash: tuple[float, ...]) -> QPen:
    pen = QPen(QColor(color), width)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    if dash and width > 0:
        # Qt measures dashes in pen widths; the drawing model in absolute units.
        pen.setDashPattern([max(d / width, 0.1) for d in dash])
    return pen


def _font(line: TextLine) -> QFont:
    font = QFont(FONT_FAMILY)
    font.setPixelSize(max(1, round(line.size)))
    font.setBold(line.bold)
    font.setItalic(line.italic)
    return font


def paint_text(painter: QPainter, line: TextLine, dx: float = 0.0, dy: float = 0.0) -> None:
    """Paint one text line of the drawing model."""
    font = _font(line)
    painter.setFont(font)
    painter.setPen(QColor(line.color))
    shift = 0.0 if line.anchor == "start" else QFontMetricsF(font).horizontalAdvance(line.text) / 2
    painter.drawText(QPointF(line.x + dx - shift, line.y + dy), line.text)


def paint_node(painter: QPainter, n: NodeShape, dx: float = 0.0, dy: float = 0.0) -> None:
    """Paint one initiative box (or the vision) of the drawing model."""
    painter.setPen(_pen(n.stroke, n.stroke_width, n.dash))
    painter.setBrush(QBrush(QColor(n.fill)))
    rect = QRectF(n.cx - n.hw + dx, n.cy - n.hh + dy, 2 * n.hw, 2 * n.hh)
    if n.shape == "ellipse":
        painter.drawEllipse(rect)
    else:
        painter.drawRoundedRect(rect, n.corner, n.corner)
    for line in n.lines:
        paint_text(painter, line, dx, dy)


def paint_edge(painter: QPainter, e: EdgeShape, dx: float = 0.0, dy: float = 0.0,
               label: bool = True) -> None:
    """Paint one link line of the drawing model, styled by its rating."""
    painter.setPen(_pen(e.color, e.width, e.dash))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawLine(QPointF(e.x1 + dx, e.y1 + dy), QPointF(e.x2 + dx, e.y2 + dy))
    if label:
        lx, ly = e.label_cx + dx, e.label_cy + dy
        painter.setPen(_pen(e.color, max(e.label_hh * 0.08, 0.5), ()))
        painter.setBrush(QBrush(QColor("#ffffff")))
        painter.drawRoundedRect(QRectF(lx - e.label_hw, ly - e.label_hh, 2 * e.label_hw,
                                       2 * e.label_hh), e.label_hh * 0.6, e.label_hh * 0.6)
        paint_text(painter, e.label, dx, dy)


def paint_drawing(painter: QPainter, d: Drawing) -> None:
    """The whole drawing (already fitted to the device): links, nodes, then the legend."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    for e in d.edges:
        paint_edge(painter, e)
    for n in d.nodes:
        paint_node(painter, n)
    for sample, text in d.legend:
        paint_edge(painter, sample, label=False)
        paint_text(painter, text)


def _fit(d: Drawing, width_px: int, margin: float) -> tuple[Drawing, int, int]:
    x0, y0, x1, y1 = d.bounds
    height_px = max(1, round(width_px * (y1 - y0) / (x1 - x0)))
    return d.fitted(width_px, height_px, margin), width_px, height_px


def render_image(d: Drawing, width_px: int = 1800) -> QImage:
    """The drawing as an image ``width_px`` wide."""
    ensure_fonts()
    fitted, w, h = _fit(d, width_px, width_px * 0.02)
    image = QImage(QSize(w, h), QImage.Format.Format_ARGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    paint_drawing(painter, fitted)
    painter.end()
    return image


def export_png(d: Drawing, path: Path | str, width_px: int = 1800) -> Path:
    """Write the drawing as a PNG; returns the path written."""
    path = Path(path)
    if not render_image(d, width_px).save(str(path), "PNG"):
        raise OSError(f"Could not write {path}.")
    return path


def export_svg(d: Drawing, path: Path | str, title: str = "Initiative map",
               width_px: int = 1200) -> Path:
    """Write the drawing as an SVG; returns the path written."""
    ensure_fonts()
    path = Path(path)
    fitted, w, h = _fit(d, width_px, width_px * 0.02)
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(w, h))
    generator.setViewBox(QRectF(0, 0, w, h))
    generator.setTitle(title)
    generator.setDescription("Hub-and-spoke initiative map; line width, dash and the written "
                             "number show each link's alignment rating (0-3).")
    painter = QPainter()
    if not painter.begin(generator):
        raise OSError(f"Could not write {path}.")
    painter.fillRect(QRectF(0, 0, w, h), QColor("#ffffff"))
    paint_drawing(painter, fitted)
    painter.end()
    return path


# -- canvas items ----------------------------------------------------------------------------
class NodeItem(QGraphicsItem):
    """One node; its position is the node's centre in scene pixels."""

    def __init__(self, shape: NodeShape):
        super().__init__()
        self.edges: list[EdgeItem] = []
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setZValue(2 if shape.kind == "hub" else 1)
        self.set_shape(shape)

    @property
    def key(self) -> int:
        return self.unit_shape.key

    def set_shape(self, shape: NodeShape) -> None:
        """``shape`` in map units; the item keeps a pixel copy centred on its origin."""
        self.prepareGeometryChange()
        self.unit_shape = shape
        self.local = transform_node(shape.moved_to(0.0, 0.0), SCALE)
        self.setPos(shape.cx * SCALE, shape.cy * SCALE)
        self.update()

    def unit_center(self) -> tuple[float, float]:
        return (self.pos().x() / SCALE, self.pos().y() / SCALE)

    def current_shape(self) -> NodeShape:
        return self.unit_shape.moved_to(*self.unit_center())

    def boundingRect(self) -> QRectF:
        pad = self.local.stroke_width + 8
        return QRectF(-self.local.hw - pad, -self.local.hh - pad,
                      2 * (self.local.hw + pad), 2 * (self.local.hh + pad))

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        rect = QRectF(-self.local.hw, -self.local.hh, 2 * self.local.hw, 2 * self.local.hh)
        if self.local.shape == "ellipse":
            path.addEllipse(rect)
        else:
            path.addRoundedRect(rect, self.local.corner, self.local.corner)
        return path

    def paint(self, painter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_node(painter, self.local)
        if self.isSelected():
            painter.setPen(QPen(SELECTION, 3, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            r = self.local
            painter.drawRoundedRect(QRectF(-r.hw - 5, -r.hh - 5, 2 * r.hw + 10, 2 * r.hh + 10), 8, 8)

    def itemChange(self, change, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for edge in self.edges:
                edge.update_geometry()
        return super().itemChange(change, value)


class EdgeItem(QGraphicsItem):
    """One link; follows its two nodes while they are dragged."""

    def __init__(self, link: Link, a: NodeItem, b: NodeItem, hub_id: int):
        super().__init__()
        self.link, self.a, self.b, self.hub_id = link, a, b, hub_id
        self.label_t = 0.5
        a.edges.append(self)
        b.edges.append(self)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(0)
        self.update_geometry()

    @property
    def key(self) -> int:
        return self.link.id

    def set_link(self, link: Link, shape: EdgeShape | None = None) -> None:
        """A saved link and, from the drawing, its shape (label placed clear of others)."""
        self.link = link
        if shape is not None:
            self.label_t = shape.label_t
        self.update_geometry(shape)

    def update_geometry(self, shape: EdgeShape | None = None) -> None:
        """Follow the nodes (while dragging, the label keeps its place along the line)."""
        self.prepareGeometryChange()
        if shape is None:
            shape = edge_shape(self.link, self.a.current_shape(), self.b.current_shape(),
                               self.hub_id, self.label_t)
        self.px = transform_edge(shape, SCALE)
        self.update()

    def _path(self) -> QPainterPath:
        e = self.px
        path = QPainterPath(QPointF(e.x1, e.y1))
        path.lineTo(QPointF(e.x2, e.y2))
        stroker = QPainterPathStroker()
        stroker.setWidth(max(e.width, 1) + 12)
        outline = stroker.createStroke(path)
        mx, my = e.label_cx, e.label_cy
        outline.addRect(QRectF(mx - e.label_hw - 4, my - e.label_hh - 4,
                               2 * e.label_hw + 8, 2 * e.label_hh + 8))
        return outline

    def boundingRect(self) -> QRectF:
        return self._path().boundingRect().adjusted(-4, -4, 4, 4)

    def shape(self) -> QPainterPath:
        return self._path()

    def paint(self, painter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.isSelected():
            e = self.px
            painter.setPen(QPen(QColor(37, 99, 235, 90), e.width + 10, Qt.PenStyle.SolidLine,
                                Qt.PenCapStyle.RoundCap))
            painter.drawLine(QPointF(e.x1, e.y1), QPointF(e.x2, e.y2))
        paint_edge(painter, self.px)


class MapScene(QGraphicsScene):
    """The canvas. Signals are past-tense events:
    ``nodes_moved(dict)``: a drag ended; payload ``{node id: ((old x, old y), (new x, new y))}``
    in map units. ``node_double_clicked(int)``: payload the node id.
    ``edge_double_clicked(int)``: payload the link id.
    ``background_double_clicked(tuple)``: payload the (x, y) clicked, in map units."""
    nodes_moved = Signal(object)
    node_double_clicked = Signal(int)
    edge_double_clicked = Signal(int)
    background_double_clicked = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        ensure_fonts()
        self.nodes: dict[int, NodeItem] = {}
        self.edges: dict[int, EdgeItem] = {}
        self._pressed: dict[int, tuple[float, float]] = {}

    def show_drawing(self, d: Drawing, links: dict[int, Link], hub_id: int) -> None:
        """Bring the items in line with ``d``: update what stays, add and remove the rest
        (items are kept, so selection and a node under the mouse survive a refresh)."""
        shapes = {n.key: n for n in d.nodes}
        for key in list(self.edges):
            if key not in links or key not in {e.key for e in d.edges}:
                self._remove_edge(key)
        for key in list(self.nodes):
            if key not in shapes:
                item = self.nodes.pop(key)
                for edge in list(item.edges):
                    self._remove_edge(edge.key)
                self.removeItem(item)
        for key, shape in shapes.items():
            if key in self.nodes:
                self.nodes[key].set_shape(shape)
            else:
                self.nodes[key] = NodeItem(shape)
                self.addItem(self.nodes[key])
        for e in d.edges:
            link = links[e.key]
            item = self.edges.get(e.key)
            if item is not None and (item.a.key, item.b.key) != (link.a, link.b):
                self._remove_edge(e.key)
                item = None
            if item is None:
                item = EdgeItem(link, self.nodes[link.a], self.nodes[link.b], hub_id)
                self.edges[e.key] = item
                self.addItem(item)
            item.set_link(link, e)
        rect = self.itemsBoundingRect()
        self.setSceneRect(rect.adjusted(-rect.width() - 600, -rect.height() - 600,
                                        rect.width() + 600, rect.height() + 600))

    def _remove_edge(self, key: int) -> None:
        item = self.edges.pop(key, None)
        if item is None:
            return
        for node in (item.a, item.b):
            if item in node.edges:
                node.edges.remove(item)
        self.removeItem(item)

    def selected_node_ids(self) -> list[int]:
        return sorted(i.key for i in self.selectedItems() if isinstance(i, NodeItem))

    def selected_link_ids(self) -> list[int]:
        return sorted(i.key for i in self.selectedItems() if isinstance(i, EdgeItem))

    def mousePressEvent(self, event) -> None:
        super().mousePressEvent(event)
        self._pressed = {i.key: i.unit_center() for i in self.selectedItems() if isinstance(i, NodeItem)}

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        moved = {}
        for key, old in self._pressed.items():
            item = self.nodes.get(key)
            if item is not None and item.unit_center() != old:
                moved[key] = (old, item.unit_center())
        self._pressed = {}
        if moved:
            self.nodes_moved.emit(moved)

    def mouseDoubleClickEvent(self, event) -> None:
        item = self.itemAt(event.scenePos(), self.views()[0].transform()) if self.views() else None
        if isinstance(item, NodeItem):
            self.node_double_clicked.emit(item.key)
        elif isinstance(item, EdgeItem):
            self.edge_double_clicked.emit(item.key)
        else:
            p = event.scenePos()
            self.background_double_clicked.emit((p.x() / SCALE, p.y() / SCALE))
        event.accept()
