"""Is the write-ahead journal (`…-wal`) of the user database damaged, so that committed changes would be lost?

SQLite reads a WAL up to its first invalid frame and ignores the rest without a word: a damaged header loses every
change in it, a garbled or cut frame loses that transaction and every later one. This module reads the WAL the
way SQLite does (https://www.sqlite.org/fileformat.html#the_write_ahead_log) to say so, before SQLite opens it.
A WAL cut after a process was killed in the middle of a transaction is normal (that transaction was never
committed) and is not reported. A deleted WAL cannot be seen: nothing is left to read.
"""

from __future__ import annotations

import shutil
import sqlite3
import struct
from datetime import datetime
from pathlib import Path

HEADER = 32
FRAME_HEADER = 24
MAGICS = {0x377F0682: "<", 0x377F0683: ">"}  # the checksum words' byte order
MAX_CHECKED = 8 * 1024 * 1024  # beyond, only the header is checked (pure Python: about 0.1 s per MB)


def _checksum(data: bytes, order: str, s0: int = 0, s1: int = 0) -> tuple[int, int]:
    for x0, x1 in struct.iter_unpack(f"{order}II", data):
        s0 = (s0 + x0 + s1) & 0xFFFFFFFF
        s1 = (s1 + x1 + s0) & 0xFFFFFFFF
    return s0, s1


def damage(wal: bytes, size: int | None = None) -> str | None:
    """Why committed changes in this WAL would be lost (French), or None. `wal`: its bytes (maybe only the first
    ones), `size`: the file's real size."""
    size = len(wal) if size is None else size
    if size == 0:
        return None
    if size < HEADER:
        return "journal tronqué"
    magic, version, page_size, _seq, salt1, salt2, c0, c1 = struct.unpack(">8I", wal[:HEADER])
    order = MAGICS.get(magic)
    if order is None or version != 3007000 or page_size < 512 or page_size & (page_size - 1):
        return "en-tête du journal illisible"
    if _checksum(wal[:24], order) != (c0, c1):
        return "en-tête du journal illisible"
    if len(wal) < size:
        return None  # too big to read at every start: header only
    frame = FRAME_HEADER + page_size
    s0, s1 = c0, c1
    offset, last_valid_is_commit = HEADER, True
    while offset + frame <= len(wal):
        page, commit, f_salt1, f_salt2, f0, f1 = struct.unpack(">6I", wal[offset:offset + FRAME_HEADER])
        if (f_salt1, f_salt2) != (salt1, salt2):
            break  # frames of an earlier cycle: stale, normal
        s0, s1 = _checksum(wal[offset:offset + 8], order, s0, s1)
        s0, s1 = _checksum(wal[offset + FRAME_HEADER:offset + frame], order, s0, s1)
        if (s0, s1) != (f0, f1) or page == 0:
            # SQLite stops here; a commit further on, of this same cycle, is then lost
            for later in range(offset, len(wal) - frame + 1, frame):
                _, l_commit, l_salt1, l_salt2 = struct.unpack(">4I", wal[later:later + 16])
                if l_commit and (l_salt1, l_salt2) == (salt1, salt2):
                    return "contenu du journal altéré"
            return None
        last_valid_is_commit = commit != 0
        offset += frame
    if offset < len(wal) and offset + frame > len(wal) and not last_valid_is_commit:
        return "journal tronqué au milieu d'une modification enregistrée"
    return None


def check_and_keep(db_path: Path) -> tuple[str, Path] | None:
    """Look at the database's WAL while holding SQLite's write lock (no other window appends meanwhile). When it is
    damaged, a copy is kept beside the database (SQLite then uses what is still valid in it). Returns (reason,
    copy) or None. Any error (no WAL, damaged main file…) returns None: the start-up checks that follow see it."""
    wal = Path(f"{db_path}-wal")
    try:
        if not wal.is_file() or wal.stat().st_size == 0:
            return None
        conn = sqlite3.connect(str(db_path), timeout=10, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                size = wal.stat().st_size
                with wal.open("rb") as f:
                    data = f.read(size if size <= MAX_CHECKED else HEADER)
                reason = damage(data, size)
                if reason is None:
                    return None
                stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
                aside = db_path.with_name(f"{db_path.stem}-journal-endommage-{stamp}{db_path.suffix}-wal")
                shutil.copyfile(wal, aside)
                aside.chmod(0o600)  # people's names and e-mails, like the database
                return reason, aside
            finally:
                conn.execute("ROLLBACK")
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        return None
