"""Notes reach the user database one save at a time, in the order they were typed.

Saves run off the UI thread (a big partner import may hold the write lock for seconds), so
two quick saves could otherwise finish in the wrong order and leave the older text on disk.
The saver keeps, per fiche, the newest text not yet written, and the texts whose save failed,
so a fiche shown again gets what the user typed, and closing the app can report what is lost.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from qpvdesk.errors import french_reason
from qpvdesk.ui.tasks import run_task

Outcome = tuple[str, str, bool, str]  # entity id, text, saved?, French reason when not
STILL_SAVING = "l'enregistrement précédent de cette note n'est toujours pas terminé (base de données occupée)"


class NoteSaver(QObject):
    finished = Signal(str, str, bool, str)  # entity id, text, ok, message

    def __init__(self, write: Callable[[str, str], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._write = write
        self._pending: dict[str, str] = {}  # newest text per fiche, not handed to a writer yet
        self._failed: dict[str, tuple[str, str]] = {}  # fiche -> (text, reason) of its last failed save
        self._in_flight: tuple[str, str] | None = None
        self._ticket = 0  # which save is in flight: a late answer of a settled one is ignored
        self._outcome: Outcome | None = None
        self._idle = threading.Event()
        self._idle.set()

    def save(self, entity_id: str, text: str) -> None:
        self._pending[entity_id] = text
        self._next()

    def unsaved_text(self, entity_id: str) -> str | None:
        """What the user typed for this fiche that is not (yet) on disk, else None."""
        if entity_id in self._pending:
            return self._pending[entity_id]
        if self._in_flight and self._in_flight[0] == entity_id:
            return self._in_flight[1]
        failed = self._failed.get(entity_id)
        return failed[0] if failed else None

    def _attempt(self, entity_id: str, text: str) -> Outcome:
        try:
            self._write(entity_id, text)
        except Exception as exc:  # noqa: BLE001 - any failure is reported in French, text kept
            return entity_id, text, False, french_reason(exc)
        return entity_id, text, True, ""

    def _next(self) -> None:
        if self._in_flight is not None or not self._pending:
            return
        entity_id = next(iter(self._pending))
        text = self._pending.pop(entity_id)
        self._in_flight = (entity_id, text)
        self._ticket += 1
        ticket = self._ticket
        self._idle.clear()

        def work() -> Outcome:
            try:
                self._outcome = self._attempt(entity_id, text)
                return self._outcome
            finally:
                self._idle.set()

        run_task(work, lambda outcome: self._finish(ticket, outcome),
                 lambda exc: self._finish(ticket, (entity_id, text, False, french_reason(exc))))

    def _finish(self, ticket: int, outcome: Outcome) -> None:
        if self._in_flight is None or ticket != self._ticket:
            return  # already settled by flush_blocking while closing
        self._in_flight = None
        self._settle(outcome)
        self._next()

    def _settle(self, outcome: Outcome) -> None:
        entity_id, text, ok, message = outcome
        if ok:
            self._failed.pop(entity_id, None)
        elif entity_id not in self._pending:  # a newer text will be tried anyway
            self._failed[entity_id] = (text, message)
        self.finished.emit(entity_id, text, ok, message)

    def flush_blocking(self, timeout_s: float = 10.0) -> dict[str, tuple[str, str]]:
        """On closing: finish every save now, on this thread; return what could not be saved.

        Notes whose save failed earlier are tried again (the database may be free by now). A save
        still running after `timeout_s` is not raced: that fiche's newest text stays queued behind
        it (written in order if the window stays open) and is reported unsaved.
        """
        if self._in_flight is not None and self._idle.wait(timeout_s) and self._outcome is not None:
            outcome, self._in_flight = self._outcome, None
            self._settle(outcome)
        stuck = self._in_flight
        for entity_id, (text, _reason) in self._failed.items():
            self._pending.setdefault(entity_id, text)
        for entity_id in list(self._pending):
            if stuck is None or entity_id != stuck[0]:
                self._settle(self._attempt(entity_id, self._pending.pop(entity_id)))
        unsaved = dict(self._failed)
        if stuck is not None:
            unsaved[stuck[0]] = (self._pending.get(stuck[0], stuck[1]), STILL_SAVING)
        return unsaved
