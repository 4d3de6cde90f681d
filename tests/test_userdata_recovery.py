"""Backups and recovery: a rotating copy at each start (5 kept), restore of a chosen copy, and a
damaged database set aside under a dated name with the newest sound backup restored — nothing deleted."""

from __future__ import annotations

import sqlite3

import pytest

from qpvdesk.userdata import PartnerFields, backups, open_user_data
from qpvdesk.userdata.location import BACKUP_DIR, DB_NAME
from qpvdesk.userdata.messages import UserDataError


def start(folder, name=None):
    """One start of the app; `name` adds a partner (so the next start has something new to back up)."""
    with open_user_data(folder) as data:
        if name:
            data.create_partner(PartnerFields(name=name))
        return data.startup


def autos(folder):
    return sorted(p.name for p in (folder / BACKUP_DIR).glob("auto-*.sqlite"))


def test_a_backup_at_each_start_five_kept_unchanged_data_not_copied_twice(tmp_path):
    folder = tmp_path / "ud"
    start(folder, "P0")
    assert autos(folder) == []  # nothing to back up on the very first start
    for n in range(1, 8):
        start(folder, f"P{n}")
    assert len(autos(folder)) == 5
    before = autos(folder)
    start(folder)  # no change since the last start…
    start(folder)
    assert autos(folder) != before and len(autos(folder)) == 5  # …one new copy (of P7), then none
    newest = backups.list_backups(folder / BACKUP_DIR)[0]
    assert newest.partners == 8 and newest.kind == "automatique" and "à" in newest.created_at
    start(folder)
    assert len(backups.list_backups(folder / BACKUP_DIR)) == 5


@pytest.mark.parametrize("damage", ["garbage", "truncated", "zeroed-page", "empty"])
def test_damaged_database_is_set_aside_and_newest_sound_backup_restored(tmp_path, damage):
    folder = tmp_path / "ud"
    start(folder, "Ancien")
    start(folder, "Récent")  # this start backed up the state with "Ancien"
    start(folder)  # and this one the state with "Ancien" and "Récent"
    path = folder / DB_NAME
    original = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"ceci n'est pas une base SQLite" * 200)
    elif damage == "truncated":
        path.write_bytes(original[: len(original) // 3])
    elif damage == "zeroed-page":
        path.write_bytes(original[:4096] + b"\x00" * 4096 + original[8192:])
    else:
        path.write_bytes(b"")
    damaged = path.read_bytes()
    with open_user_data(folder) as data:
        report = data.startup
        assert report.recovered and report.restored_from is not None
        assert sorted(p.name for p in data.list_partners()) == ["Ancien", "Récent"]
        message = report.messages[0]
        assert "endommagée" in message and "mise de côté" in message and "restaurée" in message
    [aside] = report.set_aside
    assert aside.name.startswith("qpvdesk-utilisateur-endommagee-") and aside.read_bytes() == damaged  # nothing deleted
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    conn.close()


def test_damaged_database_without_backup_starts_empty_and_keeps_the_file(tmp_path):
    folder = tmp_path / "ud"
    folder.mkdir()
    (folder / DB_NAME).write_bytes(b"\x13" * 10_000)
    with open_user_data(folder) as data:
        assert data.list_partners() == []
        assert "aucune sauvegarde" in data.startup.messages[0]
    assert data.startup.set_aside[0].read_bytes() == b"\x13" * 10_000


def test_a_damaged_backup_is_skipped(tmp_path):
    folder = tmp_path / "ud"
    start(folder, "A")
    start(folder, "B")
    start(folder)
    newest = backups.list_backups(folder / BACKUP_DIR)[0].path
    newest.write_bytes(b"abime" * 1000)
    (folder / DB_NAME).write_bytes(b"abime" * 1000)
    with open_user_data(folder) as data:
        assert [p.name for p in data.list_partners()] == ["A"]  # the older, sound copy
    assert newest.exists()


def test_foreign_sqlite_file_is_set_aside(tmp_path):
    folder = tmp_path / "ud"
    folder.mkdir()
    conn = sqlite3.connect(folder / DB_NAME)
    conn.execute("CREATE TABLE autre_chose (x)")
    conn.commit()
    conn.close()
    with open_user_data(folder) as data:
        assert data.startup.recovered and "pas une base qpvdesk" in data.startup.messages[0]
        assert data.list_partners() == []


def test_restore_backup_keeps_a_copy_of_the_current_data(tmp_path):
    folder = tmp_path / "ud"
    start(folder, "Avant")
    with open_user_data(folder) as data:
        data.create_partner(PartnerFields(name="Après"))
        chosen = data.list_backups()[0]
        assert chosen.partners == 1
        message = data.restore_backup(chosen.path)
        assert "a été restaurée" in message and "avant-restauration" in message
        assert [p.name for p in data.list_partners()] == ["Avant"]
        data.create_partner(PartnerFields(name="Encore"))  # still usable after the restore
        safety = [b for b in data.list_backups() if b.kind == "avant restauration"]
        assert len(safety) == 1 and safety[0].partners == 2
        bad = tmp_path / "pas-une-sauvegarde.sqlite"
        bad.write_bytes(b"x" * 5000)
        before = [p.name for p in data.list_partners()]
        with pytest.raises(UserDataError, match="pas une sauvegarde qpvdesk lisible"):
            data.restore_backup(bad)
        assert [p.name for p in data.list_partners()] == before
    conn = sqlite3.connect(folder / DB_NAME)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_restore_seen_by_another_window(tmp_path):
    folder = tmp_path / "ud"
    start(folder, "Avant")
    with open_user_data(folder) as first, open_user_data(folder, backup=False) as second:
        second.create_partner(PartnerFields(name="Après"))
        first.restore_backup(first.list_backups()[-1].path)
        assert [p.name for p in second.list_partners()] == ["Avant"]


def test_manual_backup_to_a_chosen_file(tmp_path):
    folder = tmp_path / "ud"
    start(folder, "A")
    with open_user_data(folder) as data:
        target = data.backup_now(tmp_path / "cle-usb" / "copie.sqlite")
        assert backups.is_sound_user_db(target) is None
        assert data.backup_now().name.startswith("manuelle-")
