"""Quick-open palette (Ctrl+K, Ctrl+F): type, arrows, Enter opens, Esc closes — no mouse needed."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QVBoxLayout

from qpvdesk.french import plural
from qpvdesk.ui.roles import TARGET_ROLE
from qpvdesk.ui.search_controller import SearchController
from qpvdesk.ui.search_results import SearchResultsView


class QuickOpenPalette(QDialog):
    target_chosen = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Ouverture rapide")
        self.setAccessibleName("Ouverture rapide")
        self.setModal(True)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Tapez un nom, un sigle, un code… (Entrée ouvre, Échap ferme)")
        self.edit.setAccessibleName("Rechercher et ouvrir une fiche")
        self.status = QLabel("Tapez au moins une lettre.")
        self.status.setWordWrap(True)
        self.results = SearchResultsView()
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # focus stays in the text field
        self.controller = SearchController(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        self.edit.textChanged.connect(self.controller.query_changed)
        self.controller.results_ready.connect(self._show)
        self.controller.cleared.connect(self._clear)
        self.controller.failed.connect(self.status.setText)
        self.results.target_activated.connect(self._choose)
        self.edit.installEventFilter(self)
        self.resize(720, 480)

    def set_service(self, service) -> None:
        self.controller.set_service(service)

    def open_palette(self) -> None:
        parent = self.parentWidget()
        if parent:
            center = parent.geometry().center()
            self.move(center.x() - self.width() // 2, parent.geometry().top() + 80)
        self.edit.selectAll()
        self.show()
        self.raise_()
        self.activateWindow()
        self.edit.setFocus()

    def _show(self, result) -> None:
        self.results.set_result(result)
        if result.hits:
            text = plural(len(result.hits), "résultat")
            if result.corrections:
                text += " — corrigé : " + ", ".join(f"{k} → {v}" for k, v in result.corrections.items())
        else:
            text = "Aucun résultat."
        if result.partial:
            text += " — aucune fiche du catalogue ne contient tous les mots"
        if result.notice:
            text = f"{result.notice}\n{text}"
        self.status.setText(text)

    def _clear(self) -> None:
        self.results.results_model.clear()
        self.status.setText("Tapez au moins une lettre.")

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt name)
        self.controller.cancel_pending()  # Enter then Échap: the late answer must not open a fiche
        super().hideEvent(event)

    def _choose_current(self) -> None:
        target = self.results.currentIndex().data(TARGET_ROLE) or self.results.results_model.first_target()
        if target:
            self._choose(target)

    def _choose(self, target) -> None:
        self.hide()
        self.target_chosen.emit(target)

    def _move(self, step: int) -> None:
        """Move the selection over result rows, skipping the group headers."""
        model = self.results.results_model
        rows = [
            model.index(r, 0, model.index(g, 0))
            for g in range(model.rowCount())
            for r in range(model.rowCount(model.index(g, 0)))
        ]
        if not rows:
            return
        current = self.results.currentIndex()
        position = next((i for i, idx in enumerate(rows) if idx == current), -1)
        position = max(0, min(len(rows) - 1, position + step))
        self.results.setCurrentIndex(rows[position])
        self.results.scrollTo(rows[position])

    def eventFilter(self, obj, event) -> bool:
        if obj is self.edit and event.type() == QEvent.Type.KeyPress:
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
        return super().eventFilter(obj, event)
