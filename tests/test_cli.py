"""The command line on the mini catalogue: the same core the UI uses."""

import json
import subprocess
import sys

import pytest

from qpvdesk.cli import main


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert "qpvdesk 0." in capsys.readouterr().out


def test_check_reports_counts_and_exits_zero(capsys, mini_catalogue_path):
    code, out, _ = run(capsys, "--catalogue", str(mini_catalogue_path), "check", "--json")
    report = json.loads(out)
    assert code == 0
    assert report["ok"] is True and report["fts5"] is True
    assert report["counts"]["entities"] == 6
    assert report["counts"]["facts_without_source"] == 0
    assert report["facts_by_confidence"] == {"confirmed": 4, "conflict": 1, "unconfirmed": 1}


def test_check_fails_on_corrupt_file(capsys, tmp_path):
    bad = tmp_path / "data.sqlite"
    bad.write_bytes(b"ceci n'est pas une base" * 100)
    code, out, err = run(capsys, "--catalogue", str(bad), "check")
    assert code == 1
    assert out.startswith("Catalogue : PROBLÈME")
    assert "n'est pas un catalogue lisible" in out
    assert "Traceback" not in err


def test_show_json_marks_conflict_with_both_values(capsys, mini_catalogue_path):
    code, out, _ = run(capsys, "--catalogue", str(mini_catalogue_path), "show", "NPNRU", "--json")
    detail = json.loads(out)
    assert code == 0 and detail["id"] == "npnru"
    [fact] = detail["facts"]
    assert fact["confidence"] == "conflict"
    assert [s["claim"] for s in fact["sources"]] == ["45", "40"]
    assert {r["label"] for r in detail["relations"]} == {"piloté par", "financé par"}


def test_show_unknown_id_fails_cleanly(capsys, mini_catalogue_path):
    code, _, err = run(capsys, "--catalogue", str(mini_catalogue_path), "show", "n-existe-pas")
    assert code == 1
    assert "Aucune fiche" in err


def test_search_json_lists_ranked_hits(capsys, mini_catalogue_path):
    code, out, _ = run(capsys, "--catalogue", str(mini_catalogue_path), "search", "anru", "--json", "--limit", "3")
    data = json.loads(out)
    assert code == 0
    assert data["hits"][0]["id"] == "anru" and data["hits"][0]["exact"] is True
    assert len(data["hits"]) <= 3
    assert set(data["hits"][0]) >= {"id", "kind", "name", "score", "snippet"}


def test_list_by_kind(capsys, mini_catalogue_path):
    code, out, _ = run(capsys, "--catalogue", str(mini_catalogue_path), "list", "--kind", "programme", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["count"] == 2
    assert {e["id"] for e in data["entities"]} == {"npnru", "pnru"}


def test_build_data_dry_run_reports_errors_in_french(capsys, mini_resources):
    relations = mini_resources / "content" / "relations.yaml"
    relations.write_text(relations.read_text(encoding="utf-8").replace("type: funds", "type: finance"), encoding="utf-8")
    code, _, err = run(capsys, "build-data", "--dry-run", "--resources", str(mini_resources))
    assert code == 1
    assert "relations.yaml, ligne" in err and "valeur inconnue « finance »" in err


def test_smoke_opens_window_on_catalogue(mini_catalogue_path):
    env_cmd = [sys.executable, "-m", "qpvdesk", "--catalogue", str(mini_catalogue_path), "--smoke"]
    result = subprocess.run(env_cmd, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "smoke: ok" in result.stdout


def test_smoke_fails_on_missing_catalogue(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "qpvdesk", "--catalogue", str(tmp_path / "absent.sqlite"), "--smoke"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert "introuvable" in result.stderr
    assert "Traceback" not in result.stderr


def test_command_line_mistakes_are_explained_in_french(capsys):
    import pytest

    from qpvdesk.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["search"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "arguments obligatoires manquants : TEXTE" in err and "utilisation : " in err
    with pytest.raises(SystemExit):
        main(["search", "anru", "--limit", "beaucoup"])
    assert "valeur invalide" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "affiche cette aide et quitte" in capsys.readouterr().out


def test_output_cut_short_by_a_pager_is_not_an_error_trace(real_catalogue_path):
    reader = subprocess.Popen(
        [sys.executable, "-m", "qpvdesk", "--catalogue", str(real_catalogue_path), "list"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    reader.stdout.readline()  # like `| head -1`
    reader.stdout.close()
    _, err = reader.communicate(timeout=60)
    assert b"Traceback" not in err and b"BrokenPipe" not in err


def test_smoke_fails_when_the_user_data_cannot_be_opened(mini_catalogue_path, tmp_path):
    import os

    blocker = tmp_path / "pas-un-dossier"
    blocker.write_text("un fichier là où le dossier des données devrait être")
    env = dict(os.environ, QPVDESK_USER_DIR=str(blocker), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-m", "qpvdesk", "--catalogue", str(mini_catalogue_path), "--smoke"],
                            capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 1
    assert "smoke: ÉCHEC" in result.stdout and "données" in result.stdout


def test_smoke_says_why_when_loading_takes_too_long(mini_catalogue_path):
    import os

    env = dict(os.environ, QPVDESK_SMOKE_TIMEOUT_MS="1", QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-m", "qpvdesk", "--catalogue", str(mini_catalogue_path), "--smoke"],
                            capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 1
    assert "chargement non terminé" in result.stderr


def test_without_a_screen_the_window_command_explains_in_french():
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "qpvdesk"], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 1
    assert "Aucun écran graphique" in result.stderr and "qpvdesk search" in result.stderr
    assert "qt.qpa" not in result.stderr and "Traceback" not in result.stderr


def test_missing_qt_libraries_are_named_with_the_install_command():
    from qpvdesk.display_check import display_problem, missing_library_message

    message = missing_library_message(ImportError("libEGL.so.1: cannot open shared object file: No such file or directory"))
    assert "libEGL.so.1" in message and "apt-get install" in message and "libegl1" in message
    assert display_problem({"DISPLAY": ":0"}, platform="win32") is None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, platform="linux") is None
    assert "Aucun écran" in display_problem({}, platform="linux")


def test_list_with_an_unknown_kind_names_the_possible_ones(real_catalogue_path, capsys):
    from qpvdesk.cli import main

    assert main(["--catalogue", str(real_catalogue_path), "list", "--kind", "agence"]) == 2
    err = capsys.readouterr().err
    assert "type inconnu « agence »" in err and "agency" in err and "qpv" in err


def test_build_data_says_in_french_when_the_build_is_not_installed(capsys, monkeypatch, mini_resources, tmp_path):
    """The installed app leaves qpvdesk.build out (build.spec): build-data explains instead of a traceback."""
    monkeypatch.setitem(sys.modules, "qpvdesk.build.content.build", None)  # import now raises ImportError
    output = tmp_path / "data.sqlite"
    code, _, err = run(capsys, "build-data", "--resources", str(mini_resources), "--output", str(output))
    assert code == 1
    assert "n'est pas incluse dans l'application installée" in err
    assert not output.exists()
