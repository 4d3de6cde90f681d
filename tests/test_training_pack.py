"""The trainer's PDF pack (issue 19): cover with title and French date, contents with page numbers, numbered pages,
readable text; meaningful file names; the pack dialog; dialogs that start in Documents."""

import datetime as dt
import math
from collections import Counter

from pypdf import PdfReader
from PySide6.QtWidgets import QDialog, QFileDialog

from qpvdesk.cli import main
from qpvdesk.ui.training_pack import default_pack_name, french_date
from tests.test_pdf_export import normalised


def font_sizes(page) -> Counter:
    """Characters per effective font size (points) on a PDF page."""
    sizes: Counter = Counter()

    def visit(text, cm, tm, _font, size):
        if text.strip():
            sizes[round(size * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1]), 1)] += len(text.strip())

    page.extract_text(visitor_text=visit)
    return sizes


def test_export_pdf_of_three_ids_gives_a_cover_contents_and_readable_pages(qapp, tmp_path, real_catalogue_path):
    target = tmp_path / "pack.pdf"
    assert main(["--catalogue", str(real_catalogue_path), "export-pdf", "npnru", "pic", "anct", str(target),
                 "--titre", "Accueil des nouveaux agents"]) == 0
    pages = [normalised(p.extract_text()) for p in PdfReader(target).pages]
    cover, contents = pages[0], pages[1]
    assert "Accueil des nouveaux agents" in cover
    assert french_date(dt.date.today()) in cover
    assert "source : qpvdesk, catalogue du 17 février 2026" in cover
    assert contents.startswith("Sommaire")
    names = ("Nouveau programme national de renouvellement urbain", "Plan Initiative Copropriétés",
             "Agence nationale de la cohésion des territoires")
    for name in names:
        number = int(contents.split(name, 1)[1].split()[0])  # the page number printed after the name
        assert pages[number - 1].startswith(name)  # … is where that fiche starts
    for number, text in enumerate(pages[1:], start=2):
        assert f"page {number} / {len(pages)}" in text and "Accueil des nouveaux agents" in text  # footer, header
    reader = PdfReader(target)
    sizes = sum((font_sizes(p) for p in reader.pages[2:]), Counter())
    small = sum(count for size, count in sizes.items() if size < 10)
    assert min(sizes) >= 9 and small < 0.15 * sum(sizes.values())  # only the running header and footer under 10 pt
    assert sizes.most_common(1)[0][0] >= 10


def test_one_fiche_keeps_the_plain_layout_with_10_pt_text(qapp, tmp_path, real_catalogue_path):
    target = tmp_path / "one.pdf"
    assert main(["--catalogue", str(real_catalogue_path), "export-pdf", "pnru", str(target)]) == 0
    sizes = font_sizes(PdfReader(target).pages[0])
    assert min(sizes) >= 10  # dates and sources too (8.5 pt before)


def test_default_file_names_say_what_is_inside():
    day = dt.date(2026, 12, 4)
    assert default_pack_name(["Nouveau programme national de renouvellement urbain (NPNRU)"], day) == (
        "NPNRU – fiche qpvdesk – 2026-12-04.pdf")
    assert default_pack_name(["Louvrais"], day) == "Louvrais – fiche qpvdesk – 2026-12-04.pdf"
    assert default_pack_name(["a", "b", "c"], day) == "Dossier qpvdesk (3 fiches) – 2026-12-04.pdf"
    assert default_pack_name(['Titre / avec : "signes"'], day).startswith("Titre avec signes –")
    assert french_date(dt.date(2027, 1, 1)) == "1er janvier 2027"


def test_pack_from_the_file_menu_with_favourites_preset(loaded_window, real_catalogue_path, tmp_path, monkeypatch):
    from qpvdesk.ui import file_dialogs
    from qpvdesk.ui.pack_dialog import PackDialog

    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(file_dialogs.QStandardPaths, "writableLocation", lambda _where: str(documents))
    window = loaded_window(real_catalogue_path, with_user_data=True)
    for entity_id in ("pic", "npnru"):
        window.open_entity(entity_id)
        window.personal.toggle_action.trigger()
    assert window.personal.toggle_action.isChecked() and "★" in window.personal.toggle_action.text()
    window.open_entity("anru")
    assert not window.personal.toggle_action.isChecked()
    assert "export_pack_action" in str(window.menuBar().actions()[0].menu().actions()) or \
        window.export_pack_action in window.menuBar().actions()[0].menu().actions()

    def accept(dialog):
        assert dialog.chosen_ids() == ["pic", "npnru"]  # the favourites, in their order
        dialog.neighbours_button.click()
        assert "anru" in dialog.chosen_ids() and set(dialog.chosen_ids()) == set(dialog.neighbourhood)
        assert len(dialog.neighbourhood) > 1  # ANRU and the fiches it is linked to
        dialog.favourites_button.click()
        dialog.title_edit.setText("Séance du 4 décembre")
        return QDialog.DialogCode.Accepted

    asked = []

    def save(_parent, _title, start, _filters):
        asked.append(start)
        return str(tmp_path / "dossier.pdf"), ""

    monkeypatch.setattr(PackDialog, "exec", accept)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    window.open_pack_dialog()  # what Fichier › « Exporter un dossier PDF… » triggers
    assert asked[0].startswith(str(documents)) and asked[0].endswith("Dossier qpvdesk (2 fiches) – "
                                                                     f"{dt.date.today().isoformat()}.pdf")
    text = normalised(PdfReader(tmp_path / "dossier.pdf").pages[0].extract_text())
    assert "Séance du 4 décembre" in text
    window.export_current_pdf()  # the next dialog starts where the last file went
    assert asked[1].startswith(str(tmp_path)) and not asked[1].startswith(str(documents))
    assert asked[1].endswith(f"ANRU – fiche qpvdesk – {dt.date.today().isoformat()}.pdf")
