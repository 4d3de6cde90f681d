"""Where the user's own data lives: one folder, chosen once at start.

Order of precedence:
1. the QPVDESK_USER_DIR environment variable (tests, administrators);
2. portable mode: a file named `qpvdesk-portable` next to the executable (frozen app) or at the
   repository root (source checkout) keeps everything in `donnees-utilisateur/` beside it — the
   trainer's USB stick; nothing is written elsewhere. When that folder cannot be written (the archive
   unpacked by an administrator into /opt, a locked stick, a read-only share), the data goes to 3.
   instead, and the user is told once (take_fallback_notice) and in the About box (location_label);
3. the platformdirs user data folder ("qpvdesk"): ~/.local/share/qpvdesk on Linux,
   %LOCALAPPDATA%\\qpvdesk on Windows, ~/Library/Application Support/qpvdesk on macOS.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

APP_DIR_NAME = "qpvdesk"
PORTABLE_MARKER = "qpvdesk-portable"
PORTABLE_DIR = "donnees-utilisateur"
DB_NAME = "qpvdesk-utilisateur.sqlite"
BACKUP_DIR = "sauvegardes"
ENV_VAR = "QPVDESK_USER_DIR"
FALLBACK_NOTED = ".avis-portable-non-modifiable"  # in the fallback folder: portable folders already announced

# (declared here rather than in messages.py: it is about where the data lives, decided in this module)
FALLBACK_NOTICE = (
    "Mode portable : le dossier « {portable} » n'est pas modifiable (installé par un administrateur, clé USB "
    "verrouillée ou partage en lecture seule). Vos partenaires, notes et favoris sont donc enregistrés dans votre "
    "dossier personnel : {fallback}. Pour les garder à côté de l'application, copiez-la dans un dossier où vous "
    "pouvez écrire."
)


def app_dir() -> Path:
    """The folder holding the executable (frozen) or the repository root (source checkout)."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent.parent


def portable_marker() -> Path:
    return app_dir() / PORTABLE_MARKER


def is_portable() -> bool:
    return portable_marker().is_file()


def platform_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_DIR_NAME, appauthor=False, roaming=False))


def can_write(folder: Path) -> bool:
    """Really tries (creates the folder, then a file in it): permissions alone do not tell (root, ACLs,
    read-only mounts, immutable flags)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder, prefix=".essai-ecriture-"):
            pass
    except OSError:
        return False
    return True


def portable_fallback() -> Path | None:
    """The portable folder that cannot be written (the data then lives in platform_dir()), else None."""
    if os.environ.get(ENV_VAR) or not is_portable():
        return None
    portable = app_dir() / PORTABLE_DIR
    return None if can_write(portable) else portable


def user_dir() -> Path:
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    if is_portable() and portable_fallback() is None:
        return app_dir() / PORTABLE_DIR
    return platform_dir()


def take_fallback_notice() -> str | None:
    """The French notice about an unwritable portable folder, the first time only for that folder (then noted
    in the fallback folder, so that later starts stay quiet; the About box keeps saying it)."""
    portable = portable_fallback()
    if portable is None:
        return None
    fallback = platform_dir()
    noted = fallback / FALLBACK_NOTED
    try:
        seen = noted.read_text(encoding="utf-8").splitlines() if noted.is_file() else []
    except OSError:
        seen = []
    if str(portable) in seen:
        return None
    try:
        fallback.mkdir(parents=True, exist_ok=True)
        noted.write_text("\n".join([*seen, str(portable)]) + "\n", encoding="utf-8")
    except OSError:
        pass  # said again next time: better than never
    return FALLBACK_NOTICE.format(portable=portable, fallback=fallback)


def location_label() -> str:
    """French sentence saying where the data is, for the About box and the README."""
    if os.environ.get(ENV_VAR):
        return f"Vos données sont dans {user_dir()} (dossier choisi par la variable {ENV_VAR})."
    portable = portable_fallback()
    if portable is not None:
        return (f"Mode portable, mais le dossier {portable} n'est pas modifiable : vos données sont dans "
                f"{platform_dir()}.")
    if is_portable():
        return f"Mode portable : vos données sont dans {user_dir()}, à côté de l'application."
    return f"Vos données sont dans {user_dir()}."
