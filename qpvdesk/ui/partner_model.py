"""Table model of partners and a proxy that filters by origin, type, programme, place, year and text.

Three origins share one table (qpvdesk.partner_table.TableRow): the national partners of the catalogue, the
structures funded for adultes-relais and FONJEP posts, and the user's local partners — a local row says
« Ajouté localement » in its own column (text, not colour alone) and is shown in italics.

Sized for 100,000 local partners: each row's folded search text is computed once when rows are set,
the model sorts itself with precomputed QCollator keys (one Python sort, no comparison called back
from C++), and the proxy filters from a mask computed in one pass per filter change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractTableModel, QCollator, QLocale, QModelIndex, Qt
from PySide6.QtGui import QFont

from qpvdesk.partner_table import CATALOGUE, LOCAL, ORIGIN_LABELS, STRUCTURE, TableRow, partner_row, structure_rows
from qpvdesk.textfold import fold
from qpvdesk.ui.partner_proxy import Facets, PartnerFilterProxy, RowFilter  # noqa: F401 (re-exported)
from qpvdesk.ui.roles import ENTITY_ID_ROLE, LOCAL_ROLE  # noqa: F401 (re-exported)
from qpvdesk.userdata.views import LocalPartner
from qpvdesk.views import PartnerRow

COLUMNS = ("Nom", "Type (* déduit)", "Programmes", "Territoire", "Postes", "Origine")
HEADER_TIPS = {1: "* : type déduit du nom de la structure (la source ne donne pas de type)",
               4: "Postes financés la dernière année où la structure en a (ANCT)"}
ORIGIN_COLUMN = 5
ORIGIN_CATALOGUE = ORIGIN_LABELS[CATALOGUE]
ORIGIN_LOCAL = ORIGIN_LABELS[LOCAL]


def local_row(partner: LocalPartner, programme_name: Callable[[str], str]) -> TableRow:
    """A local partner as a table row (id "local:<uuid>")."""
    row = PartnerRow(partner.entity_id, partner.name, None, partner.kind, partner.kind_label, "active",
                     tuple((pid, programme_name(pid)) for pid in partner.programme_ids), ())
    return partner_row(row, LOCAL, " ".join(v for v in (partner.commune, partner.qpv_code) if v), partner.updated_at)


def _search_text(row: TableRow, extra: str = "") -> str:
    return fold(" ".join([row.name, row.acronym or "", row.type_text, *[n for _, n in row.programmes], *row.roles,
                          ORIGIN_LABELS[row.origin], row.territory, row.siret, extra]))


@dataclass
class PreparedPartners:
    """Local partners ready for the table (plain Python, no Qt: may be built off the UI thread)."""

    rows: list[TableRow] = field(default_factory=list)
    search: list[str] = field(default_factory=list)  # folded text the filter looks in
    details: dict[str, str] = field(default_factory=dict)  # local id -> commune, contact… (tool tip)
    extra_text: dict[str, str] = field(default_factory=dict)  # local id -> commune, contact, notes


def prepare_local_partners(partners: Iterable[LocalPartner], programme_name: Callable[[str], str] = str) -> PreparedPartners:
    out = PreparedPartners()
    for p in partners:
        row = local_row(p, programme_name)
        extra = " ".join([p.commune, p.qpv_code, p.contact_name, p.notes])
        out.rows.append(row)
        out.search.append(_search_text(row, extra))
        out.extra_text[row.id] = extra
        details = " — ".join(v for v in (p.commune, p.qpv_code, p.contact_name, p.phone, p.email) if v)
        if details:
            out.details[row.id] = details
    return out


def prepare_structures(data) -> tuple[object, list[TableRow], list[str]]:
    """Off the UI thread: the structures as table rows and their folded search texts (data: BrowserData)."""
    rows = structure_rows(data.rows, data.departements)
    return data, rows, [_search_text(r) for r in rows]


class PartnerTableModel(QAbstractTableModel):
    """Rows are kept in "base" order (catalogue, structures, then local partners) and shown through `_order`,
    a permutation set by sort(): the model sorts itself, so a proxy above it only filters."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._catalogue: list[TableRow] = []
        self._catalogue_search: list[str] = []
        self._structures: list[TableRow] = []
        self._structures_search: list[str] = []
        self._local = PreparedPartners()
        self._rows: list[TableRow] = []  # base order
        self._search: list[str] = []  # base order
        self._search_shown: list[str] = []  # shown order (what the filter scans)
        self._order: list[int] = []  # shown row -> base index
        self._keys: dict[int, list] = {}  # column -> sort key of each base row (computed on demand)
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)
        self._row_of: dict[str, int] | None = None  # entity id -> shown row (on demand)
        self._facet_index: Facets | None = None  # filter value -> base rows, built on the first filter
        self.generation = 0  # changes whenever rows are replaced or reordered (the proxy's mask follows)
        self._italic = QFont()
        self._italic.setItalic(True)
        # French order: « Élan » with « Elan », « n°2 » before « n°10 »; Qt's sort keys compare in C++
        self._collator = QCollator(QLocale(QLocale.Language.French, QLocale.Country.France))
        self._collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._collator.setNumericMode(True)

    # --- rows ------------------------------------------------------------------------

    def set_rows(self, rows: list[PartnerRow]) -> None:
        """The catalogue's national partners (structures and local partners, if any, stay)."""
        self.beginResetModel()
        self._catalogue = [partner_row(r) for r in rows]
        self._catalogue_search = [_search_text(r) for r in self._catalogue]
        self._rebuild()
        self.endResetModel()

    def set_structures(self, rows: list[TableRow], search: list[str] | None = None) -> None:
        """The structures funded for adultes-relais and FONJEP posts (qpvdesk.partner_table.structure_rows);
        search: their folded texts, when prepared on a worker (prepare_structures)."""
        self.beginResetModel()
        self._structures = list(rows)
        self._structures_search = search if search is not None else [_search_text(r) for r in self._structures]
        self._rebuild()
        self.endResetModel()

    def set_local_partners(self, partners: list[LocalPartner], programme_name: Callable[[str], str] = str) -> None:
        self.set_prepared_local(prepare_local_partners(partners, programme_name))

    def set_prepared_local(self, prepared: PreparedPartners) -> None:
        self.beginResetModel()
        self._local = prepared
        self._rebuild()
        self.endResetModel()

    def _facets(self) -> Facets:
        if self._facet_index is None:
            self._facet_index = Facets.of(self._rows)
        return self._facet_index

    def _rebuild(self) -> None:
        self._facet_index = None
        self._rows = self._catalogue + self._structures + self._local.rows
        self._search = self._catalogue_search + self._structures_search + self._local.search
        self._keys = {}
        self._order = self._sorted_order(*self._sort)
        self._changed()

    def _changed(self) -> None:
        self._search_shown = [self._search[b] for b in self._order]
        self._row_of = None
        self.generation += 1

    def row_at(self, row: int) -> TableRow:
        return self._rows[self._order[row]]

    def shown_rows(self, rows: Iterable[int]) -> list[TableRow]:
        return [self._rows[self._order[r]] for r in rows]

    def all_rows(self) -> list[TableRow]:
        return list(self._rows)

    def is_local(self, row: int) -> bool:
        return self._rows[self._order[row]].origin == LOCAL

    def local_count(self) -> int:
        return len(self._local.rows)

    def structure_count(self) -> int:
        return len(self._structures)

    def extra_text(self, row: int) -> str:
        return self._local.extra_text.get(self.row_at(row).id, "") if self.is_local(row) else ""

    def row_of(self, entity_id: str) -> int | None:
        """The shown row of an entity id, or None."""
        if self._row_of is None:
            self._row_of = {self._rows[b].id: r for r, b in enumerate(self._order)}
        return self._row_of.get(entity_id)

    def matching_rows(self, words: list[str], rule: RowFilter) -> list[bool]:
        """For each shown row: does it pass the filters? Set intersections for the choices, then one quick pass per
        typed word over the folded texts."""
        if rule.active():
            allowed = rule.allowed(self._facets())
            mask = [b in allowed for b in self._order]
        else:
            mask = [True] * len(self._order)
        for word in words:
            mask = [m and word in text for m, text in zip(mask, self._search_shown)]
        return mask

    # --- sorting ---------------------------------------------------------------------

    @staticmethod
    def _display(row: TableRow, column: int) -> str:
        if column == 0:
            return row.name + (f" ({row.acronym})" if row.acronym else "")
        if column == 1:
            return row.type_text
        if column == 2:
            return row.programmes_text
        if column == 3:
            return row.territory
        if column == 4:
            return row.posts_text
        return ORIGIN_LABELS[row.origin]

    def _column_keys(self, column: int) -> list:
        if column not in self._keys:
            key, rows = self._collator.sortKey, self._rows
            if column == 4:  # posts: by number, most first in descending order
                self._keys[column] = [(r.posts, r.last_year) for r in rows]
            else:
                self._keys[column] = [key(self._display(r, column)) for r in rows]
        return self._keys[column]

    def _sorted_order(self, column: int, order: Qt.SortOrder) -> list[int]:
        if not 0 <= column < len(COLUMNS):
            return list(range(len(self._rows)))
        # stable, also in descending order: equal keys keep the base order (catalogue, structures, then local)
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
        row = self._rows[self._order[index.row()]]
        local = row.origin == LOCAL
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, index.column())
        if role == Qt.ItemDataRole.FontRole and local:
            return self._italic
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ENTITY_ID_ROLE:
            return row.id
        if role == LOCAL_ROLE:
            return local
        return None

    def _tooltip(self, row: TableRow, column: int) -> str:
        """The whole text of a cell the column may cut, and what a row is."""
        if row.origin == LOCAL:
            details = self._local.details.get(row.id, "")
            return f"{row.name} — ajouté localement" + (f" — {details}" if details else "")
        text = self._display(row, column)
        # programmes, territory and posts: hidden in a narrow panel, so the row's tool tip says them
        details = " — ".join(f"{COLUMNS[c]} : {value}" for c in (2, 3, 4) if (value := str(self._display(row, c) or "")))
        if row.origin == STRUCTURE and column in (0, 1, ORIGIN_COLUMN):
            siret = f"SIRET {row.siret}" if row.siret else "pas de SIRET dans la source (postes FONJEP)"
            return (f"{row.name} — {row.kind_label} (type déduit du nom) — {siret} — structure financée par l'État "
                    f"(adultes-relais, FONJEP) ; source : ANCT, Licence Ouverte 2.0" + (f"\n{details}" if details else ""))
        if row.origin == CATALOGUE and column == 0 and row.roles:
            return f"{text} — {', '.join(row.roles)}"
        return text

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(section)
        return None
