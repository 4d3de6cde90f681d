"""Dialogs, forms and labels (issue 19): Qt's dialogs in French, a window icon, the partner form checks phone and
e-mail, no technical id on a partner fiche, French --help."""

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

from qpvdesk.userdata.contact_check import email_problem, phone_problem


def test_qt_file_dialog_speaks_french_once_installed(qapp):
    from qpvdesk.ui.app import install_french

    install_french(qapp)
    dialog = QFileDialog(None, "Exporter", "", "Document PDF (*.pdf)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own dialog: the one Linux users get
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    labels = {label.objectName(): label.text().replace("&", "") for label in dialog.findChildren(QLabel)}
    assert labels["lookInLabel"].startswith("Voir dans"), labels
    assert "Type" in labels["fileTypeLabel"] or "type" in labels["fileTypeLabel"], labels
    dialog.deleteLater()


def test_the_application_has_its_icon(qapp):
    from qpvdesk.ui.app import install_icon

    install_icon(qapp)
    icon = QApplication.instance().windowIcon()
    assert not icon.isNull() and len(icon.availableSizes()) >= 4


@pytest.mark.parametrize("phone", ["01 23 45 67 89", "0123456789", "06.12.34.56.78", "+33 1 23 45 67 89",
                                   "+262 262 12 34 56", ""])
def test_plausible_phones_pass(phone):
    assert phone_problem(phone) is None


@pytest.mark.parametrize("phone", ["abc", "12 34", "01 23 45 67", "+33 1 23", "0123456789012"])
def test_bad_phones_are_refused_in_french(phone):
    assert "n'est pas un numéro valide" in phone_problem(phone)


@pytest.mark.parametrize("email", ["pas-un-mail", "a@b", "nom@@mairie.fr", "nom prenom@mairie.fr"])
def test_bad_emails_are_refused_in_french(email):
    assert "n'est pas une adresse valide" in email_problem(email)
    assert email_problem("prenom.nom@mairie-pontoise.fr") is None and email_problem("") is None


def test_partner_form_refuses_a_bad_email_and_keeps_what_was_typed(qtbot):
    from qpvdesk.ui.local_partner_dialog import LocalPartnerDialog
    from tests.test_userdata_ui import REFS_VALIDATE

    dialog = LocalPartnerDialog({"npnru": "NPNRU"}, REFS_VALIDATE)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("Maison des projets")
    dialog.email_edit.setText("pas-un-mail")
    dialog.phone_edit.setText("abc")
    dialog.accept()
    assert dialog.result_fields is None
    assert "courriel « pas-un-mail »" in dialog.error_label.text() and "téléphone « abc »" in dialog.error_label.text()
    assert dialog.email_edit.text() == "pas-un-mail"  # nothing lost: the user corrects it
    dialog.email_edit.setText("contact@maison-projets.fr")
    dialog.phone_edit.setText("01 34 25 10 00")
    dialog.accept()
    assert dialog.result_fields.email == "contact@maison-projets.fr"


def test_a_local_partner_fiche_shows_no_technical_id(tmp_path, mini_catalogue_path):
    from qpvdesk.catalogue import Catalogue
    from qpvdesk.userdata import PartnerFields, catalogue_refs, open_user_data

    catalogue = Catalogue(mini_catalogue_path)
    with open_user_data(tmp_path / "ud", refs=catalogue_refs(catalogue)) as data:
        partner = data.create_partner(PartnerFields(name="Régie de quartier"))
        uid = getattr(partner, "uid", None) or data.list_partners()[0].uid
        html = data.fiche_html(data.list_partners()[0].entity_id, False, ())
    catalogue.close()
    assert "Régie de quartier" in html and uid not in html and "identifiant" not in html


def test_help_is_french_throughout(capsys):
    from qpvdesk.cli import main

    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "show program's version" not in out and "affiche la version et quitte" in out
    assert "utilisation" in out and "usage:" not in out
