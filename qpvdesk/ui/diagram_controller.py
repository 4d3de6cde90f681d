"""Opens the « Schéma » window: the actors around the fiche on screen, or the whole « qui fait quoi »."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from qpvdesk.ui.diagram_view import DiagramDialog


class DiagramController(QObject):
    message = Signal(str)

    def __init__(self, window, service: Callable[[], Any], current_id: Callable[[], str | None],
                 open_entity: Callable[[str], bool]) -> None:
        super().__init__(window)
        self._window, self._service, self._current_id, self._open_entity = window, service, current_id, open_entity
        self.dialog: DiagramDialog | None = None
        self._whole = False
        self.diagram_action = QAction("Schéma des acteurs de la fiche…", window)
        self.diagram_action.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.diagram_action.setToolTip("La fiche au centre, qui la pilote, la finance, la met en œuvre (Ctrl+Maj+D)")
        self.whole_action = QAction("Schéma « Qui fait quoi » (État et agences)…", window)
        self.diagram_action.triggered.connect(self.show_current)
        self.whole_action.triggered.connect(self.show_whole)

    def _dialog(self) -> DiagramDialog:
        if self.dialog is None:
            from qpvdesk.ui.diagram_view import DiagramDialog  # on first use: not before the first paint

            self.dialog = DiagramDialog(self._window)
            self.dialog.entity_requested.connect(self._node_clicked)
        return self.dialog

    def show_current(self) -> bool:
        service, entity_id = self._service(), self._current_id()
        detail = service.entity(entity_id) if service is not None and entity_id else None
        if detail is None or service.is_place(entity_id):
            self.message.emit("Schéma : ouvrez d'abord la fiche d'un acteur, d'un programme ou d'une loi.")
            return False
        self._whole = False
        from qpvdesk.diagram import around

        self._show(around(detail))
        return True

    def show_whole(self) -> bool:
        service = self._service()
        if service is None:
            return False
        self._whole = True
        from qpvdesk.diagram import whole_tree

        self._show(whole_tree(service.tree()[:2]))  # the State and the agencies: the first two groups of the tree
        return True

    def _show(self, diagram) -> None:
        dialog = self._dialog()
        dialog.show_diagram(diagram)
        dialog.show()
        dialog.raise_()

    def _node_clicked(self, entity_id: str) -> None:
        if self._open_entity(entity_id) and not self._whole:
            self.show_current()  # the diagram follows: the clicked box is now in the middle
