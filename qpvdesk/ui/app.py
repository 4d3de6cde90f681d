"""Application start: window first, catalogue loaded off the UI thread after the first paint."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from qpvdesk import APP_NAME, __version__
from qpvdesk.ui.main_window import MainWindow
from qpvdesk.ui.tasks import run_task


def install_french(app: QApplication) -> None:
    """French locale for numbers/dates/collation, and Qt's own French strings for standard dialogs."""
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase_fr", "qt_fr"):
        translator = QTranslator(app)
        if translator.load(name, path):
            app.installTranslator(translator)
            app._translators = [*getattr(app, "_translators", []), translator]  # keep alive


def load_everything(path: Path):
    """Runs on a worker thread: the first import of SQLAlchemy happens here, not before the paint."""
    from qpvdesk.service import CatalogueService

    service = CatalogueService(path)
    return service, service.tree(), service.partners(), service.glossary()


def start_loading(window: MainWindow, path: Path, on_error) -> None:
    def done(result) -> None:
        window.set_loaded(*result)

    run_task(lambda: load_everything(path), done, on_error)


def catalogue_error_message(exc: BaseException) -> str:
    # CatalogueError messages are already French and meant for users
    if exc.__class__.__name__ == "CatalogueError":
        return str(exc)
    return f"Le catalogue n'a pas pu être chargé : {exc}"


def run_gui(smoke: bool = False, catalogue: str | None = None) -> int:
    from qpvdesk.paths import catalogue_path

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    install_french(app)
    window = MainWindow()
    if not smoke:
        window.restore_layout()
        window.display.apply()  # remembered text size and theme
    window.show()
    path = Path(catalogue) if catalogue else catalogue_path()
    status = {"code": 0}

    def on_error(exc: BaseException) -> None:
        message = catalogue_error_message(exc)
        if smoke:
            print(f"Erreur : {message}", file=sys.stderr)
            status["code"] = 1
            app.quit()
            return
        QMessageBox.critical(window, "Catalogue indisponible", message)
        window.detail.setHtml(f"<h1>Catalogue indisponible</h1><p>{message}</p>")
        window.statusBar().showMessage("Catalogue indisponible")

    if smoke:
        def finish() -> None:
            window.repaint()
            ok = window.service is not None and window.tree_model.rowCount() > 0
            if not ok:
                status["code"] = 1
            print(f"smoke: {'ok' if ok else 'ÉCHEC'}")
            app.quit()

        window.loaded.connect(lambda: QTimer.singleShot(0, finish))
        QTimer.singleShot(int(os.environ.get("QPVDESK_SMOKE_TIMEOUT_MS", "30000")), lambda: (status.update(code=1), app.quit()))
    QTimer.singleShot(0, lambda: start_loading(window, path, on_error))
    app.exec()
    return status["code"]
