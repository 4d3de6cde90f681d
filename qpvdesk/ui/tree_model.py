"""Item model of the "who does what" tree (TreeNode views built by the core)."""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, Qt

from qpvdesk.ui.icons import KIND_ICONS, icon
from qpvdesk.ui.node_tree_model import NodeTreeModel
from qpvdesk.ui.roles import ENTITY_ID_ROLE

GROUP_PREFIX = "group:"
# why a child sits under its parent, said from the child (« pilote : ANRU »): core label -> shown words
ROLE_WORDS = {"piloté": "pilote", "copiloté": "copilote", "sous tutelle": "tutelle", "fait partie": "partie de",
              "décidée": "décidée par"}
_ACRONYM = re.compile(r"\(([^()\s]*[A-Z][^()\s]*[A-Z][^()\s]*)\)$")  # « (ANRU) », « (CIV) », not « (politique de la ville) »


def relation_label(via: str, parent_name: str, also: tuple[str, ...]) -> str:
    """« pilote : ANRU », « copilote : Délégués du préfet ; aussi sous Communes et maires »."""
    found = _ACRONYM.search(parent_name)
    parent = found.group(1) if found else parent_name
    words = f"{ROLE_WORDS.get(via, via)} : {parent}" if via else ""
    if also:
        words += ("; " if words else "") + "aussi sous " + ", ".join(also)
    return words


class EntityTreeModel(NodeTreeModel):
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node = self._item(index).node
        if node is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            suffix = " — clos" if node.status == "closed" else (" — ancien" if node.status in ("merged", "replaced") else "")
            why = self._why(index)
            return node.name + suffix + (f"  [{why}]" if why else "")
        if role == Qt.ItemDataRole.ToolTipRole:
            why = self._why(index)
            return f"{node.name} — {why}" if why else None
        if role == ENTITY_ID_ROLE:
            return None if node.id.startswith(GROUP_PREFIX) else node.id
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return node.name
        if role == Qt.ItemDataRole.DecorationRole and not node.id.startswith(GROUP_PREFIX):
            name = KIND_ICONS.get(node.kind)
            return icon(name) if name else None
        return None

    def _why(self, index) -> str:
        item = self._item(index)
        parent = item.parent.node if item.parent is not None else None
        if parent is None or parent.id.startswith(GROUP_PREFIX):
            return ""  # under a group heading (« Agences et opérateurs »): the heading says it
        return relation_label(item.node.via, parent.name, item.node.also)

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
