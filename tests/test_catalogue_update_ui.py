# ruff: noqa: F811 - the fixtures imported from catupdate_fixtures are named as test arguments
"""Issue 16 §3 in the window: Fichier › « Mettre à jour le catalogue… » verifies off the UI thread, shows the
manifest and « Quoi de neuf », installs through the same core as the command line; refusals change nothing;
a note on a fiche the new catalogue lacks stays readable."""

from __future__ import annotations

import json

from catupdate_fixtures import derived_catalogue, publisher, shipped  # noqa: F401 - fixtures
from PySide6.QtWidgets import QFileDialog

from qpvdesk.cli import main
from qpvdesk.paths import catalogue_path
from qpvdesk.userdata.location import user_dir


def open_update(window, qtbot, monkeypatch, path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    action = window.catalogue_updater.action
    assert action in window.menuBar().actions()[0].menu().actions()  # in the Fichier menu
    action.trigger()


def test_menu_action_installs_after_showing_whats_new(loaded_window, qtbot, monkeypatch, publisher, shipped, capsys):
    window = loaded_window(shipped, with_user_data=True)
    window.user_data.set_note("pnru", "Bilan du PNRU à relire.")
    package = publisher("maj.qpvcat", "2026.12.1")
    updater = window.catalogue_updater
    open_update(window, qtbot, monkeypatch, package)
    qtbot.waitUntil(lambda: updater.dialog is not None and updater.dialog.isVisible(), timeout=20_000)
    details = updater.dialog.text.toPlainText()
    assert "Version : 2026.12.1" in details and "Signé par : Réseau des formateurs" in details
    assert "1 fiche(s) ajoutée(s) : Quartiers fertiles." in details
    assert "1 de vos notes portent sur des fiches absentes du nouveau catalogue (pnru)" in details
    assert catalogue_path() == shipped  # nothing installed before the user confirms
    with qtbot.waitSignal(updater.finished, timeout=20_000) as done:
        updater.dialog.install_button.click()
    assert done.args == ["installed"]
    assert "version 2026.12.1 est installé" in updater.message_box.text()
    assert catalogue_path().parent == user_dir() / "catalogue"
    capsys.readouterr()
    assert main(["catalogue", "status", "--json"]) == 0  # the command line sees the same installation
    assert json.loads(capsys.readouterr().out)["version"] == "2026.12.1"


def test_cancel_in_the_dialog_installs_nothing(loaded_window, qtbot, monkeypatch, publisher, shipped):
    window = loaded_window(shipped)
    updater = window.catalogue_updater
    open_update(window, qtbot, monkeypatch, publisher("maj.qpvcat", "2026.12.1"))
    qtbot.waitUntil(lambda: updater.dialog is not None and updater.dialog.isVisible(), timeout=20_000)
    with qtbot.waitSignal(updater.finished, timeout=5_000) as done:
        updater.dialog.reject()
    assert done.args == ["cancelled"] and catalogue_path() == shipped
    assert not (user_dir() / "catalogue").exists()


def test_a_damaged_file_is_refused_in_french(loaded_window, qtbot, monkeypatch, publisher, shipped, tmp_path):
    window = loaded_window(shipped)
    data = bytearray(publisher("maj.qpvcat", "2026.12.1").read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged = tmp_path / "abime.qpvcat"
    damaged.write_bytes(bytes(data))
    updater = window.catalogue_updater
    with qtbot.waitSignal(updater.finished, timeout=20_000) as done:
        open_update(window, qtbot, monkeypatch, damaged)
    assert done.args == ["refused"]
    assert updater.message_box.windowTitle() == "Mise à jour refusée"
    assert "abime.qpvcat est endommagé ou modifié" in updater.message_box.text()
    assert updater.dialog is None and catalogue_path() == shipped


def test_orphaned_note_is_shown_with_its_fiche_marked_absent(loaded_window, qtbot, publisher, shipped, tmp_path):
    assert main(["catalogue", "install", str(publisher("maj.qpvcat", "2026.12.1"))]) == 0
    window = loaded_window(catalogue_path(), with_user_data=True)
    window.user_data.set_note("pnru", "Bilan du PNRU à relire.")  # a note written before the update
    assert window.open_entity("pnru")
    assert "Programme national de rénovation urbaine (fiche absente du catalogue)" in window.detail.toPlainText()
    assert window.personal.notes.edit.toPlainText() == "Bilan du PNRU à relire."  # readable, editable, never dropped
    hits = window.user_data_ctl.personal_hits("bilan")
    assert [h.title for h in hits if h.group == "Mes notes"] == [
        "Note — Programme national de rénovation urbaine (fiche absente du catalogue)"]


def test_broken_update_falls_back_with_a_notice_in_the_window(loaded_window, qtbot, publisher, shipped):
    from PySide6.QtWidgets import QLabel

    assert main(["catalogue", "install", str(publisher("maj.qpvcat", "2026.12.1"))]) == 0
    catalogue_path().unlink()  # e.g. removed by a cleaning tool
    assert catalogue_path() == shipped  # as run_gui chooses it
    window = loaded_window(shipped)
    qtbot.waitUntil(lambda: window.findChild(QLabel, "catalogueFallbackNotice") is not None, timeout=5_000)
    notice = window.findChild(QLabel, "catalogueFallbackNotice").toolTip()
    assert "Le catalogue mis à jour (version 2026.12.1) n'est pas utilisé (fichier absent)" in notice


def test_cancel_during_verification_changes_nothing(loaded_window, qtbot, monkeypatch, publisher, shipped):
    from qpvdesk.updates import install

    window = loaded_window(shipped)
    updater = window.catalogue_updater
    real_extract = install.extract

    def pressed_cancel_meanwhile(*args):
        updater._cancelled()  # « Annuler » pressed while the worker expands the catalogue
        return real_extract(*args)

    monkeypatch.setattr(install, "extract", pressed_cancel_meanwhile)
    with qtbot.waitSignal(updater.finished, timeout=20_000) as done:
        updater.verify(str(publisher("maj.qpvcat", "2026.12.1")))
    assert done.args == ["cancelled"] and updater.dialog is None
    assert "annulée" in window.statusBar().currentMessage()
    assert catalogue_path() == shipped and not (user_dir() / "catalogue").exists()
