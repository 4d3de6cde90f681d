"""« Territoires » and « Carte » tabs of the main window, loaded when first shown.

Start-up pays for two empty tabs only: the tree is fetched, and the map widget and scene
are built, the first time each tab is shown (data read on a worker thread, scene built
on the UI thread). A territory fiche shown anywhere selects it in the tree and centres
the map on it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from qpvdesk.errors import french_reason
from qpvdesk.ui.tasks import run_task
from qpvdesk.ui.territory_browser import TerritoryBrowser

MAP_SHARE = 0.6  # share of the window width given to the map while its tab is shown


class TerritoryTabs(QObject):
    tree_loaded = Signal()
    map_loaded = Signal()

    def __init__(self, tabs, splitter, detail, open_entity, service, parent=None) -> None:
        """`tabs`: where the two tabs go; `splitter`: widened for the map; `detail`: the fiche on screen, followed;
        `open_entity(id)`: opens a fiche; `service()`: the catalogue service, None while it loads."""
        super().__init__(parent)
        self.tabs = tabs
        self.splitter = splitter
        self.detail = detail
        self.open_entity = open_entity
        self._service = service
        self.browser = TerritoryBrowser()
        self.browser.lookup_function = self._lookup
        self.map_page = QWidget()
        self.map_page.setAccessibleName("Carte")
        self._map_layout = QVBoxLayout(self.map_page)
        self._map_layout.setContentsMargins(0, 0, 0, 0)
        self._map_placeholder = QLabel("La carte se charge à la première ouverture de cet onglet.")
        self._map_layout.addWidget(self._map_placeholder)
        self.map_panel = None
        self._tree_state = "empty"  # empty / loading / loaded
        self._map_state = "empty"
        self._last_fiche: str | None = None
        self._clicked_on_map: str | None = None
        self._saved_sizes: list[int] | None = None
        tabs.addTab(self.browser, "Territoires")
        tabs.addTab(self.map_page, "Carte")
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.detail.textChanged.connect(self._on_fiche_shown)
        self.browser.entity_activated.connect(self.open_entity)
        self.browser.map_requested.connect(self.show_map)
        self.browser.reload_requested.connect(self._load_tree)

    def catalogue_loaded(self) -> None:
        """The service is there: load what the tab on screen shows."""
        self._on_tab_changed(self.tabs.currentIndex())

    @property
    def service(self):
        return self._service()

    def _lookup(self, text: str):
        if self.service is None:
            from qpvdesk.territories.views import LookupResult

            return LookupResult(text, "Le catalogue est en cours de chargement…")
        return self.service.lookup(text)

    # --- lazy loading -------------------------------------------------------------------

    def _on_tab_changed(self, index: int) -> None:
        page = self.tabs.widget(index)
        self._widen_for_map(page is self.map_page)
        if self.service is None:
            return
        if page is self.browser and self._tree_state == "empty":
            self._load_tree(self.browser.all_communes.isChecked())
        elif page is self.map_page and self._map_state == "empty":
            self._load_map()

    def _load_tree(self, all_communes: bool) -> None:
        if self.service is None:
            return
        self._tree_state = "loading"
        self.browser.message.setText("Chargement des territoires…")
        service = self.service

        def done(nodes) -> None:
            self._tree_state = "loaded"
            self.browser.set_tree(nodes)
            total = sum(n.qpv_count for n in nodes)
            self.browser.message.setText(f"{total} quartiers prioritaires (liste 2024). Cherchez une commune ou un quartier, "
                                         "ou parcourez les régions.")
            if self._last_fiche:
                self.browser.select(self._last_fiche)
            self.tree_loaded.emit()

        run_task(lambda: service.territory_tree(all_communes), done, self._failed_tree)

    def _failed_tree(self, exc: BaseException) -> None:
        self._tree_state = "empty"
        self.browser.message.setText(f"Les territoires n'ont pas pu être chargés : {french_reason(exc)}")

    def _load_map(self) -> None:
        from qpvdesk.ui.map_view import MapPanel

        self._map_state = "loading"
        if self.map_panel is None:
            self.map_panel = MapPanel()
            self.map_panel.entity_clicked.connect(self._open_from_map)
            self.map_panel.search.searched.connect(self.search_map)
            self._map_layout.removeWidget(self._map_placeholder)
            self._map_placeholder.deleteLater()
            self._map_layout.addWidget(self.map_panel)
        service = self.service
        focus = self._last_fiche

        def read():
            return service.map_data(), (focus, service.locate(focus)) if focus else None

        def done(result) -> None:
            data, pending = result
            self.map_panel.set_data(data)
            if pending and pending[1]:
                self.map_panel.focus(*pending)
            self._map_state = "loaded"
            self.map_panel.view.setFocus()
            self.map_loaded.emit()

        def failed(exc: BaseException) -> None:
            self._map_state = "empty"
            self.map_panel.set_error(f"La carte n'a pas pu être chargée : {french_reason(exc)}")

        run_task(read, done, failed)

    def _open_from_map(self, entity_id: str) -> None:
        self._clicked_on_map = entity_id  # the map stays where the user clicked: outlined, not re-centred
        self.open_entity(entity_id)

    def search_map(self, text: str) -> None:
        """The Carte tab's search: the lookup's answer under the field, the places zoomed on and outlined."""
        if self.service is None or self.map_panel is None:
            return
        service = self.service
        result = service.lookup(text)
        self.map_panel.search.show_answer(result.message)
        places = [m for m in result.matches if m.kind in ("commune", "qpv", "departement")]
        if not places:
            return
        first = places[0]
        # a postcode answers several communes: zoom on those of the same kind as the first (not the INSEE homonym)
        group = [m for m in places if m.kind == first.kind and "code INSEE" not in m.label] or [first]
        also: list[str] = []
        boxes = []
        for m in group:
            box = service.locate(m.entity_id)
            if box:
                boxes.append(box)
            also.append(m.entity_id)
            if m.kind == "commune":
                info = service.commune(m.entity_id)
                also += [qpv_id for qpv_id, _code, _name in (info.qpvs if info else ())]
        rect = ((min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
                if boxes else None)
        self.map_panel.focus(first.entity_id, rect, tuple(also))

    def show_map(self) -> None:
        self.tabs.setCurrentWidget(self.map_page)

    def _widen_for_map(self, on_map: bool) -> None:
        splitter = self.splitter
        if on_map and self._saved_sizes is None:
            sizes = splitter.sizes()
            total = sum(sizes)
            if total and sizes[0] < total * MAP_SHARE:
                self._saved_sizes = sizes
                splitter.setSizes([int(total * MAP_SHARE), total - int(total * MAP_SHARE)])
        elif not on_map and self._saved_sizes is not None:
            splitter.setSizes(self._saved_sizes)
            self._saved_sizes = None

    # --- following the fiche ------------------------------------------------------------

    def _on_fiche_shown(self) -> None:
        entity_id = self.detail.current_id
        if not entity_id or entity_id == self._last_fiche or self.service is None:
            return
        self._last_fiche = entity_id
        if self._tree_state == "loaded":
            self.browser.select(entity_id)
        if self.map_panel is not None and self._map_state == "loaded":
            clicked, self._clicked_on_map = self._clicked_on_map, None
            if clicked == entity_id:
                self.map_panel.focus(entity_id, None)  # outline only: no jump away from where the user is
                return
            rect = self.service.locate(entity_id)
            if rect:
                self.map_panel.focus(entity_id, rect)
