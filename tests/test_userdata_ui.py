"""Local partners in the window: beside the catalogue's partners, marked « Ajouté localement » in words;
add / edit / delete with undo / import (report first) / export; restore a backup; recovery message."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from userdata_fixtures import REFS, row, write_csv

from qpvdesk.ui.local_partner_dialog import LocalPartnerDialog
from qpvdesk.ui.partner_model import ORIGIN_COLUMN, PartnerTableModel
from qpvdesk.ui.roles import LOCAL_ROLE
from qpvdesk.ui.userdata_dialogs import ImportReportDialog, RestoreBackupDialog
from qpvdesk.userdata import PartnerFields, catalogue_refs, open_user_data
from qpvdesk.userdata.views import ImportReport, LineIssue


@pytest.fixture()
def user_data(tmp_path, mini_catalogue_path):
    from qpvdesk.catalogue import Catalogue

    catalogue = Catalogue(mini_catalogue_path)
    with open_user_data(tmp_path / "ud", refs=catalogue_refs(catalogue)) as data:
        data.create_partner(PartnerFields(name="Centre social Élan", kind="social-centre", commune="Évry",
                                          programme_ids=("npnru",), contact_name="Mme Durand"))
        yield data
    catalogue.close()


@pytest.fixture()
def window(loaded_window, mini_catalogue_path, user_data):
    w = loaded_window(mini_catalogue_path)
    w.install_user_data(user_data)
    w.tabs.setCurrentWidget(w.partner_browser)
    return w


def local_rows(browser):
    proxy = browser.proxy
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount()) if proxy.index(r, 0).data(LOCAL_ROLE)]


def select(browser, name):
    proxy = browser.proxy
    for r in range(proxy.rowCount()):
        if proxy.index(r, 0).data() == name:
            browser.table.setCurrentIndex(proxy.index(r, 0))
            return
    raise AssertionError(name)


def test_model_passes_qt_model_tester(qtmodeltester, user_data, real_service):
    model = PartnerTableModel()
    model.set_rows(real_service.partners())
    model.set_local_partners(user_data.list_partners(), user_data.refs.programme_name)
    qtmodeltester.check(model)


def test_local_partner_is_beside_catalogue_partners_and_marked_in_words(window):
    browser = window.partner_browser
    assert local_rows(browser) == ["Centre social Élan"]
    catalogue_count = sum(1 for r in range(browser.proxy.rowCount()) if not browser.proxy.index(r, 0).data(LOCAL_ROLE))
    assert catalogue_count >= 2
    select(browser, "Centre social Élan")
    index = browser.table.currentIndex()
    assert browser.proxy.index(index.row(), ORIGIN_COLUMN).data() == "Ajouté localement"
    assert "ajouté localement" in browser.proxy.index(index.row(), 0).data(3)  # tool tip
    assert "dont 1 ajouté(s) localement" in browser.count_label.text()
    # its fiche opens, says where it comes from, and links to its programme
    assert window.detail.current_id.startswith("local:")
    text = window.detail.toPlainText()
    assert "ajouté localement" in text and "Nouveau programme national de renouvellement urbain" in text
    # filters: origin, and text over the commune and the contact
    browser.origin_combo.setCurrentIndex(browser.origin_combo.findData("local"))
    assert browser.proxy.rowCount() == 1
    browser.origin_combo.setCurrentIndex(0)
    browser.filter_edit.setText("durand evry")
    assert local_rows(browser) == ["Centre social Élan"] and browser.proxy.rowCount() == 1
    browser.filter_edit.clear()
    browser.programme_combo.setCurrentIndex(browser.programme_combo.findData("npnru"))
    assert "Centre social Élan" in local_rows(browser)


def test_buttons_have_french_accessible_names_and_wait_for_the_data(qtbot, loaded_window, mini_catalogue_path):
    w = loaded_window(mini_catalogue_path)
    browser = w.partner_browser
    buttons = [browser.add_button, browser.edit_button, browser.delete_button, browser.import_button, browser.export_button]
    assert all(b.accessibleName() for b in buttons)
    assert not any(b.isEnabled() for b in buttons)  # the user database is not open yet
    assert not w.restore_backup_action.isEnabled()


def test_add_edit_delete_and_undo(window, monkeypatch):
    browser = window.partner_browser
    answers = [PartnerFields(name="Régie de quartier", kind="association", commune="Toulouse")]
    monkeypatch.setattr(LocalPartnerDialog, "ask", classmethod(lambda cls, *a, **k: answers.pop(0)))
    browser.add_button.click()
    assert sorted(local_rows(browser)) == ["Centre social Élan", "Régie de quartier"]
    assert window.detail.current_id.startswith("local:") and "Régie de quartier" in window.detail.toPlainText()
    assert browser.edit_button.isEnabled() and browser.delete_button.isEnabled()

    answers.append(PartnerFields(name="Régie de quartier des Izards", kind="association", commune="Toulouse"))
    browser.edit_button.click()
    assert "Régie de quartier des Izards" in local_rows(browser)

    select(browser, "Régie de quartier des Izards")
    browser.delete_button.click()
    assert "Régie de quartier des Izards" not in local_rows(browser)
    assert browser.undo_bar.isVisible() and "supprimé" in browser.undo_label.text()
    browser.undo_button.click()
    assert "Régie de quartier des Izards" in local_rows(browser) and not browser.undo_bar.isVisible()

    # catalogue rows cannot be edited or deleted
    select(browser, browser.proxy.index(0, 0).data() if not browser.proxy.index(0, 0).data(LOCAL_ROLE) else browser.proxy.index(1, 0).data())
    assert not browser.edit_button.isEnabled() and not browser.delete_button.isEnabled()


def test_local_partner_in_history_back_and_forward(window):
    uid = window.user_data.list_partners()[0].entity_id
    window.open_entity("npnru")
    assert window.open_entity(uid)
    window.back_action.trigger()
    assert window.detail.current_id == "npnru"
    window.forward_action.trigger()
    assert window.detail.current_id == uid


def test_import_shows_the_report_first_then_applies(window, tmp_path, monkeypatch, qtbot):
    browser = window.partner_browser
    path = write_csv(tmp_path / "in.csv", [row("Association des Izards", "Toulouse"), row("", "Toulouse"), row("Centre social Élan", "Evry")])
    seen = []
    monkeypatch.setattr(browser, "ask_open_path", lambda: str(path))

    def confirm(cls, parent, report):
        seen.append(report)
        assert window.user_data.count_partners() == 1  # nothing written before the answer
        return True

    monkeypatch.setattr(ImportReportDialog, "ask", classmethod(confirm))
    messages = []
    browser.message.connect(messages.append)
    browser.import_button.click()
    qtbot.waitUntil(lambda: len(local_rows(browser)) == 2, timeout=10_000)
    assert seen[0].dry_run and seen[0].summary().startswith("1 nouveau, 0 modifié, 1 doublon, 1 ligne rejetée")
    assert any(m.startswith("Import terminé : 1 nouveau") for m in messages)


def test_import_cancelled_changes_nothing(window, tmp_path, monkeypatch, qtbot):
    browser = window.partner_browser
    path = write_csv(tmp_path / "in.csv", [row("Association des Izards", "Toulouse")])
    monkeypatch.setattr(browser, "ask_open_path", lambda: str(path))
    asked = []
    monkeypatch.setattr(ImportReportDialog, "ask", classmethod(lambda cls, parent, report: asked.append(report) or False))
    browser.import_button.click()
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=10_000)
    assert window.user_data.count_partners() == 1


def test_export_writes_the_file(window, tmp_path, monkeypatch, qtbot):
    browser = window.partner_browser
    target = tmp_path / "export.json"
    monkeypatch.setattr(browser, "ask_save_path", lambda: (str(target), "json"))
    browser.export_button.click()
    qtbot.waitUntil(target.exists, timeout=10_000)
    assert "Centre social Élan" in target.read_text(encoding="utf-8")


def test_report_dialog_buttons(qtbot):
    good = ImportReport("a.csv", "csv", True, new=2, rows=3, rejected=1, issues=(LineIssue(3, "le nom est obligatoire", True),))
    dialog = ImportReportDialog(good)
    qtbot.addWidget(dialog)
    assert dialog.import_button is not None and dialog.import_button.text() == "Importer 2 partenaires"
    assert "Ligne 3 (rejetée) : le nom est obligatoire" in dialog.details.toPlainText()
    refused = ImportReportDialog(ImportReport("b.json", "json", True, file_error="JSON illisible ou tronqué"))
    qtbot.addWidget(refused)
    assert refused.import_button is None


def test_partner_dialog_checks_before_closing(qtbot):
    dialog = LocalPartnerDialog({"npnru": "NPNRU", "cites-educatives": "Cités éducatives"}, REFS_VALIDATE)
    qtbot.addWidget(dialog)
    assert not dialog.save_button.isEnabled()  # a name is required
    dialog.name_edit.setText("Maison des projets")
    dialog.commune_edit.setText("Toulouze")
    dialog.programme_list.item(1).setCheckState(dialog.programme_list.item(1).checkState().Checked)
    dialog.accept()
    assert dialog.result_fields is None and "vouliez-vous dire « Toulouse »" in dialog.error_label.text()
    dialog.commune_edit.setText("Toulouse")
    dialog.accept()
    assert dialog.result_fields.name == "Maison des projets"
    assert dialog.result_fields.programme_ids == ("npnru",)  # sorted by name: NPNRU is the 2nd
    assert all(w.accessibleName() for w in (dialog.name_edit, dialog.kind_combo, dialog.programme_list, dialog.notes_edit))


def REFS_VALIDATE(fields):  # noqa: N802 - a validator shaped like UserData.validate, on the shared REFS
    from qpvdesk.userdata.partners import check, normalise

    cleaned = normalise(fields)
    errors, warnings = check(cleaned, REFS)
    return cleaned, errors, warnings


def test_restore_a_backup_from_the_menu(window, monkeypatch):
    data = window.user_data
    data.backup_now()
    data.create_partner(PartnerFields(name="Après la copie"))
    window.partner_browser.refresh_local()
    assert len(local_rows(window.partner_browser)) == 2
    monkeypatch.setattr(RestoreBackupDialog, "ask", classmethod(lambda cls, parent, backups, folder: backups[0].path))
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    assert window.restore_backup_action.isEnabled()
    window.restore_backup_action.trigger()
    assert local_rows(window.partner_browser) == ["Centre social Élan"]
    assert "a été restaurée" in shown[0]


def test_restore_dialog_lists_backups(qtbot, user_data):
    user_data.backup_now()
    dialog = RestoreBackupDialog(user_data.list_backups(), user_data.backups_dir)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 1 and "manuelle" in dialog.list.item(0).text() and "1 partenaire local" in dialog.list.item(0).text()
    dialog._on_restore()
    assert dialog.chosen == user_data.list_backups()[0].path


def test_recovered_database_is_announced_in_french(loaded_window, mini_catalogue_path, tmp_path):
    folder = tmp_path / "ud2"
    with open_user_data(folder) as data:
        data.create_partner(PartnerFields(name="Sauvé"))
    with open_user_data(folder):
        pass  # this start made a backup
    (folder / "qpvdesk-utilisateur.sqlite").write_bytes(b"abime" * 500)
    w = loaded_window(mini_catalogue_path)
    with open_user_data(folder) as data:
        w.install_user_data(data)
        box = w.user_data_message
        assert box.isVisible() and box.icon() == QMessageBox.Icon.Warning
        assert "endommagée" in box.text() and "mise de côté" in box.text()
        assert local_rows(w.partner_browser) == ["Sauvé"]
        box.close()


def test_unavailable_user_data_is_a_message_not_a_crash(loaded_window, mini_catalogue_path):
    from qpvdesk.userdata.messages import UserDataError

    w = loaded_window(mini_catalogue_path)
    w.install_user_data(UserDataError("Vos données personnelles ont été enregistrées par une version plus récente"))
    assert "version plus récente" in w.user_data_message.text()
    assert not w.partner_browser.add_button.isEnabled() and w.user_data is None
    w.install_user_data(RuntimeError("disk I/O error"))
    assert w.user_data_message.text().startswith("Vos données personnelles n'ont pas pu être ouvertes")


def test_load_user_data_opens_the_user_data(tmp_path, monkeypatch, mini_catalogue_path):
    from qpvdesk.ui.app import load_everything, load_user_data

    monkeypatch.setenv("QPVDESK_USER_DIR", str(tmp_path / "ud"))
    service = load_everything(mini_catalogue_path)[0]
    data = load_user_data(service)
    assert data.path.parent == tmp_path / "ud" and data.refs.programme_known("npnru")
    data.close()
    monkeypatch.setenv("QPVDESK_USER_DIR", str(tmp_path / "file"))
    (tmp_path / "file").write_text("x")
    assert "Impossible d'écrire" in str(load_user_data(service))


def test_start_loading_shows_catalogue_then_user_data(qtbot, tmp_path, monkeypatch, mini_catalogue_path):
    from qpvdesk.ui import app as app_module
    from qpvdesk.ui.main_window import MainWindow

    monkeypatch.setenv("QPVDESK_USER_DIR", str(tmp_path / "ud"))
    w = MainWindow()
    qtbot.addWidget(w)
    with qtbot.waitSignals([w.loaded, w.user_data_loaded], order="strict", timeout=10000):
        app_module.start_loading(w, mini_catalogue_path, lambda exc: None)
    assert w.service is not None and w.user_data is not None


def test_qpv_and_commune_fiches_list_your_partners_of_that_place(loaded_window, real_catalogue_path):
    from qpvdesk.userdata import PartnerFields

    window = loaded_window(real_catalogue_path, with_user_data=True)
    data = window.user_data
    data.create_partner(PartnerFields(name="Bailleur Habitat 31 — antenne Mirail", kind="social-landlord",
                                      commune="Toulouse", qpv_code="QN03107M"))
    data.create_partner(PartnerFields(name="Régie des Izards", kind="association", commune="toulouse"))
    data.create_partner(PartnerFields(name="Centre social Élan", kind="social-centre", commune="Évry-Courcouronnes"))
    window.open_entity("qn03107m")
    text = window.detail.toPlainText()
    section = text[text.index("Vos partenaires locaux (2)"):text.index("Sources")]
    assert section.index("Dans ce quartier") < section.index("Bailleur Habitat 31") < section.index("Ailleurs dans la commune")
    assert "Régie des Izards" in section and "Élan" not in section
    window.open_entity("commune-31555")
    assert "Vos partenaires locaux (2)" in window.detail.toPlainText()
    window.open_entity("anru")
    assert "Vos partenaires locaux" not in window.detail.toPlainText()


def test_a_territory_fiche_reopened_at_start_gets_your_partners_once_your_data_is_open(loaded_window, real_catalogue_path):
    from PySide6.QtCore import QSettings

    from qpvdesk.userdata import PartnerFields, open_user_data

    with open_user_data() as data:  # the per-test user folder (QPVDESK_USER_DIR)
        data.create_partner(PartnerFields(name="Régie des Izards", kind="association", commune="Toulouse"))
    QSettings().setValue("session/last_entity", "commune-31555")
    window = loaded_window(real_catalogue_path, with_user_data=True)
    assert window.detail.current_id == "commune-31555"
    assert "Régie des Izards" in window.detail.toPlainText()


def test_homonym_communes_keep_their_own_partners_and_the_section_follows_changes(loaded_window, real_catalogue_path):
    from qpvdesk.userdata import PartnerFields

    window = loaded_window(real_catalogue_path, with_user_data=True)
    data = window.user_data
    data.create_partner(PartnerFields(name="Maison des Francs-Moisins", kind="association", commune="Saint-Denis",
                                      qpv_code="QN09328M"))  # Saint-Denis in Seine-Saint-Denis, by its QPV
    window.open_entity("commune-97411")  # Saint-Denis, La Réunion
    assert "Maison des Francs-Moisins" not in window.detail.toPlainText()
    window.open_entity("commune-93066")
    assert "Maison des Francs-Moisins" in window.detail.toPlainText()
    assert "Une autre commune porte le même nom" in window.detail.toPlainText()

    # a partner added or imported while the fiche is open: the section follows (the browser says it changed)
    data.create_partner(PartnerFields(name="Régie Saint-Denis Ouest", kind="association", commune="93066"))
    window.partner_browser.local_partners_changed.emit()
    assert window.detail.current_id == "commune-93066"
    assert "Régie Saint-Denis Ouest" in window.detail.toPlainText()

    # printed: no one's private contacts in a training pack
    assert "Vos partenaires locaux" not in window._printable("commune-93066")


def test_export_under_a_spreadsheet_name_is_refused_not_mislabelled(window, tmp_path, monkeypatch):
    browser = window.partner_browser
    target = tmp_path / "partenaires.xlsx"
    monkeypatch.setattr(browser, "ask_save_path", lambda: (str(target), "csv"))
    warned = []
    monkeypatch.setattr(browser, "_warn", lambda title, text: warned.append(text))
    browser.export_button.click()
    assert warned and "format d'export inconnu « .xlsx »" in warned[0]
    assert not target.exists()


def test_export_of_more_partners_than_one_import_takes_warns(window, tmp_path, monkeypatch, qtbot):
    from qpvdesk.userdata import exchange

    browser = window.partner_browser
    target = tmp_path / "tous.csv"
    monkeypatch.setattr(exchange, "MAX_ROWS", 0)
    monkeypatch.setattr(browser, "ask_save_path", lambda: (str(target), "csv"))
    warned = []
    monkeypatch.setattr(browser, "_warn", lambda title, text: warned.append(text))
    browser.export_button.click()
    qtbot.waitUntil(lambda: bool(warned), timeout=10_000)
    assert target.exists() and "découpez-le en plusieurs fichiers" in warned[0]
