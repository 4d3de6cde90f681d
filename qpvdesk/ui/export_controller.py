"""Printing and PDF export of fiches from the window (the trainer's pack of favourites too).

Qt's printing modules load on the first export, not at start-up (qpvdesk.ui.fiche_export is imported then).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from qpvdesk.errors import french_reason
from qpvdesk.french import plural
from qpvdesk.ui.file_dialogs import save_path


class FicheExporter(QObject):
    message = Signal(str, int)  # status-bar text, milliseconds

    def __init__(self, parent: QWidget, printable: Callable[[str], str], before: Callable[[], None]) -> None:
        """`printable(id)`: a fiche as printed (with the user's note); `before()`: runs first (typed notes saved)."""
        super().__init__(parent)
        self.parent_widget = parent
        self.printable = printable
        self.before = before

    def export_pdf(self, entity_ids: list[str], default_name: str) -> None:
        from qpvdesk.ui.fiche_export import write_pdf

        self.before()
        path = save_path(self.parent_widget, "Exporter en PDF", default_name, "Document PDF (*.pdf)")
        if not path:
            return
        try:
            pages = write_pdf([self.printable(e) for e in entity_ids], Path(path))
        except OSError as exc:
            QMessageBox.warning(self.parent_widget, "Export impossible",
                                f"Le fichier n'a pas pu être écrit : {french_reason(exc)}")
            return
        self.message.emit(f"PDF écrit : {path} ({plural(len(entity_ids), 'fiche')}, {plural(pages, 'page')})", 8000)

    def export_pack(self, entity_ids: list[str], names: list[str], title: str, catalogue_service) -> None:
        """The trainer's pack: cover with `title`, contents with page numbers, numbered pages (ui/training_pack.py)."""
        import datetime as dt

        from qpvdesk.ui.fiche_export import write_pack
        from qpvdesk.ui.training_pack import default_pack_name, pack_for

        self.before()
        path = save_path(self.parent_widget, "Exporter un dossier PDF", default_pack_name(names, dt.date.today()),
                         "Document PDF (*.pdf)")
        if not path:
            return
        fiches, info = pack_for(names, [self.printable(e) for e in entity_ids], title, catalogue_service)
        try:
            pages = write_pack(fiches, info, Path(path))
        except OSError as exc:
            QMessageBox.warning(self.parent_widget, "Export impossible",
                                f"Le fichier n'a pas pu être écrit : {french_reason(exc)}")
            return
        self.message.emit(f"Dossier PDF écrit : {path} ({plural(len(entity_ids), 'fiche')}, {plural(pages, 'page')})", 8000)

    def print(self, entity_ids: list[str]) -> None:
        from qpvdesk.ui.fiche_export import print_fiches

        print_fiches([self.printable(e) for e in entity_ids], self.parent_widget)
