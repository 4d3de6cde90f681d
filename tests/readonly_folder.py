"""Making a folder unwritable for a test, the POSIX way (Unix only: Windows has no geteuid, chmod or chattr).

    undo = protect(folder)        # skips the test cleanly where it cannot be done
    try: ... finally: undo()
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

POSIX = hasattr(os, "geteuid")
posix_only = pytest.mark.skipif(not POSIX, reason="droits POSIX (chmod, chattr) : Linux et macOS seulement")


def protect(folder: Path) -> Callable[[], None]:
    """Unwritable even for root (immutable flag, Linux), else by permissions; returns the undo."""
    if not POSIX or sys.platform == "win32":
        pytest.skip("dossier en lecture seule : droits POSIX seulement")
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False).returncode != 0:
            pytest.skip("cannot make a folder read-only for root on this file system")
        return lambda: subprocess.run(["chattr", "-i", str(folder)], check=True)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    return lambda: folder.chmod(0o700)


def running_as_root() -> bool:
    """Root, whom file permissions do not stop (False where there are no Unix users, as on Windows)."""
    return POSIX and os.geteuid() == 0
