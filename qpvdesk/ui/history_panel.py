"""The visible history: fiches opened in this session, the current one marked."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from qpvdesk.ui.roles import ENTITY_ID_ROLE


class HistoryPanel(QListWidget):
    entity_activated = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Fiches consultées")
        self.itemActivated.connect(self._activate)
        self.itemClicked.connect(self._activate)

    def refresh(self, items: list[str], current: str | None, names: dict[str, str]) -> None:
        """Most recent first; the current fiche is marked with a word, not only a colour."""
        self.clear()
        for entity_id in reversed(items):
            name = names.get(entity_id, entity_id)
            item = QListWidgetItem(("▶ " if entity_id == current else "") + name)
            item.setData(ENTITY_ID_ROLE, entity_id)
            if entity_id == current:
                item.setToolTip("Fiche affichée")
            self.addItem(item)

    def _activate(self, item: QListWidgetItem) -> None:
        self.entity_activated.emit(item.data(ENTITY_ID_ROLE))
