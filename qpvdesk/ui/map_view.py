"""The offline map: QGraphicsView over MapScene, with legend, layer switches and attribution.

Mouse: drag to pan, wheel to zoom, click a QPV (or a site, a département) to open its
fiche. Keyboard: + / − zoom, arrows pan, 0 or Origine shows all of France.
The panel is built empty; its data comes from `set_data()` when first shown.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QPainter, QPen, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGraphicsView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qpvdesk.ui.map_items import (
    ENTITY_ROLE,
    KIND_ROLE,
    POINT_STYLES,
    QPV_FILL,
    QPV_LINE,
    SEA,
    MapScene,
)
from qpvdesk.ui.map_labels import NPNRU_COLOUR
from qpvdesk.ui.map_search import MapSearchBox

ZOOM_STEP = 1.25
MIN_SCALE, MAX_SCALE = 0.05, 400.0  # pixels per km
CLICK_SLOP_PX = 4
MARKER_HIT_PX = 7
# layers offered in the legend: key -> (label, shown at start)
LEGEND = {
    "labels": ("Noms des régions et des villes", True),
    "qpv": ("Quartiers prioritaires (QPV 2024)", True),
    "npnru": ("Quartiers NPNRU (liste 2015, via leurs QPV 2024)", False),
    "cite-educative": ("Cités éducatives", True),
    "cite-emploi": ("Cités de l'emploi", False),
    "france-services": ("France services", False),
    "contrat-2024": ("Contrats de ville 2024", False),
    "contrat-2015": ("Contrats de ville 2015-2023", False),
}


class MapView(QGraphicsView):
    """entity_clicked(id): a QPV, site or département was clicked (not dragged)."""

    entity_clicked = Signal(str)
    scale_changed = Signal(float)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Carte des quartiers prioritaires")
        self.setAccessibleDescription("Glisser pour déplacer, molette ou + et − pour zoomer, 0 pour toute la France.")
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlags(QGraphicsView.OptimizationFlag.DontSavePainterState | QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setBackgroundBrush(SEA)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._press: QPointF | None = None
        self.reserved = (0, 0)  # px kept free on the left and right by overlays (set by MapPanel)

    # --- zoom ---------------------------------------------------------------------------

    def current_scale(self) -> float:
        return self.transform().m11()

    def zoom(self, factor: float, anchor_on_mouse: bool = True) -> None:
        target = max(MIN_SCALE, min(MAX_SCALE, self.current_scale() * factor))
        factor = target / self.current_scale()
        if abs(factor - 1) < 1e-6:
            return
        if not anchor_on_mouse:
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.scale(factor, factor)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self._scale_changed()

    def show_rect(self, rect: QRectF, min_km: float = 6.0, clear_overlays: bool = False) -> None:
        """Fit rect (scene km) in the view, never zooming closer than min_km across; with clear_overlays,
        in the band the overlays (the legend on the right) leave free, when the view is wide enough."""
        if rect.width() < min_km or rect.height() < min_km:
            rect = QRectF(rect.center().x() - min_km / 2, rect.center().y() - min_km / 2, min_km, min_km)
        rect = rect.adjusted(-rect.width() * 0.15, -rect.height() * 0.15, rect.width() * 0.15, rect.height() * 0.15)
        left, right = self.reserved if clear_overlays else (0, 0)
        width, height = self.viewport().width(), self.viewport().height()
        if width - left - right < width * 0.45:  # a narrow map: the overlays are left to float over it
            left = right = 0
        free = max(width - left - right, 1)
        scale = min(free / max(rect.width(), 1e-9), height / max(rect.height(), 1e-9))
        scale = max(MIN_SCALE, min(MAX_SCALE, scale))
        self.resetTransform()
        self.scale(scale, scale)
        # the free band's centre is (left - right) / 2 px right of the viewport's: shift the centre the other way
        self.centerOn(rect.center() - QPointF((left - right) / 2 / scale, 0))
        self._scale_changed()

    def show_all(self) -> None:
        scene = self.scene()
        if isinstance(scene, MapScene):
            self.show_rect(scene.france_rect, clear_overlays=True)  # the legend must not hide the north-east

    def _scale_changed(self) -> None:
        scene = self.scene()
        if isinstance(scene, MapScene):
            scene.set_scale(self.current_scale())
        self.scale_changed.emit(self.current_scale())

    def wheelEvent(self, event) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom(ZOOM_STEP ** steps)
        event.accept()

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(ZOOM_STEP, anchor_on_mouse=False)
        elif key == Qt.Key.Key_Minus:
            self.zoom(1 / ZOOM_STEP, anchor_on_mouse=False)
        elif key in (Qt.Key.Key_0, Qt.Key.Key_Home):
            self.show_all()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = self.viewport().width() // 8
            dx = {Qt.Key.Key_Left: -step, Qt.Key.Key_Right: step}.get(key, 0)
            dy = {Qt.Key.Key_Up: -step, Qt.Key.Key_Down: step}.get(key, 0)
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + dx)
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() + dy)
        else:
            super().keyPressEvent(event)

    # --- clicks -------------------------------------------------------------------------

    def mousePressEvent(self, event) -> None:
        self._press = event.position()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        event.accept()  # the view handles every click (pan or open), even on empty sea
        press, self._press = self._press, None
        if event.button() != Qt.MouseButton.LeftButton or press is None:
            return
        if (event.position() - press).manhattanLength() > CLICK_SLOP_PX:
            return  # a drag, not a click
        entity_id = self.entity_at(event.position().toPoint())
        if entity_id:
            self.entity_clicked.emit(entity_id)

    def entity_at(self, pos) -> str | None:
        """Entity under a viewport position: a site marker, else a QPV, else a département."""
        scene = self.scene()
        if not isinstance(scene, MapScene):
            return None
        scene_pos = self.mapToScene(pos)
        radius = MARKER_HIT_PX / max(self.current_scale(), 1e-9)
        for layer in reversed(list(POINT_STYLES)):
            item = scene.point_layers.get(layer)
            if item is not None and item.isVisible():
                hit = item.nearest(scene_pos, radius)
                if hit:
                    return hit.entity_id
        if scene.qpv_dots.isVisible():
            near = [s for s in scene.data.qpv if _dist2(s.bbox, scene_pos) <= radius * radius]
            if near:
                return min(near, key=lambda s: _dist2(s.bbox, scene_pos)).entity_id
        kinds = {}
        for item in self.items(pos):
            kind = item.data(KIND_ROLE)
            if kind and item.isVisible():
                kinds.setdefault(kind, item.data(ENTITY_ROLE))
        if kinds.get("qpv"):
            return kinds["qpv"]
        # a click beside a quartier, once perimeters are drawn, opens nothing (not the whole département)
        return kinds.get("departement") if scene.qpv_dots.isVisible() else None

    def tooltip_at(self, pos) -> str | None:
        scene = self.scene()
        if not isinstance(scene, MapScene):
            return None
        scene_pos = self.mapToScene(pos)
        radius = MARKER_HIT_PX / max(self.current_scale(), 1e-9)
        lines = []
        for layer, item in scene.point_layers.items():
            if item.isVisible():
                lines += [f"{LEGEND[layer][0]} : {p.name}" for p in item.all_near(scene_pos, radius)[:6]]
        if scene.qpv_dots.isVisible():
            lines += [f"QPV : {s.name} ({s.code})" for s in scene.data.qpv if _dist2(s.bbox, scene_pos) <= radius * radius][:6]
        return "\n".join(lines) if lines else None

    def viewportEvent(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            text = self.tooltip_at(event.pos())
            if text:
                from PySide6.QtWidgets import QToolTip

                QToolTip.showText(event.globalPos(), text, self)
                return True
        return super().viewportEvent(event)


def _dist2(bbox, pos: QPointF) -> float:
    cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    return (cx - pos.x()) ** 2 + (cy - pos.y()) ** 2


def _swatch(layer: str) -> QPixmap:
    pixmap = QPixmap(14, 14)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if layer == "labels":
        painter.setPen(QColor("#1f2933"))
        painter.drawText(QRectF(0, 0, 14, 14), Qt.AlignmentFlag.AlignCenter, "A")
    elif layer == "npnru":
        painter.setPen(QPen(NPNRU_COLOUR, 2.5))
        painter.setBrush(QPV_FILL)
        painter.drawRect(3, 3, 8, 8)
    elif layer == "qpv":
        painter.setPen(QPV_LINE)
        painter.setBrush(QPV_FILL)
        painter.drawRect(2, 2, 10, 10)
    else:
        fill, outline, size, round_ = POINT_STYLES[layer]
        painter.setPen(outline)
        painter.setBrush(fill)
        r = QRectF(7 - size / 2 - 1, 7 - size / 2 - 1, size + 2, size + 2)
        painter.drawEllipse(r) if round_ else painter.drawRect(r)
    painter.end()
    return pixmap


class MapPanel(QWidget):
    """Map + legend with layer switches + data attribution. entity_clicked(id) opens a fiche."""

    entity_clicked = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.view = MapView()
        self.view.entity_clicked.connect(self.entity_clicked)
        self.checks: dict[str, QCheckBox] = {}
        self._pending_focus: tuple | None = None
        self.scene: MapScene | None = None

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.view, 0, 0)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.search = MapSearchBox()
        left_layout.addWidget(self.search)
        left_layout.addWidget(self._build_controls(), 0, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(left, 0, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.legend = self._build_legend()
        grid.addWidget(self.legend, 0, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        self.attribution = QLabel()
        self.attribution.setWordWrap(True)
        self.attribution.setAccessibleName("Source des données de la carte")
        self.attribution.setStyleSheet("background: rgba(255,255,255,215); color: #333; padding: 2px 6px; font-size: 7.5pt;")
        self.attribution.setMinimumWidth(380)
        self.attribution.setMaximumWidth(620)
        grid.addWidget(self.attribution, 0, 0, Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft)
        self.status = QLabel("Chargement de la carte…")
        self.status.setStyleSheet("background: rgba(255,255,255,215); padding: 4px;")
        grid.addWidget(self.status, 0, 0, Qt.AlignmentFlag.AlignCenter)
        for keys, slot in ((QKeySequence.StandardKey.ZoomIn, lambda: self.view.zoom(1.25, False)),
                           (QKeySequence.StandardKey.ZoomOut, lambda: self.view.zoom(0.8, False))):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _build_controls(self) -> QWidget:
        box = QFrame()
        box.setStyleSheet("QFrame { background: rgba(255,255,255,215); border-radius: 3px; }")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(3, 3, 3, 3)
        for text, tip, slot in (("+", "Zoomer (+)", lambda: self.view.zoom(1.5, False)),
                                ("−", "Dézoomer (−)", lambda: self.view.zoom(1 / 1.5, False)),
                                ("⌂", "Toute la France (0)", lambda: self.view.show_all())):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.clicked.connect(slot)
            layout.addWidget(button)
        return box

    def _build_legend(self) -> QWidget:
        box = QFrame()
        box.setObjectName("map-legend")
        box.setAccessibleName("Légende et couches de la carte")
        box.setStyleSheet("QFrame#map-legend { background: rgba(255,255,255,225); border: 1px solid #b0b0b0; border-radius: 3px; }")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        head = QHBoxLayout()
        head.addWidget(QLabel("<b>Légende</b>"), 1)
        self.legend_toggle = QToolButton()
        self.legend_toggle.setText("▴")
        self.legend_toggle.setToolTip("Replier ou déplier la légende")
        self.legend_toggle.setAccessibleName("Replier la légende")
        self.legend_toggle.setAutoRaise(True)
        self.legend_toggle.clicked.connect(self._fold_legend)
        head.addWidget(self.legend_toggle)
        layout.addLayout(head)
        self._legend_body = QWidget()
        body = QVBoxLayout(self._legend_body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(2)
        layout.addWidget(self._legend_body)
        layout = body
        for layer, (label, shown) in LEGEND.items():
            row = QHBoxLayout()
            swatch = QLabel()
            swatch.setPixmap(_swatch(layer))
            check = QCheckBox(label)
            check.setChecked(shown)
            check.setAccessibleName(f"Afficher : {label}")
            check.toggled.connect(lambda on, key=layer: self._toggle(key, on))
            row.addWidget(swatch)
            row.addWidget(check, 1)
            layout.addLayout(row)
            self.checks[layer] = check
        note = QLabel("* Mayotte, hachuré : liste initiale de 2024,\nrévisée depuis par l'ANCT (17 QPV communaux)\nOutre-mer en encarts, à des échelles différentes")
        note.setStyleSheet("color: #444; font-size: 8pt;")
        layout.addWidget(note)
        return box

    def _fold_legend(self) -> None:
        folded = self._legend_body.isVisible()
        self._legend_body.setVisible(not folded)
        self.legend_toggle.setText("▾" if folded else "▴")
        self.legend_toggle.setAccessibleName("Déplier la légende" if folded else "Replier la légende")
        self.legend.adjustSize()
        self._reserve()

    def _reserve(self) -> None:
        """Tell the view how much of its right side the legend covers (for the whole-France view)."""
        self.view.reserved = (0, self.legend.sizeHint().width() + 8)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._reserve()

    def _toggle(self, layer: str, on: bool) -> None:
        if self.scene is not None:
            self.scene.set_layer_visible(layer, on)

    # --- data ---------------------------------------------------------------------------

    def has_data(self) -> bool:
        return self.scene is not None

    def set_data(self, data) -> None:
        """Build the scene from territories.views.MapData (UI thread)."""
        self.scene = MapScene(data, self)
        self.view.setScene(self.scene)
        # room to scroll France clear of the legend, even when the whole scene fits in the view
        r = self.scene.sceneRect()
        self.view.setSceneRect(r.adjusted(-r.width(), -r.height(), r.width(), r.height()))
        for layer, check in self.checks.items():
            self.scene.set_layer_visible(layer, check.isChecked())
        self.attribution.setText(data.attribution)
        self.status.hide()
        self.view.show_all()
        if self._pending_focus:
            pending, self._pending_focus = self._pending_focus, None
            self.focus(*pending)

    def set_error(self, message: str) -> None:
        self.status.setText(message)
        self.status.show()

    def focus(self, entity_id: str, rect: tuple[float, float, float, float] | None, also: tuple[str, ...] = ()) -> None:
        """Centre the map on an entity (rect in scene km) and outline it (a QPV, a département; `also`: more QPV)."""
        if self.scene is None:
            self._pending_focus = (entity_id, rect, also)
            return
        self.scene.set_highlight(entity_id, also)
        if rect:
            x0, y0, x1, y1 = rect
            self.view.show_rect(QRectF(x0, y0, x1 - x0, y1 - y0))
