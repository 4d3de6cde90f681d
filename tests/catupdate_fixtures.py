"""Helpers of the catalogue update tests: a shipped catalogue (mini), a publisher key, derived catalogues."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from qpvdesk.cli import main


def derived_catalogue(base: Path, target: Path, newest: str = "2026-12-01", schema: str | None = None) -> Path:
    """A copy of `base` as a publisher's next edition: one fiche added, one fact changed, the PNRU fiche removed."""
    shutil.copyfile(base, target)
    conn = sqlite3.connect(target)
    with conn:
        conn.execute("INSERT INTO entity (id, kind, name, status, summary, origin) VALUES "
                     "('quartiers-fertiles', 'programme', 'Quartiers fertiles', 'active', 'Agriculture urbaine.', 'test')")
        conn.execute("UPDATE fact SET value = 'Tutelle confirmée en 2026.' WHERE label = 'Tutelle de l''ANRU'")
        conn.execute("DELETE FROM fact WHERE entity_id = 'pnru'")
        conn.execute("DELETE FROM relation WHERE source_id = 'pnru' OR target_id = 'pnru'")
        conn.execute("UPDATE glossary_term SET entity_id = NULL WHERE entity_id = 'pnru'")
        conn.execute("DELETE FROM entity WHERE id = 'pnru'")
        conn.execute("UPDATE meta SET value = ? WHERE key = 'newest_information_date'", (newest,))
        if schema is not None:
            conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (schema,))
    conn.close()
    return target


@pytest.fixture()
def shipped(mini_catalogue_path, tmp_path, monkeypatch):
    """The mini catalogue plays the shipped data.sqlite; resources/keys/ is an empty folder of this test."""
    from qpvdesk.updates import install, keys

    copy = tmp_path / "bundle" / "data.sqlite"
    copy.parent.mkdir()
    shutil.copyfile(mini_catalogue_path, copy)
    copy.chmod(0o444)
    (tmp_path / "bundle" / "keys").mkdir()
    monkeypatch.setattr(install, "shipped_catalogue", lambda: copy)
    monkeypatch.setattr(keys, "shipped_keys_dir", lambda: tmp_path / "bundle" / "keys")
    monkeypatch.delenv("QPVDESK_CATALOGUE", raising=False)
    return copy


@pytest.fixture()
def publisher(tmp_path, shipped):
    """A trusted publisher key (keygen + trust from the command line) and a packer."""
    prefix = tmp_path / "pub" / "editeur"
    prefix.parent.mkdir()
    assert main(["catalogue", "keygen", str(prefix), "--name", "Réseau des formateurs"]) == 0
    assert main(["catalogue", "trust", f"{prefix}.pub"]) == 0

    def pack(name: str, version: str, source: Path | None = None, key: Path | None = None) -> Path:
        out = tmp_path / name
        source = source or derived_catalogue(shipped, tmp_path / f"{name}.sqlite")
        assert main(["catalogue", "pack", str(out), "--key", str(key or f"{prefix}.key"), "--version", version,
                     "--catalogue", str(source)]) == 0
        return out

    pack.key = Path(f"{prefix}.key")
    return pack
