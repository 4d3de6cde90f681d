"""Personal notes under the fiche: saved as you type (debounced), never in the read-only catalogue."""

from __future__ import annotations

from PySide6.QtCore import QTime, QTimer, Signal
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

SAVE_DELAY_MS = 600


class NotesEditor(QWidget):
    save_requested = Signal(str, str)  # entity id, text

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = QLabel("Mes notes sur cette fiche (enregistrées sur cet ordinateur) :")
        self.edit = QPlainTextEdit()
        self.edit.setAccessibleName("Mes notes sur cette fiche")
        self.edit.setPlaceholderText("Vos notes : contacts, décisions de réunion… Elles restent sur cet ordinateur.")
        self.status = QLabel("")
        self.title.setBuddy(self.edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.status)
        self._entity_id: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.edit.textChanged.connect(self._changed)
        self.setEnabled(False)

    def show_note(self, entity_id: str | None, text: str) -> None:
        """Switch to another fiche: the pending text of the previous one is saved first."""
        self.flush()
        self._entity_id = entity_id
        self.edit.blockSignals(True)
        self.edit.setPlainText(text)
        self.edit.blockSignals(False)
        self.status.setText("")
        self.setEnabled(entity_id is not None)

    def _changed(self) -> None:
        if self._entity_id is not None:
            self.status.setText("Modification en cours…")
            self._timer.start()

    def flush(self) -> None:
        if self._timer.isActive() or self.status.text() == "Modification en cours…":
            self._timer.stop()
            if self._entity_id is not None:
                self.save_requested.emit(self._entity_id, self.edit.toPlainText())

    def saved(self, ok: bool, message: str = "") -> None:
        self.status.setText(f"Enregistré à {QTime.currentTime().toString('HH:mm:ss')}" if ok else f"Non enregistré : {message}")
