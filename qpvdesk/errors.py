"""Our exception classes, and one French sentence for any error shown to a user.

Our own errors (catalogue, user data, content) are already written in French; system errors
carry English text from the C library ("[Errno 13] Permission denied"), so they are described
from their errno instead, with the file they concern.

No dependencies (not even sqlite3): every layer, the window included, can import this module,
and catch our errors by class rather than by name.
"""

from __future__ import annotations

import errno
import stat
import sys
from pathlib import Path


class CatalogueError(Exception):
    """The catalogue cannot be used; the message is French and meant for the user."""


class UserDataError(Exception):
    """The user database cannot do what was asked; the message is French and meant for the user."""


class TeamError(UserDataError):
    """The team database cannot do what was asked (server unreachable, password refused, schema of another version);
    the message is French. Nothing was written, and changes typed here stay queued."""

    def __init__(self, message: str, offline: bool = False) -> None:
        super().__init__(message)
        self.offline = offline  # the server could not be reached: working offline is expected, not a failure


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


class NotRegularFile(OSError):
    """A write aimed at a named pipe, a device or a socket: refused, nothing is replaced."""

    def __init__(self, path: Path | str, mode: int) -> None:
        if stat.S_ISFIFO(mode):
            kind = "un tube nommé (FIFO)"
        elif stat.S_ISSOCK(mode):
            kind = "une socket"
        else:
            kind = "un périphérique"
        super().__init__(errno.EINVAL, f"c'est {kind}, pas un fichier ordinaire : rien n'a été remplacé", str(path))


def describe_os_error(exc: OSError, with_path: bool = True) -> str:
    reason = exc.strerror if isinstance(exc, NotRegularFile) else _OS_REASONS.get(exc.errno or -1)
    if reason is None:
        reason = f"erreur système {exc.errno}" if exc.errno else "erreur système"
    where = exc.filename if with_path else None
    return f"{reason} ({where})" if where else reason


# SQLite's primary result codes (the low byte of sqlite_errorcode) -> what a user can act on
_SQLITE_REASONS = {
    3: "accès refusé par le système",  # SQLITE_PERM
    5: "base de données occupée par une autre opération ; réessayez dans un instant",  # SQLITE_BUSY
    6: "base de données occupée par une autre opération ; réessayez dans un instant",  # SQLITE_LOCKED
    7: "mémoire insuffisante",  # SQLITE_NOMEM
    8: "base en lecture seule (le fichier de vos données ou son dossier est protégé en écriture)",  # SQLITE_READONLY
    10: "erreur de lecture ou d'écriture sur le disque",  # SQLITE_IOERR
    11: "fichier de base de données endommagé",  # SQLITE_CORRUPT
    13: "disque plein",  # SQLITE_FULL
    14: "fichier de base de données impossible à ouvrir ou à créer (dossier absent ou protégé en écriture ?)",  # CANTOPEN
    26: "fichier de base de données endommagé",  # SQLITE_NOTADB
}


def describe_sqlite_error(exc: BaseException) -> str:
    """A sqlite3.DatabaseError in French, by its result code (or its text when it has none)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in _SQLITE_REASONS:
        return _SQLITE_REASONS[code & 0xFF]
    text = str(exc).lower()  # an error raised without a code (or by an older sqlite3 module)
    if "locked" in text or "busy" in text:
        return _SQLITE_REASONS[5]
    if "malformed" in text or "not a database" in text:
        return _SQLITE_REASONS[11]
    if "disk" in text and "full" in text:
        return _SQLITE_REASONS[13]
    if "readonly" in text or "read-only" in text:
        return _SQLITE_REASONS[8]
    return "erreur de la base de données"


def is_busy(exc: BaseException) -> bool:
    """SQLite could not get its lock in time (another window is writing): worth retrying, not a fault."""
    exc = getattr(exc, "orig", None) or exc
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (5, 6)
    return "locked" in str(exc) or "busy" in str(exc)


def french_reason(exc: BaseException) -> str:
    """The error as a French phrase fit to follow « … : »."""
    wrapped = getattr(exc, "orig", None)  # SQLAlchemy wraps the sqlite3 error
    if isinstance(wrapped, BaseException):
        return french_reason(wrapped)
    if isinstance(exc, OSError):
        return describe_os_error(exc)
    sqlite3 = sys.modules.get("sqlite3")  # not imported: then this cannot be one of its errors
    if sqlite3 is not None and isinstance(exc, sqlite3.DatabaseError):
        return describe_sqlite_error(exc)
    if isinstance(exc, MemoryError):
        return "mémoire insuffisante"
    text = str(exc)
    if text and type(exc).__module__.startswith("qpvdesk"):
        return text  # our own errors are written in French
    return f"erreur inattendue ({type(exc).__name__})"
