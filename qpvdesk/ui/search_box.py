"""One search box: type in the toolbar, the results drop down under it, over the window.

Keyboard first: Ctrl+K or Ctrl+F puts the cursor in the box, the arrows move through the results,
Enter opens the highlighted one (the first by default), Échap closes the list. The tabs stay where
they are: the list floats over the panes instead of taking their place, and goes away once a fiche
is chosen or the box is left.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QVBoxLayout, QWidget

from qpvdesk.ui.roles import TARGET_ROLE
from qpvdesk.ui.search_controller import SearchController
from qpvdesk.ui.search_results import SearchResultsView, results_label

MAX_WIDTH = 760  # wide enough for a snippet line, narrow enough to leave the fiche in view
MARGIN = 8


class SearchDropdown(QFrame):
    """The results of the box, as a panel floating over the window's panes (a child, not a window:
    it never takes the keyboard from the box)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.setObjectName("searchDropdown")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setAccessibleName("Résultats de recherche")
        self.label = QLabel()
        self.label.setWordWrap(True)  # a territory notice can be a long sentence
        self.view = SearchResultsView()
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # clicks choose, the cursor stays in the box
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.addWidget(self.label)
        layout.addWidget(self.view, 1)
        self.hide()

    def place_under(self, edit: QLineEdit) -> None:
        """Under the box, as wide as useful, always inside the window."""
        window = self._window
        below = edit.mapTo(window, QPoint(0, edit.height() + 2))
        width = min(max(edit.width(), MAX_WIDTH), window.width() - 2 * MARGIN)
        x = max(MARGIN, min(below.x(), window.width() - MARGIN - width))
        height = max(160, int((window.height() - below.y()) * 0.85))
        self.setGeometry(x, below.y(), width, min(height, window.height() - below.y() - MARGIN))


class SearchBox(QObject):
    """Wires the toolbar's line edit, the search worker and the drop-down list together."""

    target_chosen = Signal(object)  # ("entity", id) or ("glossary", acronym)
    failed = Signal(str)

    def __init__(self, window: QWidget, edit: QLineEdit) -> None:
        super().__init__(window)
        self.window, self.edit = window, edit
        self.controller = SearchController(self)
        self.dropdown = SearchDropdown(window)
        self.view, self.label = self.dropdown.view, self.dropdown.label
        self._dismissed = False  # closed by the user (Échap, a choice, another pane): late results stay hidden
        edit.textChanged.connect(self._typed)
        self.controller.results_ready.connect(self._show)
        self.controller.cleared.connect(self.close)
        self.controller.failed.connect(self.failed)
        self.view.target_activated.connect(self._choose)
        edit.installEventFilter(self)
        window.installEventFilter(self)  # follows the window's size

    def _typed(self, text: str) -> None:
        self._dismissed = False
        self.controller.query_changed(text)

    def focus(self) -> None:
        """Ctrl+K, Ctrl+F: the cursor in the box, what was typed selected, its results shown again."""
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()
        if self.edit.text().strip() and self.view.results_model.rowCount():
            self._dismissed = False
            self._open_dropdown()

    def close(self) -> None:
        self.dropdown.hide()

    def dismiss(self) -> None:
        self._dismissed = True
        self.close()

    def is_open(self) -> bool:
        return self.dropdown.isVisible()

    def _show(self, result) -> None:
        self.view.set_result(result)
        self.label.setText(results_label(result))
        if not self._dismissed and self.edit.text().strip():
            self._open_dropdown()

    def _open_dropdown(self) -> None:
        self.dropdown.place_under(self.edit)
        self.dropdown.show()
        self.dropdown.raise_()

    def _choose(self, target) -> None:
        self.controller.cancel_pending()
        self.dismiss()
        self.target_chosen.emit(target)

    def _choose_current(self) -> None:
        target = self.view.currentIndex().data(TARGET_ROLE) or self.view.results_model.first_target()
        if target:
            self._choose(target)

    def _move(self, step: int) -> None:
        """Move the highlight over result rows, skipping the group headers."""
        model = self.view.results_model
        rows = [
            model.index(r, 0, model.index(g, 0))
            for g in range(model.rowCount())
            for r in range(model.rowCount(model.index(g, 0)))
            if model.index(r, 0, model.index(g, 0)).data(TARGET_ROLE)
        ]
        if not rows:
            return
        if not self.is_open():
            self._open_dropdown()
        current = self.view.currentIndex()
        position = next((i for i, idx in enumerate(rows) if idx == current), -1)
        position = max(0, min(len(rows) - 1, position + step))
        self.view.setCurrentIndex(rows[position])
        self.view.scrollTo(rows[position])

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt name)
        if obj is self.window:
            if event.type() == QEvent.Type.Resize and self.is_open():
                self.dropdown.place_under(self.edit)
            return False
        kind = event.type()
        if kind == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._move(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self._move(8 if key == Qt.Key.Key_PageDown else -8)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.controller.call_when_current(self._choose_current)
                return True
            if key == Qt.Key.Key_Escape and self.is_open():
                self.controller.cancel_pending()  # Enter then Échap: the late answer opens nothing
                self.dismiss()
                return True
        elif kind == QEvent.Type.FocusOut and event.reason() != Qt.FocusReason.PopupFocusReason:
            self.dismiss()  # the user went to a pane: the list must not hide it
        return False
