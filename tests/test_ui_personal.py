"""Favourites and personal notes, kept in the user database and found again."""

import json

from PySide6.QtWidgets import QFileDialog, QMessageBox


def test_note_is_saved_as_you_type_and_survives_a_restart(qtbot, loaded_window, real_catalogue_path):
    window = loaded_window(real_catalogue_path, with_user_data=True)
    window.open_entity("anru")
    editor = window.personal.notes
    assert editor.isEnabled()
    editor.edit.setPlainText("Contact ANRU : Mme Martin, réunion du 12 mars")
    qtbot.waitUntil(lambda: editor.status.text().startswith("Enregistré"), timeout=5000)
    window.close()
    window.user_data.close()

    again = loaded_window(real_catalogue_path, with_user_data=True)
    again.open_entity("anru")
    assert again.personal.notes.edit.toPlainText() == "Contact ANRU : Mme Martin, réunion du 12 mars"
    again.open_entity("pic")
    assert again.personal.notes.edit.toPlainText() == ""


def test_switching_fiche_saves_the_pending_note(loaded_window, real_catalogue_path, qtbot):
    window = loaded_window(real_catalogue_path, with_user_data=True)
    window.open_entity("cdc")
    window.personal.notes.edit.setPlainText("à rappeler")
    window.open_entity("bdt")  # before the debounce fired
    qtbot.waitUntil(lambda: window.user_data.get_note("cdc") is not None, timeout=5000)
    assert window.user_data.get_note("cdc").text == "à rappeler"


def test_notes_are_searchable(loaded_window, real_catalogue_path, qtbot):
    window = loaded_window(real_catalogue_path, with_user_data=True)
    window.user_data.set_note("npnru", "Convention signée avec le bailleur Habitat Zéphyr")
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=5000) as blocker:
        window.search_edit.setText("zephyr")
    hits = [h for h in blocker.args[0].hits if h.group == "Mes notes"]
    assert [h.id for h in hits] == ["npnru"]
    assert "Nouveau programme national" in hits[0].title


def test_favourites_toggle_reorder_export_import(loaded_window, real_catalogue_path, tmp_path, monkeypatch, qtbot):
    window = loaded_window(real_catalogue_path, with_user_data=True)
    for entity_id in ("anru", "pic", "cdc"):
        window.open_entity(entity_id)
        window.personal.toggle_action.trigger()
    panel = window.personal.panel
    assert panel.ids() == ["anru", "pic", "cdc"]
    assert panel.list.item(1).text() == "★ Plan Initiative Copropriétés"
    assert window.personal.toggle_action.text() == "★ Favori (retirer)" and window.personal.toggle_action.isChecked()
    panel.list.setCurrentRow(2)
    panel.up_button.click()
    assert panel.ids() == ["anru", "cdc", "pic"]

    exported = tmp_path / "favoris.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(exported), ""))
    panel.export_button.click()
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert [f["id"] for f in data["favourites"]] == ["anru", "cdc", "pic"]
    data["favourites"].append({"id": "n-existe-plus"})  # e.g. a colleague's newer catalogue
    exported.write_text(json.dumps(data), encoding="utf-8")

    for entity_id in list(panel.ids()):
        window.user_data.remove_favourite(entity_id)
    window.personal.refresh()
    assert panel.ids() == []
    shown = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(exported), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    panel.import_button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)  # imported off the UI thread
    assert panel.ids()[:3] == ["anru", "cdc", "pic"], shown
    assert "n-existe-plus" in shown[0]  # unknown ids are reported, not silently dropped


def test_favourites_become_a_training_pack(loaded_window, real_catalogue_path, tmp_path, monkeypatch):
    from pypdf import PdfReader

    window = loaded_window(real_catalogue_path, with_user_data=True)
    for entity_id in ("anah", "pic"):
        window.user_data.add_favourite(entity_id)
    window.user_data.set_note("pic", "Point d'étape au comité de pilotage")
    window.personal.refresh()
    target = tmp_path / "pack.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    from qpvdesk.ui.pack_dialog import PackDialog

    monkeypatch.setattr(PackDialog, "exec", lambda dialog: PackDialog.DialogCode.Accepted)  # favourites ticked first
    window.personal.panel.pdf_button.click()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(target).pages).split())
    assert "Agence nationale de l'habitat" in text and "Plan Initiative Copropriétés" in text
    assert "Point d'étape au comité de pilotage" in text  # the personal note is printed with its fiche
    assert text.index("Point d'étape au comité de pilotage") < text.rindex("catalogue à jour")  # before the footer


def test_notes_follow_the_page_on_screen(loaded_window, real_catalogue_path):
    window = loaded_window(real_catalogue_path, with_user_data=True)
    window.open_entity("anru")
    assert window.personal.notes.isEnabled()
    window.show_about_data()  # a page, not a fiche: nothing to annotate
    assert not window.personal.notes.isEnabled()


def test_a_favourite_that_cannot_be_written_is_explained_not_crashed(loaded_window, real_catalogue_path, monkeypatch):
    window = loaded_window(real_catalogue_path, with_user_data=True)
    window.open_entity("anru")

    def full_disk(entity_id):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(window.user_data, "add_favourite", full_disk)
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append((title, text)))
    window.personal.toggle_action.trigger()
    assert shown == [("Favori non ajouté", "disque plein")]
    assert window.personal.panel.ids() == []
    assert window.personal.toggle_action.text() == "☆ Ajouter aux favoris"


def test_notes_go_to_a_colleague_by_file_with_a_preview_first(loaded_window, real_catalogue_path, tmp_path, monkeypatch, qtbot):
    window = loaded_window(real_catalogue_path, with_user_data=True)
    window.user_data.set_note("pic", "Relancer le syndic")
    target = tmp_path / "notes.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.personal.export_notes_action.trigger()
    assert target.is_file()

    window.user_data.set_note("pic", "Ma version à moi")
    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text: asked.append(text) or QMessageBox.StandardButton.No)
    window.personal.import_notes_action.trigger()
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=10_000)  # the preview runs off the UI thread
    assert "1 complétée" in asked[0]
    assert window.user_data.get_note("pic").text == "Ma version à moi"  # declined: nothing changed
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text: QMessageBox.StandardButton.Yes)
    messages = []
    window.personal.message.connect(messages.append)
    window.personal.import_notes_action.trigger()
    qtbot.waitUntil(lambda: any(m.startswith("Notes importées") for m in messages), timeout=10_000)
    text = window.user_data.get_note("pic").text
    assert "Ma version à moi" in text and "Relancer le syndic" in text  # appended, nothing overwritten
