"""F1: the list of keyboard shortcuts, read from the window's own actions (never out of date)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout

EXTRA = [
    ("Entrée (dans la recherche)", "Ouvrir le premier résultat"),
    ("↑ / ↓ (ouverture rapide)", "Choisir un résultat"),
    ("Échap (ouverture rapide)", "Fermer"),
    ("Boutons précédent/suivant de la souris", "Fiche précédente / suivante"),
]


def action_keys(action) -> str:
    """« Ctrl+K ou Ctrl+F »: every key of the action, as this platform writes them."""
    keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()]
    return " ou ".join(keys)


def natural_label(action) -> str:
    """« Quitter (Ctrl+Q) »: what the action does first, then its keys (tooltips, screen readers)."""
    text = action.text().replace("&", "").strip(" …").replace("← ", "").replace(" →", "")
    keys = action_keys(action)
    return f"{text} ({keys})" if keys else text


def shortcut_rows(actions) -> list[tuple[str, str]]:
    """(action, keys) rows: the action first, as a sentence reads (« Quitter » — « Ctrl+Q »)."""
    rows = [(action.text().replace("&", ""), action_keys(action)) for action in actions if action_keys(action)]
    return rows + [(what, keys) for keys, what in EXTRA]


class ShortcutsDialog(QDialog):
    def __init__(self, actions, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Raccourcis clavier")
        self.setAccessibleName("Raccourcis clavier")
        rows = shortcut_rows(actions)
        table = QTableWidget(len(rows), 2)
        table.setAccessibleName("Liste des raccourcis clavier")
        table.setHorizontalHeaderLabels(["Action", "Touches"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (label, keys) in enumerate(rows):
            for column, text in enumerate((label, keys)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{label} ({keys})")  # read as one phrase
                table.setItem(row, column, item)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.table = table
        self.resize(560, 460)
