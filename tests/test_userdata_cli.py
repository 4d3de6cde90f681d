"""`qpvdesk partners list | export | import` on the user database (QPVDESK_USER_DIR)."""

from __future__ import annotations

import json

import pytest
from userdata_fixtures import row, write_csv

from qpvdesk.cli import main
from qpvdesk.userdata import PartnerFields, open_user_data


@pytest.fixture()
def user_dir(tmp_path, monkeypatch, mini_catalogue_path):
    monkeypatch.setenv("QPVDESK_USER_DIR", str(tmp_path / "ud"))
    monkeypatch.setenv("QPVDESK_CATALOGUE", str(mini_catalogue_path))
    with open_user_data(tmp_path / "ud") as data:
        data.create_partner(PartnerFields(name="Centre social Élan", kind="social-centre", commune="Évry", programme_ids=("npnru",)))
    return tmp_path / "ud"


def test_list_export_import(user_dir, tmp_path, capsys):
    assert main(["partners", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["count"] == 1 and listed["partners"][0]["name"] == "Centre social Élan"
    out = tmp_path / "export.csv"
    assert main(["partners", "export", str(out)]) == 0
    assert "1 partenaire local exporté" in capsys.readouterr().out
    assert out.read_bytes().startswith(b"\xef\xbb\xbfidentifiant;nom;type")
    assert main(["partners", "export", str(tmp_path / "export.data"), "--format", "json"]) == 0
    assert json.loads((tmp_path / "export.data").read_text(encoding="utf-8"))["partners"][0]["programme_ids"] == ["npnru"]

    path = write_csv(tmp_path / "in.csv", [row("Régie", "Toulouse"), row("", "Toulouse"), row("Centre social Élan", "Evry")])
    assert main(["partners", "import", str(path), "--dry-run"]) == 0
    captured = capsys.readouterr()
    assert "Essai (rien n'est modifié) : 1 nouveau, 0 modifié, 1 doublon, 1 ligne rejetée : ligne 3, le nom est obligatoire" in captured.out
    assert "Ligne 3 (rejetée)" in captured.err
    assert main(["partners", "list"]) == 0
    assert "1 partenaire local" in capsys.readouterr().out
    assert main(["partners", "import", str(path)]) == 0
    assert capsys.readouterr().out.startswith("Importé : 1 nouveau")
    assert main(["partners", "list"]) == 0
    assert "2 partenaires locaux" in capsys.readouterr().out


def test_programme_unknown_to_the_catalogue_is_reported(user_dir, tmp_path, capsys):
    path = write_csv(tmp_path / "in.csv", [row("Régie", "Toulouse", programmes="npnru, inexistant")])
    assert main(["partners", "import", str(path), "--dry-run"]) == 0
    assert "programme inconnu du catalogue « inexistant »" in capsys.readouterr().err


def test_rejected_file_exit_code(user_dir, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"partners": [', encoding="utf-8")
    assert main(["partners", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "JSON illisible ou tronqué" in err and "Rien n'a été modifié." in err
    assert main(["partners", "export", str(tmp_path / "absent" / "x.csv")]) == 1
    assert "export impossible" in capsys.readouterr().err


def test_notes_and_favourites_travel_by_file_with_a_dry_run_first(tmp_path, monkeypatch, capsys):
    from qpvdesk.cli import main
    from qpvdesk.userdata import open_user_data

    monkeypatch.setenv("QPVDESK_USER_DIR", str(tmp_path / "moi"))
    with open_user_data() as data:
        data.add_favourite("anru")
        data.set_note("pic", "Relancer le syndic avant le comité")
    assert main(["notes", "export", str(tmp_path / "notes.json")]) == 0
    assert main(["favourites", "export", str(tmp_path / "favoris.json")]) == 0

    monkeypatch.setenv("QPVDESK_USER_DIR", str(tmp_path / "collegue"))
    capsys.readouterr()
    assert main(["notes", "import", str(tmp_path / "notes.json"), "--dry-run"]) == 0
    assert "Essai (rien n'est modifié) : 1 note ajoutée" in capsys.readouterr().out
    with open_user_data() as data:
        assert data.list_notes() == []  # the dry run changed nothing
    assert main(["notes", "import", str(tmp_path / "notes.json")]) == 0
    assert main(["favourites", "import", str(tmp_path / "favoris.json")]) == 0
    with open_user_data() as data:
        assert data.get_note("pic").text == "Relancer le syndic avant le comité"
        assert [f.entity_id for f in data.list_favourites()] == ["anru"]
    (tmp_path / "casse.json").write_text('{"notes": [', encoding="utf-8")
    assert main(["notes", "import", str(tmp_path / "casse.json")]) == 1
    assert "Rien n'a été modifié." in capsys.readouterr().err


def test_export_names_that_would_lie_about_the_format_are_refused(user_dir, tmp_path, capsys, monkeypatch):
    assert main(["partners", "export", str(tmp_path / "x.xlsx")]) == 1
    assert "format d'export inconnu « .xlsx »" in capsys.readouterr().err and not (tmp_path / "x.xlsx").exists()
    assert main(["notes", "export", str(tmp_path / "notes.csv")]) == 1
    assert "donnez un nom qui finit par .json" in capsys.readouterr().err and not (tmp_path / "notes.csv").exists()
    from qpvdesk.userdata import exchange

    monkeypatch.setattr(exchange, "MAX_ROWS", 0)  # a database holding more partners than one import accepts
    assert main(["partners", "export", str(tmp_path / "tous.csv")]) == 0
    assert "pour le réimporter, découpez-le" in capsys.readouterr().err
