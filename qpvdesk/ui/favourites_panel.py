"""Favourites: a side list keyed by stable ids, reorderable, shared by file, exported as a training pack."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from qpvdesk.ui.roles import ENTITY_ID_ROLE


class FavouritesPanel(QWidget):
    entity_activated = Signal(str)
    remove_requested = Signal(str)
    move_requested = Signal(str, int)  # entity id, step (-1 up, +1 down)
    export_requested = Signal()
    import_requested = Signal()
    pdf_requested = Signal()
    up_button: QPushButton  # the buttons, made in a loop in __init__
    down_button: QPushButton
    remove_button: QPushButton
    export_button: QPushButton
    import_button: QPushButton
    pdf_button: QPushButton

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setAccessibleName("Fiches favorites")
        self.hint = QLabel("Ajoutez la fiche affichée avec Ctrl+D ou le menu Favoris.")
        self.hint.setWordWrap(True)
        buttons = []
        for attr, text, name in (
            ("up_button", "Monter", "Monter le favori sélectionné"),
            ("down_button", "Descendre", "Descendre le favori sélectionné"),
            ("remove_button", "Retirer", "Retirer le favori sélectionné"),
            ("export_button", "Exporter…", "Exporter les favoris dans un fichier"),
            ("import_button", "Importer…", "Importer des favoris depuis un fichier"),
            ("pdf_button", "Dossier PDF…", "Exporter toutes les fiches favorites en un PDF"),
        ):
            button = QPushButton(text)
            button.setAccessibleName(name)
            button.setToolTip(name)
            setattr(self, attr, button)
            buttons.append(button)
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        for b in buttons[:3]:
            row1.addWidget(b)
        for b in buttons[3:]:
            row2.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        layout.addLayout(row1)
        layout.addLayout(row2)
        self.list.itemActivated.connect(lambda item: self.entity_activated.emit(item.data(ENTITY_ID_ROLE)))
        self.list.itemClicked.connect(lambda item: self.entity_activated.emit(item.data(ENTITY_ID_ROLE)))
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.remove_button.clicked.connect(self._remove)
        self.export_button.clicked.connect(self.export_requested)
        self.import_button.clicked.connect(self.import_requested)
        self.pdf_button.clicked.connect(self.pdf_requested)

    def set_favourites(self, entries: list[tuple[str, str]]) -> None:
        """entries: (entity id, display name) in the user's order."""
        current = self.selected_id()
        self.list.clear()
        for entity_id, name in entries:
            item = QListWidgetItem(f"★ {name}")
            item.setData(ENTITY_ID_ROLE, entity_id)
            self.list.addItem(item)
            if entity_id == current:
                self.list.setCurrentItem(item)
        self.hint.setVisible(not entries)
        for button in (self.up_button, self.down_button, self.remove_button, self.export_button, self.pdf_button):
            button.setEnabled(bool(entries))

    def selected_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(ENTITY_ID_ROLE) if item else None

    def ids(self) -> list[str]:
        return [self.list.item(i).data(ENTITY_ID_ROLE) for i in range(self.list.count())]

    def _move(self, step: int) -> None:
        entity_id = self.selected_id()
        if entity_id:
            self.move_requested.emit(entity_id, step)

    def _remove(self) -> None:
        entity_id = self.selected_id()
        if entity_id:
            self.remove_requested.emit(entity_id)
