"""Files of the partner browser, off the UI thread: « Exporter la vue… » (the rows shown, all origins, to CSV
for Excel or JSON), and the user's own partners' separate import (report first) and export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from qpvdesk.errors import french_reason
from qpvdesk.partner_table import export_view
from qpvdesk.ui.file_dialogs import remember_folder, start_folder
from qpvdesk.ui.import_progress import run_with_progress
from qpvdesk.ui.tasks import run_task
from qpvdesk.ui.userdata_dialogs import ImportReportDialog
from qpvdesk.userdata import exchange
from qpvdesk.userdata.messages import Msg

VIEW_FILTERS = {"CSV pour Excel (*.csv)": "csv", "JSON (*.json)": "json"}


def ask_view_path(parent) -> tuple[str, str]:
    path, chosen = QFileDialog.getSaveFileName(
        parent, "Exporter les lignes affichées", str(start_folder() / "partenaires-vue.csv"), ";;".join(VIEW_FILTERS)
    )
    remember_folder(path)
    return path, "json" if path.lower().endswith(".json") else VIEW_FILTERS.get(chosen, "csv")


def filters_text(browser) -> str:
    """The filters in force, in French, written into the JSON export."""
    f = browser.filters
    chosen = [c.currentText() for c in (f.origin_combo, f.kind_combo, f.programme_combo, f.year_combo, f.region_combo,
                                         f.departement_combo, f.place_combo) if c.currentIndex() > 0]
    if browser.filter_edit.text().strip():
        chosen.append(f"texte « {browser.filter_edit.text().strip()} »")
    return " ; ".join(chosen) or "aucun filtre"


def export_view_file(browser) -> None:
    path, file_format = browser.ask_view_path()
    if not path:
        return
    proxy = browser.proxy
    rows = browser.model.shown_rows(proxy.mapToSource(proxy.index(r, 0)).row() for r in range(proxy.rowCount()))
    filters = filters_text(browser)

    def done(count: int) -> None:
        browser.message.emit(f"{count} ligne(s) exportée(s) dans {Path(path).name}.")

    def failed(exc: BaseException) -> None:
        QMessageBox.warning(browser, "Export impossible", f"Le fichier n'a pas pu être écrit : {french_reason(exc)}")

    run_task(lambda: export_view(Path(path), rows, file_format, filters), done, failed)


def import_local_file(self) -> None:
    """The browser's « Importer… » (self: PartnerBrowser): the report of a dry run first; then the import,
    with progress and « Annuler » (rolled back)."""
    if self.user_data is None:
        return
    path = self.ask_open_path()
    if not path:
        return
    user_data = self.user_data
    self._busy("Lecture du fichier… (rien n'est encore modifié)")
    title = "Import des partenaires"

    def preview_done(report) -> None:
        self._busy(None)
        self._update_count()
        if not ImportReportDialog.ask(self, report):
            self.message.emit(Msg.CANCELLED)
            return
        self._busy("Import en cours…")
        run_with_progress(self, title, "Import en cours…",
                          lambda progress: user_data.import_partners(path, dry_run=False, progress=progress),
                          applied, failed)

    def applied(report) -> None:
        self._busy(None)
        if report.file_error == Msg.CANCELLED:
            self._update_count()
            self.message.emit(Msg.CANCELLED)
            return
        if not report.ok:
            self._warn("Import refusé", report.summary())
        self._after_change(f"Import terminé : {report.summary(max_details=1)}", None)

    def failed(exc: BaseException) -> None:
        self._busy(None)
        self._update_count()
        self._warn("Import impossible", f"Rien n'a été modifié : {french_reason(exc)}")

    def preview_cancelled() -> None:
        self._busy(None)
        self._update_count()
        self.message.emit(Msg.CANCELLED)

    run_with_progress(self, title, "Lecture du fichier… (rien n'est encore modifié)",
                      lambda progress: user_data.import_partners(path, dry_run=True), preview_done, failed,
                      on_cancelled=preview_cancelled)


def export_local_file(self) -> None:
    """The browser's « Exporter… » of the local partners (self: PartnerBrowser)."""
    if self.user_data is None:
        return
    path, file_format = self.ask_save_path()
    if not path:
        return
    if Path(path).suffix.lower() not in ("", ".csv", ".txt", ".json"):  # CSV under « .xlsx » would not open
        self._warn("Export impossible", Msg.EXPORT_FORMAT.format(suffix=Path(path).suffix))
        return
    user_data = self.user_data
    self._busy("Export en cours…")

    def done(count: int) -> None:
        self._busy(None)
        self._update_count()
        self.message.emit(f"{count} partenaire(s) local(aux) exporté(s) dans {Path(path).name}.")
        if count > exchange.MAX_ROWS:
            self._warn("Export terminé", Msg.EXPORT_OVER_IMPORT_LIMIT.format(limit=exchange.MAX_ROWS))

    def failed(exc: BaseException) -> None:
        self._busy(None)
        self._update_count()
        self._warn("Export impossible", f"Le fichier n'a pas pu être écrit : {french_reason(exc)}")

    run_task(lambda: user_data.export_partners(path, file_format), done, failed)
