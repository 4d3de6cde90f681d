"""« Exporter un dossier PDF… »: the trainer picks the title and the fiches (favourites, the fiche on screen and its
neighbours, or any ticked list), in the order they will be printed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from qpvdesk.ui.training_pack import DEFAULT_TITLE

ID_ROLE = Qt.ItemDataRole.UserRole


class PackDialog(QDialog):
    def __init__(self, candidates: list[tuple[str, str]], favourites: list[str], neighbourhood: list[str],
                 parent=None) -> None:
        """`candidates`: (id, name) offered, in order; `favourites`, `neighbourhood`: ids for the two presets."""
        super().__init__(parent)
        self.setWindowTitle("Exporter un dossier PDF")
        self.favourites, self.neighbourhood = favourites, neighbourhood
        self.title_edit = QLineEdit(DEFAULT_TITLE)
        self.title_edit.setAccessibleName("Titre de la page de garde")
        self.list = QListWidget()
        self.list.setAccessibleName("Fiches du dossier")
        for entity_id, name in candidates:
            item = QListWidgetItem(name)
            item.setData(ID_ROLE, entity_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.favourites_button = QPushButton(f"Mes favoris ({len(favourites)})")
        self.neighbours_button = QPushButton(f"Fiche affichée et ses voisines ({len(neighbourhood)})")
        self.none_button = QPushButton("Tout décocher")
        for button, ids in ((self.favourites_button, favourites), (self.neighbours_button, neighbourhood),
                            (self.none_button, [])):
            button.setAccessibleName(button.text())
            button.clicked.connect(lambda _=False, chosen=ids: self.tick(chosen))
        self.favourites_button.setEnabled(bool(favourites))
        self.neighbours_button.setEnabled(bool(neighbourhood))
        presets = QHBoxLayout()
        for button in (self.favourites_button, self.neighbours_button, self.none_button):
            presets.addWidget(button)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Exporter…")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.count_label = QLabel()
        form = QFormLayout()
        form.addRow("&Titre de la page de garde :", self.title_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Fiches du dossier (cochez, dans l'ordre d'impression) :"))
        layout.addLayout(presets)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.buttons)
        self.list.itemChanged.connect(self._update)
        self.tick(favourites or neighbourhood)
        self.resize(560, 520)

    def tick(self, ids: list[str]) -> None:
        wanted = set(ids)
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setCheckState(Qt.CheckState.Checked if item.data(ID_ROLE) in wanted else Qt.CheckState.Unchecked)
        self._update()

    def chosen_ids(self) -> list[str]:
        return [self.list.item(r).data(ID_ROLE) for r in range(self.list.count())
                if self.list.item(r).checkState() == Qt.CheckState.Checked]

    def title(self) -> str:
        return self.title_edit.text().strip() or DEFAULT_TITLE

    def _update(self, *_args) -> None:
        count = len(self.chosen_ids())
        self.count_label.setText(f"{count} fiche(s) cochée(s)" if count else "Aucune fiche cochée : cochez au moins une fiche.")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(count > 0)
