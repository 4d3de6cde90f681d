"""Where an export really goes, and how its file is created (CSV, JSON, notes, favourites and PDF exports).

- A symbolic link is written through: its target gets the new content and the link stays (a link into a synced
  folder keeps working). A named pipe, a device or a socket is refused before anything is written: qpvdesk writes
  ordinary files, and putting one in their place would break them (as root, even a /dev node).
- A new file is readable by its owner only (0600 on Unix: exports hold people's names, phones and e-mails); a
  file that is replaced keeps its permissions, so a shared folder stays shared. Windows ignores the mode: the
  per-user folder's access rules apply.
- Any error names the file the user chose, never the hidden temporary file written beside it.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from qpvdesk.errors import NotRegularFile

PRIVATE_MODE = 0o600


def real_target(path: Path) -> Path:
    """The ordinary file that a write to `path` must replace: `path` itself, or a symbolic link's target.
    Raises NotRegularFile (pipe, device, socket) or IsADirectoryError before anything is written."""
    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return target  # a new file (or a link to a file still to be created)
    except OSError as exc:
        exc.filename, exc.filename2 = str(path), None
        raise
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFile(path, info.st_mode)
    return target


def replace_with(temporary: Path | str, target: Path) -> None:
    """Move the finished temporary file over `target`, keeping the permissions of the file it replaces."""
    try:
        os.chmod(temporary, stat.S_IMODE(os.stat(target).st_mode))
    except FileNotFoundError:
        pass  # a new file keeps the temporary file's owner-only mode
    os.replace(temporary, target)


@contextmanager
def naming_target(path: Path) -> Iterator[None]:
    """An OSError raised inside names `path` (what the user chose), not our hidden temporary file."""
    try:
        yield
    except OSError as exc:
        if not isinstance(exc, NotRegularFile):
            exc.filename, exc.filename2 = str(path), None
        raise
