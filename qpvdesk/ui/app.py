"""Application start: window first, catalogue loaded off the UI thread after the first paint."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from qpvdesk import APP_NAME, __version__
from qpvdesk.ui.main_window import MainWindow
from qpvdesk.ui.tasks import run_task

# Qt objects the application uses for its whole life (translators, the first-paint filter): kept referenced here
_KEEP_ALIVE: list[QObject] = []


def install_french(app: QApplication) -> None:
    """French locale for numbers/dates/collation, and Qt's own French strings for standard dialogs."""
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    from qpvdesk.paths import resources_dir

    # ours last (asked first): the few strings Qt 6.11 renamed, which the shipped French catalogue misses
    for name, folder in (("qtbase_fr", path), ("qt_fr", path), ("qpvdesk_qt_fr", str(resources_dir() / "translations"))):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _KEEP_ALIVE.append(translator)


def install_icon(app: QApplication) -> None:
    """The window's icon on every platform (title bar, task bar, Alt+Tab), from the PNG sizes shipped in resources."""
    from PySide6.QtGui import QIcon

    from qpvdesk.paths import resources_dir

    icon = QIcon()
    for png in sorted((resources_dir() / "icons").glob("qpvdesk-*.png")):
        icon.addFile(str(png))
    if not icon.isNull():
        app.setWindowIcon(icon)


def load_everything(path: Path):
    """Runs on a worker thread: the first import of SQLAlchemy happens here, not before the paint."""
    from qpvdesk.service import CatalogueService

    service = CatalogueService(path)
    service.stats()  # cached here, on the worker: the window shows the counts without querying
    return service, service.tree(), service.partners(), service.glossary()


def load_user_data(service):
    """Issue 7: the user's own database, checked against this catalogue. Opened on a worker right after the
    catalogue is shown (`--smoke` waits for it too: migrations shipped); a failure is returned (French
    message), never raised."""
    from qpvdesk.userdata import catalogue_refs, open_user_data

    try:
        return open_user_data(refs=catalogue_refs(service))
    except Exception as exc:  # noqa: BLE001 - shown by MainWindow._install_user_data
        return exc


def install_user_data(window: MainWindow, user_data) -> None:
    """Give the window the user's data (or the error that kept it closed); a read-only opening (full disk,
    read-only folder) gets a lasting notice in the status bar, without a dialog to dismiss."""
    window.install_user_data(user_data)
    notice = getattr(getattr(user_data, "startup", None), "read_only", None)
    if notice:
        show_read_only_notice(window, notice)


def show_read_only_notice(window: MainWindow, notice: str) -> None:
    from PySide6.QtWidgets import QLabel

    label = QLabel("⚠ Vos données sont en lecture seule : vos modifications ne seront pas enregistrées.")
    label.setObjectName("readOnlyNotice")
    label.setToolTip(notice)
    label.setAccessibleDescription(notice)
    label.setStyleSheet("QLabel { color: palette(window-text); background: #ffe08a; padding: 1px 6px; }")
    window.statusBar().addPermanentWidget(label)
    window.statusBar().showMessage(notice, 30_000)  # the whole reason first; the label stays
    window.read_only_notice = label  # type: ignore[attr-defined]  # main_window.py is being rewritten elsewhere


def start_loading(window: MainWindow, path: Path, on_error) -> None:
    def done(result) -> None:
        window.set_loaded(*result)
        service = result[0]
        # the user's database second: the catalogue is usable without waiting for it
        run_task(lambda: load_user_data(service), lambda data: install_user_data(window, data), window.install_user_data)

    run_task(lambda: load_everything(path), done, on_error)


def catalogue_error_message(exc: BaseException) -> str:
    from qpvdesk.errors import CatalogueError, french_reason

    if isinstance(exc, CatalogueError):  # already French and meant for users
        return str(exc)
    return f"Le catalogue n'a pas pu être chargé : {french_reason(exc)}"


def report_startup_times(app: QApplication, window: MainWindow) -> None:
    """QPVDESK_STARTUP_TIMES=1, for benchmarks/startup_bench.py only: prints the time.monotonic() (system-wide
    CLOCK_MONOTONIC) of the main window's first paint and of "catalogue loaded", and the process's CPU time at
    each, one line each on stdout."""
    from PySide6.QtCore import QEvent, QObject

    def stamp(what: str) -> None:
        # wall clock, then this process's CPU time so far (all threads): the steadier figure on a busy machine
        print(f"qpvdesk-startup {what}={time.monotonic():.6f}", flush=True)
        print(f"qpvdesk-startup {what}_cpu={time.process_time():.6f}", flush=True)

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 (Qt name)
            if event.type() == QEvent.Type.Paint and getattr(obj, "window", lambda: None)() is window:
                app.removeEventFilter(self)
                QTimer.singleShot(0, lambda: stamp("first_paint"))  # once this paint pass is done
            return False

    first_paint = FirstPaint(app)
    _KEEP_ALIVE.append(first_paint)
    app.installEventFilter(first_paint)
    window.loaded.connect(lambda: stamp("loaded"))


def use_portable_settings() -> None:
    """In portable mode (USB stick), or when QPVDESK_USER_DIR chooses the user folder, window layout,
    zoom, theme and last fiche are kept in that folder too: everything of the user's in one place."""
    from PySide6.QtCore import QSettings

    from qpvdesk.userdata import location

    if location.is_portable() or os.environ.get(location.ENV_VAR):
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(location.user_dir()))


def run_gui(smoke: bool = False, catalogue: str | None = None) -> int:
    from qpvdesk.paths import catalogue_path

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    use_portable_settings()
    install_french(app)  # before the first dialog: Qt's file dialogs and buttons in French
    install_icon(app)
    window = MainWindow()
    if not smoke:
        window.restore_layout()
        window.display.apply()  # remembered text size and theme
    if os.environ.get("QPVDESK_STARTUP_TIMES"):  # startup benchmark only (see report_startup_times)
        report_startup_times(app, window)
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
        window.catalogue_unavailable(message)

    if smoke:
        def finish() -> None:
            window.repaint()
            problems = []
            if window.service is None or window.tree_model.rowCount() == 0:
                problems.append("le catalogue ne s'est pas affiché")
            if window.user_data is None:
                problems.append(getattr(window, "user_data_error", None) or "vos données personnelles ne sont pas ouvertes")
            status["code"] = 1 if problems else 0
            print("smoke: ok" if not problems else "smoke: ÉCHEC — " + " ; ".join(problems))
            app.quit()

        def too_late() -> None:
            status["code"] = 1
            print(f"smoke: ÉCHEC — chargement non terminé après {timeout_ms // 1000} s", file=sys.stderr)
            app.quit()

        timeout_ms = int(os.environ.get("QPVDESK_SMOKE_TIMEOUT_MS", "30000"))
        window.user_data_loaded.connect(lambda: QTimer.singleShot(0, finish))
        QTimer.singleShot(timeout_ms, too_late)
    QTimer.singleShot(0, lambda: start_loading(window, path, on_error))
    app.exec()
    return status["code"]
