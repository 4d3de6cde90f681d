"""A long import off the UI thread, with a progress window and a « Annuler » button.

The core calls progress(done, total) between batches, from the worker thread; a signal carries it to
the window (queued), and the cancel flag is read by the core at its next batch, which then rolls back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from qpvdesk.ui.tasks import run_task

Progress = Callable[[int, int], bool]


class _Bridge(QObject):
    progressed = Signal(int, int)


def run_with_progress(parent: QWidget | None, title: str, label: str, work: Callable[[Progress], Any],
                      on_done: Callable[[Any], None], on_failed: Callable[[BaseException], object],
                      on_cancelled: Callable[[], None] | None = None) -> QProgressDialog:
    """Run work(progress) off the UI thread. With on_cancelled (read-only work such as a dry run), a
    cancel drops the result and calls it at once; without, on_done always gets the core's own report
    (which says whether the cancel came in time: an import cancelled after its commit is not undone)."""
    dialog = QProgressDialog(label, "Annuler", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)  # a quick import shows no window at all
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setAccessibleName(title)
    cancel = threading.Event()
    finished = threading.Event()
    bridge = _Bridge(dialog)

    def show_progress(done: int, total: int) -> None:
        if not finished.is_set():
            dialog.setMaximum(max(total, 1))
            dialog.setValue(done)

    def cancelled() -> None:
        cancel.set()
        if on_cancelled is not None and not finished.is_set():
            finished.set()
            dialog.hide()
            dialog.deleteLater()
            on_cancelled()
        else:
            dialog.setLabelText("Annulation… (rien ne sera modifié)")

    def progress(done: int, total: int) -> bool:
        bridge.progressed.emit(done, total)
        return not cancel.is_set()

    def finish(callback: Callable[[Any], object], value: Any) -> None:
        if finished.is_set():  # the read-only work was cancelled: its result is not wanted
            return
        finished.set()
        dialog.canceled.disconnect(cancelled)
        dialog.hide()
        dialog.deleteLater()
        callback(value)

    bridge.progressed.connect(show_progress)
    dialog.canceled.connect(cancelled)
    run_task(lambda: work(progress), lambda result: finish(on_done, result), lambda exc: finish(on_failed, exc))
    return dialog
