"""Fiches exported to PDF carry the title, the facts and their sources, as text a reader can copy."""

import unicodedata

from pypdf import PdfReader

from qpvdesk.cli import main

# Each test takes pytest-qt's `qapp` so the in-process CLI reuses the QApplication instead of
# creating a bare QGuiApplication that later widget tests could not use.


def normalised(text: str) -> str:
    # PDF text comes with tabs between words and typographic ligatures (ﬁ): compare words, not bytes
    return " ".join(unicodedata.normalize("NFKC", text).split())


def pdf_text(path) -> str:
    return normalised("\n".join(page.extract_text() for page in PdfReader(path).pages))


def test_export_one_fiche(qapp, tmp_path, capsys, real_catalogue_path, real_service):
    target = tmp_path / "pnru.pdf"
    assert main(["--catalogue", str(real_catalogue_path), "export-pdf", "pnru", str(target)]) == 0
    text = pdf_text(target)
    detail = real_service.entity("pnru")
    assert "Programme national de rénovation urbaine" in text
    assert "dispositif clos" in text
    first_fact = detail.facts[0]
    assert first_fact.label in text
    assert first_fact.sources[0].publisher in text
    assert "Sources" in text and "qpvdesk" in text  # source list and footer with the data date


def test_export_training_pack_puts_each_fiche_on_new_pages(qapp, tmp_path, capsys, real_catalogue_path):
    target = tmp_path / "pack.pdf"
    assert main(["--catalogue", str(real_catalogue_path), "export-pdf", "anru", "PIC", "cdc", str(target)]) == 0
    reader = PdfReader(target)
    starts = [i for i, page in enumerate(reader.pages) if normalised(page.extract_text()).startswith(
        ("Agence nationale pour la rénovation", "Plan Initiative", "Caisse des dépôts"))]
    assert len(starts) == 3
    assert "3 fiches" in capsys.readouterr().out


def test_unknown_id_writes_nothing(qapp, tmp_path, capsys, real_catalogue_path):
    target = tmp_path / "x.pdf"
    assert main(["--catalogue", str(real_catalogue_path), "export-pdf", "anru", "inconnu-xyz", str(target)]) == 1
    assert not target.exists()
    assert "inconnu-xyz" in capsys.readouterr().err


def test_unwritable_place_is_reported_and_an_older_pdf_is_not_passed_off_as_new(qapp, tmp_path, capsys, real_catalogue_path):
    from readonly_folder import protect

    folder = tmp_path / "partage"
    folder.mkdir()
    target = folder / "anru.pdf"
    target.write_bytes(b"%PDF-1.4 ancienne version\n")
    undo = protect(folder)  # skipped where POSIX rights do not exist (Windows)
    try:
        assert main(["--catalogue", str(real_catalogue_path), "export-pdf", "anru", str(target)]) == 1
    finally:
        undo()
    err = capsys.readouterr().err
    assert "Impossible d'écrire" in err and ("accès refusé" in err or "non permise" in err)
    assert "Errno" not in err and "Permission" not in err
    assert target.read_bytes() == b"%PDF-1.4 ancienne version\n"
    assert sorted(p.name for p in folder.iterdir()) == ["anru.pdf"]  # no temporary file left behind


def test_a_new_pdf_is_private_and_a_replaced_one_keeps_its_permissions(qapp, tmp_path, real_catalogue_path):
    import os

    import pytest

    if os.name != "posix":
        pytest.skip("Unix permissions (Windows: the per-user folder's access rules apply)")
    target = tmp_path / "anru.pdf"
    old = os.umask(0o022)
    try:
        assert main(["--catalogue", str(real_catalogue_path), "export-pdf", "anru", str(target)]) == 0
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o600  # fiches with the user's notes: not readable by other accounts
    target.chmod(0o664)  # a shared folder's own permissions are kept when the PDF is replaced
    assert main(["--catalogue", str(real_catalogue_path), "export-pdf", "pic", str(target)]) == 0
    assert target.stat().st_mode & 0o777 == 0o664
