"""Item model of the "who does what" tree (TreeNode views built by the core)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from qpvdesk.views import TreeNode

ENTITY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
GROUP_PREFIX = "group:"


class _Item:
    __slots__ = ("node", "parent", "row", "children")

    def __init__(self, node: TreeNode | None, parent: _Item | None, row: int) -> None:
        self.node = node
        self.parent = parent
        self.row = row
        self.children = [] if node is None else [_Item(c, self, i) for i, c in enumerate(node.children)]


class EntityTreeModel(QAbstractItemModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._root = _Item(None, None, 0)

    def set_roots(self, roots: list[TreeNode]) -> None:
        self.beginResetModel()
        self._root = _Item(None, None, 0)
        self._root.children = [_Item(n, self._root, i) for i, n in enumerate(roots)]
        self.endResetModel()

    def _item(self, index: QModelIndex | QPersistentModelIndex) -> _Item:
        return index.internalPointer() if index.isValid() else self._root

    def index(self, row: int, column: int, parent=QModelIndex()) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        item = self._item(parent)
        if row >= len(item.children):
            return QModelIndex()
        return self.createIndex(row, 0, item.children[row])

    def parent(self, index=QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        parent = self._item(index).parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row, 0, parent)

    def rowCount(self, parent=QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._item(parent).children)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 1

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
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section == 0:
            return "Qui fait quoi"
        return None

    def find(self, entity_id: str) -> QModelIndex:
        """First index showing this entity (depth-first), or an invalid index."""
        stack = list(reversed(self._root.children))
        while stack:
            item = stack.pop()
            if item.node and item.node.id == entity_id:
                return self.createIndex(item.row, 0, item)
            stack.extend(reversed(item.children))
        return QModelIndex()
