"""« Schéma »: the actors around a fiche (or the whole « qui fait quoi ») drawn with Qt's graphics view.

Positions come from the core (qpvdesk.diagram); this module only draws them. A click on a box opens its
fiche (and the diagram re-centres on it); « Exporter… » writes SVG, PNG or PDF for a slide.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsPolygonItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from qpvdesk.diagram import Diagram, DiagramNode
from qpvdesk.diagram_svg import CENTRAL_FILL, FILL, anchors, box_lines, label_position
from qpvdesk.errors import french_reason

NODE_ID_KEY = 0  # QGraphicsItem.data key holding the fiche id of a box


class DiagramScene(QGraphicsScene):
    node_clicked = Signal(str)

    def __init__(self, diagram: Diagram, parent=None) -> None:
        super().__init__(parent)
        self.diagram = diagram
        self.setBackgroundBrush(QBrush(QColor("white")))
        for edge in diagram.edges:
            self._edge(edge)
        for node in diagram.nodes:
            self._node(node)
        self.setSceneRect(QRectF(0, 0, diagram.width, diagram.height))

    def _node(self, node: DiagramNode) -> None:
        box = QGraphicsRectItem(node.x, node.y, node.w, node.h)
        box.setBrush(QBrush(QColor(CENTRAL_FILL if node.central else FILL.get(node.kind, "#ffffff"))))
        box.setPen(QPen(QColor("#1f2937"), 3 if node.central else 1.5))
        if node.entity_id:
            box.setData(NODE_ID_KEY, node.entity_id)
            box.setCursor(Qt.CursorShape.PointingHandCursor)
            box.setToolTip(f"Ouvrir la fiche « {node.label} »")
        self.addItem(box)
        font = QFont()
        font.setPixelSize(15)
        font.setBold(node.central)
        lines = box_lines(node.label)
        for i, line in enumerate(lines):
            text = QGraphicsSimpleTextItem(line, box)
            text.setFont(font)
            text.setBrush(QBrush(QColor("#000000")))
            width = text.boundingRect().width()
            text.setPos(node.x + (node.w - width) / 2, node.y + node.h / 2 - len(lines) * 9 + i * 18)
            text.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # the click goes to the box

    def _edge(self, edge) -> None:
        x1, y1, x2, y2 = anchors(self.diagram, edge)
        mid = (x1 + x2) / 2
        path = QPainterPath(QPointF(x1, y1))
        path.cubicTo(QPointF(mid, y1), QPointF(mid, y2), QPointF(x2 - 2, y2))
        pen = QPen(QColor("#475569"), 1.6)
        self.addItem(_item(QGraphicsPathItem(path), pen))
        head = QPolygonF([QPointF(x2, y2), QPointF(x2 - 10, y2 - 5), QPointF(x2 - 10, y2 + 5)])
        arrow = QGraphicsPolygonItem(head)
        arrow.setBrush(QBrush(QColor("#475569")))
        self.addItem(_item(arrow, pen))
        lx, ly, anchor = label_position(self.diagram, edge)
        label = QGraphicsSimpleTextItem(edge.label)
        font = QFont()
        font.setPixelSize(13)
        label.setFont(font)
        width = label.boundingRect().width()
        label.setPos(lx - (width if anchor == "end" else 0), ly - 14)
        self.addItem(label)

    def mousePressEvent(self, event) -> None:
        for item in self.items(event.scenePos()):
            entity_id = item.data(NODE_ID_KEY)
            if entity_id:
                self.node_clicked.emit(str(entity_id))
                return
        super().mousePressEvent(event)


def _item(item: QGraphicsItem, pen: QPen) -> QGraphicsItem:
    item.setPen(pen)  # type: ignore[attr-defined]
    return item


class DiagramDialog(QDialog):
    """A window of its own (not modal): the trainer keeps it on the projector while the fiches change."""

    entity_requested = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Schéma des acteurs")
        self.resize(1200, 760)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.view = QGraphicsView()
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setAccessibleName("Schéma des acteurs")
        self.view.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        zoom_in, zoom_out, fit = QPushButton("Agrandir"), QPushButton("Réduire"), QPushButton("Ajuster à la fenêtre")
        self.export_button = QPushButton("Exporter (SVG, PNG, PDF)…")
        zoom_in.clicked.connect(lambda: self.view.scale(1.25, 1.25))
        zoom_out.clicked.connect(lambda: self.view.scale(0.8, 0.8))
        fit.clicked.connect(self.fit)
        self.export_button.clicked.connect(self.export)
        buttons = QHBoxLayout()
        for button in (zoom_in, zoom_out, fit, self.export_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.scene: DiagramScene | None = None
        self.message = ""

    def show_diagram(self, diagram: Diagram) -> None:
        self.scene = DiagramScene(diagram, self)
        self.scene.node_clicked.connect(self.entity_requested)
        self.view.setScene(self.scene)
        self.title.setText(f"<b>{diagram.title}</b> — cliquez sur une case pour ouvrir sa fiche.")
        self.setWindowTitle(diagram.title)
        self.fit()

    def fit(self) -> None:
        if self.scene is not None:
            self.view.resetTransform()
            self.view.fitInView(self.scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
            if self.view.transform().m11() < 0.55:  # a big tree: readable type first, the view scrolls
                self.view.resetTransform()
                self.view.scale(0.55, 0.55)

    def export(self, path: str | None = None) -> bool:
        if self.scene is None:
            return False
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Exporter le schéma", "schema.svg",
                                                  "Image SVG (*.svg);;Image PNG (*.png);;Document PDF (*.pdf)")
            if not path:
                return False
        from qpvdesk.ui.diagram_export import write_diagram

        try:
            write_diagram(self.scene.diagram, Path(path))
        except (OSError, ValueError) as exc:
            self.message = f"Schéma non écrit : {french_reason(exc) if isinstance(exc, OSError) else exc}"
            self.title.setText(self.message)
            return False
        self.message = f"Schéma écrit : {path}"
        self.title.setText(self.message)
        return True
