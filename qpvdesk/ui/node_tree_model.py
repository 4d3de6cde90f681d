"""Read-only item model over a tree of plain view nodes (anything with a `children` list).

Shared by the "who does what" tree and the territory browser; subclasses give the columns
and data(). Indexes point at _Item wrappers that know their parent and row.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex


class _Item:
    __slots__ = ("node", "parent", "row", "children")

    def __init__(self, node, parent: _Item | None, row: int) -> None:
        self.node = node
        self.parent = parent
        self.row = row
        self.children = [] if node is None else [_Item(c, self, i) for i, c in enumerate(node.children)]


class NodeTreeModel(QAbstractItemModel):
    column_count = 1

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._root = _Item(None, None, 0)

    def set_roots(self, roots) -> None:
        self.beginResetModel()
        self._root = _Item(None, None, 0)
        self._root.children = [_Item(n, self._root, i) for i, n in enumerate(roots)]
        self._roots_changed()
        self.endResetModel()

    def _roots_changed(self) -> None:
        """Hook for subclasses that index the new tree."""

    def _item(self, index: QModelIndex | QPersistentModelIndex) -> _Item:
        return index.internalPointer() if index.isValid() else self._root

    def _items(self):
        """Every item, depth-first in display order."""
        stack = list(reversed(self._root.children))
        while stack:
            item = stack.pop()
            yield item
            stack.extend(reversed(item.children))

    def index_of(self, item: _Item, column: int = 0) -> QModelIndex:
        return self.createIndex(item.row, column, item)

    def index(self, row: int, column: int, parent=QModelIndex()) -> QModelIndex:
        if row < 0 or column < 0 or column >= self.column_count:
            return QModelIndex()
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        item = self._item(parent)
        if row >= len(item.children):
            return QModelIndex()
        return self.createIndex(row, column, item.children[row])

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
        return self.column_count
