"""Fichier › « Mettre à jour le catalogue… » (issue 16): choose a .qpvcat, verify it off the UI thread, show its
manifest and « Quoi de neuf », install on confirmation through the same core as `qpvdesk catalogue install`.

The new catalogue is used from the next start (asked in the final message): the open window keeps reading the
catalogue it started with, and the notes, favourites and partners are untouched. Notes on fiches the catalogue
no longer holds stay in the user data; orphan_page() shows them when such a fiche is opened.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QTextBrowser,
    QVBoxLayout,
)

from qpvdesk.ui.tasks import run_task

ABSENT = "fiche absente du catalogue"


class UpdateDialog(QDialog):
    """The verified package: its manifest and « Quoi de neuf », and the choice to install it."""

    def __init__(self, report, parent=None) -> None:
        from qpvdesk.updates.whatsnew import manifest_lines

        super().__init__(parent)
        self.setWindowTitle("Mettre à jour le catalogue")
        self.setObjectName("catalogueUpdateDialog")
        package = report.package
        layout = QVBoxLayout(self)
        heading = QLabel(f"<b>{escape(package.path.name)}</b> est valide : signature de « {escape(package.signer.name)} » "
                         "vérifiée, contenu intact.")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.text = QTextBrowser()
        self.text.setObjectName("catalogueUpdateDetails")
        items = "".join(f"<li>{escape(line)}</li>" for line in manifest_lines(package.manifest, package.signer.name,
                                                                              package.signer.origin))
        news = "".join(f"<li>{escape(line)}</li>" for line in report.details.lines(limit=12))
        self.text.setHtml(f"<h3>Le paquet</h3><ul>{items}</ul><h3>Quoi de neuf</h3><ul>{news}</ul>"
                          "<p>Vos notes, favoris et partenaires locaux sont conservés. Le catalogue livré avec qpvdesk "
                          "reste intact : vous pourrez y revenir (« qpvdesk catalogue rollback »).</p>")
        self.text.setAccessibleName("Détails de la mise à jour")
        layout.addWidget(self.text)
        buttons = QDialogButtonBox()
        self.install_button = buttons.addButton("Installer", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 480)


class CatalogueUpdater(QObject):
    """Owns the menu action and runs the verify → confirm → install sequence for the window."""

    finished = Signal(str)  # "installed", "refused", "cancelled" (tests and the status bar)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.action = QAction("Mettre à jour le catalogue…", window)
        self.action.setToolTip("Installe un catalogue plus récent, signé, reçu par clé USB ou dossier partagé")
        self.action.triggered.connect(self.choose_file)
        self.dialog: UpdateDialog | None = None
        self.progress: QProgressDialog | None = None
        self.message_box: QMessageBox | None = None
        self._cancel = False
        QTimer.singleShot(0, self._show_start_notices)

    # --- start: the installed catalogue could not be used ------------------------------------------

    def _show_start_notices(self) -> None:
        from qpvdesk.updates.install import notices

        if notices:
            label = QLabel("⚠ Catalogue livré utilisé (mise à jour inutilisable)")
            label.setObjectName("catalogueFallbackNotice")
            label.setToolTip(notices[0])
            label.setAccessibleDescription(notices[0])
            self.window.statusBar().addPermanentWidget(label)
            self.window.statusBar().showMessage(notices[0], 30_000)

    # --- the sequence ----------------------------------------------------------------------------

    def _inspect(self):
        from qpvdesk.updates.whatsnew import inspector

        data = getattr(self.window, "user_data", None)
        if data is None:
            return inspector()
        return inspector([n.entity_id for n in data.list_notes()], [f.entity_id for f in data.list_favourites()])

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Mettre à jour le catalogue", "",
                                              "Catalogue qpvdesk signé (*.qpvcat);;Tous les fichiers (*)")
        if path:
            self.verify(path)

    def _run(self, label: str, fn, on_done) -> None:
        from qpvdesk.updates.install import install  # noqa: F401 - imported here, on the UI thread, once

        self._cancel = False
        self.progress = QProgressDialog(label, "Annuler", 0, 0, self.window)
        self.progress.setWindowTitle("Mettre à jour le catalogue")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)
        self.progress.canceled.connect(self._cancelled)
        run_task(fn, lambda report: self._step_done(on_done, report), self._refused)

    def _cancelled(self) -> None:
        self._cancel = True

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect(self._cancelled)
            self.progress.close()
            self.progress = None

    def _step_done(self, on_done, report) -> None:
        self._close_progress()
        on_done(report)

    def verify(self, path: str) -> None:
        from qpvdesk.updates.install import install

        inspect = self._inspect()
        self.path = Path(path)
        self._run("Vérification du fichier (signature, empreinte, contenu)…",
                  lambda: install(self.path, dry_run=True, inspect=inspect, cancelled=lambda: self._cancel), self._confirm)

    def _confirm(self, report) -> None:
        self.dialog = UpdateDialog(report, self.window)
        self.dialog.finished.connect(self._answered)
        self.dialog.open()

    def _answered(self, result: int) -> None:
        if result != QDialog.DialogCode.Accepted:
            self.finished.emit("cancelled")
            return
        from qpvdesk.updates.install import install

        inspect, path = self._inspect(), self.path
        self._run("Installation du catalogue…", lambda: install(path, inspect=inspect), self._installed)

    def _installed(self, report) -> None:
        version = report.package.manifest["version"]
        text = (f"Le catalogue version {version} est installé pour vous.\n\nFermez puis rouvrez qpvdesk pour l'utiliser : "
                "cette fenêtre garde le catalogue avec lequel elle a démarré.")
        self._tell(QMessageBox.Icon.Information, "Catalogue mis à jour", text, report.warnings)
        self.window.statusBar().showMessage(f"Catalogue {version} installé : utilisé au prochain démarrage.", 30_000)
        self.finished.emit("installed")

    def _refused(self, exc: BaseException) -> None:
        from qpvdesk.errors import french_reason

        self._close_progress()
        if self._cancel:  # the user pressed « Annuler »: nothing to explain
            self.window.statusBar().showMessage("Mise à jour du catalogue annulée : rien n'a été modifié.", 8000)
            self.finished.emit("cancelled")
            return
        text = (str(exc) if type(exc).__name__ == "UpdateRefused"
                else f"Installation impossible, rien n'a été modifié : {french_reason(exc)}")
        self._tell(QMessageBox.Icon.Warning, "Mise à jour refusée", text, [])
        self.finished.emit("refused")

    def _tell(self, icon, title: str, text: str, details: list[str]) -> None:
        self.message_box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.window)
        if details:
            self.message_box.setDetailedText("\n".join(details))
        self.message_box.open()

    # --- a note whose fiche left the catalogue ---------------------------------------------------

    def orphan_page(self, entity_id: str) -> str | None:
        """The page shown for a fiche absent from the catalogue when the user has a note on it (else None)."""
        data = getattr(self.window, "user_data", None)
        note = data.get_note(entity_id) if data is not None and not entity_id.startswith("local:") else None
        if note is None:
            return None
        from qpvdesk.updates.install import removed_names

        name = removed_names().get(entity_id, entity_id)
        return (f"<h1>{escape(name)} <small>({ABSENT})</small></h1>"
                "<p>Cette fiche n'est pas dans le catalogue utilisé (elle a pu être retirée par une mise à jour). "
                "Votre note est conservée : elle est affichée ci-dessous ; vous pouvez la copier, la modifier ou la vider.</p>")
