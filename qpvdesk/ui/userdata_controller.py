"""The user's own database in the window: opening it (or saying why it could not be), backups, and its share
of fiches (a local partner's fiche, « Vos partenaires locaux » on a place) and of search results.

It receives what it works with (the dialogs' parent, the partners tab, the favourites and notes controller)
instead of reading the window's attributes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from qpvdesk.errors import UserDataError, french_reason
from qpvdesk.ui.file_dialogs import save_path
from qpvdesk.userdata.fiche import team_notes_html
from qpvdesk.userdata.hits import note_hits, team_note_hits

if TYPE_CHECKING:  # the objects the window is given; their modules are never imported by the window
    from qpvdesk.service import CatalogueService
    from qpvdesk.userdata.store import UserData


class UserDataController(QObject):
    message = Signal(str, int)  # status-bar text, milliseconds
    fiche_changed = Signal()  # what a fiche on screen shows of the user's data changed: show it again
    restored = Signal()  # a backup replaced the data: the note on screen comes from it too

    def __init__(self, parent: QWidget, partner_browser, personal) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.partner_browser = partner_browser
        self.personal = personal
        self.service: CatalogueService | None = None  # once loaded (set_service)
        self.user_data: UserData | None = None  # once open
        self.error: str | None = None  # French reason when it could not be opened
        self.hide_private = False  # projector mode: no « Vos partenaires locaux », no note in search results
        self.shown_team_notes: dict[str, str] = {}  # fiche -> the team notes section it was last shown with
        self.dialog: QMessageBox | None = None  # the last message shown (kept so tests and users can read it)
        self.restore_backup_action = QAction("Restaurer une sauvegarde…", parent)
        self.restore_backup_action.setToolTip("Revenir à une copie de vos données (partenaires locaux, favoris, notes)")
        self.save_copy_action = QAction("Enregistrer une copie de mes données…", parent)
        self.save_copy_action.setToolTip("Copier vos données dans un fichier (clé USB, dossier partagé…)")
        for action in (self.restore_backup_action, self.save_copy_action):
            action.setEnabled(False)
        self.restore_backup_action.triggered.connect(self.restore_backup)
        self.save_copy_action.triggered.connect(self.save_data_copy)
        partner_browser.local_partners_changed.connect(self.fiche_changed)

    def set_service(self, service) -> None:
        self.service = service

    def install(self, user_data, names: dict[str, str]) -> bool:
        """The user database is open (or failed to open: then `user_data` is the exception, shown in French).
        `names`: the catalogue's fiche names, for favourites and notes."""
        if isinstance(user_data, BaseException):
            text = str(user_data) if isinstance(user_data, UserDataError) else (
                f"Vos données personnelles n'ont pas pu être ouvertes : {french_reason(user_data)}")
            self.error = text
            self._show_message("Vos données personnelles sont indisponibles", text, QMessageBox.Icon.Critical)
            return False
        self.user_data = user_data
        self.partner_browser.set_user_data(user_data)
        self.personal.set_user_data(user_data, names)
        for action in (self.restore_backup_action, self.save_copy_action):
            action.setEnabled(True)
        if user_data.startup.messages:  # a damaged database was recovered, or the data was upgraded
            icon = QMessageBox.Icon.Warning if user_data.startup.recovered else QMessageBox.Icon.Information
            self._show_message("Vos données", "\n\n".join(user_data.startup.messages), icon)
        return True

    def _show_message(self, title: str, text: str, icon) -> None:
        # window-modal but not blocking: the loading (and --smoke) go on while it is shown
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.parent_widget)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.dialog = box

    # --- fiches and search ------------------------------------------------------------------

    def fiche_html(self, entity_id: str, for_print: bool = False, closing_sections=()) -> str | None:
        """A fiche with the user's own share: a local partner's fiche, or a catalogue fiche with « Vos partenaires
        locaux » of its place (on screen only: printed fiches carry no one's private contacts). In a team, the
        other members' shared notes close it, on screen only (never on paper nor on a projector)."""
        if not for_print and not self.hide_private:
            team = self.shown_team_notes[entity_id] = self._team_notes_html(entity_id)
            closing_sections = [*closing_sections, team] if team else closing_sections
        if entity_id.startswith("local:"):
            if self.user_data is None:
                return None
            return self.user_data.fiche_html(entity_id, for_print, closing_sections)
        if self.service is None:  # still loading: nothing to show yet
            return None
        data = self.user_data
        local = ""
        if data is not None and not for_print and not self.hide_private:
            local = data.territory_partners_html(self.service, entity_id) or data.organisation_partners_html(entity_id)
        return self.service.fiche_html(entity_id, for_print, [local] if local else (), closing_sections)

    def team_notes_changed(self, entity_id: str | None) -> bool:
        """After a sync: the team's notes on this fiche differ from those it shows (it is worth showing again)."""
        if entity_id is None or self.hide_private or entity_id not in self.shown_team_notes:
            return False
        return self._team_notes_html(entity_id) != self.shown_team_notes[entity_id]

    def _team_notes_html(self, entity_id: str) -> str:
        """« Notes partagées par l'équipe » as last received ("" solo, none, or unreadable: the fiche still shows)."""
        if self.user_data is None or not self.personal.in_team:
            return ""
        try:
            return team_notes_html(self.user_data.team.shared_notes(entity_id))
        except Exception:  # noqa: BLE001 - a damaged team table must not take the fiche with it
            return ""

    def personal_hits(self, query: str) -> list:
        """Runs on the search worker: local partners and personal notes matching the query."""
        user_data = self.user_data
        if user_data is None:
            return []
        hits = user_data.search_hits(query)
        if self.hide_private:  # projector mode: a note's text never reaches the wall through a search snippet
            return hits
        hits += note_hits(user_data.search_notes(query, 20), self.personal.names, query)
        if self.personal.in_team:  # the team's knowledge: the other members' shared notes, said to be theirs
            hits += team_note_hits(user_data.team.shared_notes(), self.personal.name_of, query)
        return hits

    # --- backups ----------------------------------------------------------------------------

    def restore_backup(self) -> None:
        from qpvdesk.ui.userdata_dialogs import RestoreBackupDialog

        if self.user_data is None:
            return
        path = RestoreBackupDialog.ask(self.parent_widget, self.user_data.list_backups(), self.user_data.backups_dir)
        if path is None:
            return
        try:
            message = self.user_data.restore_backup(path)
        except Exception as exc:  # noqa: BLE001 - UserDataError (French) or a disk error
            QMessageBox.warning(self.parent_widget, "Restauration impossible", french_reason(exc))
            return
        self.partner_browser.refresh_local()
        self.personal.refresh()  # favourites and the note on screen come from the restored copy too
        self.fiche_changed.emit()
        self.restored.emit()
        QMessageBox.information(self.parent_widget, "Sauvegarde restaurée", message)

    def save_data_copy(self) -> None:
        if self.user_data is None:
            return
        path = save_path(self.parent_widget, "Enregistrer une copie de mes données", "qpvdesk-mes-donnees.sqlite",
                         "Sauvegarde qpvdesk (*.sqlite)")
        if not path:
            return
        try:
            self.user_data.backup_now(Path(path))
        except Exception as exc:  # noqa: BLE001
            QMessageBox.warning(self.parent_widget, "Copie impossible", f"La copie n'a pas pu être écrite : {french_reason(exc)}")
            return
        self.message.emit(f"Copie de vos données enregistrée : {path}", 8000)
