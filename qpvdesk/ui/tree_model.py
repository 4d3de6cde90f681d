"""Item model of the "who does what" tree (TreeNode views built by the core)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from qpvdesk.ui.icons import KIND_ICONS, icon
from qpvdesk.ui.node_tree_model import NodeTreeModel
from qpvdesk.ui.roles import ENTITY_ID_ROLE

GROUP_PREFIX = "group:"


class EntityTreeModel(NodeTreeModel):
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node = self._item(index).node
        if node is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            suffix = " — clos" if node.status == "closed" else (" — ancien" if node.status in ("merged", "replaced") else "")
            return node.name + suffix
        if role == Qt.ItemDataRole.ToolTipRole and node.via:
            return f"{node.name} ({node.via})"
        if role == ENTITY_ID_ROLE:
            return None if node.id.startswith(GROUP_PREFIX) else node.id
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return node.name
        if role == Qt.ItemDataRole.DecorationRole and not node.id.startswith(GROUP_PREFIX):
            name = KIND_ICONS.get(node.kind)
            return icon(name) if name else None
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section == 0:
            return "Qui fait quoi"
        return None

    def indexes_of_kind(self, kind: str) -> list[QModelIndex]:
        return [self.index_of(i) for i in self._items() if i.node.kind == kind]

    def find(self, entity_id: str) -> QModelIndex:
        """First index showing this entity (depth-first), or an invalid index."""
        item = next((i for i in self._items() if i.node.id == entity_id), None)
        return self.index_of(item) if item else QModelIndex()
