"""The user database: where it lives, local partners CRUD with undo, search, favourites, notes,
settings, persistence across reopen, and two connections (two windows) at once."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from userdata_fixtures import REFS

from qpvdesk.userdata import PartnerFields, local_entity_id, location, open_user_data
from qpvdesk.userdata.messages import UserDataError


@pytest.fixture()
def data(tmp_path):
    with open_user_data(tmp_path / "ud", refs=REFS) as ud:
        yield ud


ELAN = PartnerFields(name="  Centre social Élan ", kind="Centre social", commune="Évry-Courcouronnes",
                     programme_ids=("npnru", "npnru", "cites-educatives"), email="accueil@elan.example",
                     notes="Référente : Mme Durand\r\nmardi matin")


def test_location_env_portable_and_platformdirs(tmp_path, monkeypatch):
    monkeypatch.setenv(location.ENV_VAR, str(tmp_path / "env"))
    assert location.user_dir() == tmp_path / "env"
    monkeypatch.delenv(location.ENV_VAR)
    monkeypatch.setattr(location, "app_dir", lambda: tmp_path / "app")
    (tmp_path / "app").mkdir()
    assert location.user_dir().name == "qpvdesk"  # platformdirs, no marker
    (tmp_path / "app" / location.PORTABLE_MARKER).write_text("")
    assert location.is_portable()
    assert location.user_dir() == tmp_path / "app" / "donnees-utilisateur"
    assert "portable" in location.location_label()


def test_database_pragmas(data):
    conn = sqlite3.connect(data.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    with data._read() as s:
        raw = s.connection().connection.driver_connection
        assert raw.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert raw.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_create_normalises_and_reads_back(data):
    created = data.create_partner(ELAN)
    assert created.name == "Centre social Élan"
    assert created.kind == "social-centre" and created.kind_label == "Centre social"
    assert created.programme_ids == ("npnru", "cites-educatives")
    assert created.notes == "Référente : Mme Durand\nmardi matin"
    assert len(created.uid) == 36 and created.entity_id == local_entity_id(created.uid)
    assert data.get_partner(created.uid) == created
    assert data.list_partners() == [created]


def test_invalid_partner_is_refused_in_french(data):
    with pytest.raises(UserDataError, match="nom est obligatoire"):
        data.create_partner(PartnerFields(name="   "))
    with pytest.raises(UserDataError, match="commune inconnue « Toulouze » : vouliez-vous dire « Toulouse » ?"):
        data.create_partner(PartnerFields(name="X", commune="Toulouze"))
    with pytest.raises(UserDataError, match="type inconnu"):
        data.create_partner(PartnerFields(name="X", kind="martien"))
    cleaned, errors, warnings = data.validate(PartnerFields(name="X", programme_ids=("inconnu",)))
    assert errors == [] and "programme inconnu" in warnings[0]
    # the catalogue only knows communes with a QPV or a programme site: another commune is kept, with a remark
    cleaned, errors, warnings = data.validate(PartnerFields(name="X", commune="Mareil-sur-Mauldre"))
    assert errors == [] and "absente du catalogue" in warnings[0]
    assert data.list_partners() == []


def test_update_delete_and_undo(data):
    created = data.create_partner(ELAN)
    edited = data.update_partner(created.uid, created.editable().__class__(**{**created.editable().__dict__, "phone": "01 60 00 00 00", "programme_ids": ()}))
    assert edited.phone == "01 60 00 00 00" and edited.programme_ids == () and edited.created_at == created.created_at
    assert data.get_partner(created.uid) == edited
    data.delete_partner(created.uid)
    assert data.list_partners() == [] and data.get_partner(created.uid) is None
    assert [p.uid for p in data.list_deleted_partners()] == [created.uid]  # kept, never erased
    restored = data.undo_delete(created.uid)
    assert restored == edited
    with pytest.raises(UserDataError):
        data.update_partner("absent", ELAN)


def test_search_forgives_accents_and_case_and_finds_notes_and_commune(data):
    elan = data.create_partner(ELAN)
    other = data.create_partner(PartnerFields(name="Régie de quartier", kind="association", commune="Toulouse", notes="jardins partagés"))
    assert data.search_partners("ELAN") == [elan]
    assert data.search_partners("evry centre") == [elan]
    assert data.search_partners("jardin toulouse") == [other]
    assert data.search_partners("centre social")[0] == elan
    assert data.search_partners("100%_") == [] and data.search_partners("") == []
    assert data.partners_in_territory(["toulouse"]) == [other]


def test_favourites_add_remove_reorder(data):
    for entity_id in ("anru", "npnru", "anct"):
        data.add_favourite(entity_id)
    data.add_favourite("anru")  # no duplicate
    assert [f.entity_id for f in data.list_favourites()] == ["anru", "npnru", "anct"]
    assert [f.entity_id for f in data.move_favourite("anct", 0)] == ["anct", "anru", "npnru"]
    assert [f.entity_id for f in data.reorder_favourites(["npnru"])] == ["npnru", "anct", "anru"]
    assert data.remove_favourite("anct") and not data.remove_favourite("anct")
    assert [(f.entity_id, f.position) for f in data.list_favourites()] == [("npnru", 0), ("anru", 1)]
    assert data.is_favourite("anru") and not data.is_favourite("anct")


def test_notes_persist_across_reopen_and_are_searchable(tmp_path):
    folder = tmp_path / "ud"
    with open_user_data(folder, refs=REFS) as ud:
        ud.set_note("npnru", "Comité d'engagement prévu en mars — Œuvre à suivre")
        ud.set_note("anru", "à effacer")
        ud.set_note("anru", "   ")  # empty text removes the note
        ud.set_setting("session/last_entity", "npnru")
        ud.add_favourite("npnru")
    with open_user_data(folder, refs=REFS) as ud:
        note = ud.get_note("npnru")
        assert note is not None and note.text == "Comité d'engagement prévu en mars — Œuvre à suivre"
        assert ud.get_note("anru") is None
        assert [n.entity_id for n in ud.search_notes("COMITE oeuvre")] == ["npnru"]
        assert ud.search_notes("avril") == []
        assert ud.get_setting("session/last_entity") == "npnru"
        assert ud.get_setting("absent", 3) == 3
        assert [f.entity_id for f in ud.list_favourites()] == ["npnru"]


def test_two_instances_write_at_once_without_loss(tmp_path):
    folder = tmp_path / "ud"
    first = open_user_data(folder, refs=REFS)
    second = open_user_data(folder, refs=REFS, backup=False)  # a second window started meanwhile
    errors = []

    def work(ud, prefix):
        try:
            for n in range(40):
                ud.create_partner(PartnerFields(name=f"{prefix} {n}"))
                ud.set_note(f"{prefix}-{n % 5}", f"note {n}")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(first, "A")), threading.Thread(target=work, args=(second, "B"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(first.list_partners()) == 80 == len(second.list_partners())
    first.close()
    second.close()
    conn = sqlite3.connect(folder / location.DB_NAME)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    conn.close()


def test_a_reader_is_not_blocked_by_a_long_write(tmp_path):
    folder = tmp_path / "ud"
    with open_user_data(folder, refs=REFS) as first, open_user_data(folder, refs=REFS, backup=False) as second:
        first.create_partner(PartnerFields(name="Avant"))
        with first._write() as s:  # a long import holds the write lock…
            from sqlalchemy import text

            s.execute(text("UPDATE local_partner SET name = 'Pendant'"))
            assert [p.name for p in second.list_partners()] == ["Avant"]  # …readers see the last commit
        assert [p.name for p in second.list_partners()] == ["Pendant"]


def test_unwritable_folder_gives_french_error(tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_text("pas un dossier")
    with pytest.raises(UserDataError, match="Impossible d'écrire dans le dossier"):
        open_user_data(blocker / "ud")
