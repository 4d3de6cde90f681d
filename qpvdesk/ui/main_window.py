"""Main window: composition only (panels, actions, wiring). Work lives in the panels and the core."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from qpvdesk import APP_TITLE
from qpvdesk.history import History
from qpvdesk.ui.detail_panel import DetailPanel
from qpvdesk.ui.glossary_view import GlossaryPanel
from qpvdesk.ui.palette import QuickOpenPalette
from qpvdesk.ui.partner_browser import PartnerBrowser
from qpvdesk.ui.search_controller import SearchController
from qpvdesk.ui.search_results import SearchResultsView
from qpvdesk.ui.tree_model import ENTITY_ID_ROLE, EntityTreeModel
from qpvdesk.about_html import welcome_html

HOME_ID = "ministere-ville"


class MainWindow(QMainWindow):
    loaded = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(APP_TITLE)
        self.service = None
        self.history = History()
        self.resize(1280, 800)

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Rechercher un acteur, un programme, un sigle… (ou Ctrl+K)")
        self.search_edit.setAccessibleName("Rechercher dans le catalogue")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(420)
        self.search_controller = SearchController(self)
        self.palette = QuickOpenPalette(self)
        self.results_view = SearchResultsView()

        self.tree_model = EntityTreeModel(self)
        self.tree_view = QTreeView()
        self.tree_view.setModel(self.tree_model)
        self.tree_view.setAccessibleName("Arbre : qui fait quoi")
        self.tree_view.setHeaderHidden(True)
        self.partner_browser = PartnerBrowser()
        self.glossary_panel = GlossaryPanel()

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Navigation")
        self.tabs.addTab(self.tree_view, "Qui fait quoi")
        self.tabs.addTab(self.partner_browser, "Partenaires")
        self.tabs.addTab(self.glossary_panel, "Glossaire")
        self.left = QStackedWidget()
        self.left.addWidget(self.tabs)
        results_page = QWidget()
        results_layout = QVBoxLayout(results_page)
        results_layout.setContentsMargins(0, 0, 0, 0)
        self.results_label = QLabel()
        results_layout.addWidget(self.results_label)
        results_layout.addWidget(self.results_view, 1)
        self.left.addWidget(results_page)

        self.detail = DetailPanel()
        self.detail.setHtml("<h1>Chargement du catalogue…</h1>")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.setCentralWidget(self.splitter)
        self._build_actions()
        self._wire()
        self.statusBar().showMessage("Chargement du catalogue…")

    # --- construction -----------------------------------------------------------------

    def _build_actions(self) -> None:
        self.back_action = QAction("← Précédent", self)
        self.back_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Back), QKeySequence(Qt.Key.Key_Back)])
        self.back_action.setToolTip("Fiche précédente (Alt+←)")
        self.forward_action = QAction("Suivant →", self)
        self.forward_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Forward), QKeySequence(Qt.Key.Key_Forward)])
        self.forward_action.setToolTip("Fiche suivante (Alt+→)")
        self.find_action = QAction("Ouverture rapide…", self)
        self.find_action.setShortcuts([QKeySequence("Ctrl+K"), QKeySequence(QKeySequence.StandardKey.Find)])
        self.find_action.setToolTip("Rechercher et ouvrir une fiche (Ctrl+K ou Ctrl+F)")
        self.about_data_action = QAction("À propos des données", self)
        self.about_action = QAction("À propos de qpvdesk", self)
        self.quit_action = QAction("Quitter", self)
        self.quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))

        toolbar = self.addToolBar("Navigation")
        toolbar.setObjectName("navigation-toolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.back_action)
        toolbar.addAction(self.forward_action)
        toolbar.addSeparator()
        toolbar.addWidget(self.search_edit)

        menu = self.menuBar()
        file_menu = menu.addMenu("&Fichier")
        file_menu.addAction(self.quit_action)
        nav_menu = menu.addMenu("&Navigation")
        for action in (self.back_action, self.forward_action, self.find_action):
            nav_menu.addAction(action)
        help_menu = menu.addMenu("&Aide")
        help_menu.addAction(self.about_data_action)
        help_menu.addAction(self.about_action)
        self._update_nav_actions()

    def _wire(self) -> None:
        self.search_edit.textChanged.connect(self.search_controller.query_changed)
        self.search_edit.returnPressed.connect(self._open_first_result)
        self.search_controller.results_ready.connect(self._show_results)
        self.search_controller.cleared.connect(lambda: self.left.setCurrentIndex(0))
        self.results_view.target_activated.connect(self._open_target)
        self.tree_view.selectionModel().currentChanged.connect(self._on_tree_current)
        self.partner_browser.entity_activated.connect(self.open_entity)
        self.glossary_panel.entity_activated.connect(self.open_entity)
        self.detail.entity_requested.connect(self.open_entity)
        self.detail.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.back_action.triggered.connect(self.go_back)
        self.forward_action.triggered.connect(self.go_forward)
        self.find_action.triggered.connect(self.open_palette)
        self.palette.target_chosen.connect(self._open_target)
        self.about_data_action.triggered.connect(self.show_about_data)
        self.about_action.triggered.connect(self._about)
        self.quit_action.triggered.connect(self.close)

    # --- data -------------------------------------------------------------------------

    def set_loaded(self, service, tree, partners, glossary) -> None:
        self.service = service
        self.tree_model.set_roots(tree)
        self.tree_view.expandToDepth(2)
        self.partner_browser.set_rows(partners)
        self.glossary_panel.set_terms(glossary)
        self.search_controller.set_service(service)
        self.palette.set_service(service)
        stats = service.stats()
        self.statusBar().showMessage(
            f"{stats.counts['entities']} fiches, {stats.counts['facts']} faits sourcés, "
            f"{stats.counts['glossary_terms']} sigles — données hors ligne"
        )
        self.detail.show_fiche(None, welcome_html(stats))
        self.loaded.emit()

    # --- navigation -------------------------------------------------------------------

    def open_entity(self, entity_id: str, record: bool = True) -> bool:
        if self.service is None:
            return False
        html = self.service.fiche_html(entity_id)
        if html is None:
            self.statusBar().showMessage(f"Aucune fiche « {entity_id} ».", 5000)
            return False
        self.detail.show_fiche(entity_id, html)
        if record:
            self.history.visit(entity_id)
        self._update_nav_actions()
        self._sync_tree(entity_id)
        return True

    def _sync_tree(self, entity_id: str) -> None:
        current = self.tree_view.currentIndex()
        if current.isValid() and current.data(ENTITY_ID_ROLE) == entity_id:
            return
        index = self.tree_model.find(entity_id)
        if index.isValid():
            self.tree_view.selectionModel().blockSignals(True)
            self.tree_view.setCurrentIndex(index)
            self.tree_view.selectionModel().blockSignals(False)
            self.tree_view.scrollTo(index)

    def go_back(self) -> None:
        if self.history.can_back():
            self.open_entity(self.history.back(), record=False)

    def go_forward(self) -> None:
        if self.history.can_forward():
            self.open_entity(self.history.forward(), record=False)

    def _update_nav_actions(self) -> None:
        self.back_action.setEnabled(self.history.can_back())
        self.forward_action.setEnabled(self.history.can_forward())

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.BackButton:
            self.go_back()
        elif event.button() == Qt.MouseButton.ForwardButton:
            self.go_forward()
        else:
            super().mousePressEvent(event)

    def _on_tree_current(self, current, _previous) -> None:
        entity_id = current.data(ENTITY_ID_ROLE) if current.isValid() else None
        if entity_id:
            self.open_entity(entity_id)

    # --- search -----------------------------------------------------------------------

    def open_palette(self) -> None:
        self.palette.open_palette()

    def _show_results(self, result) -> None:
        self.results_view.set_result(result)
        count = len(result.hits)
        label = f"{count} résultat(s) pour « {escape(result.query)} »" if count else f"Aucun résultat pour « {escape(result.query)} »"
        if result.corrections:
            label += " — recherche corrigée : " + ", ".join(f"{k} → {v}" for k, v in result.corrections.items())
        self.results_label.setText(label)
        self.left.setCurrentIndex(1)
        self.last_result = result

    def _open_first_result(self) -> None:
        target = self.results_view.results_model.first_target()
        if target:
            self._open_target(target)

    def _open_target(self, target) -> None:
        doc_type, ref = target
        if doc_type == "entity":
            self.open_entity(ref)
        else:
            self.tabs.setCurrentWidget(self.glossary_panel)
            self.glossary_panel.filter_edit.setText(ref)
            self.left.setCurrentIndex(0)

    # --- dialogs ----------------------------------------------------------------------

    def show_about_data(self) -> None:
        if self.service is None:
            return
        from qpvdesk.about_html import about_data_html

        self.detail.show_fiche(None, about_data_html(self.service.stats()))

    def _about(self) -> None:
        from qpvdesk import __version__

        QMessageBox.about(
            self,
            "À propos de qpvdesk",
            f"<p><b>qpvdesk {__version__}</b></p><p>Explorateur hors ligne de la politique de la ville. "
            "Chaque fait affiché porte sa source et sa date.</p>",
        )

    def closeEvent(self, event) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/splitter", self.splitter.saveState())
        super().closeEvent(event)

    def restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = settings.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
