"""The partner browser's filter bar: origin, type, programme, year, région, département, commune or contrat de
ville. Each choice shows how many rows it holds; the filters combine (qpvdesk.ui.partner_proxy.RowFilter)."""

from __future__ import annotations

from collections import Counter
from itertools import chain

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QGridLayout, QPushButton, QWidget

from qpvdesk.organisations.views import PlaceChoice
from qpvdesk.partner_table import CATALOGUE, LOCAL, STRUCTURE, TableRow
from qpvdesk.textfold import fold
from qpvdesk.ui.partner_proxy import RowFilter

ORIGINS = (
    (STRUCTURE, "Structures financées (ANCT)"),
    (CATALOGUE, "Partenaires nationaux (catalogue)"),
    (LOCAL, "Ajoutés localement"),
)


def _label(text: str, count: int) -> str:
    return f"{text} — {count}"


class PartnerFilters(QWidget):
    changed = Signal(object)  # RowFilter

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.origin_combo = self._combo("Filtrer les partenaires par origine", 9)
        self.kind_combo = self._combo("Filtrer les partenaires par type", 9)
        self.programme_combo = self._combo("Filtrer les partenaires par programme", 9)
        self.year_combo = self._combo("Filtrer les structures par année de financement", 8)
        self.region_combo = self._combo("Filtrer par région", 9)
        self.departement_combo = self._combo("Filtrer par département", 9)
        self.place_combo = self._combo("Filtrer par commune ou contrat de ville (tapez un nom)", 12)
        self.place_combo.setEditable(True)
        self.place_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.place_combo.completer()
        place_edit = self.place_combo.lineEdit()
        assert completer is not None and place_edit is not None  # an editable combo has both
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        place_edit.setPlaceholderText("Commune ou contrat de ville…")
        self.reset_button = QPushButton("Tous les partenaires")
        self.reset_button.setToolTip("Enlever tous les filtres")
        self.reset_button.setAccessibleName("Enlever tous les filtres")
        self._places: dict[str, PlaceChoice] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        cells = (
            ("&Origine :", self.origin_combo),
            ("&Type :", self.kind_combo),
            ("&Programme :", self.programme_combo),
            ("&Année :", self.year_combo),
            ("&Région :", self.region_combo),
            ("&Département :", self.departement_combo),
            ("&Commune ou contrat :", self.place_combo),
        )
        # three filters a row, each saying what it filters by its first choice (« Tous les types ») and its tool tip:
        # the tab stays usable in the narrow side panel of a 1024×768 window or of projector mode
        for n, (text, combo) in enumerate(cells):
            combo.setToolTip(f"{text.replace('&', '').rstrip(' :')} — {combo.toolTip()}")
            row, col = divmod(n, 3)
            grid.addWidget(combo, row, col, 1, 2 if n == 6 else 1)
        grid.addWidget(self.reset_button, 2, 2)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        self.combos = tuple(combo for _text, combo in cells)  # in the order of `cells`: origin … place
        for combo in self.combos:
            combo.currentIndexChanged.connect(self._emit)
        place_edit.editingFinished.connect(self._place_typed)
        self.reset_button.clicked.connect(self.reset)

    @staticmethod
    def _combo(accessible: str, width: int) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(accessible)
        combo.setToolTip(accessible)
        # long names must not widen the window (1024 px screens): the combo keeps a modest width, its list is wide
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(width)
        combo.view().setMinimumWidth(320)
        return combo

    def rule(self) -> RowFilter:
        place = self._places.get(self.place_combo.currentData() or "")
        year = self.year_combo.currentData()
        return RowFilter(
            self.origin_combo.currentData() or None,
            self.kind_combo.currentData() or None,
            self.programme_combo.currentData() or None,
            self.region_combo.currentData() or None,
            self.departement_combo.currentData() or None,
            place.codes if place else None,
            fold(place.label.split(" (")[0]) if place and place.key.startswith("commune-") else "",
            int(year) if year else None,
        )

    def _emit(self) -> None:
        self.changed.emit(self.rule())

    def _place_typed(self) -> None:
        """A name typed then Enter or Tab: the first choice containing it, or no place filter when cleared."""
        text = fold(self.place_combo.currentText().strip())
        if not text:
            self.place_combo.setCurrentIndex(0)
            return
        if fold(self.place_combo.itemText(self.place_combo.currentIndex())) != text:
            found = next((i for i in range(1, self.place_combo.count()) if text in fold(self.place_combo.itemText(i))), 0)
            self.place_combo.setCurrentIndex(found)

    def reset(self) -> None:
        for combo in self.combos:
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._emit()

    def rebuild(
        self,
        rows: list[TableRow],
        departements: dict[str, str] | None = None,
        regions: dict[str, str] | None = None,
        places: tuple[PlaceChoice, ...] | None = None,
    ) -> None:
        """Fill the choices from the rows (and the names of places), keeping what was chosen."""
        if departements is not None:
            self._dep_names, self._region_names = departements, regions or {}
        if places is not None:
            self._places = {p.key: p for p in places}
        dep_names, region_names = getattr(self, "_dep_names", {}), getattr(self, "_region_names", {})
        origins = Counter(r.origin for r in rows)
        kinds = Counter(r.kind_label for r in rows)
        programme_names = dict(chain.from_iterable(r.programmes for r in rows))
        programmes = Counter(pid for r in rows for pid, _ in r.programmes)
        years = Counter(chain.from_iterable(r.years for r in rows))
        deps = Counter(chain.from_iterable(r.departements for r in rows))
        regs = Counter(chain.from_iterable(r.regions for r in rows))
        by_code = Counter(chain.from_iterable(r.contrats for r in rows))
        self._fill(
            self.origin_combo,
            "Toutes les origines",
            [(k, _label(t, origins[k])) for k, t in ORIGINS if origins[k]] or [(k, t) for k, t in ORIGINS if k != STRUCTURE],
        )
        self._fill(
            self.kind_combo,
            "Tous les types",
            [(k, _label(k, n)) for k, n in sorted(kinds.items(), key=lambda i: i[0].casefold())],
        )
        self._fill(
            self.programme_combo,
            "Tous les programmes",
            [
                (p, _label(programme_names[p], n))
                for p, n in sorted(programmes.items(), key=lambda i: programme_names[i[0]].casefold())
            ],
        )
        self._fill(self.year_combo, "Toutes les années", [(str(y), _label(str(y), years[y])) for y in sorted(years)])
        self._fill(
            self.region_combo,
            "Toutes les régions",
            [
                (c, _label(region_names.get(c, c), n))
                for c, n in sorted(regs.items(), key=lambda i: fold(region_names.get(i[0], i[0])))
            ],
        )
        self._fill(
            self.departement_combo,
            "Tous les départements",
            [(c, _label(f"{dep_names.get(c, c)} ({c})", n)) for c, n in sorted(deps.items())],
        )
        choices = []
        for p in self._places.values():
            n = max((by_code.get(c, 0) for c in p.codes), default=0)  # at least this many structures there
            if n:
                choices.append((p.key, _label(p.label, n)))
        self._fill(self.place_combo, "Tous les lieux", choices)
        for combo in (self.year_combo, self.region_combo, self.departement_combo, self.place_combo):
            combo.setEnabled(combo.count() > 1)

    @staticmethod
    def _fill(combo: QComboBox, first: str, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(first, "")
        for key, label in items:
            combo.addItem(label, key)
        combo.setCurrentIndex(max(combo.findData(current), 0) if current else 0)
        combo.blockSignals(False)
