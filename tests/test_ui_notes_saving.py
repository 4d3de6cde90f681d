"""Notes typed in a hurry: the newest text is what stays, a failed save is said and never silently lost."""

import threading

from PySide6.QtWidgets import QMessageBox

from qpvdesk.ui.note_saver import NoteSaver


def test_saves_land_in_typing_order_and_only_the_newest_pending_text_is_written(qtbot):
    written: list[tuple[str, str]] = []
    release = threading.Event()

    def write(entity_id, text):
        if not written:
            release.wait(5)  # the first save is slow (a partner import holds the lock)
        written.append((entity_id, text))

    saver = NoteSaver(write)
    saver.save("anru", "Réunion")
    saver.save("anru", "Réunion du 12")
    saver.save("anru", "Réunion du 12 mars")
    assert saver.unsaved_text("anru") == "Réunion du 12 mars"  # the fiche shown again shows what was typed
    release.set()
    qtbot.waitUntil(lambda: saver.unsaved_text("anru") is None, timeout=5000)
    assert written == [("anru", "Réunion"), ("anru", "Réunion du 12 mars")]


def test_a_failed_save_keeps_the_text_and_says_so(qtbot):
    def write(entity_id, text):
        raise PermissionError(13, "Permission denied", "/home/agent/.local/share/qpvdesk/donnees.sqlite")

    saver = NoteSaver(write)
    with qtbot.waitSignal(saver.finished, timeout=5000) as blocker:
        saver.save("pic", "à rappeler")
    entity_id, text, ok, message = blocker.args
    assert (entity_id, text, ok) == ("pic", "à rappeler", False)
    assert "accès refusé" in message and "Permission" not in message  # French, not the C library's English
    assert saver.unsaved_text("pic") == "à rappeler"
    assert saver.flush_blocking() == {"pic": ("à rappeler", message)}


def test_closing_right_after_typing_writes_the_note(loaded_window, real_catalogue_path):
    window = loaded_window(real_catalogue_path, with_user_data=True)
    window.open_entity("anru")
    window.personal.notes.edit.setPlainText("Dernière phrase tapée avant de fermer")
    window.close()  # before the 600 ms pause that saves as you type
    assert window.user_data.get_note("anru").text == "Dernière phrase tapée avant de fermer"


def test_coming_back_to_a_fiche_shows_the_text_still_being_saved(loaded_window, real_catalogue_path, qtbot):
    window = loaded_window(real_catalogue_path, with_user_data=True)
    release = threading.Event()
    real_set_note = window.user_data.set_note

    def slow_set_note(entity_id, text):
        release.wait(5)
        return real_set_note(entity_id, text)

    window.user_data.set_note = slow_set_note
    window.open_entity("cdc")
    window.personal.notes.edit.setPlainText("Appeler la Banque des Territoires")
    window.open_entity("bdt")  # the save of cdc's note starts and waits
    window.open_entity("cdc")
    assert window.personal.notes.edit.toPlainText() == "Appeler la Banque des Territoires"
    release.set()
    qtbot.waitUntil(lambda: window.personal.note_saver.unsaved_text("cdc") is None, timeout=5000)
    assert window.user_data.get_note("cdc").text == "Appeler la Banque des Territoires"


def test_closing_with_an_unsavable_note_asks_before_losing_it(loaded_window, real_catalogue_path, qtbot, monkeypatch):
    window = loaded_window(real_catalogue_path, with_user_data=True)

    def refuse(entity_id, text):
        raise OSError(28, "No space left on device")

    real_set_note = window.user_data.set_note
    window.user_data.set_note = refuse
    window.open_entity("anah")
    editor = window.personal.notes
    editor.edit.setPlainText("Compte rendu du comité")
    qtbot.waitUntil(lambda: editor.status.text().startswith("Non enregistré"), timeout=5000)
    assert "disque plein" in editor.status.text()

    asked = []

    def answer(parent, title, text, buttons, default):
        asked.append(text)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "warning", answer)
    assert not window.close()  # the user chose to stay
    assert window.isVisible()
    assert "Agence nationale de l'habitat" in asked[0] or "ANAH" in asked[0]
    assert "disque plein" in asked[0]
    assert editor.edit.toPlainText() == "Compte rendu du comité"

    window.user_data.set_note = real_set_note  # space freed: closing now saves it, without asking
    assert window.close()
    assert len(asked) == 1
    assert window.user_data.get_note("anah").text == "Compte rendu du comité"


def test_pdf_exported_right_after_typing_carries_the_note_as_typed(loaded_window, real_catalogue_path, tmp_path, monkeypatch):
    from pypdf import PdfReader
    from PySide6.QtWidgets import QFileDialog

    window = loaded_window(real_catalogue_path, with_user_data=True)
    release = threading.Event()
    real_set_note = window.user_data.set_note
    window.user_data.set_note = lambda e, t: (release.wait(5), real_set_note(e, t))[1]  # a slow disk
    window.open_entity("pic")
    window.personal.notes.edit.setPlainText("Relancer le syndic avant le comité")
    target = tmp_path / "pic.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.export_current_pdf()
    release.set()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(target).pages).split())
    assert "Relancer le syndic avant le comité" in text


def test_closing_tries_again_a_note_that_failed_earlier(qtbot):
    """The database was busy a moment ago (an import); by closing time it is free: the note is written."""
    written, busy = [], [True]

    def write(entity_id, text):
        if busy[0]:
            raise OSError(16, "Device or resource busy")
        written.append((entity_id, text))

    saver = NoteSaver(write)
    with qtbot.waitSignal(saver.finished, timeout=5000):
        saver.save("anru", "Réunion du 12 mars")
    busy[0] = False
    assert saver.flush_blocking() == {}
    assert written == [("anru", "Réunion du 12 mars")]


def test_closing_does_not_race_a_save_that_is_still_stuck(qtbot):
    written, release = [], threading.Event()

    def write(entity_id, text):
        if not written and text == "ancien":
            release.wait(5)  # stuck behind a long import
        written.append((entity_id, text))

    saver = NoteSaver(write)
    saver.save("pic", "ancien")
    saver.save("pic", "nouveau")  # typed while the first save waits
    unsaved = saver.flush_blocking(timeout_s=0.2)
    assert list(unsaved) == ["pic"] and unsaved["pic"][0] == "nouveau"  # reported, not written behind the old one
    assert "toujours pas terminé" in unsaved["pic"][1]
    release.set()  # the user chose to stay: the queued text follows the old one, in order
    qtbot.waitUntil(lambda: written == [("pic", "ancien"), ("pic", "nouveau")], timeout=5000)
    assert saver.flush_blocking() == {}
