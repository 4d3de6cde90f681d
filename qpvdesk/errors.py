"""Our exception classes, and one French sentence for any error shown to a user.

Our own errors (catalogue, user data, content) are already written in French; system errors
carry English text from the C library ("[Errno 13] Permission denied"), so they are described
from their errno instead, with the file they concern.

No dependencies (not even sqlite3): every layer, the window included, can import this module,
and catch our errors by class rather than by name.
"""

from __future__ import annotations

import errno
import sys


class CatalogueError(Exception):
    """The catalogue cannot be used; the message is French and meant for the user."""


class UserDataError(Exception):
    """The user database cannot do what was asked; the message is French and meant for the user."""


class BuildError(Exception):
    """The content has errors; nothing was written. `errors` are ContentError records (file, line, field)."""

    def __init__(self, errors: list) -> None:
        count = len(errors)
        super().__init__(f"{count} erreur{'s' if count > 1 else ''} dans le contenu")  # (no import: see the docstring)
        self.errors = errors


_OS_REASONS = {
    errno.EACCES: "accès refusé (droits insuffisants)",
    errno.EPERM: "opération non permise",
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.ENOSPC: "disque plein",
    errno.EDQUOT: "quota disque dépassé",
    errno.EROFS: "support en lecture seule",
    errno.EEXIST: "le fichier existe déjà",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.EIO: "erreur de lecture ou d'écriture sur le disque",
    errno.EBUSY: "fichier occupé par un autre programme",
    errno.ETXTBSY: "fichier occupé par un autre programme",
    errno.EMFILE: "trop de fichiers ouverts",
    errno.EINVAL: "nom de fichier non valide",
}


def describe_os_error(exc: OSError, with_path: bool = True) -> str:
    reason = _OS_REASONS.get(exc.errno or -1)
    if reason is None:
        reason = f"erreur système {exc.errno}" if exc.errno else "erreur système"
    where = exc.filename if with_path else None
    return f"{reason} ({where})" if where else reason


def french_reason(exc: BaseException) -> str:
    """The error as a French phrase fit to follow « … : »."""
    wrapped = getattr(exc, "orig", None)  # SQLAlchemy wraps the sqlite3 error
    if isinstance(wrapped, BaseException):
        return french_reason(wrapped)
    if isinstance(exc, OSError):
        return describe_os_error(exc)
    sqlite3 = sys.modules.get("sqlite3")  # not imported: then this cannot be one of its errors
    if sqlite3 is not None and isinstance(exc, sqlite3.DatabaseError):
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            return "base de données occupée par une autre opération ; réessayez dans un instant"
        if "malformed" in text or "not a database" in text:
            return "fichier de base de données endommagé"
        if "disk" in text and "full" in text:
            return "disque plein"
        return "erreur de la base de données"
    if isinstance(exc, MemoryError):
        return "mémoire insuffisante"
    text = str(exc)
    if text and type(exc).__module__.startswith("qpvdesk"):
        return text  # our own errors are written in French
    return f"erreur inattendue ({type(exc).__name__})"
