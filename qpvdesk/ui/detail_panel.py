"""Detail panel: the fiche HTML in a QTextBrowser; entity links navigate, source links copy."""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QTextBrowser


class DetailPanel(QTextBrowser):
    entity_requested = Signal(str)
    message = Signal(str)
    shown = Signal(object)  # the entity id now displayed, or None for a page (welcome, about)
    view_requested = Signal(str)  # « view:schema »: a view of the fiche on screen (its diagram)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)  # offline: never hand a URL to a browser
        self.setAccessibleName("Fiche détaillée")
        self.anchorClicked.connect(self._on_anchor)
        self.current_id: str | None = None

    def show_fiche(self, entity_id: str | None, html: str) -> None:
        self.current_id = entity_id
        self.setHtml(html)
        self.shown.emit(entity_id)

    def _on_anchor(self, url: QUrl) -> None:
        scheme = url.scheme()
        if scheme == "entity":
            self.entity_requested.emit(url.path())
        elif scheme == "view":
            self.view_requested.emit(url.path())
        elif scheme == "source":
            # fully encoded: the address pastes into any browser, even with spaces or accents in it
            # (PySide6 6.11 rejects a UrlFormattingOption here: only ComponentFormattingOption is accepted)
            address = url.toString(QUrl.ComponentFormattingOption.FullyEncoded).removeprefix("source:")
            QGuiApplication.clipboard().setText(address)
            # what happened first: a long address is cut at the right edge of the status bar
            self.message.emit(f"Adresse de la source copiée, à ouvrir une fois connecté : {address}")
        elif url.hasFragment():
            self.scrollToAnchor(url.fragment())
