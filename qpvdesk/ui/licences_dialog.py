"""« Aide › Licences » : the licences of qpvdesk, its data and every component it ships, with their full texts.

The list comes from licences/index.json (component, licence, file), written at build time by
packaging/licences.py from what the bundle really holds; a source checkout shows resources/licences/.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from qpvdesk.paths import licences_dir

INTRO = (
    "qpvdesk est distribué sous licence MIT. Il embarque Qt et PySide6 (LGPL-3.0, bibliothèques partagées "
    "séparées que vous pouvez remplacer), Python et les bibliothèques ci-dessous, chacune sous sa licence. "
    "Les données territoriales sont sous Licence Ouverte 2.0 ; leurs producteurs et dates sont cités dans "
    "« À propos des données »."
)


def read_tsv(path: Path) -> list[dict]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if not line.startswith("#") and len(fields) == 3:
            rows.append(dict(zip(("component", "licence", "file"), fields)))
    return rows


def read_index(folder: Path) -> tuple[list[dict], str | None]:
    """(entries, None), or ([], a French reason) when the texts are missing or the index unreadable.
    The bundle has index.json (written at build time); a source checkout has resources/licences/index.tsv."""
    path = folder / "index.json"
    try:
        if not path.is_file() and (folder / "index.tsv").is_file():
            return read_tsv(folder / "index.tsv"), None
        entries = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [], f"Textes de licence introuvables (dossier {folder}). Réinstallez qpvdesk."
    except (OSError, ValueError) as exc:
        return [], f"Liste des licences illisible ({path} : {exc})."
    return [e for e in entries if isinstance(e, dict) and {"component", "licence", "file"} <= e.keys()], None


def read_text(folder: Path, name: str) -> str:
    try:
        return (folder / Path(name).name).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"Texte introuvable : {folder / name} ({exc.strerror or exc})."


class LicencesDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, folder: Path | None = None) -> None:
        super().__init__(parent)
        self.folder = folder or licences_dir()
        self.setWindowTitle("Licences")
        self.setAccessibleName("Licences")
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Composants et leurs licences")
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Texte de la licence")
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(self.text)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([380, 580])  # room for « libxcb-cursor.so.0 (paquet Debian …) »
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)

        entries, problem = read_index(self.folder)
        for entry in entries:
            item = QListWidgetItem(f"{entry['component']} — {entry['licence']}")
            item.setData(Qt.ItemDataRole.UserRole, entry["file"])
            item.setToolTip(item.text())
            self.list.addItem(item)
        self.list.currentItemChanged.connect(self._show)
        if problem:
            self.text.setPlainText(problem)
        elif entries:
            self.list.setCurrentRow(0)
        self.resize(960, 600)

    def _show(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.text.setPlainText(read_text(self.folder, item.data(Qt.ItemDataRole.UserRole)))


def show(parent: QWidget) -> LicencesDialog:
    """Opens the dialog window-modal without blocking (like the other Aide dialogs' boxes)."""
    dialog = LicencesDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
