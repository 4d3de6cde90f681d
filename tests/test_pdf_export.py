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
    assert "3 fiche(s)" in capsys.readouterr().out


def test_unknown_id_writes_nothing(qapp, tmp_path, capsys, real_catalogue_path):
    target = tmp_path / "x.pdf"
    assert main(["--catalogue", str(real_catalogue_path), "export-pdf", "anru", "inconnu-xyz", str(target)]) == 1
    assert not target.exists()
    assert "inconnu-xyz" in capsys.readouterr().err
