"""A damaged catalogue: `check` says PROBLÈME, the other verbs say so in French, and your own data stays reachable."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from qpvdesk.cli import main
from qpvdesk.userdata import PartnerFields, open_user_data

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from catalogue_damage import DAMAGES


@pytest.fixture(params=sorted(DAMAGES))
def damaged(request, tmp_path, mini_catalogue_path) -> Path:
    return DAMAGES[request.param](mini_catalogue_path, tmp_path / f"{request.param}.sqlite")


@pytest.fixture()
def user_dir(tmp_path, monkeypatch, mini_catalogue_path) -> Path:
    """A user folder holding one partner, one note and one favourite, made while the catalogue was sound."""
    folder = tmp_path / "ud"
    monkeypatch.setenv("QPVDESK_USER_DIR", str(folder))
    with open_user_data(folder) as data:
        data.create_partner(PartnerFields(name="Centre social Élan", kind="social-centre", commune="Évry"))
        data.set_note("npnru", "Réunion du 3 mars")
        data.add_favourite("anru")
    return folder


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    assert "erreur inattendue" not in out.err and "Traceback" not in out.err
    return code, out.out, out.err


def test_check_reports_the_damage_with_exit_1(capsys, damaged):
    code, out, err = run(capsys, "--catalogue", str(damaged), "check")
    assert code == 1
    assert "PROBLÈME" in out
    assert "Réinstallez qpvdesk" in out + err


def test_check_json_says_not_ok(capsys, damaged):
    code, out, _ = run(capsys, "--catalogue", str(damaged), "check", "--json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False and report["problem"]


@pytest.mark.parametrize("verb", [["show", "npnru"], ["search", "rénovation"], ["list"], ["export-pdf", "npnru", "{tmp}/f.pdf"]])
def test_catalogue_verbs_give_a_french_error(capsys, damaged, verb, tmp_path):
    args = [a.replace("{tmp}", str(tmp_path)) for a in verb]
    code, out, err = run(capsys, "--catalogue", str(damaged), *args)
    if code == 0:  # the damage lies where this verb does not read (search's index is apart from the fiches)
        assert verb[0] == "search" and "anru" in out.split()
        return
    assert code == 1
    assert err.startswith("Erreur : ") and "Réinstallez qpvdesk" in err
    assert not (tmp_path / "f.pdf").exists()


def test_your_data_stays_reachable_whatever_the_catalogue(capsys, damaged, user_dir, tmp_path):
    cat = ["--catalogue", str(damaged)]
    code, out, err = run(capsys, *cat, "partners", "list")
    assert code == 0 and "Centre social Élan" in out
    assert "catalogue indisponible" in err  # said once, as a warning: communes and programmes are not checked

    assert run(capsys, *cat, "partners", "export", str(tmp_path / "p.csv"))[0] == 0
    assert "Centre social Élan" in (tmp_path / "p.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "new.csv").write_text("nom;commune\nRégie de quartier;Grigny\n", encoding="utf-8")
    code, out, _ = run(capsys, *cat, "partners", "import", str(tmp_path / "new.csv"))
    assert code == 0 and "1 nouveau" in out
    assert "Régie de quartier" in run(capsys, *cat, "partners", "list")[1]

    assert run(capsys, *cat, "notes", "export", str(tmp_path / "n.json"))[0] == 0
    assert json.loads((tmp_path / "n.json").read_text(encoding="utf-8"))["notes"][0]["text"] == "Réunion du 3 mars"
    assert run(capsys, *cat, "notes", "import", str(tmp_path / "n.json"))[0] == 0
    assert run(capsys, *cat, "favourites", "export", str(tmp_path / "f.json"))[0] == 0
    assert "anru" in (tmp_path / "f.json").read_text(encoding="utf-8")
    assert run(capsys, *cat, "favourites", "import", str(tmp_path / "f.json"))[0] == 0


def test_a_sound_catalogue_still_checks_sound(capsys, mini_catalogue_path):
    code, out, _ = run(capsys, "--catalogue", str(mini_catalogue_path), "check")
    assert code == 0 and out.startswith("Catalogue : sain")
