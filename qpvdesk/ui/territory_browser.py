"""Territory browser: région → département → commune → QPV with counts, and a lookup field.

The tree comes from TerritoryRepository.tree() (plain TerritoryNode views); lookups go
through TerritoryRepository.lookup(), which always answers in French — including « this
commune has no QPV ».
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from qpvdesk.french import plural
from qpvdesk.ui.node_tree_model import NodeTreeModel
from qpvdesk.ui.roles import ENTITY_ID_ROLE, KIND_ROLE

COLUMNS = ("Territoire", "QPV", "Sites")
LOOKUP_DELAY_MS = 250


class TerritoryTreeModel(NodeTreeModel):
    """Read-only tree over TerritoryNode views; columns: name, QPV count, programme sites."""

    column_count = len(COLUMNS)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._by_entity: dict = {}

    def _roots_changed(self) -> None:
        self._by_entity = {}
        for item in self._items():
            if item.node.entity_id and item.node.entity_id not in self._by_entity:
                self._by_entity[item.node.entity_id] = item

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node = self._item(index).node
        if node is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 1:
                return "" if node.kind == "qpv" else str(node.qpv_count)
            if column == 2:
                return "" if node.kind == "qpv" else str(node.site_count)
            return _label(node)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(node)
        if role == Qt.ItemDataRole.TextAlignmentRole and column:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == 0:
            return _tooltip(node)
        if role == ENTITY_ID_ROLE:
            return node.entity_id
        if role == KIND_ROLE:
            return node.kind
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return ("", "Quartiers prioritaires (liste 2024)", "Cités éducatives, cités de l'emploi et France services")[
                    section
                ] or None
        return None

    def find(self, entity_id: str) -> QModelIndex:
        item = self._by_entity.get(entity_id)
        return self.createIndex(item.row, 0, item) if item else QModelIndex()


def _label(node) -> str:
    if node.kind == "departement":
        return f"{node.name} ({node.code})"
    if node.kind == "qpv":
        return f"{node.name} — {node.code}"
    return node.name


def _tooltip(node) -> str:
    kinds = {"region": "Région", "departement": "Département", "commune": "Commune", "qpv": "Quartier prioritaire"}
    text = f"{kinds.get(node.kind, '')} {node.name} ({node.code})"
    if node.kind != "qpv":
        text += f" : {node.qpv_count} QPV, {plural(node.site_count, 'site')} de programmes"
    if node.note:
        text += f" — {node.note}"
    return text


class TerritoryBrowser(QWidget):
    """entity_activated(id): open a fiche; map_requested(): show the map."""

    entity_activated = Signal(str)
    map_requested = Signal()
    reload_requested = Signal(bool)  # all communes?

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.lookup_function = None  # set by the main window: str -> LookupResult
        self.lookup_edit = QLineEdit()
        self.lookup_edit.setPlaceholderText("Commune, code postal ou INSEE, quartier, code QPV (QN… ou QP…)")
        self.lookup_edit.setAccessibleName("Chercher un territoire")
        self.lookup_edit.setClearButtonEnabled(True)
        self.message = QLabel("Cherchez une commune ou un quartier, ou parcourez les régions.")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Réponse de la recherche de territoire")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.matches = QListWidget()
        self.matches.setAccessibleName("Territoires correspondants")
        self.matches.setMaximumHeight(120)
        self.matches.hide()
        self.all_communes = QCheckBox("Afficher aussi les communes sans QPV")
        self.all_communes.setToolTip("Communes qui n'ont que des sites de programmes (France services, cités)")
        self.all_communes.setAccessibleName("Afficher aussi les communes sans QPV")
        self.map_button = QPushButton("Voir sur la carte")
        self.map_button.setAccessibleName("Voir sur la carte")
        self.model = TerritoryTreeModel(self)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Territoires : régions, départements, communes, quartiers")
        self.view.setUniformRowHeights(True)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.lookup_edit)
        layout.addWidget(self.message)
        layout.addWidget(self.matches)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        row.addWidget(self.all_communes, 1)
        row.addWidget(self.map_button)
        layout.addLayout(row)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(LOOKUP_DELAY_MS)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._timer.timeout.connect(self.run_lookup)
        self.lookup_edit.textEdited.connect(lambda _t: self._timer.start())
        self.lookup_edit.returnPressed.connect(self._on_return)
        self.view.selectionModel().currentChanged.connect(self._on_current)
        self.matches.itemActivated.connect(self._on_match)
        self.matches.itemClicked.connect(self._on_match)
        self.all_communes.toggled.connect(self.reload_requested)
        self.map_button.clicked.connect(self.map_requested)

    # --- data ---------------------------------------------------------------------------

    def set_tree(self, roots) -> None:
        self.model.set_roots(roots)

    def select(self, entity_id: str) -> bool:
        """Show an entity in the tree without re-opening its fiche."""
        index = self.model.find(entity_id)
        if not index.isValid():  # not in the tree (e.g. a commune without QPV): no stale selection
            self.view.selectionModel().blockSignals(True)
            self.view.setCurrentIndex(QModelIndex())
            self.view.selectionModel().blockSignals(False)
            return False
        current = self.view.currentIndex()
        if current.isValid() and current.data(ENTITY_ID_ROLE) == entity_id:
            return True
        self.view.selectionModel().blockSignals(True)
        self.view.setCurrentIndex(index)
        self.view.selectionModel().blockSignals(False)
        self.view.scrollTo(index)
        return True

    # --- lookup -------------------------------------------------------------------------

    def run_lookup(self) -> None:
        self._timer.stop()
        text = self.lookup_edit.text().strip()
        if self.lookup_function is None or not text:
            self.matches.hide()
            return
        result = self.lookup_function(text)
        self.message.setText(result.message)
        self.matches.clear()
        for match in result.matches:
            item = QListWidgetItem(match.label)
            item.setData(ENTITY_ID_ROLE, match.entity_id)
            self.matches.addItem(item)
        self.matches.setVisible(len(result.matches) > 1)
        if len(result.matches) == 1:
            self.select(result.matches[0].entity_id)
        self.last_result = result

    def _on_return(self) -> None:
        self.run_lookup()
        result = getattr(self, "last_result", None)
        if result and result.matches:
            self.entity_activated.emit(result.matches[0].entity_id)

    def _on_match(self, item: QListWidgetItem) -> None:
        entity_id = item.data(ENTITY_ID_ROLE)
        self.select(entity_id)
        self.entity_activated.emit(entity_id)

    def _on_current(self, current, _previous) -> None:
        entity_id = current.data(ENTITY_ID_ROLE) if current.isValid() else None
        if entity_id:
            self.entity_activated.emit(entity_id)
