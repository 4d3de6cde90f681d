"""Partner browser: a sortable table with filters by origin, type, programme and text, and the
buttons to add, edit, delete (with undo), import and export the user's local partners."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
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
from qpvdesk.ui.import_progress import run_with_progress
from qpvdesk.ui.local_partner_dialog import LocalPartnerDialog
from qpvdesk.ui.partner_model import PartnerFilterProxy, PartnerTableModel
from qpvdesk.ui.roles import ENTITY_ID_ROLE, LOCAL_ROLE
from qpvdesk.ui.tasks import run_task
from qpvdesk.ui.userdata_dialogs import ImportReportDialog
from qpvdesk.userdata import exchange
from qpvdesk.userdata.messages import Msg, UserDataError
from qpvdesk.userdata.views import local_uid
from qpvdesk.views import PartnerRow

IMPORT_FILTER = "Partenaires (*.csv *.json);;CSV (*.csv);;JSON (*.json)"
EXPORT_FILTERS = {"CSV pour Excel (*.csv)": "csv", "JSON (*.json)": "json"}
FILTER_DELAY_MS = 150  # typing fast filters once; Enter, clearing and a text set by the program filter at once


class PartnerTable(QTableView):
    """The name keeps the largest share of the width (a narrow panel showed « A… » for every partner); the other
    columns share the rest, each still resizable by hand."""

    NAME_SHARE = 0.42

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        width = self.viewport().width()
        columns = self.model().columnCount() if self.model() is not None else 0
        if width <= 0 or columns < 2:
            return
        name = int(width * self.NAME_SHARE)
        self.setColumnWidth(0, name)
        for column in range(1, columns):
            self.setColumnWidth(column, (width - name) // (columns - 1))


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

        self.origin_combo = QComboBox()
        self.origin_combo.setAccessibleName("Filtrer les partenaires par origine")
        for label, key in (("Toutes", ""), ("Catalogue", "catalogue"), ("Ajoutés localement", "local")):
            self.origin_combo.addItem(label, key)
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName("Filtrer les partenaires par type")
        for combo in (self.origin_combo, self.kind_combo):  # never cut to « Tous le » nor wider than the panel
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(9)
        self.programme_combo = QComboBox()
        self.programme_combo.setAccessibleName("Filtrer les partenaires par programme")
        # long programme names must not squeeze the other filters: the list itself stays wide enough
        self.programme_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.programme_combo.setMinimumContentsLength(24)
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
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.count_label = QLabel()

        self.add_button = self._button("&Ajouter…", "Ajouter un partenaire local")
        self.edit_button = self._button("&Modifier…", "Modifier le partenaire local sélectionné")
        self.delete_button = self._button("&Supprimer", "Supprimer le partenaire local sélectionné (annulable)")
        self.import_button = self._button("&Importer…", "Importer des partenaires depuis un fichier CSV ou JSON (rapport avant import)")
        self.export_button = self._button("E&xporter…", "Exporter les partenaires locaux en CSV (Excel) ou JSON")
        self.undo_label = QLabel()
        self.undo_button = self._button("Annuler la suppression", "Annuler la suppression du partenaire local (Ctrl+Z)")
        self.undo_bar = QFrame()
        self.undo_bar.setFrameShape(QFrame.Shape.StyledPanel)
        undo_layout = QHBoxLayout(self.undo_bar)
        undo_layout.setContentsMargins(6, 2, 6, 2)
        undo_layout.addWidget(self.undo_label, 1)
        undo_layout.addWidget(self.undo_button)
        self.undo_bar.hide()

        # two rows of filters and two rows of buttons: the tab stays usable in a narrow panel (1024×768, projector)
        filters = QGridLayout()
        origin_label = QLabel("&Origine :")
        origin_label.setBuddy(self.origin_combo)
        type_label = QLabel("&Type :")
        type_label.setBuddy(self.kind_combo)
        programme_label = QLabel("&Programme :")
        programme_label.setBuddy(self.programme_combo)
        for column, (label, combo) in enumerate(((origin_label, self.origin_combo), (type_label, self.kind_combo))):
            filters.addWidget(label, 0, 2 * column)
            filters.addWidget(combo, 0, 2 * column + 1)
        filters.addWidget(programme_label, 1, 0)
        filters.addWidget(self.programme_combo, 1, 1, 1, 3)
        filters.setColumnStretch(1, 1)
        filters.setColumnStretch(3, 1)
        actions = QGridLayout()
        local_label = QLabel("Vos partenaires :")
        actions.addWidget(local_label, 0, 0)
        buttons = (self.add_button, self.edit_button, self.delete_button, self.import_button, self.export_button)
        for position, button in enumerate(buttons):
            actions.addWidget(button, position // 3, 1 + position % 3)
        actions.setColumnStretch(4, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
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
        self.origin_combo.currentIndexChanged.connect(lambda: self._apply(self.proxy.set_origin, self.origin_combo))
        self.kind_combo.currentIndexChanged.connect(lambda: self._apply(self.proxy.set_kind, self.kind_combo))
        self.programme_combo.currentIndexChanged.connect(lambda: self._apply(self.proxy.set_programme, self.programme_combo))
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

    def _rebuild_filters(self) -> None:
        rows = self.model.all_rows()
        for combo, first, items in (
            (self.kind_combo, "Tous les types", sorted({(r.kind, r.kind_label) for r in rows}, key=lambda k: k[1])),
            (self.programme_combo, "Tous les programmes",
             sorted({p for r in rows for p in r.programmes}, key=lambda p: p[1].casefold())),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first, "")
            for key, label in items:
                combo.addItem(label, key)
            combo.setCurrentIndex(max(combo.findData(current), 0) if current else 0)
            combo.blockSignals(False)
        self._update_count()
        self._update_buttons()

    def _apply(self, setter, combo: QComboBox) -> None:
        setter(combo.currentData())
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
        local = self.model.local_count()
        suffix = f", dont {local} ajouté(s) localement" if local else ""
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
        """The report of a dry run first; then the import, with progress and « Annuler » (rolled back)."""
        if self.user_data is None:
            return
        path = self.ask_open_path()
        if not path:
            return
        user_data = self.user_data
        self._busy("Lecture du fichier… (rien n'est encore modifié)")
        title = "Import des partenaires"

        def preview_done(report) -> None:
            self._busy(None)
            self._update_count()
            if not ImportReportDialog.ask(self, report):
                self.message.emit(Msg.CANCELLED)
                return
            self._busy("Import en cours…")
            run_with_progress(self, title, "Import en cours…",
                              lambda progress: user_data.import_partners(path, dry_run=False, progress=progress),
                              applied, failed)

        def applied(report) -> None:
            self._busy(None)
            if report.file_error == Msg.CANCELLED:
                self._update_count()
                self.message.emit(Msg.CANCELLED)
                return
            if not report.ok:
                self._warn("Import refusé", report.summary())
            self._after_change(f"Import terminé : {report.summary(max_details=1)}", None)

        def failed(exc: BaseException) -> None:
            self._busy(None)
            self._update_count()
            self._warn("Import impossible", f"Rien n'a été modifié : {french_reason(exc)}")

        def preview_cancelled() -> None:
            self._busy(None)
            self._update_count()
            self.message.emit(Msg.CANCELLED)

        run_with_progress(self, title, "Lecture du fichier… (rien n'est encore modifié)",
                          lambda progress: user_data.import_partners(path, dry_run=True), preview_done, failed,
                          on_cancelled=preview_cancelled)

    def export_file(self) -> None:
        if self.user_data is None:
            return
        path, file_format = self.ask_save_path()
        if not path:
            return
        if Path(path).suffix.lower() not in ("", ".csv", ".txt", ".json"):  # CSV under « .xlsx » would not open
            self._warn("Export impossible", Msg.EXPORT_FORMAT.format(suffix=Path(path).suffix))
            return
        user_data = self.user_data
        self._busy("Export en cours…")

        def done(count: int) -> None:
            self._busy(None)
            self._update_count()
            self.message.emit(f"{count} partenaire(s) local(aux) exporté(s) dans {Path(path).name}.")
            if count > exchange.MAX_ROWS:
                self._warn("Export terminé", Msg.EXPORT_OVER_IMPORT_LIMIT.format(limit=exchange.MAX_ROWS))

        def failed(exc: BaseException) -> None:
            self._busy(None)
            self._update_count()
            self._warn("Export impossible", f"Le fichier n'a pas pu être écrit : {french_reason(exc)}")

        run_task(lambda: user_data.export_partners(path, file_format), done, failed)
