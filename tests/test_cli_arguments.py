"""Odd arguments get an answer in French: non-UTF-8 bytes, impossible --limit, unwritable build output."""

from __future__ import annotations

import errno

import pytest

from qpvdesk.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    assert "erreur inattendue" not in out.err
    return code, out.out, out.err


# what Python makes of `qpvdesk show $'\xff\xfe'` or of « Cités » typed in a Latin-1 terminal
NOT_UTF8 = "\udcff\udcfe"
LATIN1_RENOVATION = "r\udce9novation"


def test_show_with_bytes_that_are_not_utf8_answers_no_fiche(capsys, mini_catalogue_path):
    code, _, err = run(capsys, "--catalogue", str(mini_catalogue_path), "show", NOT_UTF8)
    assert code == 1 and err.startswith("Aucune fiche pour « ÿþ »")


@pytest.mark.parametrize("verb", [["show"], ["search"], ["list", "--kind"], ["export-pdf", "anru"]])
def test_every_catalogue_verb_takes_non_utf8_text(capsys, mini_catalogue_path, verb, tmp_path):
    extra = [str(tmp_path / "x.pdf")] if verb[0] == "export-pdf" else []
    code, _, err = run(capsys, "--catalogue", str(mini_catalogue_path), *verb, NOT_UTF8, *extra)
    assert code in (0, 1, 2) and "Traceback" not in err


def test_latin1_bytes_are_read_as_accents(capsys, mini_catalogue_path):
    code, out, _ = run(capsys, "--catalogue", str(mini_catalogue_path), "search", LATIN1_RENOVATION)
    assert code == 0 and "anru" in out.split()


def test_export_to_a_non_utf8_file_name_writes_that_name(capsys, mini_catalogue_path, tmp_path, monkeypatch):
    monkeypatch.setenv("QPVDESK_USER_DIR", str(tmp_path / "ud"))
    target = str(tmp_path) + "/\udce9t\udce9.csv"  # the bytes b"\xe9t\xe9.csv"
    code, out, _ = run(capsys, "--catalogue", str(mini_catalogue_path), "partners", "export", target)
    assert code == 0 and out.endswith("\\xe9t\\xe9.csv (CSV)\n")  # the odd bytes shown as the shell writes them
    assert (bytes(tmp_path) + b"/\xe9t\xe9.csv") in [bytes(p) for p in tmp_path.iterdir()]


@pytest.mark.parametrize("limit", ["0", "-1", "abc"])
def test_search_limit_below_one_is_refused(capsys, mini_catalogue_path, limit):
    with pytest.raises(SystemExit) as stop:
        main(["--catalogue", str(mini_catalogue_path), "search", "--limit", limit, "anru"])
    assert stop.value.code == 2
    assert "argument --limit" in capsys.readouterr().err


def test_search_limit_is_honoured(capsys, mini_catalogue_path):
    code, out, _ = run(capsys, "--catalogue", str(mini_catalogue_path), "search", "--limit", "1", "programme")
    assert code == 0 and len(out.strip().splitlines()) == 1


def test_build_data_into_a_directory_is_refused_in_french(capsys, tmp_path, mini_resources):
    (tmp_path / "out.sqlite").mkdir()
    code, _, err = run(capsys, "build-data", "--resources", str(mini_resources), "--output", str(tmp_path / "out.sqlite"))
    assert code == 1 and "c'est un dossier, pas un fichier" in err
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".data-")] == []


def test_build_data_into_a_folder_that_cannot_exist_is_refused_in_french(capsys, tmp_path, mini_resources):
    (tmp_path / "fichier").write_text("x")  # like /proc/nope/x.sqlite: the folder cannot be created
    target = tmp_path / "fichier" / "nope" / "x.sqlite"
    code, _, err = run(capsys, "build-data", "--resources", str(mini_resources), "--output", str(target))
    assert code == 1 and err.startswith("Erreur : impossible d'écrire le catalogue") and "n'a pas été modifié" in err


def test_build_data_on_a_write_error_keeps_the_old_catalogue(capsys, tmp_path, mini_resources, monkeypatch):
    from qpvdesk.build.content import build

    def full_disk(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / ".data-x.sqlite.tmp"))

    monkeypatch.setattr(build, "build_catalogue", full_disk)
    old = tmp_path / "data.sqlite"
    old.write_bytes(b"ancien")
    code, _, err = run(capsys, "build-data", "--resources", str(mini_resources), "--output", str(old))
    assert code == 1 and "disque plein" in err and "n'a pas été modifié" in err
    assert old.read_bytes() == b"ancien"


def test_an_unexpected_failure_is_one_french_line(capsys, mini_catalogue_path, monkeypatch):
    import qpvdesk.resolve

    monkeypatch.setattr(qpvdesk.resolve, "resolve_id", lambda *_: (_ for _ in ()).throw(KeyError("x")))
    code = main(["--catalogue", str(mini_catalogue_path), "show", "anru"])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("Erreur : erreur inattendue (KeyError)") and "QPVDESK_DEBUG" in err
