"""Backups of the user database: automatic rotating copies, copies before upgrades and restores,
restore of a chosen copy, and recovery of a damaged database at start.

Copies use SQLite's online backup API (consistent even while another window writes) and are
single self-contained files (journal mode DELETE) that people can copy by hand. A damaged
database is renamed, never deleted. Only automatic copies rotate (the 5 newest are kept).
"""

from __future__ import annotations

import filecmp
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from qpvdesk.errors import french_reason
from qpvdesk.userdata.database import BUSY_TIMEOUT_MS, connect, quick_check
from qpvdesk.userdata.text import french_datetime
from qpvdesk.userdata.views import BackupInfo

KEEP_AUTOMATIC = 5
KINDS = {
    "auto": "automatique",
    "avant-mise-a-jour": "avant mise à jour",
    "avant-restauration": "avant restauration",
    "manuelle": "manuelle",
}
SUFFIXES = ("", "-wal", "-shm", "-journal")


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def copy_database(source: Path, target: Path) -> None:
    """Consistent copy of `source` into the new file `target` (online backup API), written beside
    the target first, so a crash never leaves a half-written copy under the real name."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
            dst.commit()
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(tmp, target)


def make_backup(db_path: Path, folder: Path, kind: str = "auto", label: str = "") -> Path | None:
    """Copy the database into the backups folder. An automatic copy identical to the newest
    automatic copy is not kept twice (five starts without changes keep the older history)."""
    name = f"{kind}{'-' + label if label else ''}-{_stamp()}.sqlite"
    target = folder / name
    copy_database(db_path, target)
    if kind == "auto":
        previous = [p for p in _files(folder) if p.name.startswith("auto-") and p != target]
        if previous and filecmp.cmp(previous[0], target, shallow=False):
            target.unlink()  # our own duplicate, made a moment ago
            return None
        rotate(folder)
    return target


def _files(folder: Path) -> list[Path]:
    """Backup files, newest first."""
    if not folder.is_dir():
        return []
    return sorted(
        (p for p in folder.glob("*.sqlite") if not p.name.startswith(".")),
        key=lambda p: (p.stat().st_mtime, p.name),
        reverse=True,
    )


def rotate(folder: Path, keep: int = KEEP_AUTOMATIC) -> None:
    autos = [p for p in _files(folder) if p.name.startswith("auto-")]
    for old in autos[keep:]:
        old.unlink(missing_ok=True)


def _kind(path: Path) -> str:
    for prefix, label in sorted(KINDS.items(), key=lambda kv: -len(kv[0])):
        if path.name.startswith(prefix + "-"):
            return label
    return "copie"


def inspect(path: Path) -> BackupInfo:
    partners: int | None = None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            partners = conn.execute("SELECT count(*) FROM local_partner WHERE deleted_at IS NULL").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        partners = None
    stat = path.stat()
    created = french_datetime(datetime.fromtimestamp(stat.st_mtime).astimezone().isoformat())
    return BackupInfo(path, created, _kind(path), stat.st_size, partners)


def list_backups(folder: Path) -> list[BackupInfo]:
    return [inspect(p) for p in _files(folder)]


def is_sound_user_db(path: Path) -> str | None:
    """None when `path` is a readable qpvdesk user database, else a French reason."""
    reason = quick_check(path)
    if reason:
        return reason
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return french_reason(exc)
    if not {"alembic_version", "local_partner"} <= tables:
        return "ce fichier n'est pas une base qpvdesk"
    return None


def set_aside(db_path: Path) -> Path:
    """Rename the database and its -wal/-shm files under a dated name; returns the new main file."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = db_path.with_name(f"{db_path.stem}-endommagee-{stamp}{db_path.suffix}")
    n = 1
    while target.exists():
        n += 1
        target = db_path.with_name(f"{db_path.stem}-endommagee-{stamp}-{n}{db_path.suffix}")
    for suffix in SUFFIXES:
        source = Path(f"{db_path}{suffix}")
        if source.exists():
            os.replace(source, Path(f"{target}{suffix}"))
    return target


def newest_sound_backup(folder: Path) -> Path | None:
    for candidate in _files(folder):
        if is_sound_user_db(candidate) is None:
            return candidate
    return None


def restore_into(backup: Path, db_path: Path) -> None:
    """Replace the live database's content with the backup's, through the backup API (other
    connections, even in another window, then see the restored content; no file is swapped)."""
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        dst = connect(db_path)
        try:
            src.backup(dst)
            if dst.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                dst.execute("PRAGMA journal_mode = WAL")
        finally:
            dst.close()
    finally:
        src.close()
