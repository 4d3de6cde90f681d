"""Where the user's own data lives: one folder, chosen once at start.

Order of precedence:
1. the QPVDESK_USER_DIR environment variable (tests, administrators);
2. portable mode: a file named `qpvdesk-portable` next to the executable (frozen app) or at the
   repository root (source checkout) keeps everything in `donnees-utilisateur/` beside it — the
   trainer's USB stick; nothing is written elsewhere;
3. the platformdirs user data folder ("qpvdesk"): ~/.local/share/qpvdesk on Linux,
   %LOCALAPPDATA%\\qpvdesk on Windows, ~/Library/Application Support/qpvdesk on macOS.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "qpvdesk"
PORTABLE_MARKER = "qpvdesk-portable"
PORTABLE_DIR = "donnees-utilisateur"
DB_NAME = "qpvdesk-utilisateur.sqlite"
BACKUP_DIR = "sauvegardes"
ENV_VAR = "QPVDESK_USER_DIR"


def app_dir() -> Path:
    """The folder holding the executable (frozen) or the repository root (source checkout)."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent.parent


def portable_marker() -> Path:
    return app_dir() / PORTABLE_MARKER


def is_portable() -> bool:
    return portable_marker().is_file()


def user_dir() -> Path:
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    if is_portable():
        return app_dir() / PORTABLE_DIR
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_DIR_NAME, appauthor=False, roaming=False))


def location_label() -> str:
    """French sentence saying where the data is, for the About box and the README."""
    if os.environ.get(ENV_VAR):
        return f"Vos données sont dans {user_dir()} (dossier choisi par la variable {ENV_VAR})."
    if is_portable():
        return f"Mode portable : vos données sont dans {user_dir()}, à côté de l'application."
    return f"Vos données sont dans {user_dir()}."
