"""Search as you type: debounce keystrokes, query off the UI thread, drop stale replies."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from qpvdesk.ui.tasks import run_task

DEBOUNCE_MS = 120


class SearchController(QObject):
    results_ready = Signal(object)  # SearchResult
    cleared = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.service = None
        self._extra = None
        self._generation = 0
        self._pending = ""
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
        if not text.strip():
            self._timer.stop()
            self.cleared.emit()
            return
        self._timer.start()

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
            if extra is not None:
                result.hits.extend(extra(query))  # their own groups, after the catalogue's
            return result

        run_task(work, lambda result: self._deliver(generation, result), lambda exc: self._deliver(generation, None))

    def _deliver(self, generation: int, result) -> None:
        if generation != self._generation or result is None:
            return  # the user typed more since: this answer is outdated
        self.results_ready.emit(result)
