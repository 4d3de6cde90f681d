"""Map names without overlaps, and the NPNRU layer.

Names: régions and the heaviest communes at country zoom, every commune with a QPV as you zoom in.
One item draws them all in screen pixels; where two names would overlap, the heavier one wins
(régions first, then communes by the inhabitants of their QPV). The choice is made once per view
transform and reused by the partial repaints of that transform.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

NPNRU_COLOUR = QColor("#0f766e")
COUNTRY_BELOW_SCALE = 1.2  # pixels per km: below, the country view (régions and a few big names)
COUNTRY_PLACES = 24  # communes named at country zoom (the heaviest)
PLACES_BELOW_SCALE = 20.0  # from this scale the QPV names take over
_CELL = 64  # px, collision grid


class LabelLayerItem(QGraphicsItem):
    def __init__(self, regions, places, scene_rect: QRectF, insets=()) -> None:
        super().__init__()
        self.regions = [(s.name, (s.bbox[0] + s.bbox[2]) / 2, (s.bbox[1] + s.bbox[3]) / 2) for s in regions]
        self.places = [(p.name, p.x, p.y) for p in places]  # heaviest first
        # at country zoom the overseas insets carry their own titles: their communes are not named there
        boxes = [i.rect for i in insets]
        self.metro_places = [(n, x, y) for n, x, y in self.places
                             if not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)]
        self._rect = scene_rect
        self.region_font = QFont()
        self.region_font.setPointSizeF(7.5)
        self.region_font.setBold(True)
        self.region_font.setCapitalization(QFont.Capitalization.AllUppercase)

        self.place_font = QFont()
        self.place_font.setPointSizeF(8.5)
        self._key: tuple | None = None
        self._chosen: list[tuple[QRectF, str, bool]] = []
        self._sprites: dict[tuple[str, bool], QImage] = {}
        self._widths: dict[tuple[str, bool], float] = {}
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(8)

    def boundingRect(self) -> QRectF:
        return self._rect

    def chosen_names(self) -> list[str]:
        """The names drawn by the last paint (for tests)."""
        return [text for _r, text, _region in self._chosen]

    def _choose(self, transform, width: int, height: int) -> None:
        scale = transform.m11()
        if scale >= PLACES_BELOW_SCALE:
            self._chosen = []
            return
        country = scale < COUNTRY_BELOW_SCALE
        candidates = [(n, x, y, True) for n, x, y in self.regions] if country else []
        candidates += [(n, x, y, False) for n, x, y in (self.metro_places[:COUNTRY_PLACES] if country else self.places)]
        grid: dict[tuple[int, int], list[QRectF]] = {}
        view = QRectF(0, 0, width, height)
        region_metrics, place_metrics = QFontMetricsF(self.region_font), QFontMetricsF(self.place_font)
        chosen = []
        for name, x, y, region in candidates:
            p = transform.map(QPointF(x, y))
            if not view.contains(p):
                continue
            metrics = region_metrics if region else place_metrics
            w = self._widths.get((name, region))
            if w is None:
                w = self._widths[(name, region)] = metrics.horizontalAdvance(name.upper() if region else name)
            h = metrics.height()
            rect = QRectF(p.x() - w / 2, p.y() - h / 2 if region else p.y() - h - 3, w, h).adjusted(-3, -1, 3, 1)
            cells = [(cx, cy) for cx in range(int(rect.left() // _CELL), int(rect.right() // _CELL) + 1)
                     for cy in range(int(rect.top() // _CELL), int(rect.bottom() // _CELL) + 1)]
            if any(rect.intersects(other) for c in cells for other in grid.get(c, ())):
                continue
            for c in cells:
                grid.setdefault(c, []).append(rect)
            chosen.append((rect, name, region))
        self._chosen = chosen

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        transform = painter.worldTransform()
        device = painter.device()
        key = (transform.m11(), transform.m22(), transform.dx(), transform.dy(), device.width(), device.height())
        if key != self._key:
            self._key = key
            self._choose(transform, device.width(), device.height())
        if not self._chosen:
            return
        painter.save()
        painter.resetTransform()
        for rect, name, region in self._chosen:
            painter.drawImage(rect.topLeft(), self._sprite(name, region, rect))
        painter.restore()

    def _sprite(self, name: str, region: bool, rect: QRectF) -> QImage:
        """A name with its white halo, drawn once and then copied (stroking text paths each repaint is slow)."""
        key = (name, region)
        image = self._sprites.get(key)
        if image is None:
            image = QImage(int(rect.width()) + 1, int(rect.height()) + 1, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(Qt.GlobalColor.transparent)
            font = self.region_font if region else self.place_font
            path = QPainterPath()
            path.addText(QPointF(3, 1 + QFontMetricsF(font).ascent()), font, name.upper() if region else name)
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            halo = QPen(QColor(255, 255, 255, 230), 3.0)
            halo.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.strokePath(path, halo)
            painter.fillPath(path, QColor("#55606b") if region else QColor("#1f2933"))
            painter.end()
            self._sprites[key] = image
        return image


class NpnruItem(QGraphicsItem):
    """QPV 2024 issued from an NPNRU quartier (2015 list): a ring round their dot at country zoom,
    a thick outline when their perimeters are drawn."""

    def __init__(self, shapes, paths: list[QPainterPath], dots_below: float) -> None:
        super().__init__()
        self._points = QPolygonF([QPointF((s.bbox[0] + s.bbox[2]) / 2, (s.bbox[1] + s.bbox[3]) / 2) for s in shapes])
        self._path = QPainterPath()
        for path in paths:
            self._path.addPath(path)
        self._rect = self._path.boundingRect().united(self._points.boundingRect()).adjusted(-5, -5, 5, 5)
        self._dots_below = dots_below
        self._ring = QPen(NPNRU_COLOUR, 9.0)
        self._ring.setCosmetic(True)
        self._ring.setCapStyle(Qt.PenCapStyle.RoundCap)
        self._outline = QPen(NPNRU_COLOUR, 3.0)
        self._outline.setCosmetic(True)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(2.9)  # under the QPV dots: a ring round each

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        if painter.worldTransform().m11() < self._dots_below:
            painter.setPen(self._ring)
            painter.drawPoints(self._points)
        else:
            painter.setPen(self._outline)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self._path)
