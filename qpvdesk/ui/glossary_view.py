"""Glossary: acronyms in alphabetical order, filtered as you type (accents ignored)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView, QVBoxLayout, QWidget

from qpvdesk.textfold import fold
from qpvdesk.ui.roles import ENTITY_ID_ROLE
from qpvdesk.views import GlossaryView

COLUMNS = ("Sigle", "Signification", "Explication")


class GlossaryModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._terms: list[GlossaryView] = []

    def set_terms(self, terms: list[GlossaryView]) -> None:
        self.beginResetModel()
        self._terms = sorted(terms, key=lambda t: fold(t.acronym))
        self.endResetModel()

    def term_at(self, row: int) -> GlossaryView:
        return self._terms[row]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._terms)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        t = self._terms[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if index.column() == 0:
                forms = " / ".join([t.acronym, *t.variants])
                return forms + (" ⚠" if t.confidence != "confirmed" else "")
            if index.column() == 1:
                return t.expansion
            source = t.sources[0] if t.sources else None
            origin = f" — source : {source.publisher} ({source.reliability})" if source else ""
            warning = " — ⚠ non confirmé" if t.confidence != "confirmed" else ""
            return f"{t.gloss}{origin}{warning}"
        if role == ENTITY_ID_ROLE:
            return t.entity_id
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None


class _FoldFilter(QSortFilterProxyModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._needle = ""

    def set_needle(self, text: str) -> None:
        self.beginFilterChange()
        self._needle = fold(text).strip()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row, source_parent) -> bool:
        if not self._needle:
            return True
        t = self.sourceModel().term_at(source_row)  # type: ignore[attr-defined]
        return self._needle in fold(" ".join([t.acronym, *t.variants, t.expansion, t.gloss]))


class GlossaryPanel(QWidget):
    entity_activated = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.model = GlossaryModel(self)
        self.proxy = _FoldFilter(self)
        self.proxy.setSourceModel(self.model)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filtrer les sigles (ex. anru, copro…)")
        self.filter_edit.setAccessibleName("Filtrer le glossaire")
        self.filter_edit.setClearButtonEnabled(True)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Glossaire des sigles")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table, 1)
        self.filter_edit.textChanged.connect(self.proxy.set_needle)
        self.table.activated.connect(self._on_activated)

    def set_terms(self, terms: list[GlossaryView]) -> None:
        self.model.set_terms(terms)

    def _on_activated(self, index) -> None:
        entity_id = self.proxy.index(index.row(), 0).data(ENTITY_ID_ROLE)
        if entity_id:
            self.entity_activated.emit(entity_id)
