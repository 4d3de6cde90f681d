"""Damaged copies of a catalogue, made the way a failing disk or a bad copy would (for tests and probes).

Each function reads `source` and writes a damaged copy to `target`; all are deterministic.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path


def truncated(source: Path, target: Path, keep: float = 0.5) -> Path:
    """The first part of the file only (a copy interrupted half-way)."""
    data = Path(source).read_bytes()
    target.write_bytes(data[: int(len(data) * keep)])
    return target


def garbled_page(source: Path, target: Path, table: str = "entity", seed: int = 7) -> Path:
    """One table's root page overwritten with random bytes: the file opens, reading that table fails."""
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()[0]
    data = bytearray(Path(source).read_bytes())
    start = (root - 1) * page_size
    data[start : start + page_size] = random.Random(seed).randbytes(page_size)
    target.write_bytes(bytes(data))
    return target


def scribbled(source: Path, target: Path, seed: int = 0, spots: int = 200) -> Path:
    """64 random bytes at `spots` random places past the first page (as in the December 2026 audit)."""
    data = bytearray(Path(source).read_bytes())
    rng = random.Random(seed)
    for _ in range(spots):
        where = rng.randrange(4096, len(data) - 64)
        data[where : where + 64] = rng.randbytes(64)
    target.write_bytes(bytes(data))
    return target


def wrong_encoding(source: Path, target: Path) -> Path:
    """Every « é » turned into bytes that are not UTF-8 (same length: the pages stay sound, the text does not)."""
    target.write_bytes(Path(source).read_bytes().replace("é".encode(), b"\xe9\xe9"))
    return target


DAMAGES = {
    "tronque": truncated,
    "page-brouillee": garbled_page,
    "encodage": wrong_encoding,
}
