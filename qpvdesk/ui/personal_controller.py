"""Favourites and personal notes: the panels, their actions, and their share of search results.

Everything is stored in the user database (qpvdesk.userdata), never in the read-only catalogue.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox, QWidget

from qpvdesk.errors import french_reason
from qpvdesk.french import plural
from qpvdesk.ui.favourites_panel import FavouritesPanel
from qpvdesk.ui.file_dialogs import open_path, save_path
from qpvdesk.ui.import_progress import run_with_progress
from qpvdesk.ui.note_saver import NoteSaver
from qpvdesk.ui.notes_editor import NotesEditor
from qpvdesk.updates.removed import orphan_title
from qpvdesk.userdata.messages import Msg

if TYPE_CHECKING:  # the object the window is given; its module is never imported by the window
    from qpvdesk.userdata.store import UserData


class PersonalController(QObject):
    open_requested = Signal(str)
    message = Signal(str)
    pdf_requested = Signal(list, str)  # fiche ids, suggested file name: the favourites as one PDF (trainer's pack)

    def __init__(self, window: QWidget) -> None:
        """`window`: the parent of the dialogs and of the actions (the shortcuts dialog lists them)."""
        super().__init__(window)
        self.window = window
        self.user_data: UserData | None = None
        self.names: dict[str, str] = {}
        self.panel = FavouritesPanel()
        self.notes = NotesEditor()
        self.toggle_action = QAction("☆ Ajouter aux favoris", window)
        self.toggle_action.setCheckable(True)  # drawn pressed, with a full star, on a favourite fiche
        self.toggle_action.setShortcut(QKeySequence("Ctrl+D"))
        self.toggle_action.setEnabled(False)
        self.toggle_action.triggered.connect(self.toggle_current)
        self.panel.entity_activated.connect(self.open_requested)
        self.panel.remove_requested.connect(self.remove)
        self.panel.move_requested.connect(self.move)
        self.panel.export_requested.connect(self.export_favourites)
        self.panel.import_requested.connect(self.import_favourites)
        self.panel.pdf_requested.connect(self.export_pack)
        self.notes.save_requested.connect(self.save_note)
        self.export_notes_action = QAction("Exporter mes notes…", window)
        self.export_notes_action.setToolTip("Toutes vos notes dans un fichier JSON (autre poste, collègue)")
        self.import_notes_action = QAction("Importer des notes…", window)
        self.import_notes_action.setToolTip("Ajoute les notes d'un fichier : rien n'est écrasé, un rapport d'abord")
        for action in (self.export_notes_action, self.import_notes_action):
            action.setEnabled(False)
        self.export_notes_action.triggered.connect(self.export_notes)
        self.import_notes_action.triggered.connect(self.import_notes)
        self.note_saver = NoteSaver(self._write_note, self)
        self.note_saver.finished.connect(self.notes.save_finished)
        self.note_saver.finished.connect(self._note_save_finished)
        self._current: str | None = None
        self.in_team = False  # a team is joined: notes can be marked « partagée avec l'équipe »
        self._share_wanted: dict[str, bool] = {}  # fiche -> the sharing asked with its last save

    # --- set-up ---------------------------------------------------------------------------

    @property
    def data(self) -> UserData:
        """The open user database: the actions that use it are enabled only once it is set."""
        assert self.user_data is not None
        return self.user_data

    def set_user_data(self, user_data: UserData, names: dict[str, str]) -> None:
        self.user_data = user_data
        self.names = names
        for action in (self.export_notes_action, self.import_notes_action):
            action.setEnabled(True)
        self.refresh()
        self.in_team = self._joined()
        self.notes.set_team(self.in_team)
        self.entity_shown(self._current)

    def _joined(self) -> bool:
        try:
            return self.user_data is not None and self.user_data.team_joined()
        except Exception:  # noqa: BLE001 - unreadable team settings: the note stays private, as in solo use
            return False

    def team_changed(self) -> None:
        """After the team dialog or a sync: joined or left, the sharing checkbox follows and the note on screen is
        shown again; otherwise only the count of the team's notes is updated (the note being typed is left alone)."""
        joined = self._joined()
        if joined == self.in_team:
            self._show_team_count()
            return
        self.notes.flush()
        self.in_team = joined
        self.notes.set_team(joined)
        self.entity_shown(self._current)

    def _show_team_count(self) -> None:
        entity_id = self._current
        try:
            count = len(self.data.team.shared_notes(entity_id)) if entity_id and self.in_team else 0
        except Exception:  # noqa: BLE001 - a damaged team table: no count, the fiche and the note still show
            count = 0
        self.notes.show_team_notes(count)

    def name_of(self, entity_id: str) -> str:
        if entity_id in self.names:
            return self.names[entity_id]
        if self.user_data is not None and entity_id.startswith("local:"):
            partner = self.user_data.get_partner(entity_id.removeprefix("local:"))
            if partner:
                return f"{partner.name} (ajouté localement)"
        return orphan_title(entity_id) if self.names else entity_id

    def refresh(self) -> None:
        if self.user_data is None:
            return
        self.panel.set_favourites([(f.entity_id, self.name_of(f.entity_id)) for f in self.user_data.list_favourites()])
        self._update_toggle()

    # --- the fiche on screen ----------------------------------------------------------------

    def entity_shown(self, entity_id: str | None) -> None:
        self._current = entity_id
        if self.user_data is None:
            self.notes.show_note(None, "")
            self.toggle_action.setEnabled(False)
            return
        unsaved = self.note_saver.unsaved_text(entity_id) if entity_id else None
        if unsaved is not None:
            self.notes.show_note(entity_id, unsaved, unsaved=True, shared=self._share_wanted.get(entity_id or "", False))
        else:
            note = self.user_data.get_note(entity_id) if entity_id else None
            shared = bool(entity_id and note and self.in_team and self.user_data.team.note_shared(entity_id))
            self.notes.show_note(entity_id, note.text if note else "", shared=shared)
        self._show_team_count()
        self._update_toggle()

    def _update_toggle(self) -> None:
        current = self._current
        self.toggle_action.setEnabled(self.user_data is not None and current is not None)
        starred = bool(current and self.user_data and self.user_data.is_favourite(current))
        self.toggle_action.setChecked(starred)
        self.toggle_action.setText("★ Favori (retirer)" if starred else "☆ Ajouter aux favoris")

    def note_html(self, entity_id: str) -> str:
        """The personal note, for the printed fiche."""
        from html import escape

        if self.user_data is None:
            return ""
        text = self.note_saver.unsaved_text(entity_id)  # just typed: printed as seen, even if still saving
        if text is None:
            note = self.user_data.get_note(entity_id)
            text = note.text if note else ""
        if not text.strip():
            return ""
        return f"<h2>Mes notes (personnelles)</h2><p>{escape(text).replace(chr(10), '<br/>')}</p>"

    # --- actions ----------------------------------------------------------------------------

    def _attempt(self, title: str, action) -> bool:
        """A write to the user database: a refusal or a disk error becomes a French message, never a crash."""
        try:
            action()
        except Exception as exc:  # noqa: BLE001 - UserDataError (French), disk or database error
            QMessageBox.warning(self.window, title, french_reason(exc))
            self.refresh()
            return False
        return True

    def toggle_current(self) -> None:
        if self.user_data is None or self._current is None:
            return
        current = self._current
        if self.user_data.is_favourite(current):
            if self._attempt("Favori non retiré", lambda: self.user_data.remove_favourite(current)):
                self.message.emit("Fiche retirée des favoris.")
        elif self._attempt("Favori non ajouté", lambda: self.user_data.add_favourite(current)):
            self.message.emit("Fiche ajoutée aux favoris (onglet Favoris).")
        self.refresh()

    def remove(self, entity_id: str) -> None:
        if self._attempt("Favori non retiré", lambda: self.data.remove_favourite(entity_id)):
            self.refresh()

    def move(self, entity_id: str, step: int) -> None:
        ids = self.panel.ids()
        index = ids.index(entity_id)
        target = max(0, min(len(ids) - 1, index + step))
        if self._attempt("Favori non déplacé", lambda: self.data.move_favourite(entity_id, target)):
            self.refresh()

    def save_note(self, entity_id: str, text: str) -> None:
        """The editor hands a note over while it still shows it: its checkbox is that note's sharing."""
        if self.user_data is not None:
            if self.in_team:
                self._share_wanted[entity_id] = self.notes.shared()
            self.note_saver.save(entity_id, text)

    def _write_note(self, entity_id: str, text: str) -> object:
        """Runs on the saver's thread. In a team, the text and its sharing are written together (queued for the
        next sync by the database's triggers); in solo use, the text only."""
        shared = self._share_wanted.get(entity_id) if self.in_team else None
        if shared is None:
            return self.data.set_note(entity_id, text)
        return self.data.team.save_note(entity_id, text, shared)

    def _note_save_finished(self, entity_id: str, _text: str, ok: bool, message: str) -> None:
        if not ok and entity_id != self._current:  # the editor no longer shows it: say so elsewhere
            self.message.emit(f"La note sur « {self.name_of(entity_id)} » n'a pas pu être enregistrée : {message}")

    def save_notes_now(self) -> dict[str, tuple[str, str]]:
        """On closing: every typed note written before the window goes; returns the ones that failed."""
        self.notes.flush()
        if self.user_data is None:
            return {}
        return self.note_saver.flush_blocking()

    def may_close(self) -> bool:
        """On closing: every typed note is written first; if some could not be, say which and let the user stay
        to copy them (True: the window may close)."""
        unsaved = self.save_notes_now()
        if not unsaved:
            return True
        lines = [f"• {self.name_of(entity_id)} : {reason}" for entity_id, (_text, reason) in unsaved.items()]
        answer = QMessageBox.warning(
            self.window,
            "Notes non enregistrées",
            "Ces notes n'ont pas pu être enregistrées :\n"
            + "\n".join(lines)
            + "\n\nSi vous fermez maintenant, leur texte sera perdu. Annulez pour le copier ailleurs.",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def export_favourites(self) -> None:
        path = save_path(self.window, "Exporter les favoris", "favoris-qpvdesk.json", "Favoris qpvdesk (*.json)")
        if not path:
            return
        try:
            count = self.data.export_favourites(Path(path), {f: self.name_of(f) for f in self.panel.ids()})
        except Exception as exc:  # noqa: BLE001
            QMessageBox.warning(self.window, "Export impossible", f"Le fichier n'a pas pu être écrit : {french_reason(exc)}")
            return
        self.message.emit(f"{plural(count, 'favori exporté', 'favoris exportés')} dans {path}")

    def import_favourites(self) -> None:
        path = open_path(self.window, "Importer des favoris", "Favoris qpvdesk (*.json);;Tous les fichiers (*)")
        if not path:
            return
        user_data = self.data

        def imported(report) -> None:
            if report.file_error:
                QMessageBox.warning(self.window, "Import des favoris", report.summary() + "\n\nRien n'a été modifié.")
                return
            QMessageBox.information(self.window, "Import des favoris", report.summary())
            self.refresh()

        run_with_progress(self.window, "Import des favoris", "Import des favoris en cours…",
                          lambda progress: user_data.import_favourites(Path(path), progress=progress), imported,
                          lambda exc: QMessageBox.warning(self.window, "Import impossible", french_reason(exc)))

    def export_notes(self) -> None:
        path = save_path(self.window, "Exporter mes notes", "notes-qpvdesk.json", "Notes qpvdesk (*.json)")
        if not path:
            return
        self.save_notes_now()  # the note being typed goes too
        try:
            count = self.data.export_notes(Path(path))
        except Exception as exc:  # noqa: BLE001
            QMessageBox.warning(self.window, "Export impossible", f"Le fichier n'a pas pu être écrit : {french_reason(exc)}")
            return
        self.message.emit(f"{plural(count, 'note exportée', 'notes exportées')} dans {path}")

    def import_notes(self) -> None:
        """A dry run first: the user sees what would be added or completed, then confirms. Both run off
        the UI thread with a progress window; « Annuler » changes nothing."""
        path = open_path(self.window, "Importer des notes", "Notes qpvdesk (*.json);;Tous les fichiers (*)")
        if not path:
            return
        self.save_notes_now()
        user_data, title = self.data, "Import des notes"

        def failed(exc: BaseException) -> None:
            QMessageBox.warning(self.window, "Import impossible", f"{french_reason(exc)}\n\nRien n'a été modifié.")

        def previewed(preview) -> None:
            if preview.file_error:
                QMessageBox.warning(self.window, title, preview.summary() + "\n\nRien n'a été modifié.")
                return
            answer = QMessageBox.question(
                self.window,
                title,
                f"{preview.summary()}.\n\nAucune note n'est écrasée : un texte différent est ajouté sous le vôtre. Importer ?",
            )
            if answer == QMessageBox.StandardButton.Yes:
                run_with_progress(
                    self.window,
                    title,
                    "Import des notes en cours…",
                    lambda progress: user_data.import_notes(Path(path), progress=progress),
                    imported,
                    failed,
                )

        def imported(report) -> None:
            if report.file_error:  # cancelled in time: rolled back
                self.message.emit(report.file_error)
                return
            self.entity_shown(self._current)  # the note on screen may have been completed
            self.message.emit(f"Notes importées : {report.summary()}")

        run_with_progress(
            self.window,
            title,
            "Lecture du fichier… (rien n'est encore modifié)",
            lambda progress: user_data.import_notes(Path(path), dry_run=True),
            previewed,
            failed,
            on_cancelled=lambda: self.message.emit(Msg.CANCELLED),
        )

    def export_pack(self) -> None:
        """All favourites in one PDF: the trainer's pack."""
        ids = self.panel.ids()
        if ids:
            self.pdf_requested.emit(ids, "dossier-formation.pdf")
