"""Partner browser: a sortable table with filters by type, programme and text."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from qpvdesk.ui.partner_model import ENTITY_ID_ROLE, PartnerFilterProxy, PartnerTableModel
from qpvdesk.views import PartnerRow


class PartnerBrowser(QWidget):
    entity_activated = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.model = PartnerTableModel(self)
        self.proxy = PartnerFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName("Filtrer les partenaires par type")
        self.programme_combo = QComboBox()
        self.programme_combo.setAccessibleName("Filtrer les partenaires par programme")
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filtrer les partenaires…")
        self.filter_edit.setAccessibleName("Filtrer les partenaires par texte")
        self.filter_edit.setClearButtonEnabled(True)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Tableau des partenaires")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.count_label = QLabel()

        filters = QHBoxLayout()
        type_label = QLabel("&Type :")
        type_label.setBuddy(self.kind_combo)
        programme_label = QLabel("&Programme :")
        programme_label.setBuddy(self.programme_combo)
        for w in (type_label, self.kind_combo, programme_label, self.programme_combo):
            filters.addWidget(w)
        filters.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self.kind_combo.currentIndexChanged.connect(lambda: self._apply(self.proxy.set_kind, self.kind_combo))
        self.programme_combo.currentIndexChanged.connect(lambda: self._apply(self.proxy.set_programme, self.programme_combo))
        self.filter_edit.textChanged.connect(self._on_text)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.table.activated.connect(self._on_current)

    def set_rows(self, rows: list[PartnerRow]) -> None:
        self.model.set_rows(rows)
        self.kind_combo.blockSignals(True)
        self.kind_combo.clear()
        self.kind_combo.addItem("Tous les types", "")
        for kind, label in sorted({(r.kind, r.kind_label) for r in rows}, key=lambda k: k[1]):
            self.kind_combo.addItem(label, kind)
        self.kind_combo.blockSignals(False)
        self.programme_combo.blockSignals(True)
        self.programme_combo.clear()
        self.programme_combo.addItem("Tous les programmes", "")
        for pid, name in sorted({p for r in rows for p in r.programmes}, key=lambda p: p[1].casefold()):
            self.programme_combo.addItem(name, pid)
        self.programme_combo.blockSignals(False)
        self._update_count()

    def _apply(self, setter, combo: QComboBox) -> None:
        setter(combo.currentData())
        self._update_count()

    def _on_text(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"{shown} partenaire(s) affiché(s) sur {total}")

    def _on_current(self, index) -> None:
        if index.isValid():
            entity_id = self.proxy.index(index.row(), 0).data(ENTITY_ID_ROLE)
            if entity_id:
                self.entity_activated.emit(entity_id)
