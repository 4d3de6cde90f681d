"""Graphics items and the scene of the offline map (built from territories.views.MapData).

Speed: no per-item shadows or effects, cosmetic pens, polygons decoded with one C++ call
(QDataStream) instead of one QPointF per vertex; at low zoom the 1,609 QPV perimeters
(smaller than a pixel) give way to one item drawing them as dots, and programme sites
are drawn per layer with a single drawPoints() call.
"""

from __future__ import annotations

import struct
import sys
from array import array

from PySide6.QtCore import QByteArray, QDataStream, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QGraphicsScene, QGraphicsSimpleTextItem, QStyleOptionGraphicsItem

from qpvdesk.ui.map_labels import LabelLayerItem, NpnruItem

ENTITY_ROLE = 0  # QGraphicsItem.data key holding the entity id
KIND_ROLE = 1

SEA = QColor("#dcebf5")
LAND = QColor("#f7f4ec")
DEP_LINE = QColor("#9b9b9b")
REGION_LINE = QColor("#5f5f5f")
QPV_FILL = QColor(200, 30, 60, 170)
QPV_LINE = QColor(140, 10, 40)
HIGHLIGHT = QColor("#ffb000")

# layer -> (dot colour, outline colour, dot size px, round?)
POINT_STYLES: dict[str, tuple[QColor, QColor, float, bool]] = {
    "france-services": (QColor("#1b9e5a"), QColor("#0b4d2a"), 5.0, False),
    "cite-educative": (QColor("#2f6fdb"), QColor("#ffffff"), 6.5, True),
    "cite-emploi": (QColor("#f08c00"), QColor("#ffffff"), 6.5, True),
    "contrat-2024": (QColor("#ffffff"), QColor("#7b2cbf"), 6.0, True),
    "contrat-2015": (QColor("#ffffff"), QColor("#8a8a8a"), 6.0, True),
}
QPV_DOT_PX = 3.5  # below this size on screen a QPV is drawn as a dot
DOTS_BELOW_SCALE = 1.2  # view scale (pixels per km) under which the QPV dots replace perimeters
LABELS_FROM_SCALE = 20.0  # QPV names are shown from this scale (created the first time)


