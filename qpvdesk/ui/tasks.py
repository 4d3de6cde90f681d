"""Run core work off the UI thread and get the result back on it.

A Task emits `done(result)` or `failed(exception)` through a queued signal, so the slot
always runs on the thread that owns the receiver (the UI thread).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class Task(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()
        self.setAutoDelete(False)  # Python keeps the reference until the result arrived

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # noqa: BLE001 — reported to the UI as a French message
            self._emit(self.signals.failed, exc)
        else:
            self._emit(self.signals.done, result)

    def _emit(self, signal, value) -> None:
        # the application quit while this ran: nobody is left to hear it (and Qt would print a traceback)
        if shiboken6.isValid(self.signals):
            try:
                signal.emit(value)
            except RuntimeError:  # deleted between the check and the emit
                pass


_running: set[Task] = set()


def run_task(fn: Callable[[], Any], on_done: Callable[[Any], None], on_failed: Callable[[BaseException], None]) -> Task:
    task = Task(fn)
    _running.add(task)

    def finish(callback, value):
        _running.discard(task)
        callback(value)

    task.signals.done.connect(lambda r: finish(on_done, r))
    task.signals.failed.connect(lambda e: finish(on_failed, e))
    QThreadPool.globalInstance().start(task)
    return task
