"""Main window: composition only (panels, actions, wiring). Work lives in the panels, the controllers and the core."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTreeView,
)

from qpvdesk import APP_TITLE
from qpvdesk.ui.accessibility import name_builtin_buttons
from qpvdesk.ui.actions import build_menus, build_toolbar, create_actions, create_theme_actions
from qpvdesk.ui.catalogue_update import CatalogueUpdater
from qpvdesk.ui.chronology_controller import ChronologyController
from qpvdesk.ui.detail_panel import DetailPanel
from qpvdesk.ui.diagram_controller import DiagramController
from qpvdesk.ui.display import DisplayController
from qpvdesk.ui.export_controller import FicheExporter
from qpvdesk.ui.glossary_view import GlossaryPanel
from qpvdesk.ui.history_panel import HistoryPanel
from qpvdesk.ui.icons import apply_icons
from qpvdesk.ui.navigation import Navigation
from qpvdesk.ui.partner_browser import PartnerBrowser
from qpvdesk.ui.personal_controller import PersonalController
from qpvdesk.ui.projector import ProjectorLayout, fit_to_screen, size_to_screen
from qpvdesk.ui.roles import ENTITY_ID_ROLE
from qpvdesk.ui.search_box import SearchBox
from qpvdesk.ui.tree_model import EntityTreeModel
from qpvdesk.ui.userdata_controller import UserDataController
from qpvdesk.userdata.fiche import TEAM_NOTES_ANCHOR


class MainWindow(QMainWindow):
    loaded = Signal()  # the catalogue is shown
    user_data_loaded = Signal()  # the user's database is open (or its failure was reported)

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(APP_TITLE)
        self.service = None
        self._names: dict[str, str] = {}
        size_to_screen(self)  # remembered geometry, if any, comes later (restore_layout)
        self._build_panels()
        self.splitter.setSizes([self.width() * 2 // 5, self.width() * 3 // 5])  # the fiche gets the larger share
        self.display = DisplayController(self, self)
        self.projector = ProjectorLayout(self, self.splitter, self.right, self.tabs, [self.personal.notes])
        self.user_data_ctl = UserDataController(self, self.partner_browser, self.personal)
        self.team = None  # ui/team_status.py, once the user data is open
        self.exporter = FicheExporter(self, self._printable, self.personal.notes.flush)
        self.diagrams = DiagramController(self, lambda: self.service, lambda: self.detail.current_id, self.open_entity)
        self.chronology = ChronologyController(self, lambda: self.service, lambda html: self.detail.show_fiche(None, html))
        actions = create_actions(self)
        for name, action in actions.items():
            setattr(self, name, action)
        self.theme_actions = create_theme_actions(self, self.display.theme)
        self.restore_backup_action = self.user_data_ctl.restore_backup_action
        self.save_copy_action = self.user_data_ctl.save_copy_action
        actions.update(restore_backup_action=self.restore_backup_action, save_copy_action=self.save_copy_action,
                       toggle_favourite_action=self.personal.toggle_action,
                       export_notes_action=self.personal.export_notes_action,
                       import_notes_action=self.personal.import_notes_action,
                       diagram_action=self.diagrams.diagram_action, whole_diagram_action=self.diagrams.whole_action,
                       chronology_action=self.chronology.action)
        build_toolbar(self, actions, self.search_edit)
        menus = build_menus(self, actions, self.theme_actions)
        self.history_menu = menus["&Consultées"]
        self.catalogue_updater = CatalogueUpdater(self)  # Fichier › « Mettre à jour le catalogue… » (signed files)
        menus["&Fichier"].insertAction(self.quit_action, self.catalogue_updater.action)
        self.licences_action = menus["&Aide"].addAction("Licences", self._show_licences)
        self.navigation = Navigation(self, self.back_action, self.forward_action, self.history_panel, self.history_menu,
                                     self.open_entity, self._names_of)
        self._update_nav_actions()
        self._wire()
        apply_icons(self)
        self.territories = None  # « Territoires » and « Carte »: added once the catalogue is there (_install_territories)
        name_builtin_buttons(self)
        self.statusBar().showMessage("Chargement du catalogue…")

    def _build_panels(self) -> None:
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Rechercher : un sigle, un nom, une question (« qui finance le PIC ? »)… (Ctrl+K)")
        self.search_edit.setAccessibleName("Rechercher dans le catalogue")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(420)
        self.search_box = SearchBox(self, self.search_edit)
        self.search_controller = self.search_box.controller
        self.results_view, self.results_label = self.search_box.view, self.search_box.label
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
        self.tabs.setUsesScrollButtons(False)  # labels shortened when narrow, never « Carte » hidden behind arrows
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)
        for page, title in ((self.tree_view, "Qui fait quoi"), (self.partner_browser, "Partenaires"),
                            (self.glossary_panel, "Glossaire"), (self.history_panel, "Consultées"),
                            (self.personal.panel, "Favoris")):
            self.tabs.addTab(page, title)
        self.left = QStackedWidget()
        self.left.addWidget(self.tabs)
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

    def _wire(self) -> None:
        status = self.statusBar().showMessage
        self.search_box.failed.connect(lambda text: status(text, 8000))
        self.search_box.target_chosen.connect(self._open_target)
        self.tree_view.selectionModel().currentChanged.connect(self._on_tree_current)
        for wants_a_fiche in (self.partner_browser.entity_activated, self.glossary_panel.entity_activated,
                              self.detail.entity_requested, self.personal.open_requested):
            wants_a_fiche.connect(self.open_entity)
        self.detail.message.connect(lambda text: status(text, 8000))
        self.glossary_panel.search_requested.connect(self._search_everywhere)
        self.detail.shown.connect(self.personal.entity_shown)  # notes follow the page on screen
        self.personal.message.connect(lambda text: status(text, 6000))
        self.personal.notes.team_notes_requested.connect(lambda: self.detail.scrollToAnchor(TEAM_NOTES_ANCHOR))
        self.personal.pdf_requested.connect(lambda _ids, _name: self.open_pack_dialog())
        self.partner_browser.message.connect(lambda text: status(text, 8000))
        self.user_data_ctl.message.connect(status)
        self.exporter.message.connect(status)
        self.diagrams.message.connect(lambda text: status(text, 8000))
        self.chronology.message.connect(lambda text: status(text, 8000))
        self.detail.view_requested.connect(self._open_view)
        self.user_data_ctl.fiche_changed.connect(self._refresh_territory_fiche)
        self.user_data_ctl.restored.connect(lambda: self.personal.entity_shown(self.detail.current_id))
        d = self.display
        for action, slot in ((self.find_action, self.search_box.focus), (self.about_data_action, self.show_about_data),
                             (self.about_action, self._about), (self.quit_action, self.close),
                             (self.export_pdf_action, self.export_current_pdf), (self.print_action, self.print_current),
                             (self.export_pack_action, self.open_pack_dialog),
                             (self.zoom_in_action, d.zoom_in), (self.zoom_out_action, d.zoom_out),
                             (self.zoom_reset_action, d.zoom_reset), (self.projector_action, d.toggle_projector),
                             (self.shortcuts_action, self.show_shortcuts), (self.team_action, self.show_team)):
            action.triggered.connect(slot)
        for key, action in self.theme_actions.items():
            action.triggered.connect(lambda _checked=False, k=key: self._set_theme(k))
        d.changed.connect(self._on_display_changed)
        d.projector_toggled.connect(self._on_projector_toggled)
        self.side_panel_action.triggered.connect(self.projector.toggle_side_panel)

    # --- data -------------------------------------------------------------------------

    def show_team(self) -> None:
        from qpvdesk.ui.team_dialog import TeamDialog

        self.team_dialog = TeamDialog.open_for(self, self.user_data, self._team_changed)
        if self.team_dialog is not None and self.team is not None:
            self.team_dialog.finished.connect(self.team.indicator.refresh)  # joined or left in the dialog

    def _team_changed(self) -> None:
        self.personal.team_changed()  # joined or left: the note's sharing checkbox shows or goes
        self.user_data_ctl.partner_browser.refresh_local()
        self.user_data_ctl.fiche_changed.emit()
        current = self.detail.current_id
        if self.service is not None and self.user_data_ctl.team_notes_changed(current):  # received or withdrawn
            scroll = self.detail.verticalScrollBar().value()
            self.open_entity(current, record=False, quiet=True)
            self.detail.verticalScrollBar().setValue(scroll)  # an automatic sync does not move the page read

    @property
    def user_data(self):
        return self.user_data_ctl.user_data

    @property
    def user_data_error(self) -> str | None:
        return self.user_data_ctl.error

    @property
    def user_data_message(self) -> QMessageBox | None:
        return self.user_data_ctl.dialog

    def set_loaded(self, service, tree, partners, glossary, user_data=None) -> None:
        self.service = service
        self.user_data_ctl.set_service(service)
        self.tree_model.set_roots(tree)
        self.tree_view.expandToDepth(2)
        for index in self.tree_model.indexes_of_kind("event"):  # the comités' 22 measures: one click away
            self.tree_view.collapse(index)
        self.partner_browser.set_rows(partners)
        self.partner_browser.set_service(service)  # issue 14: the funded structures, read on a worker
        self.glossary_panel.set_terms(glossary)
        self.glossary_panel.set_names(self._catalogue_names)  # read on the first filter that needs it
        self.search_controller.set_service(service)
        from qpvdesk.about_html import welcome_html

        stats = service.stats()
        self.statusBar().showMessage(f"{stats.counts['entities']} fiches, {stats.counts['facts']} faits sourcés, "
                                     f"{stats.counts['glossary_terms']} sigles — données hors ligne")
        self.detail.show_fiche(None, welcome_html(stats))
        self._names = {}
        last = QSettings().value("session/last_entity")
        if last:
            self.open_entity(str(last), quiet=True)  # the session resumes where it stopped
        self.loaded.emit()
        self._install_territories()
        if user_data is not None:  # the user's database (or the exception that kept it closed)
            self.install_user_data(user_data)

    def _install_territories(self) -> None:
        """The territory browser and the map: built after the catalogue is shown, not before the first paint (their
        widgets cost a sixth of the window's start), each tab loaded when first opened (ui/map_controller.py)."""
        if self.territories is not None:
            return
        from qpvdesk.ui.map_controller import TerritoryTabs

        self.territories = TerritoryTabs(self.tabs, self.splitter, self.detail, self.open_entity, lambda: self.service, self)
        name_builtin_buttons(self.territories.browser)  # e.g. the clear button of its search field, for screen readers
        self.territories.catalogue_loaded()
        apply_icons(self)  # « Territoires » and « Carte » too

    def install_user_data(self, user_data) -> None:
        if self.user_data_ctl.install(user_data, self._catalogue_names()):
            self.search_controller.set_extra_hits(self.user_data_ctl.personal_hits)
            from qpvdesk.ui.team_status import TeamPresence

            self.team = TeamPresence(self, user_data)  # automatic sync and its state in the status bar
        last = QSettings().value("session/last_entity")
        if self.detail.current_id is None and last and str(last).startswith("local:"):
            self.open_entity(str(last), quiet=True)  # a local partner can only open once its database is here
        elif self.service.is_place(self.detail.current_id):
            self.open_entity(self.detail.current_id, record=False)  # now with « Vos partenaires locaux »
        self.personal.entity_shown(self.detail.current_id)
        self.user_data_loaded.emit()

    def _refresh_territory_fiche(self) -> None:
        """Your partners changed: a QPV or commune fiche on screen shows its « Vos partenaires locaux » again."""
        current = self.detail.current_id
        if self.service is not None and self.service.is_place(current):
            self.open_entity(current, record=False, quiet=True)

    def catalogue_unavailable(self, message: str) -> None:
        """The catalogue could not be opened: say why (French), in a dialog and in the page."""
        QMessageBox.critical(self, "Catalogue indisponible", message)
        self.detail.setHtml(f"<h1>Catalogue indisponible</h1><p>{escape(message)}</p>")
        self.statusBar().showMessage("Catalogue indisponible")

    # --- navigation -------------------------------------------------------------------

    def open_entity(self, entity_id: str, record: bool = True, quiet: bool = False) -> bool:
        self.search_controller.cancel_pending()  # a fiche chosen now wins over a pending Enter
        self.search_box.close()
        if self.service is None:
            return False
        # a note outlives its fiche: one that an update removed shows the note's page
        html = self.user_data_ctl.fiche_html(entity_id) or self.catalogue_updater.orphan_page(entity_id)
        if html is None:
            if not quiet:
                self.statusBar().showMessage(f"Aucune fiche « {entity_id} ».", 5000)
            return False
        self.detail.show_fiche(entity_id, html)
        if record:
            self.navigation.history.visit(entity_id)
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

    def _update_nav_actions(self) -> None:
        self.navigation.refresh(with_names=self.service is not None)
        for action in (self.export_pdf_action, self.print_action):
            action.setEnabled(self.detail.current_id is not None)

    def _catalogue_names(self) -> dict[str, str]:
        """Every fiche's name, read once (25 ms): history and favourites label their rows with it."""
        if not self._names:
            self._names = self.service.names()
        return self._names

    def _names_of(self, entity_ids: list[str]) -> dict[str, str]:
        if self.service is None:
            return {}
        names = self._catalogue_names()
        return {e: names.get(e) or self.personal.name_of(e) for e in entity_ids}

    def _on_tree_current(self, current, _previous) -> None:
        entity_id = current.data(ENTITY_ID_ROLE) if current.isValid() else None
        if entity_id:
            self.open_entity(entity_id)

    # --- search -----------------------------------------------------------------------

    def _show_licences(self) -> None:
        from qpvdesk.ui import licences_dialog  # on demand: nothing of it before the first paint

        licences_dialog.show(self)

    def _search_everywhere(self, text: str) -> None:
        """From the glossary: the main search, with the word typed in it."""
        self.search_box.focus()
        self.search_edit.setText(text)

    def _open_target(self, target) -> None:
        doc_type, ref = target
        if doc_type == "entity":
            self.open_entity(ref)
        else:
            self.tabs.setCurrentWidget(self.glossary_panel)
            self.glossary_panel.filter_edit.setText(ref)
            self.left.setCurrentIndex(0)

    # --- dialogs, export, display -------------------------------------------------------

    def _open_view(self, name: str) -> None:
        """A link asking for a view: « Schéma des acteurs » of the fiche, the « Chronologie » (by theme)."""
        if name == "schema":
            self.diagrams.show_current()
        elif name == "chronologie" or name.startswith("chronologie:"):
            self.chronology.show(name.partition(":")[2])

    def show_about_data(self) -> None:
        if self.service is None:
            return
        from qpvdesk.about_html import about_data_html

        self.detail.show_fiche(None, about_data_html(self.service.stats()))

    def _about(self) -> None:
        from qpvdesk import __version__

        QMessageBox.about(self, "À propos de qpvdesk", f"<p><b>qpvdesk {__version__}</b></p><p>Explorateur hors ligne de la "
                          "politique de la ville. Chaque fait affiché porte sa source et sa date.</p>")

    def _printable(self, entity_id: str) -> str:
        """The fiche as printed: catalogue content, the user's own note if any, then the version footer."""
        note = self.personal.note_html(entity_id)
        return self.user_data_ctl.fiche_html(entity_id, for_print=True, closing_sections=[note] if note else ()) or ""

    def export_current_pdf(self) -> None:
        """« NPNRU – fiche qpvdesk – 2026-12-04.pdf », not « npnru.pdf »."""
        import datetime as dt

        from qpvdesk.ui.training_pack import default_pack_name

        current = self.detail.current_id
        if current is not None and self.service is not None:
            detail = self.service.entity(current)  # None for a local partner
            label = (detail.acronym if detail else None) or self._names_of([current])[current] or current
            self.export_pdf([current], default_pack_name([label], dt.date.today()))

    def pack_candidates(self) -> tuple[list[tuple[str, str]], list[str], list[str]]:
        """What the pack dialog offers: favourites, the fiche on screen and its neighbours, recent fiches."""
        favourites = self.personal.panel.ids()
        current = self.detail.current_id
        neighbourhood = []
        if current and self.service is not None:
            detail = self.service.entity(current)
            neighbourhood = [current, *(r.other_id for r in (detail.relations if detail else ()))]
        recent = list(reversed(self.navigation.history.items()))
        ids = list(dict.fromkeys([*favourites, *neighbourhood, *recent]))
        names = self._names_of(ids)
        return [(i, names.get(i) or i) for i in ids], favourites, list(dict.fromkeys(neighbourhood))

    def open_pack_dialog(self) -> None:
        """Fichier › « Exporter un dossier PDF… » (and the Favoris tab's « Dossier PDF… »)."""
        if self.service is None:
            return
        from qpvdesk.ui.pack_dialog import PackDialog

        candidates, favourites, neighbourhood = self.pack_candidates()
        if not candidates:
            self.statusBar().showMessage("Ouvrez une fiche ou ajoutez des favoris pour composer un dossier.", 6000)
            return
        dialog = PackDialog(candidates, favourites, neighbourhood, self)
        self.pack_dialog = dialog  # kept for tests and screenshots
        if dialog.exec() != PackDialog.DialogCode.Accepted:
            return
        ids = dialog.chosen_ids()
        names = self._names_of(ids)
        self.exporter.export_pack(ids, [names.get(i) or i for i in ids], dialog.title(), self.service)

    def export_pdf(self, entity_ids: list[str], default_name: str) -> None:
        if self.service is not None:
            self.exporter.export_pdf(entity_ids, default_name)

    def print_current(self) -> None:
        if self.detail.current_id and self.service:
            self.exporter.print([self.detail.current_id])

    def _set_theme(self, key: str) -> None:
        for k, action in self.theme_actions.items():
            action.setChecked(k == key)
        self.display.set_theme(key)

    def _on_projector_toggled(self, on: bool) -> None:
        """Projector mode: the fiche first and nothing private on the wall (ui/projector.py)."""
        self.user_data_ctl.hide_private = on  # « Vos partenaires locaux » and note hits leave the screen
        if on:
            self.projector.enter()
        else:
            self.projector.leave()
        apply_icons(self)  # tab icons only down the side
        if self.detail.current_id and self.service:
            self.open_entity(self.detail.current_id, record=False, quiet=True)  # with or without your partners

    def _on_display_changed(self) -> None:
        apply_icons(self)  # drawn in the new theme's colour
        self.projector_action.setChecked(self.display.projector)
        if self.detail.current_id and self.service:
            self.open_entity(self.detail.current_id, record=False)  # re-render with the new font size
        shown, wanted = self.display.shown_points, self.display.effective_points()
        limit = " (la plus grande qui tienne sur cet écran)" if shown < wanted else ""
        self.statusBar().showMessage(f"Taille du texte : {shown} points{limit}", 3000)

    def show_shortcuts(self) -> None:
        from qpvdesk.ui.shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog(self.findChildren(QAction), self).exec()

    # --- layout kept between sessions -----------------------------------------------------

    def closeEvent(self, event) -> None:
        if not self.personal.may_close():
            event.ignore()
            return
        settings = QSettings()
        for key, widget in (("window/splitter", self.splitter), ("window/right-splitter", self.right)):
            settings.setValue(key, widget.saveState())
        settings.setValue("window/geometry", self.saveGeometry())
        super().closeEvent(event)

    def restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
            fit_to_screen(self)  # kept from a bigger screen (docking station, projector): brought back inside this one
        for key, widget in (("window/splitter", self.splitter), ("window/right-splitter", self.right)):
            state = settings.value(key)
            if state is not None:
                widget.restoreState(state)
