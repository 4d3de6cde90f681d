"""Alembic migrations: a database made by the first schema version (with data) upgrades in place,
after a backup copy; the ORM classes match what the migrations build; no alembic.ini is needed."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from userdata_fixtures import REFS

from qpvdesk.userdata import location, open_user_data
from qpvdesk.userdata.database import head_revision, make_engine, migrate
from qpvdesk.userdata.messages import UserDataError

REPO = Path(__file__).resolve().parent.parent


def make_v1_database(folder: Path) -> Path:
    """What qpvdesk with schema 0001 left on a user's disk, with their data in it."""
    folder.mkdir(parents=True)
    path = folder / location.DB_NAME
    engine = make_engine(path, writer=True)
    migrate(engine, target="0001")
    engine.dispose()
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        INSERT INTO local_partner (uid, name, kind, commune, qpv_code, contact_name, phone, email, address, notes, created_at, updated_at)
        VALUES ('0b9f7c8e-3c1d-4a7e-9a57-2f1c0d7e5a10', 'Régie de quartier Élan', 'association', 'Évry-Courcouronnes', 'QN09301M',
                'Mme Durand', '01 60 00 00 00', 'regie@example.org', '1 place des Droits', 'Réunion mensuelle',
                '2025-01-05T10:00:00+00:00', '2025-02-01T09:30:00+00:00');
        INSERT INTO local_partner_programme (partner_id, programme_id, position) VALUES (1, 'npnru', 0);
        INSERT INTO favourite VALUES ('anru', 0, '2025-01-05T10:00:00+00:00');
        INSERT INTO note VALUES ('npnru', 'Comité d''engagement à préparer', '2025-01-06T08:00:00+00:00');
        INSERT INTO setting VALUES ('zoom', '1.25');
        """
    )
    conn.commit()
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    conn.close()
    return path


def test_first_schema_database_upgrades_in_place_and_keeps_its_data(tmp_path):
    folder = tmp_path / "ud"
    make_v1_database(folder)
    with open_user_data(folder, refs=REFS) as data:
        assert data.startup.upgraded_from == "0001"
        assert any("mises à jour" in m for m in data.startup.messages)
        [partner] = data.list_partners()
        assert partner.name == "Régie de quartier Élan" and partner.programme_ids == ("npnru",)
        assert partner.website == ""  # the column added by 0002
        assert partner.updated_at == "2025-02-01T09:30:00+00:00"
        # 0002 backfilled the folded search text: accents and case forgiven on old rows
        assert data.search_partners("REGIE elan") == [partner]
        assert [n.entity_id for n in data.search_notes("comite")] == ["npnru"]
        assert [f.entity_id for f in data.list_favourites()] == ["anru"]
        assert data.get_setting("zoom") == 1.25
        # and duplicates of old rows are found on import (match key backfilled)
        from userdata_fixtures import row, write_csv

        report = data.import_partners(write_csv(tmp_path / "x.csv", [row("Regie de quartier ELAN", "evry-courcouronnes")]))
        assert report.duplicates == 1 and report.new == 0
        backup = data.startup.backup
    assert backup is not None and backup.name.startswith("avant-mise-a-jour-0001-")
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"  # the copy is the old one
    assert conn.execute("SELECT name FROM local_partner").fetchall() == [("Régie de quartier Élan",)]
    conn.close()
    conn = sqlite3.connect(folder / location.DB_NAME)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
    conn.close()


def test_orm_schema_matches_migrations(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from qpvdesk.userdata.schema import UserBase

    with open_user_data(tmp_path / "ud") as data:
        with data._writer.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), UserBase.metadata)
    assert diff == []


def test_database_from_a_newer_qpvdesk_is_left_alone(tmp_path):
    folder = tmp_path / "ud"
    with open_user_data(folder):
        pass
    conn = sqlite3.connect(folder / location.DB_NAME)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    with pytest.raises(UserDataError, match="version plus récente"):
        open_user_data(folder)
    conn = sqlite3.connect(folder / location.DB_NAME)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "9999"
    conn.close()


def test_migrations_run_from_anywhere_without_alembic_ini(tmp_path):
    """As on a user's machine: another working directory, no alembic.ini, only the package."""
    script = "from qpvdesk.userdata import open_user_data; d = open_user_data(); print(len(d.list_partners())); d.close()"
    env = {**os.environ, "QPVDESK_USER_DIR": str(tmp_path / "ud"), "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0"
    assert not list(tmp_path.glob("alembic*"))


def test_concurrent_first_start_migrates_once(tmp_path):
    """Two windows started at the same moment on a new folder: one creates the schema, the other waits."""
    script = "from qpvdesk.userdata import open_user_data; d = open_user_data(); d.close(); print('ok')"
    env = {**os.environ, "QPVDESK_USER_DIR": str(tmp_path / "ud"), "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outputs
    conn = sqlite3.connect(tmp_path / "ud" / location.DB_NAME)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(head_revision(),)]
    conn.close()


def test_head_constant_matches_alembic_and_up_to_date_start_skips_alembic(tmp_path):
    from qpvdesk.userdata.database import HEAD_REVISION

    assert HEAD_REVISION == head_revision()
    with open_user_data(tmp_path / "ud"):
        pass
    code = ("import sys; from qpvdesk.userdata import open_user_data; d = open_user_data(sys.argv[1]); d.close(); "
            "print(any(m == 'alembic' or m.startswith('alembic.') for m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "ud")], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


def test_revision_0002_database_gets_word_keys_so_hyphen_variants_are_duplicates(tmp_path):
    folder = tmp_path / "ud"
    path = make_v1_database(folder)
    engine = make_engine(path, writer=True)
    migrate(engine, target="0002")
    engine.dispose()
    conn = sqlite3.connect(path)
    # the key 0002 wrote: spaces squashed, hyphens kept
    conn.execute("UPDATE local_partner SET match_key = 'regie de quartier elan|evry-courcouronnes', qpv_code = ''")
    conn.commit()
    conn.close()
    with open_user_data(folder, refs=REFS) as data:
        assert data.startup.upgraded_from == "0002"
        from userdata_fixtures import row, write_csv

        report = data.import_partners(write_csv(tmp_path / "x.csv", [row("RÉGIE DE QUARTIER ÉLAN ;", "Evry Courcouronnes")]),
                                      dry_run=True)
        assert (report.duplicates, report.new) == (1, 0)
        # the stored key was recomputed: the commune fiche of Évry-Courcouronnes, written either way, finds it
        assert [p.name for p in data.partners_in_territory(["Evry Courcouronnes"])] == ["Régie de quartier Élan"]
