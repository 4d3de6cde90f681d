"""« Chronologie »: computed off the UI thread once, then shown (and filtered by theme) in the fiche panel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence

from qpvdesk.errors import french_reason
from qpvdesk.ui.tasks import run_task


class ChronologyController(QObject):
    message = Signal(str)
    ready = Signal()  # the page is on screen (tests, screenshots)

    def __init__(self, window, service: Callable[[], Any], show_page: Callable[[str], None]) -> None:
        super().__init__(window)
        self._service, self._show_page = service, show_page
        self._events: list | None = None
        self._wanted = ""
        self._loading = False
        self.action = QAction("Chronologie de la politique de la ville", window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+H"))
        self.action.setToolTip("Lois, programmes, géographies, institutions, dans l'ordre des dates (Ctrl+Maj+H)")
        self.action.triggered.connect(lambda: self.show())

    def show(self, theme_key: str = "") -> None:
        self._wanted = theme_key
        if self._events is not None:
            from qpvdesk.chronology_html import chronology_html  # on first use: not before the first paint

            self._show_page(chronology_html(self._events, theme_key))
            self.ready.emit()
            return
        service = self._service()
        if service is None or self._loading:
            return
        self._loading = True
        self.message.emit("Chronologie : lecture des fiches…")
        run_task(service.chronology, self._loaded, self._failed)

    def _loaded(self, events) -> None:
        self._loading = False
        self._events = events
        self.message.emit("")
        self.show(self._wanted)

    def _failed(self, exc) -> None:
        self._loading = False
        self.message.emit(f"Chronologie indisponible : {french_reason(exc)}")
