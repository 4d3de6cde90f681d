"""The partner browser's filters: a rule on rows (origin, type, programme, région, département, place, year)
and the proxy that applies it with the typed words, from one mask per change."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from PySide6.QtCore import QSortFilterProxyModel, Qt

from qpvdesk.partner_table import LOCAL, TableRow
from qpvdesk.textfold import fold


@dataclass
class Facets:
    """For each filter, value -> the base rows having it: a filter change is a few set intersections."""

    by: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))
    local: list = field(default_factory=list)  # (base row, folded territory) of the local partners
    count: int = 0

    @classmethod
    def of(cls, rows: list[TableRow]) -> Facets:
        facets = cls(count=len(rows))
        by = facets.by
        for n, r in enumerate(rows):
            by["origin"][r.origin].add(n)
            by["kind_label"][r.kind_label].add(n)
            for pid, _ in r.programmes:
                by["programme"][pid].add(n)
            for value in r.regions:
                by["region"][value].add(n)
            for value in r.departements:
                by["departement"][value].add(n)
            for year in r.years:
                by["year"][year].add(n)
            for value in r.contrats:
                by["contrat"][value].add(n)
            if r.origin == LOCAL:
                facets.local.append((n, fold(r.territory)))
        return facets


@dataclass(frozen=True)
class RowFilter:
    origin: str | None = None  # catalogue / structure / local
    kind_label: str | None = None  # French type label, shared across origins
    programme: str | None = None  # a programme fiche id
    region: str | None = None  # INSEE code
    departement: str | None = None
    place: frozenset | None = None  # contrat de ville codes of the chosen contrat or commune
    place_name: str = ""  # the commune's folded name: a local partner of that commune matches it
    year: int | None = None

    def active(self) -> bool:
        return any((self.origin, self.kind_label, self.programme, self.region, self.departement, self.place, self.year))

    def allowed(self, facets: Facets) -> set[int]:
        """The base rows passing every choice; a local partner matches a commune by its commune's name."""
        sets = [
            facets.by[name].get(value, set())
            for name, value in (
                ("origin", self.origin),
                ("kind_label", self.kind_label),
                ("programme", self.programme),
                ("region", self.region),
                ("departement", self.departement),
                ("year", self.year),
            )
            if value
        ]
        if self.place is not None:
            here = set().union(*(facets.by["contrat"].get(code, set()) for code in self.place))
            if self.place_name:
                here |= {n for n, territory in facets.local if self.place_name in territory}
            sets.append(here)
        if not sets:
            return set(range(facets.count))
        sets.sort(key=len)
        return sets[0].intersection(*sets[1:])


class PartnerFilterProxy(QSortFilterProxyModel):
    """Filters on a RowFilter and folded text.

    Sorting is the source model's own (PartnerTableModel.sort, precomputed French keys): asking a proxy
    to sort 100,000 rows would call back into Python for each of the ~3 million comparisons."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rule = RowFilter()
        self._words: list[str] = []
        self._mask: list[bool] | None = None  # filterAcceptsRow's answers, for the source's generation
        self._mask_generation = -1
        self._source = None

    def setSourceModel(self, model) -> None:
        self._source = model
        self._mask = None
        super().setSourceModel(model)

    def set_rule(self, rule: RowFilter) -> None:
        if rule == self.rule:
            return
        self.rule = rule
        self._refilter()

    def _refilter(self) -> None:
        self._mask = None
        # one layout change: much cheaper than Qt's row-by-row removals when a filter hides 60,000 rows
        self.invalidate()

    def _set(self, **change) -> None:
        self.set_rule(replace(self.rule, **change))

    def set_origin(self, origin: str | None) -> None:
        self._set(origin=origin or None)

    def set_kind(self, kind_label: str | None) -> None:
        self._set(kind_label=kind_label or None)

    def set_programme(self, programme_id: str | None) -> None:
        self._set(programme=programme_id or None)

    def set_text(self, text: str) -> None:
        words = fold(text).split()
        if words != self._words:
            self._words = words
            self._refilter()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        if not (self.rule.active() or self._words):
            return True
        model = self._source
        assert model is not None  # rows are only asked about once a source model is set
        if self._mask is None or self._mask_generation != model.generation:
            self._mask = model.matching_rows(self._words, self.rule)
            self._mask_generation = model.generation
        return self._mask[source_row]
