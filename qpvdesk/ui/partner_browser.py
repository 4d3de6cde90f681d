"""Partner browser: the structures the State funds (adultes-relais, FONJEP), the national partners and the
user's own partners in one sortable table; filters by origin, type, programme, year, région, département,
commune or contrat de ville and text; « Exporter la vue… » writes the rows shown; the buttons add, edit,
delete (with undo), import and export the user's local partners."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qpvdesk.errors import french_reason
from qpvdesk.ui.file_dialogs import open_path, remember_folder, start_folder
from qpvdesk.ui.local_partner_dialog import LocalPartnerDialog
from qpvdesk.ui.partner_export import ask_view_path, export_local_file, export_view_file, import_local_file
from qpvdesk.ui.partner_filters import PartnerFilters
from qpvdesk.ui.partner_link_dialog import PartnerLinkDialog, link_selected
from qpvdesk.ui.partner_model import (
    ENTITY_ID_ROLE,
    LOCAL_ROLE,
    ORIGIN_COLUMN,
    PartnerFilterProxy,
    PartnerTableModel,
    prepare_structures,
)
from qpvdesk.ui.tasks import run_task
from qpvdesk.userdata.messages import UserDataError
from qpvdesk.userdata.views import local_uid
from qpvdesk.views import PartnerRow

IMPORT_FILTER = "Partenaires (*.csv *.json);;CSV (*.csv);;JSON (*.json)"
EXPORT_FILTERS = {"CSV pour Excel (*.csv)": "csv", "JSON (*.json)": "json"}
FILTER_DELAY_MS = 150  # typing fast filters once; Enter, clearing and a text set by the program filter at once


class PartnerTable(QTableView):
    """The name keeps the largest share of the width (a narrow panel showed « A… » for every partner); the other
    columns share the rest, each still resizable by hand."""

    NAME_SHARE = 0.42
    NARROW = 560  # below this width (the side panel of a 1024×768 window, projector mode) columns cut to « A… »
    DETAIL_COLUMNS = (2, 3, 4)  # programmes, territory, posts: in the row's tool tip and on its fiche when hidden

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        width = self.viewport().width()
        columns = self.model().columnCount() if self.model() is not None else 0
        if width <= 0 or columns < 2:
            return
        narrow = width < self.NARROW and columns > max(self.DETAIL_COLUMNS)
        for column in self.DETAIL_COLUMNS if columns > max(self.DETAIL_COLUMNS) else ():
            self.setColumnHidden(column, narrow)
        shown = [c for c in range(1, columns) if not self.isColumnHidden(c)]
        name = int(width * (0.6 if narrow else self.NAME_SHARE))
        self.setColumnWidth(0, name)
        for column in shown:
            self.setColumnWidth(column, (width - name) // len(shown))


class PartnerBrowser(QWidget):
    entity_activated = Signal(str)  # a catalogue id, or "local:<uuid>" for a local partner
    message = Signal(str)  # French status text ("3 partenaires importés…")
    local_partners_changed = Signal()  # after add / edit / delete / undo / import

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.user_data = None  # qpvdesk.userdata.store.UserData, set by set_user_data()
        self._deleted_uid: str | None = None
        self.model = PartnerTableModel(self)
        self.proxy = PartnerFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.filters = PartnerFilters()
        self.origin_combo, self.kind_combo = self.filters.origin_combo, self.filters.kind_combo
        self.programme_combo = self.filters.programme_combo
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filtrer les partenaires…")
        self.filter_edit.setAccessibleName("Filtrer les partenaires par texte")
        self.filter_edit.setClearButtonEnabled(True)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._typing = False  # textEdited (a key typed) comes just before textChanged

        self.table = PartnerTable()
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
        # the name takes the room left; long programme lists and territories are cut, their tool tip is whole
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # widths from the font, not ResizeToContents: that asks every one of 5,600 rows at each filter keystroke
        em = self.table.fontMetrics().horizontalAdvance("m")
        for column, width in ((1, 11), (2, 10), (3, 12), (4, 6), (ORIGIN_COLUMN, 10)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width * em)
        header.setMinimumSectionSize(3 * em)  # in a narrow panel the name keeps most of the width
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.count_label = QLabel()
        self.count_label.setWordWrap(True)  # « n partenaires affichés sur m, dont… » must not widen a narrow panel

        self.add_button = self._button("&Ajouter…", "Ajouter un partenaire local")
        self.edit_button = self._button("&Modifier…", "Modifier le partenaire local sélectionné")
        self.delete_button = self._button("&Supprimer", "Supprimer le partenaire local sélectionné (annulable)")
        self.import_button = self._button("&Importer…", "Importer des partenaires depuis un fichier CSV ou JSON (rapport avant import)")
        self.export_button = self._button("E&xporter…", "Exporter les partenaires locaux en CSV (Excel) ou JSON")
        self.link_button = self._button("&Relier à une structure…", "Relier le partenaire local sélectionné à une structure financée (SIRET ou nom)")
        self.export_view_button = self._button("Exporter la &vue…", "Exporter les lignes affichées (toutes origines) en CSV (Excel) ou JSON")
        self.undo_label = QLabel()
        self.undo_button = self._button("Annuler la suppression", "Annuler la suppression du partenaire local (Ctrl+Z)")
        self.undo_bar = QFrame()
        self.undo_bar.setFrameShape(QFrame.Shape.StyledPanel)
        undo_layout = QHBoxLayout(self.undo_bar)
        undo_layout.setContentsMargins(6, 2, 6, 2)
        undo_layout.addWidget(self.undo_label, 1)
        undo_layout.addWidget(self.undo_button)
        self.undo_bar.hide()

        # two rows of buttons: the tab stays usable in a narrow panel (1024×768, projector)
        actions = QGridLayout()
        local_label = QLabel("Vos partenaires :")
        actions.addWidget(local_label, 0, 0)
        buttons = (self.add_button, self.edit_button, self.delete_button, self.link_button, self.import_button,
                   self.export_button)
        for position, button in enumerate(buttons):
            actions.addWidget(button, position // 2, 1 + position % 2)
        actions.addWidget(self.export_view_button, 3, 1, 1, 2)
        actions.setColumnStretch(3, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.undo_bar)
        layout.addLayout(actions)
        layout.addWidget(self.count_label)

        delete_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.activated.connect(self.delete_selected)
        undo_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)
        undo_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        undo_key.activated.connect(self.undo_delete)
        self._connect_signals()
        self._update_buttons()

    def _button(self, text: str, accessible: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(accessible)
        button.setToolTip(accessible)
        return button

    def _connect_signals(self) -> None:
        self.filters.changed.connect(self._apply)
        self.export_view_button.clicked.connect(self.export_view_file)
        self.link_button.clicked.connect(lambda: link_selected(self))
        self.filter_edit.textEdited.connect(self._on_text_edited)
        self.filter_edit.textChanged.connect(self._on_text_changed)
        self.filter_edit.returnPressed.connect(self.apply_filter_now)
        self._filter_timer.timeout.connect(self.apply_filter_now)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.table.activated.connect(self._on_current)
        self.add_button.clicked.connect(self.add_partner)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_button.clicked.connect(self.undo_delete)
        self.import_button.clicked.connect(self.import_file)
        self.export_button.clicked.connect(self.export_file)

    # --- rows -------------------------------------------------------------------------

    def set_rows(self, rows: list[PartnerRow]) -> None:
        """The catalogue's partners."""
        self.model.set_rows(rows)
        self._rebuild_filters()

    def set_user_data(self, user_data) -> None:
        """The user's database is open: local partners appear, the buttons work."""
        self.user_data = user_data
        self.refresh_local()

    def refresh_local(self) -> None:
        if self.user_data is None:
            return
        refs = self.user_data.refs
        try:
            partners = self.user_data.list_partners()
        except Exception as exc:  # noqa: BLE001 - UserDataError or a disk error: French message, the table stays
            self._warn("Partenaires locaux illisibles", self._failure_text(exc, "Vos partenaires locaux n'ont pas pu être relus"))
            return
        self.model.set_local_partners(partners, refs.programme_name)
        self._rebuild_filters()

    def set_service(self, service) -> None:
        """The catalogue is loaded: its funded structures join the table (read on a worker thread)."""
        self.count_label.setText("Chargement des structures financées…")
        run_task(lambda: prepare_structures(service.organisations.browser_data()), self._structures_loaded,
                 lambda exc: self.message.emit(f"Structures financées illisibles : {french_reason(exc)}"))

    def _structures_loaded(self, prepared) -> None:
        if not shiboken6.isValid(self.model):
            return  # the window was closed while the structures were being read: nothing left to fill
        data, rows, search = prepared
        self.model.set_structures(rows, search)
        self._rebuild_filters(data)

    def _rebuild_filters(self, data=None) -> None:
        if data is not None:
            self.filters.rebuild(self.model.all_rows(), data.departements, data.regions, data.places)
        else:
            self.filters.rebuild(self.model.all_rows())
        self._apply(self.filters.rule())

    def _apply(self, rule) -> None:
        self.proxy.set_rule(rule)
        self._update_count()
        self._update_buttons()

    def _on_text_edited(self, _text: str) -> None:
        self._typing = True

    def _on_text_changed(self, text: str) -> None:
        typing, self._typing = self._typing, False
        if typing and text.strip():
            self._filter_timer.start()  # restarts: the filter runs once the typing pauses
        else:
            self.apply_filter_now()  # cleared, or set by the program (glossary link, tests…)

    def apply_filter_now(self) -> None:
        """Filter on the text typed so far, without waiting for the pause."""
        self._filter_timer.stop()
        self.proxy.set_text(self.filter_edit.text())
        self._update_count()
        self._update_buttons()  # the selected row may be hidden now

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        local, structures = self.model.local_count(), self.model.structure_count()
        parts = [f"{structures} structures financées (ANCT)"] if structures else []
        parts += [f"{local} ajouté(s) localement"] if local else []
        suffix = ", dont " + " et ".join(parts) if parts else ""
        self.count_label.setText(f"{shown} partenaire(s) affiché(s) sur {total}{suffix}")

    def _on_current(self, index) -> None:
        self._update_buttons()
        if index.isValid():
            entity_id = self.proxy.index(index.row(), 0).data(ENTITY_ID_ROLE)
            if entity_id:
                self.entity_activated.emit(entity_id)

    def selected_local_uid(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.proxy.index(index.row(), 0).data(LOCAL_ROLE):
            return None
        return local_uid(self.proxy.index(index.row(), 0).data(ENTITY_ID_ROLE))

    def _update_buttons(self) -> None:
        ready = self.user_data is not None
        local = ready and self.selected_local_uid() is not None
        for button in (self.add_button, self.import_button, self.export_button):
            button.setEnabled(ready)
        self.edit_button.setEnabled(local)
        self.delete_button.setEnabled(local)
        self.link_button.setEnabled(local and self.model.structure_count() > 0)

    def select_entity(self, entity_id: str) -> None:
        row = self.model.row_of(entity_id)
        index = self.proxy.mapFromSource(self.model.index(row, 0)) if row is not None else None
        if index is not None and index.isValid():  # not when the filters hide it
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)

    # --- add, edit, delete, undo ------------------------------------------------------

    def _warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)

    @staticmethod
    def _failure_text(exc: Exception, what: str) -> str:
        """UserDataError messages are French already; a disk or database error gets a French sentence."""
        return str(exc) if isinstance(exc, UserDataError) else f"{what} : {french_reason(exc)}"

    def add_partner(self) -> None:
        if self.user_data is None:
            return
        partner = self._ask_and_save(None, self.user_data.create_partner, "Le partenaire n'a pas été enregistré")
        if partner is not None:
            self._after_change(f"Partenaire « {partner.name} » ajouté.", partner.entity_id)

    def _ask_and_save(self, partner, save, failure: str):
        """The form, then the write; when the write fails, what was typed is offered again, not lost."""
        draft = None
        while True:
            fields = LocalPartnerDialog.ask(self, self.user_data.refs.programmes, self.user_data.validate, partner, draft)
            if fields is None:
                return None
            try:
                return save(fields)
            except Exception as exc:  # noqa: BLE001 - UserDataError or a disk error: French message
                answer = QMessageBox.warning(
                    self, "Partenaire non enregistré",
                    self._failure_text(exc, failure) + "\n\nRéessayer rouvre le formulaire avec votre saisie.",
                    QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Discard,
                    QMessageBox.StandardButton.Retry)
                if answer != QMessageBox.StandardButton.Retry:
                    return None
                draft = fields

    def edit_selected(self) -> None:
        uid = self.selected_local_uid()
        if self.user_data is None or uid is None:
            return
        try:
            partner = self.user_data.get_partner(uid)
        except Exception as exc:  # noqa: BLE001
            self._warn("Partenaire illisible", self._failure_text(exc, "Ce partenaire n'a pas pu être lu"))
            return
        if partner is None:
            self.refresh_local()
            return
        partner = self._ask_and_save(partner, lambda fields: self.user_data.update_partner(uid, fields),
                                     "Les modifications n'ont pas été enregistrées")
        if partner is None:
            return
        self._after_change(f"Partenaire « {partner.name} » modifié.", partner.entity_id)

    def delete_selected(self) -> None:
        uid = self.selected_local_uid()
        if self.user_data is None or uid is None:
            return
        try:
            partner = self.user_data.delete_partner(uid)
        except Exception as exc:  # noqa: BLE001
            self._warn("Suppression impossible", self._failure_text(exc, "Le partenaire n'a pas été supprimé"))
            return
        self.undo_label.setText(f"« {partner.name} » supprimé.")
        self._after_change(f"Partenaire « {partner.name} » supprimé (Ctrl+Z pour annuler).", None, undo_uid=uid)

    def undo_delete(self) -> None:
        if self.user_data is None or self._deleted_uid is None:
            return
        try:
            partner = self.user_data.undo_delete(self._deleted_uid)
        except Exception as exc:  # noqa: BLE001
            self._warn("Annulation impossible", self._failure_text(exc, "La suppression n'a pas pu être annulée"))
            return
        self._after_change(f"Partenaire « {partner.name} » rétabli.", partner.entity_id)

    def _after_change(self, message: str, select: str | None, undo_uid: str | None = None) -> None:
        self._deleted_uid = undo_uid  # only the last deletion can be undone, right after it
        self.undo_bar.setVisible(undo_uid is not None)
        self.refresh_local()
        if select:
            self.select_entity(select)
        self.message.emit(message)
        self.local_partners_changed.emit()

    # --- import, export (off the UI thread) -------------------------------------------

    def ask_open_path(self) -> str:
        return open_path(self, "Importer des partenaires", IMPORT_FILTER)

    def ask_link(self, partner_name: str, linked_name: str):
        return PartnerLinkDialog.ask(self, partner_name, self.model.all_rows(), linked_name)

    def ask_view_path(self) -> tuple[str, str]:
        return ask_view_path(self)

    def ask_save_path(self) -> tuple[str, str]:
        path, chosen = QFileDialog.getSaveFileName(self, "Exporter les partenaires locaux",
                                                   str(start_folder() / "partenaires-locaux.csv"), ";;".join(EXPORT_FILTERS))
        remember_folder(path)
        file_format = "json" if path.lower().endswith(".json") else EXPORT_FILTERS.get(chosen, "csv")
        return path, file_format

    def _busy(self, text: str | None) -> None:
        for button in (self.add_button, self.edit_button, self.delete_button, self.import_button, self.export_button):
            button.setEnabled(text is None)
        if text is None:
            self._update_buttons()
        else:
            self.count_label.setText(text)

    def import_file(self) -> None:
        """Your partners from a CSV or JSON file: a report first, nothing changed until confirmed."""
        import_local_file(self)

    def export_file(self) -> None:
        """Your partners (only yours) to CSV for Excel or JSON."""
        export_local_file(self)

    def export_view_file(self) -> None:
        """« Exporter la vue… »: the rows shown, in their order, whatever their origin."""
        export_view_file(self)
