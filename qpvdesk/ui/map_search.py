"""The search field of the « Carte » tab: commune, QPV (name or code), postcode or département.

The panel asks its `lookup_function` (the territory lookup, same answers as the Territoires tab) and
the controller zooms on and outlines what was found; the answer's sentence stays under the field.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QVBoxLayout


class MapSearchBox(QFrame):
    """searched(text): Enter was pressed on a non-empty text."""

    searched = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("map-search")
        self.setStyleSheet("QFrame#map-search { background: rgba(255,255,255,230); border: 1px solid #b0b0b0; "
                           "border-radius: 3px; }")
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Chercher : commune, QPV, code postal, département")
        self.edit.setAccessibleName("Chercher sur la carte")
        self.edit.setClearButtonEnabled(True)
        self.edit.setMinimumWidth(300)
        self.edit.returnPressed.connect(self._on_return)
        self.answer = QLabel()
        self.answer.setWordWrap(True)
        self.answer.setMaximumWidth(340)
        self.answer.setStyleSheet("color: #222; font-size: 8.5pt;")
        self.answer.setAccessibleName("Réponse de la recherche sur la carte")
        self.answer.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(3)
        layout.addWidget(self.edit)
        layout.addWidget(self.answer)

    def _on_return(self) -> None:
        text = self.edit.text().strip()
        if text:
            self.searched.emit(text)

    def show_answer(self, text: str) -> None:
        self.answer.setText(text)
        self.answer.setVisible(bool(text))
        self.adjustSize()
