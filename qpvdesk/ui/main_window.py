"""Main window: composition only (panels, actions, wiring). Work lives in the panels and the core."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
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
from qpvdesk.about_html import welcome_html
from qpvdesk.errors import french_reason
from qpvdesk.history import History
from qpvdesk.ui import licences_dialog
from qpvdesk.ui.accessibility import name_builtin_buttons
from qpvdesk.ui.detail_panel import DetailPanel
from qpvdesk.ui.display import THEMES, DisplayController
from qpvdesk.ui.glossary_view import GlossaryPanel
from qpvdesk.ui.history_panel import HistoryPanel
from qpvdesk.ui.palette import QuickOpenPalette
from qpvdesk.ui.partner_browser import PartnerBrowser
from qpvdesk.ui.personal_controller import PersonalController
from qpvdesk.ui.search_controller import SearchController
from qpvdesk.ui.search_results import SearchResultsView
from qpvdesk.ui.tree_model import ENTITY_ID_ROLE, EntityTreeModel


class MainWindow(QMainWindow):
    loaded = Signal()  # the catalogue is shown
    user_data_loaded = Signal()  # the user's database is open (or its failure was reported)

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
        self.history_panel = HistoryPanel()
        self.personal = PersonalController(self)  # favourites and notes (user database)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Navigation")
        self.tabs.addTab(self.tree_view, "Qui fait quoi")
        self.tabs.addTab(self.partner_browser, "Partenaires")
        self.tabs.addTab(self.glossary_panel, "Glossaire")
        self.tabs.addTab(self.history_panel, "Historique")
        self.tabs.addTab(self.personal.panel, "Favoris")
        self.left = QStackedWidget()
        self.left.addWidget(self.tabs)
        results_page = QWidget()
        results_layout = QVBoxLayout(results_page)
        results_layout.setContentsMargins(0, 0, 0, 0)
        self.results_label = QLabel()
        self.results_label.setWordWrap(True)  # a territory notice can be a long sentence
        results_layout.addWidget(self.results_label)
        results_layout.addWidget(self.results_view, 1)
        self.left.addWidget(results_page)

        self.detail = DetailPanel()
        self.detail.setHtml("<h1>Chargement du catalogue…</h1>")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.left)
        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(self.detail)
        self.right.addWidget(self.personal.notes)
        self.right.setStretchFactor(0, 5)
        self.right.setStretchFactor(1, 1)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.setCentralWidget(self.splitter)
        self.display = DisplayController(self, self)
        self._build_actions()
        self._wire()
        self._install_territories()  # issue 4: « Territoires » and « Carte » tabs
        QApplication.instance().installEventFilter(self)
        name_builtin_buttons(self)
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
        self.export_pdf_action = QAction("Exporter la fiche en PDF…", self)
        self.export_pdf_action.setShortcut(QKeySequence("Ctrl+E"))
        self.print_action = QAction("Imprimer la fiche…", self)
        self.print_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.zoom_in_action = QAction("Agrandir le texte", self)
        self.zoom_in_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.ZoomIn), QKeySequence("Ctrl+=")])
        self.zoom_out_action = QAction("Réduire le texte", self)
        self.zoom_out_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.ZoomOut)])
        self.zoom_reset_action = QAction("Taille de texte normale", self)
        self.zoom_reset_action.setShortcut(QKeySequence("Ctrl+0"))
        self.projector_action = QAction("Mode projecteur", self)
        self.projector_action.setCheckable(True)
        self.projector_action.setShortcut(QKeySequence(Qt.Key.Key_F11))
        self.projector_action.setToolTip("Plein écran, grand texte, fort contraste (F11)")
        self.theme_actions = {}
        for key, label in THEMES.items():
            action = QAction(label, self)
            action.setCheckable(True)
            action.setChecked(key == self.display.theme)
            self.theme_actions[key] = action
        self.shortcuts_action = QAction("Raccourcis clavier", self)
        self.shortcuts_action.setShortcuts([QKeySequence(Qt.Key.Key_F1), QKeySequence("Ctrl+?")])
        self.about_data_action = QAction("À propos des données", self)
        self.about_action = QAction("À propos de qpvdesk", self)
        self.quit_action = QAction("Quitter", self)
        # some platforms (and Qt's offscreen one) bind nothing to the standard Quit key: Ctrl+Q then
        self.quit_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Quit) or [QKeySequence("Ctrl+Q")])

        toolbar = self.addToolBar("Navigation")
        toolbar.setObjectName("navigation-toolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.back_action)
        toolbar.addAction(self.forward_action)
        toolbar.addSeparator()
        toolbar.addWidget(self.search_edit)
        for action in toolbar.actions():
            button = toolbar.widgetForAction(action)
            if button is not None and button is not self.search_edit:
                button.setAccessibleName(action.text().replace("←", "").replace("→", "").strip())

        menu = self.menuBar()
        file_menu = menu.addMenu("&Fichier")
        file_menu.addAction(self.export_pdf_action)
        file_menu.addAction(self.print_action)
        self._build_user_data_actions(file_menu)  # issue 7: backups of the user's own data
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        nav_menu = menu.addMenu("&Navigation")
        for action in (self.back_action, self.forward_action, self.find_action):
            nav_menu.addAction(action)
        favourites_menu = menu.addMenu("Fa&voris")
        favourites_menu.addAction(self.personal.toggle_action)
        self.history_menu = menu.addMenu("&Historique")
        self.history_menu.aboutToShow.connect(self._fill_history_menu)
        view_menu = menu.addMenu("&Affichage")
        for action in (self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action):
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.projector_action)
        theme_menu = view_menu.addMenu("Thème")
        for action in self.theme_actions.values():
            theme_menu.addAction(action)
        help_menu = menu.addMenu("&Aide")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_data_action)
        help_menu.addAction(self.about_action)
        self.licences_action = help_menu.addAction("Licences", lambda: licences_dialog.show(self))  # issue 20
        self._update_nav_actions()

    def _wire(self) -> None:
        self.search_edit.textChanged.connect(self.search_controller.query_changed)
        self.search_edit.returnPressed.connect(self._open_first_result)
        self.search_controller.results_ready.connect(self._show_results)
        self.search_controller.cleared.connect(self._search_cleared)
        self.search_controller.failed.connect(lambda text: self.statusBar().showMessage(text, 8000))
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
        self.history_panel.entity_activated.connect(self.open_entity)
        self.personal.open_requested.connect(self.open_entity)
        self.detail.shown.connect(self.personal.entity_shown)  # notes follow the page on screen
        self.personal.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.export_pdf_action.triggered.connect(self.export_current_pdf)
        self.print_action.triggered.connect(self.print_current)
        self.zoom_in_action.triggered.connect(self.display.zoom_in)
        self.zoom_out_action.triggered.connect(self.display.zoom_out)
        self.zoom_reset_action.triggered.connect(self.display.zoom_reset)
        self.projector_action.triggered.connect(self.display.toggle_projector)
        for key, action in self.theme_actions.items():
            action.triggered.connect(lambda _checked=False, k=key: self._set_theme(k))
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.display.changed.connect(self._on_display_changed)

    def _install_territories(self) -> None:
        """Territory browser and offline map, both loaded when their tab is first shown (ui/map_controller.py)."""
        from qpvdesk.ui.map_controller import TerritoryTabs

        self.territories = TerritoryTabs(self)

    # --- data -------------------------------------------------------------------------

    def set_loaded(self, service, tree, partners, glossary, user_data=None) -> None:
        self.service = service
        self.tree_model.set_roots(tree)
        self.tree_view.expandToDepth(2)
        for index in self.tree_model.indexes_of_kind("event"):  # the comités' 22 measures: one click away
            self.tree_view.collapse(index)
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
        self._names = {}
        last = QSettings().value("session/last_entity")
        if last:
            self.open_entity(str(last), quiet=True)  # the session resumes where it stopped
        self.loaded.emit()
        if user_data is not None:  # issue 7: the user's database (or the exception that kept it closed)
            self.install_user_data(user_data)

    def install_user_data(self, user_data) -> None:
        self._install_user_data(user_data)
        last = QSettings().value("session/last_entity")
        if self.detail.current_id is None and last and str(last).startswith("local:"):
            self.open_entity(str(last), quiet=True)  # a local partner can only open once its database is here
        elif self.service.territories.is_place(self.detail.current_id):
            self.open_entity(self.detail.current_id, record=False)  # now with « Vos partenaires locaux »
        self.personal.entity_shown(self.detail.current_id)
        self.user_data_loaded.emit()

    # --- user data (issue 7): local partners, backups; favourites and notes build on it ---------

    def _build_user_data_actions(self, file_menu) -> None:
        self.user_data = None  # qpvdesk.userdata.store.UserData once open (see _install_user_data)
        self.user_data_error: str | None = None  # French reason when it could not be opened
        self.restore_backup_action = QAction("Restaurer une sauvegarde…", self)
        self.restore_backup_action.setToolTip("Revenir à une copie de vos données (partenaires locaux, favoris, notes)")
        self.save_copy_action = QAction("Enregistrer une copie de mes données…", self)
        self.save_copy_action.setToolTip("Copier vos données dans un fichier (clé USB, dossier partagé…)")
        for action in (self.restore_backup_action, self.save_copy_action):
            action.setEnabled(False)
        file_menu.addSeparator()
        file_menu.addAction(self.save_copy_action)
        file_menu.addAction(self.restore_backup_action)
        file_menu.addSeparator()
        file_menu.addAction(self.personal.export_notes_action)
        file_menu.addAction(self.personal.import_notes_action)
        self.restore_backup_action.triggered.connect(self.restore_backup)
        self.save_copy_action.triggered.connect(self.save_data_copy)
        self.partner_browser.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.partner_browser.local_partners_changed.connect(self._refresh_territory_fiche)

    def _refresh_territory_fiche(self) -> None:
        """Your partners changed: a QPV or commune fiche on screen shows its « Vos partenaires locaux » again."""
        current = self.detail.current_id
        if self.service is not None and self.service.territories.is_place(current):
            self.open_entity(current, record=False, quiet=True)

    def catalogue_unavailable(self, message: str) -> None:
        """The catalogue could not be opened: say why (French), in a dialog and in the page."""
        QMessageBox.critical(self, "Catalogue indisponible", message)
        self.detail.setHtml(f"<h1>Catalogue indisponible</h1><p>{escape(message)}</p>")
        self.statusBar().showMessage("Catalogue indisponible")

    def _install_user_data(self, user_data) -> None:
        """The user database is open (or failed to open: then `user_data` is the exception, shown in French)."""
        if isinstance(user_data, BaseException):
            text = str(user_data) if type(user_data).__name__ == "UserDataError" else (
                f"Vos données personnelles n'ont pas pu être ouvertes : {french_reason(user_data)}")
            self.user_data_error = text
            self._show_user_data_message("Vos données personnelles sont indisponibles", text, QMessageBox.Icon.Critical)
            return
        self.user_data = user_data
        self.partner_browser.set_user_data(user_data)
        self.personal.set_user_data(user_data, self._catalogue_names())
        self.search_controller.set_extra_hits(self._personal_hits)
        self.palette.controller.set_extra_hits(self._personal_hits)
        for action in (self.restore_backup_action, self.save_copy_action):
            action.setEnabled(True)
        if user_data.startup.messages:  # a damaged database was recovered, or the data was upgraded
            self._show_user_data_message("Vos données", "\n\n".join(user_data.startup.messages),
                                         QMessageBox.Icon.Warning if user_data.startup.recovered else QMessageBox.Icon.Information)

    def _show_user_data_message(self, title: str, text: str, icon) -> None:
        # window-modal but not blocking: the loading (and --smoke) go on while it is shown
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.user_data_message = box

    def _fiche_html(self, entity_id: str, for_print: bool = False) -> str | None:
        if entity_id.startswith("local:"):
            return self.user_data.fiche_html(entity_id, for_print) if self.user_data is not None else None
        html = self.service.fiche_html(entity_id, for_print=for_print)
        # on screen only: printed fiches and training packs carry no one's private contacts
        show_local = html and self.user_data is not None and not for_print
        local = self.user_data.territory_partners_html(self.service.territories, entity_id) if show_local else ""
        if local:  # issue 4: the user's own partners in or near this QPV or commune, before the sources
            at = html.find("<h2>Sources</h2>")
            html = html[:at] + local + html[at:] if at >= 0 else html + local
        return html

    def restore_backup(self) -> None:
        from qpvdesk.ui.userdata_dialogs import RestoreBackupDialog

        if self.user_data is None:
            return
        path = RestoreBackupDialog.ask(self, self.user_data.list_backups(), self.user_data.backups_dir)
        if path is None:
            return
        try:
            message = self.user_data.restore_backup(path)
        except Exception as exc:  # noqa: BLE001 - UserDataError (French) or a disk error
            QMessageBox.warning(self, "Restauration impossible", french_reason(exc))
            return
        self.partner_browser.refresh_local()
        self.personal.refresh()  # favourites and the note on screen come from the restored copy too
        self._refresh_territory_fiche()
        self.personal.entity_shown(self.detail.current_id)
        QMessageBox.information(self, "Sauvegarde restaurée", message)

    def save_data_copy(self) -> None:
        if self.user_data is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Enregistrer une copie de mes données", "qpvdesk-mes-donnees.sqlite",
                                              "Sauvegarde qpvdesk (*.sqlite)")
        if not path:
            return
        try:
            self.user_data.backup_now(Path(path))
        except Exception as exc:  # noqa: BLE001
            QMessageBox.warning(self, "Copie impossible", f"La copie n'a pas pu être écrite : {french_reason(exc)}")
            return
        self.statusBar().showMessage(f"Copie de vos données enregistrée : {path}", 8000)

    # --- navigation -------------------------------------------------------------------

    def open_entity(self, entity_id: str, record: bool = True, quiet: bool = False) -> bool:
        self.search_controller.cancel_pending()  # a fiche chosen now wins over a pending Enter
        if self.service is None:
            return False
        html = self._fiche_html(entity_id)
        if html is None:
            if not quiet:
                self.statusBar().showMessage(f"Aucune fiche « {entity_id} ».", 5000)
            return False
        self.detail.show_fiche(entity_id, html)
        if record:
            self.history.visit(entity_id)
        QSettings().setValue("session/last_entity", entity_id)
        self._update_nav_actions()
        self._sync_tree(entity_id)
        return True

    def _sync_tree(self, entity_id: str) -> None:
        current = self.tree_view.currentIndex()
        if current.isValid() and current.data(ENTITY_ID_ROLE) == entity_id:
            return
        index = self.tree_model.find(entity_id)
        selection = self.tree_view.selectionModel()
        selection.blockSignals(True)
        if index.isValid():
            self.tree_view.setCurrentIndex(index)
        else:  # a territory or a local partner: no row in « Qui fait quoi », so none stays highlighted
            selection.clear()
        selection.blockSignals(False)
        if index.isValid():
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
        has_fiche = self.detail.current_id is not None
        self.export_pdf_action.setEnabled(has_fiche)
        self.print_action.setEnabled(has_fiche)
        if self.service is not None:
            self.history_panel.refresh(self.history.items(), self.history.current, self._entity_names())

    def _catalogue_names(self) -> dict[str, str]:
        """Every fiche's name, read once (25 ms): history and favourites label their rows with it."""
        if not self._names:
            self._names = self.service.catalogue.names()
        return self._names

    def _entity_names(self) -> dict[str, str]:
        names = self._catalogue_names()
        return {e: names.get(e) or self.personal.name_of(e) for e in self.history.items()}

    def _fill_history_menu(self) -> None:
        self.history_menu.clear()
        items = list(reversed(self.history.items()))[:20]
        if not items:
            self.history_menu.addAction("(aucune fiche consultée)").setEnabled(False)
        names = self._entity_names() if self.service else {}
        for entity_id in items:
            action = self.history_menu.addAction(names.get(entity_id, entity_id))
            action.triggered.connect(lambda _checked=False, e=entity_id: self.open_entity(e))

    def eventFilter(self, obj, event) -> bool:
        # mouse back/forward buttons navigate wherever the pointer is (child widgets ignore them)
        if event.type() == QEvent.Type.MouseButtonPress and self.isActiveWindow():
            if event.button() == Qt.MouseButton.BackButton:
                self.go_back()
                return True
            if event.button() == Qt.MouseButton.ForwardButton:
                self.go_forward()
                return True
        return super().eventFilter(obj, event)

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
        if result.partial:
            label += " — aucune fiche du catalogue ne contient tous les mots : résultats partiels"
        if result.notice:  # what a typed code or place is, or is not (« sorti de la géographie prioritaire »)
            label = f"<b>{escape(result.notice)}</b><br/>{label}"
        self.results_label.setText(label)
        self.left.setCurrentIndex(1)
        self.last_result = result

    def _search_cleared(self) -> None:
        self.results_view.results_model.clear()  # Enter in an emptied box must not open an old hit
        self.left.setCurrentIndex(0)

    def _open_first_result(self) -> None:
        def open_first() -> None:
            target = self.results_view.results_model.first_target()
            if target:
                self._open_target(target)

        self.search_controller.call_when_current(open_first)

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

    # --- export, display, help -----------------------------------------------------------

    def _printable(self, entity_id: str) -> str:
        """The fiche as printed: catalogue content, the user's own note if any, then the version footer."""
        html, note = self._fiche_html(entity_id, for_print=True) or "", self.personal.note_html(entity_id)
        footer = html.rfind("<hr/>")
        return html[:footer] + note + html[footer:] if note and footer >= 0 else html + note

    def export_current_pdf(self) -> None:
        if self.detail.current_id is not None:
            self.export_pdf([self.detail.current_id], f"{self.detail.current_id}.pdf")

    def export_pdf(self, entity_ids: list[str], default_name: str) -> None:
        from qpvdesk.ui.fiche_export import write_pdf

        if self.service is None:
            return
        self.personal.notes.flush()
        path, _ = QFileDialog.getSaveFileName(self, "Exporter en PDF", default_name, "Document PDF (*.pdf)")
        if not path:
            return
        try:
            pages = write_pdf([self._printable(e) for e in entity_ids], Path(path))
        except OSError as exc:
            QMessageBox.warning(self, "Export impossible", f"Le fichier n'a pas pu être écrit : {french_reason(exc)}")
            return
        self.statusBar().showMessage(f"PDF écrit : {path} ({len(entity_ids)} fiche(s), {pages} page(s))", 8000)

    def print_current(self) -> None:
        from qpvdesk.ui.fiche_export import print_fiches

        if self.detail.current_id and self.service:
            print_fiches([self._printable(self.detail.current_id)], self)

    def _personal_hits(self, query: str) -> list:
        """Runs on the search worker: local partners and personal notes matching the query."""
        from qpvdesk.ui.personal_controller import note_hits

        user_data = self.user_data
        if user_data is None:
            return []
        return user_data.search_hits(query) + note_hits(user_data.search_notes(query, 20), self.personal.names, query)

    def _set_theme(self, key: str) -> None:
        for k, action in self.theme_actions.items():
            action.setChecked(k == key)
        self.display.set_theme(key)

    def _on_display_changed(self) -> None:
        self.projector_action.setChecked(self.display.projector)
        if self.detail.current_id and self.service:
            self.open_entity(self.detail.current_id, record=False)  # re-render with the new font size
        self.statusBar().showMessage(f"Taille du texte : {self.display.effective_points()} points", 3000)

    def show_shortcuts(self) -> None:
        from qpvdesk.ui.shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog(self.findChildren(QAction), self).exec()

    def closeEvent(self, event) -> None:
        unsaved = self.personal.save_notes_now()
        if unsaved and not self._may_close_losing(unsaved):
            event.ignore()
            return
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/splitter", self.splitter.saveState())
        settings.setValue("window/right-splitter", self.right.saveState())
        super().closeEvent(event)

    def _may_close_losing(self, unsaved: dict[str, tuple[str, str]]) -> bool:
        """Some notes could not be written: say which, and let the user stay to copy them."""
        lines = [f"• {self.personal.name_of(entity_id)} : {reason}" for entity_id, (_text, reason) in unsaved.items()]
        answer = QMessageBox.warning(
            self, "Notes non enregistrées",
            "Ces notes n'ont pas pu être enregistrées :\n" + "\n".join(lines)
            + "\n\nSi vous fermez maintenant, leur texte sera perdu. Annulez pour le copier ailleurs.",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = settings.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        right = settings.value("window/right-splitter")
        if right is not None:
            self.right.restoreState(right)
