"""Save and open dialogs that start in the user's Documents folder, then in the last folder used (never the
program's folder, which is the working folder of a Windows shortcut). Qt's own dialog strings are French once
ui/app.install_french has run (before the first dialog)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

LAST_FOLDER_KEY = "files/last-folder"


def start_folder() -> Path:
    """The last folder used if it still exists, else Documents (else the home folder)."""
    last = QSettings().value(LAST_FOLDER_KEY)
    if last and Path(str(last)).is_dir():
        return Path(str(last))
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def remember_folder(path: str) -> str:
    if path:
        QSettings().setValue(LAST_FOLDER_KEY, str(Path(path).parent))
    return path


def save_path(parent: QWidget | None, title: str, file_name: str, filters: str) -> str:
    """The chosen file to write ("" if cancelled); `file_name` is proposed in the start folder."""
    path, _ = QFileDialog.getSaveFileName(parent, title, str(start_folder() / file_name), filters)
    return remember_folder(path)


def open_path(parent: QWidget | None, title: str, filters: str) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, title, str(start_folder()), filters)
    return remember_folder(path)
