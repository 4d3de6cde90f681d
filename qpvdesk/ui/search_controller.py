"""Search as you type: debounce keystrokes, query off the UI thread, drop stale replies."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from qpvdesk.errors import french_reason
from qpvdesk.ui.tasks import run_task
from qpvdesk.userdata.hits import merge_hits

DEBOUNCE_MS = 120


class SearchController(QObject):
    results_ready = Signal(object)  # SearchResult
    cleared = Signal()
    failed = Signal(str)  # French message

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.service = None
        self._extra = None
        self._generation = 0
        self._pending = ""
        self._delivered = 0  # generation of the results on screen
        self._when_current = None  # callback waiting for the results of the text typed now
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._run)

    def set_extra_hits(self, provider) -> None:
        """provider(query) -> list of SearchHit, run on the worker too (local partners, notes)."""
        self._extra = provider
        if self._pending:
            self._timer.start()

    def set_service(self, service) -> None:
        self.service = service
        if self._pending:
            self._timer.start()

    def query_changed(self, text: str) -> None:
        self._pending = text
        self._generation += 1  # any reply still in flight is now stale
        self._when_current = None  # typing on after Enter: the user no longer wants that answer
        if not text.strip():
            self._timer.stop()
            self.cleared.emit()
            return
        self._timer.start()

    def call_when_current(self, callback) -> None:
        """Run `callback` once the results on screen are those of the text typed now.

        Enter pressed within the debounce must open the first hit of what was typed,
        not of the previous, shorter query still on screen.
        """
        if not self._pending.strip():
            return  # nothing typed: no result to open
        if self._delivered == self._generation:
            callback()
            return
        self._when_current = callback
        if self._timer.isActive():
            self._timer.stop()
            self._run()

    def cancel_pending(self) -> None:
        """The user went elsewhere (closed the palette, clicked a fiche): a late answer opens nothing."""
        self._when_current = None

    def run_now(self, text: str) -> None:
        self._pending = text
        self._generation += 1
        self._timer.stop()
        self._run()

    def _run(self) -> None:
        if self.service is None or not self._pending.strip():
            return
        generation, query, service, extra = self._generation, self._pending, self.service, self._extra

        def work():
            result = service.search(query)
            if extra is not None:  # the user's partners and notes, placed by how well their name matches
                result.hits = merge_hits(result.hits, extra(query), query)
            return result

        run_task(work, lambda result: self._deliver(generation, result), lambda exc: self._fail(generation, exc))

    def _deliver(self, generation: int, result) -> None:
        if generation != self._generation:
            return  # the user typed more since: this answer is outdated
        self._delivered = generation
        self.results_ready.emit(result)
        callback, self._when_current = self._when_current, None
        if callback is not None:
            callback()

    def _fail(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._when_current = None
        self.failed.emit(f"La recherche a échoué : {french_reason(exc)}")
