"""Table model of partners and a proxy that filters by type, programme and text."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QCollator, QLocale, QModelIndex, QSortFilterProxyModel, Qt

from qpvdesk.textfold import fold
from qpvdesk.views import PartnerRow

ENTITY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Nom", "Type", "Programmes", "Rôles")


class PartnerTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[PartnerRow] = []

    def set_rows(self, rows: list[PartnerRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> PartnerRow:
        return self._rows[row]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            if column == 0:
                return row.name + (f" ({row.acronym})" if row.acronym else "")
            if column == 1:
                return row.kind_label
            if column == 2:
                return ", ".join(name for _, name in row.programmes)
            return ", ".join(row.roles)
        if role == ENTITY_ID_ROLE:
            return row.id
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None


class PartnerFilterProxy(QSortFilterProxyModel):
    """Filters on partner kind, on a programme it is linked to, and on folded text."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._kind: str | None = None
        self._programme: str | None = None
        self._words: list[str] = []
        self._collator = QCollator(QLocale(QLocale.Language.French, QLocale.Country.France))
        self._collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._collator.setNumericMode(True)

    def set_kind(self, kind: str | None) -> None:
        self.beginFilterChange()
        self._kind = kind or None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_programme(self, programme_id: str | None) -> None:
        self.beginFilterChange()
        self._programme = programme_id or None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        row = self.sourceModel().row_at(source_row)  # type: ignore[attr-defined]
        if self._kind and row.kind != self._kind:
            return False
        if self._programme and self._programme not in {pid for pid, _ in row.programmes}:
            return False
        if self._words:
            haystack = fold(" ".join([row.name, row.acronym or "", row.kind_label, *[n for _, n in row.programmes], *row.roles]))
            return all(w in haystack for w in self._words)
        return True

    def lessThan(self, left, right) -> bool:
        return self._collator.compare(str(left.data() or ""), str(right.data() or "")) < 0
