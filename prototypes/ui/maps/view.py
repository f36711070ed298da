"""The map canvas view (zoom, pan, fit, context menu) and the line key painted from the drawing
model."""
from __future__ import annotations

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QGraphicsView

from prototypes.maps.drawing import legend, transform_edge, transform_text
from prototypes.ui.maps.items import MapScene, paint_edge, paint_text


class MapView(QGraphicsView):
    """The map canvas: zoom, pan, fit and the context-menu request."""

    context_requested = Signal(object, object)  # payload: item under the mouse or None, global QPoint

    def __init__(self, scene: MapScene):
        super().__init__(scene)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Initiative map: the vision in the middle, initiatives around it")
        self._pan: QPointF | None = None

    def zoom(self, factor: float, under_mouse: bool = False) -> None:
        """Zoom about the mouse (wheel) or the middle of the view (keys, menu)."""
        current = self.transform().m11()
        factor = max(0.08, min(6.0, current * factor)) / current
        anchor = QGraphicsView.ViewportAnchor
        self.setTransformationAnchor(anchor.AnchorUnderMouse if under_mouse else anchor.AnchorViewCenter)
        self.scale(factor, factor)
        self.setTransformationAnchor(anchor.AnchorUnderMouse)

    def fit(self) -> None:
        rect = self.scene().itemsBoundingRect().adjusted(-30, -30, 30, 30)
        if not rect.isEmpty():
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(1.15 if event.angleDelta().y() > 0 else 1 / 1.15, under_mouse=True)
        else:
            super().wheelEvent(event)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.MiddleButton:    # pan with the middle button
            self._pan = event.position()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._pan is not None:
            delta = event.position() - self._pan
            self._pan = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - round(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - round(delta.y()))
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if self._pan is not None and event.button() == Qt.MouseButton.MiddleButton:
            self._pan = None
            self.unsetCursor()
            return
        super().mouseReleaseEvent(event)

    def contextMenuEvent(self, event) -> None:
        item = self.itemAt(event.pos())
        if item is not None and not item.isSelected():
            self.scene().clearSelection()
            item.setSelected(True)
        self.context_requested.emit(item, event.globalPos())


def legend_pixmap() -> QPixmap:
    """The key to the line styles, painted from the same primitives as the map."""
    rows = legend(0.0, 0.0)
    scale = 330.0
    pixmap = QPixmap(int(0.9 * scale), int(0.075 * len(rows) * scale + 6))
    pixmap.fill(Qt.GlobalColor.white)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for sample, text in rows:
        paint_edge(painter, transform_edge(sample, scale, 4, 16), label=False)
        paint_text(painter, transform_text(text, scale, 4, 16))
    painter.end()
    return pixmap
