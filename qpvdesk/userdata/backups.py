"""Backups of the user database: automatic rotating copies, copies before upgrades and restores,
restore of a chosen copy, and recovery of a damaged database at start.

Copies use SQLite's online backup API (consistent even while another window writes) and are
single self-contained files (journal mode DELETE) that people can copy by hand. A damaged
database is renamed, never deleted. Only automatic copies rotate (the 5 newest are kept).
"""

from __future__ import annotations

import filecmp
import os
import re
import sqlite3
import time
from datetime import datetime
from pathlib import Path

from qpvdesk.errors import french_reason
from qpvdesk.userdata.database import BUSY_TIMEOUT_MS, connect, integrity_problem
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
PRIVATE_MODE = 0o600
# qpvdesk's own hidden temporary files in the user folder and its backups folder (see copy_database,
# and the writability probe of store.py); one older than this is not being written any more
LEFTOVER = re.compile(r"^\.(?:(?:auto|avant-mise-a-jour|avant-restauration|manuelle)-.+\.sqlite|qpvdesk-utilisateur\.sqlite)"
                      r"\.tmp(?:-journal|-wal|-shm)?$|^\.qpvdesk-essai-[^/\\]+\.tmp$")
LEFTOVER_AGE_S = 300


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def copy_database(source: Path, target: Path) -> None:
    """Consistent copy of `source` into the new file `target` (online backup API), written beside
    the target first, so a crash never leaves a half-written copy under the real name. The copy is
    readable by its owner only (it holds people's names and e-mails)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    _remove_with_journals(tmp)
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE))  # SQLite keeps the mode
    try:
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
    except BaseException:
        _remove_with_journals(tmp)  # a full disk must not leave an empty hidden copy behind at each start
        raise


def _remove_with_journals(path: Path) -> None:
    for suffix in SUFFIXES:
        try:
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        except OSError:
            pass  # nothing more can be done here; clean_leftovers tries again at the next start


def make_backup(db_path: Path, folder: Path, kind: str = "auto", label: str = "") -> Path | None:
    """Copy the database into the backups folder. An automatic copy identical to the newest
    automatic copy is not kept twice (five starts without changes keep the older history);
    automatic copies are rotated by check_and_rotate."""
    name = f"{kind}{'-' + label if label else ''}-{_stamp()}.sqlite"
    target = folder / name
    copy_database(db_path, target)
    if kind == "auto":
        previous = [p for p in _files(folder) if p.name.startswith("auto-") and p != target]
        if previous and filecmp.cmp(previous[0], target, shallow=False):
            target.unlink()  # our own duplicate, made a moment ago
            return None
    return target


def check_and_rotate(folder: Path, fresh: Path, keep: int = KEEP_AUTOMATIC) -> str | None:
    """Fully check the automatic copy just made, then rotate. When the copy is not sound (a fault of the live
    database that the quick check at start cannot see), the newest copy that passes the full check is kept
    beyond the five, so a clean copy is never rotated away. Returns the fault found, in French."""
    problem = integrity_problem(fresh)
    autos = [p for p in _files(folder) if p.name.startswith("auto-")]
    doomed = autos[keep:]
    if problem is not None:
        for candidate in autos:
            if candidate != fresh and integrity_problem(candidate) is None:
                if candidate in doomed:
                    doomed.remove(candidate)
                break
    for old in doomed:
        old.unlink(missing_ok=True)
    return problem


def _files(folder: Path) -> list[Path]:
    """Backup files, newest first."""
    if not folder.is_dir():
        return []
    return sorted(
        (p for p in folder.glob("*.sqlite") if not p.name.startswith(".")),
        key=lambda p: (p.stat().st_mtime, p.name),
        reverse=True,
    )


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
    """None when `path` is a readable qpvdesk user database, else a French reason (full integrity check:
    a copy is trusted only after it, before a restore or a recovery)."""
    reason = integrity_problem(path)
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


def put_back(aside: Path, db_path: Path) -> None:
    """Undo set_aside (the recovery could not finish): the damaged file is found and recovered at the next start."""
    for suffix in SUFFIXES:
        source = Path(f"{aside}{suffix}")
        if source.exists() and not Path(f"{db_path}{suffix}").exists():
            os.replace(source, Path(f"{db_path}{suffix}"))


def remove_if_empty(path: Path) -> None:
    """Remove a database file that qpvdesk has just created and could not fill (with its -wal and -shm)."""
    try:
        if path.stat().st_size == 0:
            _remove_with_journals(path)
    except OSError:
        pass


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


def clean_leftovers(*folders: Path, now: float | None = None) -> list[Path]:
    """Remove the hidden temporary files that an interrupted backup left (a kill, a full disk): only names that
    qpvdesk itself makes, and only ones untouched for LEFTOVER_AGE_S (a copy in progress in another window is
    being written). Called under the opening lock. Returns what was removed."""
    now = time.time() if now is None else now
    removed = []
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not LEFTOVER.match(entry.name):
                continue
            try:
                if entry.is_file(follow_symlinks=False) and now - entry.stat(follow_symlinks=False).st_mtime > LEFTOVER_AGE_S:
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
            except OSError:
                continue
    return removed
