"""Faults of the disk under the user's data: full disk, read-only file or folder, interrupted backups, damage that
only the full integrity check sees. Nothing ends in a traceback, nothing is lost, and the user is told in French."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import time
from contextlib import contextmanager

import pytest
from userdata_fixtures import big_csv, snapshot

from qpvdesk.cli import main
from qpvdesk.userdata import PartnerFields, backups, database, open_user_data
from qpvdesk.userdata.location import BACKUP_DIR, DB_NAME
from qpvdesk.userdata.messages import UserDataError

posix_only = pytest.mark.skipif(os.name != "posix", reason="Unix permissions")


@pytest.fixture()
def user_dir(tmp_path, monkeypatch, mini_catalogue_path):
    folder = tmp_path / "ud"
    monkeypatch.setenv("QPVDESK_USER_DIR", str(folder))
    monkeypatch.setenv("QPVDESK_CATALOGUE", str(mini_catalogue_path))
    with open_user_data(folder) as data:
        for name in ("Centre social Élan", "Régie de quartier", "Association Trait d'union"):
            data.create_partner(PartnerFields(name=name))
    return folder


def disk_full_after(monkeypatch, spare_pages: int) -> None:
    """Every later connection to the user database may grow it by `spare_pages` pages only: SQLite then answers
    SQLITE_FULL (« database or disk is full ») exactly as on a full disk, through the real write path."""
    real_connect = database.connect

    def connect(path, *args, **kwargs):
        conn = real_connect(path, *args, **kwargs)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + spare_pages}")
        return conn

    monkeypatch.setattr(database, "connect", connect)


@contextmanager
def protected(*paths):
    """Make files or folders unwritable: `chattr +i` for root (whom permissions do not stop), chmod otherwise."""
    undo = []
    try:
        for path in paths:
            if os.geteuid() == 0:
                if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
                    pytest.skip("cannot make a file read-only for root on this file system")
                undo.append(["chattr", "-i", str(path)])
            else:
                mode = stat.S_IMODE(path.stat().st_mode)
                path.chmod(mode & ~0o222)
                undo.append(["chmod", oct(mode)[2:], str(path)])
        yield
    finally:
        for command in reversed(undo):
            subprocess.run(command, check=True)


# --- item 3: import on a full disk, or into a read-only file ---------------------------------------------------


def test_import_on_a_full_disk_says_so_in_french_and_changes_nothing(user_dir, tmp_path, monkeypatch, capsys):
    before = snapshot(user_dir / DB_NAME)
    disk_full_after(monkeypatch, spare_pages=2)
    assert main(["partners", "import", str(big_csv(tmp_path / "gros.csv", 3000))]) == 1
    err = capsys.readouterr().err
    assert "disque plein" in err and "Rien n'a été modifié" in err
    assert "Traceback" not in err and "sqlalche" not in err and "OperationalError" not in err
    assert snapshot(user_dir / DB_NAME) == before
    monkeypatch.undo()
    with open_user_data(user_dir) as data:  # space freed: everything works again
        assert len(data.list_partners()) == 3 and data.integrity_problem() is None


def test_a_note_saved_on_a_full_disk_gives_a_french_error(user_dir, monkeypatch):
    disk_full_after(monkeypatch, spare_pages=0)
    with open_user_data(user_dir) as data, pytest.raises(UserDataError, match="disque plein"):
        data.set_note("anru", "x" * 15_000)


def test_import_into_a_read_only_database_file(user_dir, tmp_path, capsys):
    path = big_csv(tmp_path / "in.csv", 10)
    before = snapshot(user_dir / DB_NAME)
    with protected(user_dir / DB_NAME):
        assert main(["partners", "list"]) == 0
        assert "3 partenaires locaux" in capsys.readouterr().out
        assert main(["partners", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "lecture seule" in err and "Rien n'a été modifié" in err and "Traceback" not in err
    assert snapshot(user_dir / DB_NAME) == before


# --- item 4: the data can still be read when nothing can be written ---------------------------------------------


def test_full_disk_at_start_opens_the_data_read_only_and_says_so(user_dir, monkeypatch, capsys):
    with open_user_data(user_dir) as data:
        data.create_partner(PartnerFields(name="Nouveau depuis la dernière copie"))  # so the start makes a copy

    def full(source, target):
        raise sqlite3.OperationalError("database or disk is full")  # what the backup API raises on a full disk

    monkeypatch.setattr(backups, "copy_database", full)
    assert main(["partners", "list"]) == 0
    captured = capsys.readouterr()
    assert "4 partenaires locaux" in captured.out
    assert "lecture seule : disque plein" in captured.err and "aucune modification ne pourra être enregistrée" in captured.err
    with open_user_data(user_dir) as data:
        assert data.read_only == "disque plein"
        with pytest.raises(UserDataError, match="lecture seule"):
            data.create_partner(PartnerFields(name="Refusé"))


def test_a_full_disk_at_the_first_check_does_not_set_the_data_aside_as_damaged(user_dir, monkeypatch):
    """On a full disk SQLite cannot create the -shm file of the database: every read-write opening fails with
    « disk I/O error ». That is no damage: the data must open read-only, not be set aside and replaced."""
    real = sqlite3.connect

    def connect(target, *args, **kwargs):
        if str(user_dir) in str(target) and "mode=ro" not in str(target) and "immutable=1" not in str(target):
            error = sqlite3.OperationalError("disk I/O error")
            error.sqlite_errorcode, error.sqlite_errorname = 10, "SQLITE_IOERR"
            raise error
        return real(target, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    monkeypatch.setattr("qpvdesk.userdata.store.FULL_BELOW_BYTES", 2**62)  # whatever is free counts as full
    with open_user_data(user_dir) as data:
        assert data.read_only == "disque plein" and len(data.list_partners()) == 3
        assert data.startup.set_aside == [] and data.startup.messages == []
    assert sorted(p.name for p in user_dir.iterdir() if "endommagee" in p.name) == []


def test_read_only_folder_opens_the_data_read_only_and_names_the_reason(user_dir, capsys):
    with protected(user_dir / BACKUP_DIR, user_dir):
        assert main(["partners", "list"]) == 0
        captured = capsys.readouterr()
        assert "3 partenaires locaux" in captured.out
        assert "lecture seule" in captured.err and str(user_dir) in captured.err
        assert "erreur de la base de données" not in captured.err
        assert main(["partners", "import", str(user_dir.parent / "absent.csv")]) == 1
        assert main(["notes", "import", str(user_dir.parent / "absent.json")]) == 1
        with open_user_data(user_dir) as data:
            assert [p.name for p in data.list_partners()][:1] == ["Association Trait d'union"]
            with pytest.raises(UserDataError, match="lecture seule"):
                data.set_note("anru", "refusée")
        assert sorted(p.name for p in user_dir.iterdir()) == [".ouverture.lock", DB_NAME, BACKUP_DIR]


def test_read_only_folder_without_data_says_what_is_wrong(tmp_path):
    folder = tmp_path / "vide"
    folder.mkdir()
    with protected(folder), pytest.raises(UserDataError) as caught:
        open_user_data(folder)
    assert "Impossible d'écrire" in str(caught.value) and "erreur de la base de données" not in str(caught.value)


# --- item 5: hidden copies left by an interrupted backup ------------------------------------------------------


def test_leftovers_of_an_interrupted_backup_are_removed_at_start_and_nothing_else(user_dir):
    saves = user_dir / BACKUP_DIR
    old = time.time() - 3600
    leftovers = [saves / ".auto-20261204-101010-000001.sqlite.tmp", saves / ".auto-20261204-101010-000001.sqlite.tmp-journal",
                 user_dir / f".{DB_NAME}.tmp", user_dir / ".qpvdesk-essai-abc123.tmp"]
    fresh = saves / ".manuelle-20261204-111111-000002.sqlite.tmp"  # another window's copy, being written
    theirs = [user_dir / ".export.csv.k2j3.tmp", saves / "ma-copie.sqlite.tmp", saves / ".auto-notes.txt"]
    for path in [*leftovers, *theirs]:
        path.write_bytes(b"x" * 1000)
        os.utime(path, (old, old))
    fresh.write_bytes(b"x")
    with open_user_data(user_dir):
        pass
    assert not any(p.exists() for p in leftovers)
    assert fresh.exists() and all(p.exists() for p in theirs)


def test_a_full_disk_during_the_start_backup_leaves_no_hidden_copy(user_dir, monkeypatch):
    with open_user_data(user_dir) as data:
        data.create_partner(PartnerFields(name="Changement"))
    real = sqlite3.connect

    def connect(target, *args, **kwargs):
        conn = real(target, *args, **kwargs)
        if str(target).endswith(".sqlite.tmp"):  # the backup copy being written: a disk with one page left
            conn.execute("PRAGMA max_page_count = 1")
        return conn

    monkeypatch.setattr(backups.sqlite3, "connect", connect)
    for _ in range(3):
        with open_user_data(user_dir) as data:
            assert data.read_only == "disque plein"
    assert [p.name for p in (user_dir / BACKUP_DIR).iterdir() if p.name.startswith(".")] == []


# --- item 7: private files ------------------------------------------------------------------------------------


@posix_only
def test_database_and_backups_are_readable_by_their_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        folder = tmp_path / "ud"
        for name in ("A", "B"):
            with open_user_data(folder) as data:
                data.create_partner(PartnerFields(name=name, email=f"{name}@example.org"))
        with open_user_data(folder) as data:
            copy = data.backup_now()
            outside = data.backup_now(tmp_path / "clé USB.sqlite")
    finally:
        os.umask(old)
    auto = next((folder / BACKUP_DIR).glob("auto-*.sqlite"))
    for path in (folder / DB_NAME, auto, copy, outside):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


# --- item 2: damage that only the full check sees -------------------------------------------------------------


def break_an_index(path) -> None:
    """Empty the root page of an index of local partners: rows then miss from that index. quick_check, run at
    every start, does not see it; integrity_check does ("row 1 missing from index …")."""
    conn = sqlite3.connect(path)
    root, page_size = conn.execute("SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'local_partner' "
                                   "ORDER BY name LIMIT 1").fetchone()[0], conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as f:  # an empty index leaf page: type 0x0A, no cell, content area at the page end
        f.seek((root - 1) * page_size)
        f.write(bytes([0x0A, 0, 0, 0, 0]) + page_size.to_bytes(2, "big") + b"\x00" * (page_size - 7))
    assert database.quick_check(path) is None and "missing from index" in database.integrity_problem(path)


def test_index_damage_is_reported_and_the_last_clean_backup_is_never_rotated_away(user_dir):
    with open_user_data(user_dir):
        pass  # this start copies the sound data
    clean_copies = sorted((user_dir / BACKUP_DIR).glob("auto-*.sqlite"))
    assert len(clean_copies) == 1
    break_an_index(user_dir / DB_NAME)
    for n in range(7):  # more starts with changes than copies kept
        with open_user_data(user_dir) as data:
            assert any("contrôle complet" in m and "missing from index" in m for m in data.startup.messages)
            data.set_note("anru", f"version {n}")
    kept = sorted((user_dir / BACKUP_DIR).glob("auto-*.sqlite"))
    assert len(kept) == 6  # the five newest, plus the newest sound one
    sound = [p for p in kept if database.integrity_problem(p) is None]
    assert sound == [clean_copies[-1]]


def test_a_backup_with_index_damage_is_not_restored(user_dir):
    with open_user_data(user_dir) as data:
        copy = data.backup_now()
    break_an_index(copy)
    with open_user_data(user_dir) as data, pytest.raises(UserDataError, match="n'est pas une sauvegarde qpvdesk lisible"):
        data.restore_backup(copy)


# --- item 2: a damaged -wal journal ---------------------------------------------------------------------------


def committed_only_in_the_journal(tmp_path):
    """A copy of a user folder taken while 300 imported partners were committed but still only in the -wal (as
    after a crash, or a USB stick pulled out): the main file holds 1 partner."""
    source = tmp_path / "source"
    with open_user_data(source) as data:
        data.create_partner(PartnerFields(name="Ancien"))
    with open_user_data(source) as data:
        assert data.import_partners(big_csv(tmp_path / "in.csv", 300), dry_run=False).applied
        copy = tmp_path / "copie"
        shutil.copytree(source, copy)
    wal_path = copy / f"{DB_NAME}-wal"
    assert wal_path.stat().st_size > 0
    return copy, wal_path


def partners_in(folder):
    with open_user_data(folder) as data:
        return len(data.list_partners()), data.startup


def test_an_intact_journal_keeps_every_committed_row(tmp_path):
    folder, _ = committed_only_in_the_journal(tmp_path)
    count, report = partners_in(folder)
    assert count == 301 and report.messages == [] and not report.recovered


@pytest.mark.parametrize("damage", ["header", "truncated", "scribbled"])
def test_a_damaged_journal_is_reported_and_kept(tmp_path, damage):
    folder, wal_path = committed_only_in_the_journal(tmp_path)
    data = bytearray(wal_path.read_bytes())
    if damage == "header":
        data[0:8] = b"\xde\xad\xbe\xef" * 2
    elif damage == "truncated":
        data = data[: len(data) * 2 // 3 + 1000]
    else:
        data[len(data) // 3: len(data) // 3 + 64] = bytes(range(64))
    wal_path.write_bytes(bytes(data))
    count, report = partners_in(folder)
    assert count == 1  # SQLite could not use the journal: the committed rows are gone…
    [message] = report.messages  # …and the user is told, with the damaged journal kept for an expert
    assert "journal de vos dernières modifications était endommagé" in message and "n'ont pas pu être récupérées" in message
    [aside] = report.set_aside
    assert aside.name in message and aside.read_bytes() == bytes(data) and report.recovered


def test_a_journal_cut_between_frames_after_a_kill_is_not_reported(tmp_path):
    """A process killed in the middle of a transaction leaves whole frames without their commit: normal."""
    folder, wal_path = committed_only_in_the_journal(tmp_path)
    page_size = int.from_bytes(wal_path.read_bytes()[8:12], "big")
    with open(wal_path, "r+b") as f:
        f.truncate(32 + 3 * (24 + page_size))
    count, report = partners_in(folder)
    assert count == 1 and report.messages == []


# --- item 4, in the window: a lasting notice, no dialog -------------------------------------------------------


def test_window_shows_a_lasting_read_only_notice(loaded_window, mini_catalogue_path, user_dir):
    from qpvdesk.ui.app import install_user_data

    w = loaded_window(mini_catalogue_path)
    with protected(user_dir / BACKUP_DIR, user_dir), open_user_data(user_dir) as data:
        install_user_data(w, data)
        notice = w.read_only_notice
        assert notice.isVisible() and "lecture seule" in notice.text()
        assert "aucune modification ne pourra être enregistrée" in notice.toolTip() and str(user_dir) in notice.toolTip()
        assert getattr(w, "user_data_message", None) is None  # nothing modal to dismiss
        assert w.user_data is data and len(data.list_partners()) == 3


def test_a_recovery_that_a_full_disk_stops_leaves_the_damaged_file_in_place_for_the_next_start(user_dir, monkeypatch):
    with open_user_data(user_dir):
        pass  # a sound backup
    path = user_dir / DB_NAME
    path.write_bytes(b"abime" * 2000)

    def full(source, target):
        raise OSError(28, "No space left on device", str(target))

    monkeypatch.setattr(backups, "copy_database", full)
    with pytest.raises(UserDataError, match="disque plein"):
        open_user_data(user_dir)
    assert path.read_bytes() == b"abime" * 2000  # not set aside, then replaced by an empty base at the next start
    monkeypatch.undo()
    with open_user_data(user_dir) as data:  # space freed: the recovery happens
        assert data.startup.recovered and len(data.list_partners()) == 3


def test_wal_reading_rules():
    """The WAL reader itself: an empty journal is fine, a too-short one or one with a foreign header is not."""
    from qpvdesk.userdata.wal import damage

    assert damage(b"") is None
    assert damage(b"\x37\x7f\x06\x82" + b"\x00" * 10) == "journal tronqué"
    assert damage(b"PK\x03\x04" + b"\x00" * 60) == "en-tête du journal illisible"
