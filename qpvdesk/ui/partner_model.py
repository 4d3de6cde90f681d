"""Table model of partners and a proxy that filters by origin, type, programme and text.

Catalogue partners and the user's local partners (qpvdesk.userdata) share one table; a local row
says « Ajouté localement » in its own column (text, not colour alone) and is shown in italics.

Sized for 100,000 local partners: each row's folded search text is computed once when rows are set,
the model sorts itself with precomputed QCollator keys (one Python sort, no comparison called back
from C++), and the proxy filters from a mask computed in one pass per filter change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractTableModel, QCollator, QLocale, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont

from qpvdesk.textfold import fold
from qpvdesk.ui.roles import ENTITY_ID_ROLE, LOCAL_ROLE
from qpvdesk.userdata.views import LocalPartner
from qpvdesk.views import PartnerRow

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


def _search_text(row: PartnerRow, origin: str, extra: str = "") -> str:
    return fold(" ".join([row.name, row.acronym or "", row.kind_label, *[n for _, n in row.programmes], *row.roles,
                               origin, extra]))


@dataclass
class PreparedPartners:
    """Local partners ready for the table (plain Python, no Qt: may be built off the UI thread)."""

    rows: list[PartnerRow] = field(default_factory=list)
    search: list[str] = field(default_factory=list)  # folded text the filter looks in
    details: dict[str, str] = field(default_factory=dict)  # local id -> commune, contact… (tool tip)
    extra_text: dict[str, str] = field(default_factory=dict)  # local id -> commune, contact, notes


def prepare_local_partners(partners: Iterable[LocalPartner], programme_name: Callable[[str], str] = str) -> PreparedPartners:
    out = PreparedPartners()
    for p in partners:
        row = local_row(p, programme_name)
        extra = " ".join([p.commune, p.qpv_code, p.contact_name, p.notes])
        out.rows.append(row)
        out.search.append(_search_text(row, ORIGIN_LOCAL, extra))
        out.extra_text[row.id] = extra
        details = " — ".join(v for v in (p.commune, p.qpv_code, p.contact_name, p.phone, p.email) if v)
        if details:
            out.details[row.id] = details
    return out


class PartnerTableModel(QAbstractTableModel):
    """Rows are kept in "base" order (catalogue, then local partners) and shown through `_order`, a
    permutation set by sort(): the model sorts itself, so a proxy above it only filters."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._catalogue: list[PartnerRow] = []
        self._catalogue_search: list[str] = []
        self._local = PreparedPartners()
        self._rows: list[PartnerRow] = []  # base order
        self._search: list[str] = []  # base order
        self._search_shown: list[str] = []  # shown order (what the filter scans)
        self._order: list[int] = []  # shown row -> base index
        self._keys: dict[int, list] = {}  # column -> sort key of each base row (computed on demand)
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)
        self._row_of: dict[str, int] | None = None  # entity id -> shown row (on demand)
        self.generation = 0  # changes whenever rows are replaced or reordered (the proxy's mask follows)
        self._italic = QFont()
        self._italic.setItalic(True)
        # French order: « Élan » with « Elan », « n°2 » before « n°10 »; Qt's sort keys compare in C++
        self._collator = QCollator(QLocale(QLocale.Language.French, QLocale.Country.France))
        self._collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._collator.setNumericMode(True)

    # --- rows ------------------------------------------------------------------------

    def set_rows(self, rows: list[PartnerRow]) -> None:
        """The catalogue's partners (local partners, if any, stay)."""
        self.beginResetModel()
        self._catalogue = list(rows)
        self._catalogue_search = [_search_text(r, ORIGIN_CATALOGUE) for r in self._catalogue]
        self._rebuild()
        self.endResetModel()

    def set_local_partners(self, partners: list[LocalPartner], programme_name: Callable[[str], str] = str) -> None:
        self.set_prepared_local(prepare_local_partners(partners, programme_name))

    def set_prepared_local(self, prepared: PreparedPartners) -> None:
        self.beginResetModel()
        self._local = prepared
        self._rebuild()
        self.endResetModel()

    def _rebuild(self) -> None:
        self._rows = self._catalogue + self._local.rows
        self._search = self._catalogue_search + self._local.search
        self._keys = {}
        self._order = self._sorted_order(*self._sort)
        self._changed()

    def _changed(self) -> None:
        self._search_shown = [self._search[b] for b in self._order]
        self._row_of = None
        self.generation += 1

    def _base_local(self, base: int) -> bool:
        return base >= len(self._catalogue)

    def row_at(self, row: int) -> PartnerRow:
        return self._rows[self._order[row]]

    def all_rows(self) -> list[PartnerRow]:
        return list(self._rows)

    def is_local(self, row: int) -> bool:
        return self._base_local(self._order[row])

    def local_count(self) -> int:
        return len(self._local.rows)

    def extra_text(self, row: int) -> str:
        return self._local.extra_text.get(self.row_at(row).id, "") if self.is_local(row) else ""

    def row_of(self, entity_id: str) -> int | None:
        """The shown row of an entity id, or None."""
        if self._row_of is None:
            self._row_of = {self._rows[b].id: r for r, b in enumerate(self._order)}
        return self._row_of.get(entity_id)

    def matching_rows(self, words: list[str], origin: str | None, kind: str | None, programme: str | None) -> list[bool]:
        """For each shown row: does it pass the filters? One quick pass per word over the folded texts."""
        mask = [True] * len(self._order)
        if origin or kind or programme:
            rows, n_catalogue, local = self._rows, len(self._catalogue), origin == "local"
            mask = [(not origin or (b >= n_catalogue) == local)
                    and (not kind or rows[b].kind == kind)
                    and (not programme or any(pid == programme for pid, _ in rows[b].programmes))
                    for b in self._order]
        for word in words:
            mask = [m and word in text for m, text in zip(mask, self._search_shown)]
        return mask

    # --- sorting ---------------------------------------------------------------------

    def _display(self, base: int, column: int) -> str:
        row = self._rows[base]
        if column == 0:
            return row.name + (f" ({row.acronym})" if row.acronym else "")
        if column == 1:
            return row.kind_label
        if column == 2:
            return ", ".join(name for _, name in row.programmes)
        if column == 3:
            return ", ".join(row.roles)
        return ORIGIN_LOCAL if self._base_local(base) else ORIGIN_CATALOGUE

    def _column_keys(self, column: int) -> list:
        if column not in self._keys:
            key = self._collator.sortKey
            self._keys[column] = [key(self._display(b, column)) for b in range(len(self._rows))]
        return self._keys[column]

    def _sorted_order(self, column: int, order: Qt.SortOrder) -> list[int]:
        if not 0 <= column < len(COLUMNS):
            return list(range(len(self._rows)))
        # stable, also in descending order: equal keys keep the base order (catalogue, then local)
        return sorted(range(len(self._rows)), key=self._column_keys(column).__getitem__,
                      reverse=order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if (column, order) == self._sort:
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_bases = [self._order[i.row()] for i in old]
        self._sort = (column, order)
        self._order = self._sorted_order(column, order)
        if old:
            shown = [0] * len(self._order)
            for r, b in enumerate(self._order):
                shown[b] = r
            self.changePersistentIndexList(old, [self.index(shown[b], i.column()) for b, i in zip(old_bases, old)])
        self._changed()
        self.layoutChanged.emit()

    def sort_column(self) -> int:
        return self._sort[0]

    # --- Qt model --------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        base = self._order[index.row()]
        row = self._rows[base]
        local = self._base_local(base)
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole or (role == Qt.ItemDataRole.ToolTipRole and not local):
            return self._display(base, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            details = self._local.details.get(row.id, "")
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
    """Filters on origin (catalogue / local), partner kind, a programme it is linked to, and folded text.

    Sorting is the source model's own (PartnerTableModel.sort, precomputed French keys): asking a proxy
    to sort 100,000 rows would call back into Python for each of the ~3 million comparisons."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._origin: str | None = None  # None, "catalogue" or "local"
        self._kind: str | None = None
        self._programme: str | None = None
        self._words: list[str] = []
        self._mask: list[bool] | None = None  # filterAcceptsRow's answers, for the source's generation
        self._mask_generation = -1
        self._source: PartnerTableModel | None = None

    def setSourceModel(self, model) -> None:
        self._source = model
        self._mask = None
        super().setSourceModel(model)

    def _change(self, name: str, value) -> None:
        if getattr(self, name) == value:
            return
        setattr(self, name, value)
        self._mask = None
        # one layout change: much cheaper than Qt's row-by-row removals when a filter hides 60,000 rows
        self.invalidate()

    def set_origin(self, origin: str | None) -> None:
        self._change("_origin", origin or None)

    def set_kind(self, kind: str | None) -> None:
        self._change("_kind", kind or None)

    def set_programme(self, programme_id: str | None) -> None:
        self._change("_programme", programme_id or None)

    def set_text(self, text: str) -> None:
        self._change("_words", fold(text).split())

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        if not (self._origin or self._kind or self._programme or self._words):
            return True
        model = self._source
        assert model is not None  # set with the source model, before any row is filtered
        if self._mask is None or self._mask_generation != model.generation:
            self._mask = model.matching_rows(self._words, self._origin, self._kind, self._programme)
            self._mask_generation = model.generation
        return self._mask[source_row]
