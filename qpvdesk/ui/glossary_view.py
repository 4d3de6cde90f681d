"""Glossary: acronyms in alphabetical order, filtered as you type (accents ignored) on the acronym, its expansion
and its explanation. It leads somewhere: Enter or a double-click opens the fiche the acronym names (or says there is
none), and a filter that finds no acronym (or a few) offers the fiches whose name matches and the main search."""

from __future__ import annotations

import re
from html import escape

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

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


MAX_NAME_MATCHES = 6
PLACE_ID = re.compile(r"\d{3}")


class GlossaryPanel(QWidget):
    entity_activated = Signal(str)
    search_requested = Signal(str)  # « chercher dans tout le catalogue »

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._names = None  # () -> {fiche id: name}, read on the first filter that needs it
        self.info = QLabel()
        self.info.setObjectName("glossaryInfo")
        self.info.setWordWrap(True)
        self.info.setAccessibleName("Aide du glossaire")
        self.info.setTextFormat(Qt.TextFormat.RichText)
        self.info.linkActivated.connect(self._on_link)
        self.info.hide()
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
        layout.addWidget(self.info)
        self.filter_edit.textChanged.connect(self.proxy.set_needle)
        self.filter_edit.textChanged.connect(self._explain_filter)
        self.table.activated.connect(self._on_activated)  # Enter, and a double-click

    def set_terms(self, terms: list[GlossaryView]) -> None:
        self.model.set_terms(terms)

    def set_names(self, names) -> None:
        """`names()`: every fiche's name by id, to offer the fiches a filter word names (« adulte »)."""
        self._names = names

    def _on_activated(self, index) -> None:
        entity_id = self.proxy.index(index.row(), 0).data(ENTITY_ID_ROLE)
        if entity_id:
            self.entity_activated.emit(entity_id)
            return
        acronym = self.model.term_at(self.proxy.mapToSource(index).row()).acronym
        self._say(f"Le catalogue n'a pas de fiche « {escape(acronym)} » : son explication est ci-dessus. "
                  f"{self._search_link(acronym)}")

    def _explain_filter(self, text: str) -> None:
        """No acronym found: say so; few found: also the fiches whose name holds the word; both offer the search."""
        text = text.strip()
        if len(fold(text)) < 3:
            self.info.hide()
            return
        parts = [] if self.proxy.rowCount() else [f"Aucun sigle ne correspond à « {escape(text)} »."]
        names = self._matching_names(text)
        if names:
            links = " · ".join(f'<a href="entity:{escape(i)}">{escape(n)}</a>' for i, n in names)
            parts.append(f"Fiches : {links}")
        if self.proxy.rowCount() and not names:
            self.info.hide()
            return
        parts.append(self._search_link(text))
        self._say("<br/>".join(parts))

    def _matching_names(self, text: str) -> list[tuple[str, str]]:
        if self._names is None:
            return []
        needle = fold(text)
        # the actors, programmes and measures: places and sites (ids with a code: commune-95500, qn09515m…) would
        # flood a glossary helper
        found = [(i, n) for i, n in self._names().items() if needle in fold(n) and not PLACE_ID.search(i)]
        found.sort(key=lambda item: (not fold(item[1]).startswith(needle), len(item[1])))
        return found[:MAX_NAME_MATCHES]

    @staticmethod
    def _search_link(text: str) -> str:
        return f'<a href="search:{escape(text)}">Chercher « {escape(text)} » dans tout le catalogue</a>'

    def _say(self, html: str) -> None:
        self.info.setText(html)
        self.info.show()

    def _on_link(self, link: str) -> None:
        scheme, _, rest = link.partition(":")
        if scheme == "entity":
            self.entity_activated.emit(rest)
        elif scheme == "search":
            self.search_requested.emit(rest)
