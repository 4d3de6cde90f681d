"""Back and forward through the fiches seen: the two actions, the « Consultées » tab and menu, and the mouse's
back/forward buttons (wherever the pointer is: child widgets ignore them)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

from qpvdesk.history import History


class Navigation(QObject):
    def __init__(self, window: QWidget, back_action, forward_action, panel, menu, open_entity: Callable,
                 names: Callable[[list[str]], dict[str, str]]) -> None:
        """`open_entity(id, record=…)`: opens a fiche; `names(ids)`: what to call each fiche in the panel and menu."""
        super().__init__(window)
        self.window = window
        self.history = History()
        self.back_action, self.forward_action = back_action, forward_action
        self.panel, self.menu = panel, menu
        self.open_entity, self.names = open_entity, names
        back_action.triggered.connect(self.go_back)
        forward_action.triggered.connect(self.go_forward)
        panel.entity_activated.connect(open_entity)
        menu.aboutToShow.connect(self.fill_menu)
        app = QApplication.instance()
        assert app is not None  # made before any window
        app.installEventFilter(self)

    def go_back(self) -> None:
        if self.history.can_back():
            self.open_entity(self.history.back(), record=False)

    def go_forward(self) -> None:
        if self.history.can_forward():
            self.open_entity(self.history.forward(), record=False)

    def refresh(self, with_names: bool = True) -> None:
        """The actions' state; and the history tab, once the fiches' names can be read."""
        self.back_action.setEnabled(self.history.can_back())
        self.forward_action.setEnabled(self.history.can_forward())
        if with_names:
            self.panel.refresh(self.history.items(), self.history.current, self.names(self.history.items()))

    def fill_menu(self) -> None:
        self.menu.clear()
        items = list(reversed(self.history.items()))[:20]
        if not items:
            self.menu.addAction("(aucune fiche consultée)").setEnabled(False)
        names = self.names(items) if items else {}
        for entity_id in items:
            action = self.menu.addAction(names.get(entity_id) or entity_id)
            action.triggered.connect(lambda _checked=False, e=entity_id: self.open_entity(e))

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.MouseButtonPress and self.window.isActiveWindow():
            if event.button() == Qt.MouseButton.BackButton:
                self.go_back()
                return True
            if event.button() == Qt.MouseButton.ForwardButton:
                self.go_forward()
                return True
        return super().eventFilter(obj, event)
