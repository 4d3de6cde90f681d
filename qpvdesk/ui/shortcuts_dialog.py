"""F1: the list of keyboard shortcuts, read from the window's own actions (never out of date)."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout

EXTRA = [
    ("Entrée (dans la recherche)", "Ouvrir le premier résultat"),
    ("↑ / ↓ (ouverture rapide)", "Choisir un résultat"),
    ("Échap (ouverture rapide)", "Fermer"),
    ("Boutons précédent/suivant de la souris", "Fiche précédente / suivante"),
]


def shortcut_rows(actions) -> list[tuple[str, str]]:
    rows = []
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()]
        if keys:
            rows.append((" ou ".join(keys), action.text().replace("&", "")))
    return rows + EXTRA


class ShortcutsDialog(QDialog):
    def __init__(self, actions, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Raccourcis clavier")
        self.setAccessibleName("Raccourcis clavier")
        rows = shortcut_rows(actions)
        table = QTableWidget(len(rows), 2)
        table.setAccessibleName("Liste des raccourcis clavier")
        table.setHorizontalHeaderLabels(["Touches", "Action"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, label) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(label))
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.table = table
        self.resize(560, 460)
