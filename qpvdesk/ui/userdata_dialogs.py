"""Dialogs about the user's data: the import report (dry run first) and the choice of a backup to restore.

Each has an ask() classmethod that tests monkeypatch.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qpvdesk.french import plural
from qpvdesk.userdata.views import BackupInfo, ImportReport

MAX_DETAIL_LINES = 2000


class ImportReportDialog(QDialog):
    """Shows what an import WOULD do; nothing is written unless « Importer » is pressed."""

    def __init__(self, report: ImportReport, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Importer des partenaires — rapport")
        self.setMinimumSize(640, 420)
        name = html.escape(Path(report.path).name)  # a file named « <b>x</b>.csv » is shown as typed
        text = report.summary() if report.ok else report.file_error or ""
        summary = QLabel(f"<b>{'Fichier refusé' if not report.ok else 'Essai de l’import'} : {name}</b><br/>"
                         + html.escape(text))
        summary.setTextFormat(Qt.TextFormat.RichText)
        summary.setWordWrap(True)
        summary.setAccessibleName("Résumé de l'import")
        note = QLabel("Rien n'a encore été modifié." if report.ok else "Rien n'a été modifié.")
        lines = report.details()
        more = len(lines) - MAX_DETAIL_LINES
        self.details = QPlainTextEdit(
            "\n".join(lines[:MAX_DETAIL_LINES]) + (f"\n… et {plural(more, 'autre ligne', 'autres lignes')}" if more > 0 else "")
        )
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Rapport ligne par ligne")
        buttons = QDialogButtonBox()
        self.import_button: QPushButton | None = None
        if report.ok and report.importable:
            count = report.importable
            self.import_button = buttons.addButton(
                f"Importer {count} partenaire{'s' if count > 1 else ''}", QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.import_button.setAccessibleName(f"Importer {plural(count, 'partenaire')} dans vos données")
            buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        else:
            if report.ok:
                note.setText("Rien à importer : toutes les lignes sont des doublons ou ont été rejetées.")
            buttons.addButton("Fermer", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(note)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, parent: QWidget | None, report: ImportReport) -> bool:
        """True when the person confirms the import."""
        return cls(report, parent).exec() == QDialog.DialogCode.Accepted and report.ok and report.importable > 0


class RestoreBackupDialog(QDialog):
    def __init__(self, backups: list[BackupInfo], folder: Path, parent=None) -> None:
        super().__init__(parent)
        self.chosen: Path | None = None
        self._folder = folder
        self.setWindowTitle("Restaurer une sauvegarde")
        self.setMinimumSize(560, 340)
        intro = QLabel(
            "Choisissez la sauvegarde à restaurer. Vos données actuelles seront d'abord copiées dans le "
            "dossier des sauvegardes : rien n'est perdu."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Sauvegardes disponibles, de la plus récente à la plus ancienne")
        for info in backups:
            item = QListWidgetItem(info.label)
            item.setData(Qt.ItemDataRole.UserRole, str(info.path))
            item.setToolTip(str(info.path))
            self.list.addItem(item)
        if not backups:
            self.list.addItem("(aucune sauvegarde pour l'instant : une copie est faite à chaque démarrage)")
            self.list.setEnabled(False)
        self.list.setCurrentRow(0)
        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton("Restaurer la sauvegarde choisie", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(bool(backups))
        other = buttons.addButton("Autre fichier…", QDialogButtonBox.ButtonRole.ActionRole)
        other.setAccessibleName("Restaurer depuis un autre fichier de sauvegarde")
        buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._on_restore)
        buttons.rejected.connect(self.reject)
        other.clicked.connect(self._on_other)
        self.list.itemDoubleClicked.connect(lambda _item: self._on_restore())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def _on_restore(self) -> None:
        item = self.list.currentItem()
        path = item.data(Qt.ItemDataRole.UserRole) if item else None
        if path:
            self.chosen = Path(path)
            self.accept()

    def _on_other(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choisir une sauvegarde", str(self._folder), "Sauvegarde qpvdesk (*.sqlite)")
        if path:
            self.chosen = Path(path)
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, backups: list[BackupInfo], folder: Path) -> Path | None:
        dialog = cls(backups, folder, parent)
        return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None
