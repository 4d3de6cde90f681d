"""Long imports in the window: off the UI thread, progress shown, « Annuler » changes nothing;
the import report shows file names and messages as text, never as markup; exports refuse a lying name."""

from __future__ import annotations

import json
import threading

from PySide6.QtWidgets import QLabel, QPushButton
from userdata_fixtures import REFS, snapshot

from qpvdesk.ui.import_progress import run_with_progress
from qpvdesk.ui.userdata_dialogs import ImportReportDialog
from qpvdesk.userdata import open_user_data
from qpvdesk.userdata.messages import Msg
from qpvdesk.userdata.views import ImportReport


def _press_cancel(dialog):
    [button] = dialog.findChildren(QPushButton)
    button.click()


def _notes(path, count):
    path.write_text(json.dumps({"notes": [{"entity_id": f"x{n}", "text": f"note {n}"} for n in range(count)]}), encoding="utf-8")
    return path


def test_cancel_during_a_notes_import_rolls_everything_back(qtbot, tmp_path, monkeypatch):
    from qpvdesk.userdata import personal_import

    monkeypatch.setattr(personal_import, "BATCH", 10)
    with open_user_data(tmp_path / "ud", refs=REFS) as data:
        path = _notes(tmp_path / "n.json", 50)
        before = snapshot(data.path)
        first_batch, go_on = threading.Event(), threading.Event()

        def work(progress):
            def paced(done, total):
                first_batch.set()
                go_on.wait(10)  # the person presses « Annuler » while the import runs
                return progress(done, total)
            return data.import_notes(path, progress=paced)

        results = []
        dialog = run_with_progress(None, "Import des notes", "Import en cours…", work, results.append, results.append)
        qtbot.waitUntil(first_batch.is_set, timeout=10_000)
        _press_cancel(dialog)
        go_on.set()
        qtbot.waitUntil(lambda: bool(results), timeout=10_000)
        assert results[0].file_error == Msg.CANCELLED
        assert snapshot(data.path) == before and data.list_notes() == []


def test_progress_reaches_the_window_and_the_report_arrives(qtbot, tmp_path, monkeypatch):
    from qpvdesk.userdata import personal_import

    monkeypatch.setattr(personal_import, "BATCH", 10)
    with open_user_data(tmp_path / "ud", refs=REFS) as data:
        path = _notes(tmp_path / "n.json", 35)
        reached, go_on, results = threading.Event(), threading.Event(), []

        def work(progress):
            def paced(done, total):
                carry_on = progress(done, total)
                if done == 10:
                    reached.set()
                    go_on.wait(10)
                return carry_on
            return data.import_notes(path, progress=paced)

        dialog = run_with_progress(None, "Import des notes", "Import en cours…", work, results.append, results.append)
        qtbot.waitUntil(reached.is_set, timeout=10_000)
        qtbot.waitUntil(lambda: (dialog.value(), dialog.maximum()) == (10, 35), timeout=10_000)
        go_on.set()
        qtbot.waitUntil(lambda: bool(results), timeout=10_000)
        assert results[0].added == 35 and len(data.list_notes()) == 35


def test_a_cancelled_preview_is_dropped(qtbot, tmp_path):
    release = threading.Event()
    done, cancelled = [], []

    def slow_preview(progress):
        release.wait(10)
        return "aperçu"

    dialog = run_with_progress(None, "Import", "Lecture…", slow_preview, done.append, done.append,
                               on_cancelled=lambda: cancelled.append(True))
    _press_cancel(dialog)
    assert cancelled == [True]
    release.set()
    from qpvdesk.ui import tasks

    qtbot.waitUntil(lambda: not tasks._running, timeout=10_000)
    assert done == []  # the preview's result is not shown after « Annuler »


def test_report_dialog_shows_names_and_errors_as_text(qtbot):
    dialog = ImportReportDialog(ImportReport("/tmp/<b>x<b>.csv", "csv", True, file_error="colonne « <i>a</i> »"))
    qtbot.addWidget(dialog)
    [label] = [w for w in dialog.findChildren(QLabel) if w.accessibleName() == "Résumé de l'import"]
    assert "&lt;b&gt;x&lt;b&gt;.csv" in label.text() and "&lt;i&gt;a&lt;/i&gt;" in label.text()
    assert "<b>x<b>" not in label.text()
