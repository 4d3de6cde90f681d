"""Personal notes under the fiche: saved as you type (debounced), never in the read-only catalogue."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTime, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

SAVE_DELAY_MS = 600
SOLO_PLACEHOLDER = "Vos notes : contacts, décisions de réunion… Elles restent sur cet ordinateur."
TEAM_PLACEHOLDER = "Vos notes : contacts, décisions de réunion… Privées, sauf si vous cochez « Partagée avec l'équipe »."
SOLO_TITLE = "Mes notes sur cette fiche (enregistrées sur cet ordinateur) :"
TEAM_TITLE = "Mes notes sur cette fiche (sur cet ordinateur et, pour vous seul, sur le serveur de l'équipe) :"
SHARED_HINT = "— les membres de votre équipe la lisent, avec votre nom, dès la synchronisation suivante."
PRIVATE_HINT = "— privée : aucun autre membre de l'équipe ne peut la lire."


class NotesEditor(QWidget):
    save_requested = Signal(str, str)  # entity id, text
    team_notes_requested = Signal()  # « voir en fin de fiche »: the other members' shared notes

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = QLabel(SOLO_TITLE)
        self.title.setWordWrap(True)  # a narrow fiche column must not widen the window
        self.edit = QPlainTextEdit()
        self.edit.setAccessibleName("Mes notes sur cette fiche")
        self.edit.setPlaceholderText(SOLO_PLACEHOLDER)
        # in a team only: the author decides, note by note, whether the team reads it (issue 21)
        self.share_box = QCheckBox("Partagée avec l'é&quipe")  # Alt+Q: Alt+P is the partner filters' « Programme »
        self.share_box.setAccessibleName("Note partagée avec l'équipe")
        self.share_hint = QLabel(PRIVATE_HINT)
        self.share_hint.setWordWrap(True)
        self.share_box.toggled.connect(self._share_toggled)
        self.team_link = QLabel("")  # « 2 notes de l'équipe sur cette fiche — voir en fin de fiche »
        self.team_link.setWordWrap(True)
        self.team_link.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                               | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.team_link.linkActivated.connect(lambda _link: self.team_notes_requested.emit())
        self.team_link.hide()
        self.status = QLabel("")
        self.title.setBuddy(self.edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.edit, 1)
        share_row = QHBoxLayout()  # one line: the fiche above keeps its height on a small screen
        share_row.addWidget(self.share_box)
        share_row.addWidget(self.share_hint, 1)
        layout.addLayout(share_row)
        layout.addWidget(self.team_link)
        layout.addWidget(self.status)
        self.set_team(False)
        self._entity_id: str | None = None
        self._dirty = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.edit.textChanged.connect(self._changed)
        self.setEnabled(False)

    def set_team(self, joined: bool) -> None:
        """The sharing checkbox and its explanation show only when a team is joined."""
        self.share_box.setVisible(joined)
        self.share_hint.setVisible(joined)
        self.edit.setPlaceholderText(TEAM_PLACEHOLDER if joined else SOLO_PLACEHOLDER)
        self.title.setText(TEAM_TITLE if joined else SOLO_TITLE)
        if not joined:
            self._set_shared(False)
            self.show_team_notes(0)

    def show_team_notes(self, count: int) -> None:
        """How many notes the other members shared on this fiche (they close the fiche, far below)."""
        if count:
            several = f"{count} notes de l'équipe" if count > 1 else "1 note de l'équipe"
            self.team_link.setText(f'{several} sur cette fiche — <a href="#">voir en fin de fiche</a>')
            self.team_link.setAccessibleName(f"{several} sur cette fiche : voir en fin de fiche")
        self.team_link.setVisible(bool(count))

    def in_team(self) -> bool:
        return not self.share_box.isHidden()

    def shared(self) -> bool:
        """The note on screen is to be shared with the team (always False when no team is joined)."""
        return self.in_team() and self.share_box.isChecked()

    def _set_shared(self, shared: bool) -> None:
        self.share_box.blockSignals(True)
        self.share_box.setChecked(shared)
        self.share_box.blockSignals(False)
        self._show_share_hint()

    def _show_share_hint(self) -> None:
        hint = SHARED_HINT if self.share_box.isChecked() else PRIVATE_HINT
        self.share_hint.setText(hint)
        self.share_box.setAccessibleDescription(hint.removeprefix("— "))

    def _share_toggled(self, _checked: bool) -> None:
        """Saved at once through the same path as the text (and so queued for the next sync)."""
        self._show_share_hint()
        if self._entity_id is not None:
            self._dirty = True
            self.flush()

    def show_note(self, entity_id: str | None, text: str, unsaved: bool = False, shared: bool = False) -> None:
        """Switch to another fiche: the pending text of the previous one is saved first.

        `unsaved`: the text is not on disk yet (a save is running, or failed and will be retried);
        `shared`: the note is marked « partagée avec l'équipe ».
        """
        self.flush()
        self._entity_id = entity_id
        self.edit.blockSignals(True)
        self.edit.setPlainText(text)
        self.edit.blockSignals(False)
        self._set_shared(shared)
        self._dirty = unsaved and entity_id is not None
        self.status.setText("Pas encore enregistré." if self._dirty else "")
        self.setEnabled(entity_id is not None)

    def _changed(self) -> None:
        if self._entity_id is not None:
            self._dirty = True
            self.status.setText("Modification en cours…")
            self._timer.start()

    def flush(self) -> None:
        """Hand the typed text over for saving now (on leaving the fiche, closing, or after a pause)."""
        self._timer.stop()
        if self._dirty and self._entity_id is not None:
            self._dirty = False
            self.status.setText("Enregistrement…")
            self.save_requested.emit(self._entity_id, self.edit.toPlainText())

    def save_finished(self, entity_id: str, text: str, ok: bool, message: str) -> None:
        """Only the save of the text on screen speaks: older saves and other fiches stay quiet."""
        if entity_id != self._entity_id or self._dirty or text != self.edit.toPlainText():
            return
        if ok:
            self.status.setText(f"Enregistré à {QTime.currentTime().toString('HH:mm:ss')}")
        else:
            self._dirty = True  # tried again on the next pause, fiche change or closing
            self.status.setText(f"Non enregistré : {message}")