def polygon(ring: array) -> QPolygonF:
    """array('d') x0, y0, x1, y1… -> QPolygonF, decoded in C++ (QDataStream: count + big-endian doubles)."""
    data = array("d", ring)
    if sys.byteorder == "little":
        data.byteswap()
    buffer = QByteArray(struct.pack(">I", len(ring) // 2) + data.tobytes())  # keep alive while the stream reads it
    stream = QDataStream(buffer, QIODevice.OpenModeFlag.ReadOnly)
    result = QPolygonF()
    stream >> result
    return result


def rings_path(rings) -> QPainterPath:
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for ring in rings:
        path.addPolygon(polygon(ring))
        path.closeSubpath()
    return path


def cosmetic(color: QColor, width: float = 1.0) -> QPen:
    pen = QPen(color, width)
    pen.setCosmetic(True)
    return pen


class QpvItem(QGraphicsPathItem):
    """One QPV perimeter (hidden at low zoom: QpvDotsItem draws it then)."""

    def __init__(self, shape, revised: bool) -> None:
        super().__init__(rings_path(shape.rings))
        self.entity_id = shape.entity_id
        self.setData(ENTITY_ROLE, shape.entity_id)
        self.setData(KIND_ROLE, "qpv")
        self.setPen(cosmetic(QPV_LINE, 1.0))
        brush = QBrush(QPV_FILL, Qt.BrushStyle.BDiagPattern if revised else Qt.BrushStyle.SolidPattern)
        self.setBrush(brush)
        note = "\nMayotte : liste initiale, révisée depuis par l'ANCT" if revised else ""
        self.setToolTip(f"{shape.name} ({shape.code}){note}\nCliquer pour ouvrir la fiche")
        self.setZValue(3)

    def shape(self) -> QPainterPath:
        # Qt widens the shape by the pen taken as 1 km (its cosmetic width in scene units): a click
        # 500 m beside the quartier would open it. The perimeter itself is what a click must hit.
        return self.path()


class QpvDotsItem(QGraphicsItem):
    """All QPV as fixed-size dots, for the zoomed-out views (one drawPoints call)."""

    def __init__(self, shapes) -> None:
        super().__init__()
        self._points = QPolygonF([QPointF((s.bbox[0] + s.bbox[2]) / 2, (s.bbox[1] + s.bbox[3]) / 2) for s in shapes])
        self._rect = self._points.boundingRect().adjusted(-5, -5, 5, 5)
        self._outline = cosmetic(QPV_LINE, QPV_DOT_PX + 1.5)
        self._outline.setCapStyle(Qt.PenCapStyle.RoundCap)
        self._fill = cosmetic(QColor(220, 40, 70), QPV_DOT_PX)
        self._fill.setCapStyle(Qt.PenCapStyle.RoundCap)
        self.setZValue(3)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setPen(self._outline)
        painter.drawPoints(self._points)
        painter.setPen(self._fill)
        painter.drawPoints(self._points)


class PointLayerItem(QGraphicsItem):
    """Every site of one programme layer, drawn as constant-size markers in one call."""

    def __init__(self, layer: str, points) -> None:
        super().__init__()
        self.layer = layer
        self.points = tuple(points)
        self._polygon = QPolygonF([QPointF(p.x, p.y) for p in self.points])
        self._rect = self._polygon.boundingRect().adjusted(-20, -20, 20, 20) if self.points else QRectF()
        fill, outline, size, round_ = POINT_STYLES[layer]
        cap = Qt.PenCapStyle.RoundCap if round_ else Qt.PenCapStyle.SquareCap
        self._outer = cosmetic(outline, size + 2.5)
        self._outer.setCapStyle(cap)
        self._inner = cosmetic(fill, size)
        self._inner.setCapStyle(cap)
        self.setZValue(5 + list(POINT_STYLES).index(layer) * 0.1)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setPen(self._outer)
        painter.drawPoints(self._polygon)
        painter.setPen(self._inner)
        painter.drawPoints(self._polygon)

    def nearest(self, pos: QPointF, radius: float):
        """The marker closest to pos within radius (scene units), or None."""
        best, best_d = None, radius * radius
        x, y = pos.x(), pos.y()
        for p in self.points:
            d = (p.x - x) ** 2 + (p.y - y) ** 2
            if d <= best_d:
                best, best_d = p, d
        return best

    def all_near(self, pos: QPointF, radius: float) -> list:
        x, y, r2 = pos.x(), pos.y(), radius * radius
        return [p for p in self.points if (p.x - x) ** 2 + (p.y - y) ** 2 <= r2]


class MapScene(QGraphicsScene):
    """Départements (with overseas insets), région borders, QPV, programme sites."""

    def __init__(self, data, parent=None) -> None:
        super().__init__(parent)
        self.data = data
        self.qpv_items: dict[str, QpvItem] = {}
        self.point_layers: dict[str, PointLayerItem] = {}
        self.dep_items: list[QGraphicsPathItem] = []
        x0, y0, x1, y1 = data.bounds
        margin = max(x1 - x0, y1 - y0) * 0.25
        self.france_rect = QRectF(x0, y0, x1 - x0, y1 - y0)
        self.setSceneRect(self.france_rect.adjusted(-margin, -margin, margin, margin))
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self._build()

    def _build(self) -> None:
        frame_pen = cosmetic(QColor("#7a8a99"), 1.0)
        frame_pen.setStyle(Qt.PenStyle.DashLine)
        label_font = QFont()
        label_font.setPointSizeF(7.5)
        for inset in self.data.insets:
            x0, y0, x1, y1 = inset.rect
            frame = self.addRect(QRectF(x0, y0, x1 - x0, y1 - y0), frame_pen, QBrush(QColor(255, 255, 255, 60)))
            frame.setZValue(0)
            label = QGraphicsSimpleTextItem(inset.name)
            label.setFont(label_font)
            label.setBrush(QColor("#33414f"))
            label.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            label.setPos(x0, y0)
            label.setTransform(QTransform.fromTranslate(0, -label.boundingRect().height()))  # just above the frame
            label.setZValue(8)
            self.addItem(label)
        dep_pen = cosmetic(DEP_LINE, 0.8)
        land = QBrush(LAND)
        for shape in self.data.departements:
            item = self.addPath(rings_path(shape.rings), dep_pen, land)
            item.setData(ENTITY_ROLE, shape.entity_id)
            item.setData(KIND_ROLE, "departement")
            item.setToolTip(f"{shape.name} ({shape.code})")
            item.setZValue(1)
            self.dep_items.append(item)
        region_pen = cosmetic(REGION_LINE, 1.4)
        for shape in self.data.regions:
            item = self.addPath(rings_path(shape.rings), region_pen, Qt.BrushStyle.NoBrush)
            item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            item.setZValue(2)
        for shape in self.data.qpv:
            qpv = QpvItem(shape, shape.entity_id in self.data.revised)
            self.addItem(qpv)
            self.qpv_items[shape.entity_id] = qpv
        self.qpv_dots = QpvDotsItem(self.data.qpv)
        self.addItem(self.qpv_dots)
        for layer, points in self.data.points.items():
            layer_item = PointLayerItem(layer, points)
            self.addItem(layer_item)
            self.point_layers[layer] = layer_item
        npnru = [s for s in self.data.qpv if s.entity_id in self.data.npnru]
        self.npnru_layer = NpnruItem(npnru, [self.qpv_items[s.entity_id].path() for s in npnru], DOTS_BELOW_SCALE)
        self.npnru_layer.setVisible(False)
        self.addItem(self.npnru_layer)
        self.name_labels = LabelLayerItem(self.data.regions, self.data.places, self.sceneRect(), self.data.insets)
        self.addItem(self.name_labels)
        self.highlight = self.addPath(QPainterPath(), cosmetic(HIGHLIGHT, 3.0), Qt.BrushStyle.NoBrush)
        self.highlight.setZValue(9)
        self.highlight.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._labels: list[QGraphicsSimpleTextItem] = []
        self._show_qpv = True
        self._level = -1
        self.set_scale(0.0)

    def set_scale(self, scale: float) -> None:
        """Level of detail for a view scale (pixels per km): QPV as dots, perimeters, then names."""
        level = 0 if scale < DOTS_BELOW_SCALE else (1 if scale < LABELS_FROM_SCALE else 2)
        if level == self._level:
            return
        self._level = level
        show = self._show_qpv
        self.qpv_dots.setVisible(show and level == 0)
        for item in self.qpv_items.values():
            item.setVisible(show and level >= 1)
        if level == 2 and show and not self._labels:
            self._make_labels()
        for label in self._labels:
            label.setVisible(show and level == 2)

    def _make_labels(self) -> None:
        font = QFont()
        font.setPointSizeF(7.5)
        for shape in self.data.qpv:
            label = QGraphicsSimpleTextItem(shape.name)
            label.setFont(font)
            label.setBrush(QColor("#5a0a1e"))
            label.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            label.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            label.setPos((shape.bbox[0] + shape.bbox[2]) / 2, (shape.bbox[1] + shape.bbox[3]) / 2)
            rect = label.boundingRect()
            label.setTransform(QTransform.fromTranslate(-rect.width() / 2, -rect.height() / 2))
            label.setZValue(7)
            self.addItem(label)
            self._labels.append(label)

    def set_qpv_visible(self, visible: bool) -> None:
        self._show_qpv = visible
        level, self._level = self._level, -1
        self.set_scale((0.0, DOTS_BELOW_SCALE, LABELS_FROM_SCALE)[max(level, 0)])

    def set_layer_visible(self, layer: str, visible: bool) -> None:
        if layer == "qpv":
            self.set_qpv_visible(visible)
        elif layer == "npnru":
            self.npnru_layer.setVisible(visible)
        elif layer == "labels":
            self.name_labels.setVisible(visible)
        elif layer in self.point_layers:
            self.point_layers[layer].setVisible(visible)

    def set_highlight(self, entity_id: str | None, also: tuple[str, ...] = ()) -> None:
        """Outline a QPV or a département, and the QPV in `also` (a commune's, a postcode's)."""
        path = QPainterPath()
        for key in (entity_id, *also):
            item: QGraphicsPathItem | None = self.qpv_items.get(key) if key else None
            if item is None and key:
                item = next((d for d in self.dep_items if d.data(ENTITY_ROLE) == key), None)
            if item is not None:
                path.addPath(item.path())
        self.highlight.setPath(path)
