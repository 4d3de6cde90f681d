"""Table model of partners and a proxy that filters by origin, type, programme and text.

Catalogue partners and the user's local partners (qpvdesk.userdata) share one table; a local row
says « Ajouté localement » in its own column (text, not colour alone) and is shown in italics.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QCollator, QLocale, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont

from qpvdesk.textfold import fold
from qpvdesk.userdata.views import LocalPartner
from qpvdesk.views import PartnerRow

ENTITY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
LOCAL_ROLE = Qt.ItemDataRole.UserRole + 2  # True for a partner added locally
COLUMNS = ("Nom", "Type", "Programmes", "Rôles", "Origine")
ORIGIN_COLUMN = 4
ORIGIN_CATALOGUE = "Catalogue"
ORIGIN_LOCAL = "Ajouté localement"


def local_row(partner: LocalPartner, programme_name: Callable[[str], str]) -> PartnerRow:
    """A local partner in the catalogue partners' row shape (id "local:<uuid>")."""
    return PartnerRow(
        partner.entity_id, partner.name, None, partner.kind, partner.kind_label, "active",
        tuple((pid, programme_name(pid)) for pid in partner.programme_ids), (),
    )


class PartnerTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._catalogue: list[PartnerRow] = []
        self._local: list[PartnerRow] = []
        self._details: dict[str, str] = {}  # local id -> commune, contact… (tool tip)
        self._extra_text: dict[str, str] = {}  # local id -> commune, contact, notes (text filter)
        self._rows: list[PartnerRow] = []
        self._italic = QFont()
        self._italic.setItalic(True)

    def set_rows(self, rows: list[PartnerRow]) -> None:
        """The catalogue's partners (local partners, if any, stay)."""
        self.beginResetModel()
        self._catalogue = list(rows)
        self._rows = self._catalogue + self._local
        self.endResetModel()

    def set_local_partners(self, partners: list[LocalPartner], programme_name: Callable[[str], str] = str) -> None:
        self.beginResetModel()
        self._local = [local_row(p, programme_name) for p in partners]
        self._details = {
            p.entity_id: " — ".join(v for v in (p.commune, p.qpv_code, p.contact_name, p.phone, p.email) if v)
            for p in partners
        }
        self._extra_text = {p.entity_id: " ".join([p.commune, p.qpv_code, p.contact_name, p.notes]) for p in partners}
        self._rows = self._catalogue + self._local
        self.endResetModel()

    def row_at(self, row: int) -> PartnerRow:
        return self._rows[row]

    def all_rows(self) -> list[PartnerRow]:
        return list(self._rows)

    def is_local(self, row: int) -> bool:
        return row >= len(self._catalogue)

    def extra_text(self, row: int) -> str:
        return self._extra_text.get(self._rows[row].id, "") if self.is_local(row) else ""

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        local = self.is_local(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole or (role == Qt.ItemDataRole.ToolTipRole and not local):
            if column == 0:
                return row.name + (f" ({row.acronym})" if row.acronym else "")
            if column == 1:
                return row.kind_label
            if column == 2:
                return ", ".join(name for _, name in row.programmes)
            if column == 3:
                return ", ".join(row.roles)
            return ORIGIN_LOCAL if local else ORIGIN_CATALOGUE
        if role == Qt.ItemDataRole.ToolTipRole:
            details = self._details.get(row.id, "")
            return f"{row.name} — ajouté localement" + (f" — {details}" if details else "")
        if role == Qt.ItemDataRole.FontRole and local:
            return self._italic
        if role == ENTITY_ID_ROLE:
            return row.id
        if role == LOCAL_ROLE:
            return local
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None


class PartnerFilterProxy(QSortFilterProxyModel):
    """Filters on origin (catalogue / local), partner kind, a programme it is linked to, and folded text."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._origin: str | None = None  # None, "catalogue" or "local"
        self._kind: str | None = None
        self._programme: str | None = None
        self._words: list[str] = []
        self._collator = QCollator(QLocale(QLocale.Language.French, QLocale.Country.France))
        self._collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._collator.setNumericMode(True)

    def set_origin(self, origin: str | None) -> None:
        self.beginFilterChange()
        self._origin = origin or None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

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
        model = self.sourceModel()
        row = model.row_at(source_row)  # type: ignore[attr-defined]
        local = model.is_local(source_row)  # type: ignore[attr-defined]
        if self._origin and (self._origin == "local") != local:
            return False
        if self._kind and row.kind != self._kind:
            return False
        if self._programme and self._programme not in {pid for pid, _ in row.programmes}:
            return False
        if self._words:
            origin = ORIGIN_LOCAL if local else ORIGIN_CATALOGUE
            haystack = fold(" ".join([row.name, row.acronym or "", row.kind_label, *[n for _, n in row.programmes], *row.roles,
                                      origin, model.extra_text(source_row)]))  # type: ignore[attr-defined]
            return all(w in haystack for w in self._words)
        return True

    def lessThan(self, left, right) -> bool:
        return self._collator.compare(str(left.data() or ""), str(right.data() or "")) < 0
