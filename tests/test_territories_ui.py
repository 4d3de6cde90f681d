"""Territory browser model, map scene and view, and the two tabs of the main window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, QRectF, Qt

from qpvdesk.ui.map_items import DOTS_BELOW_SCALE, LABELS_FROM_SCALE, MapScene
from qpvdesk.ui.map_view import MapPanel, MapView
from qpvdesk.ui.roles import ENTITY_ID_ROLE
from qpvdesk.ui.territory_browser import TerritoryBrowser, TerritoryTreeModel


@pytest.fixture(scope="module")
def catalogue_path(territory_catalogue_path):
    return territory_catalogue_path


@pytest.fixture(scope="module")
def service(catalogue_path):
    from qpvdesk.service import CatalogueService

    return CatalogueService(catalogue_path)


@pytest.fixture(scope="module")
def map_data(service):
    return service.territories.map_data()


# --- browser --------------------------------------------------------------------------------

def test_tree_model_passes_qt_model_tester(qtmodeltester, service):
    model = TerritoryTreeModel()
    model.set_roots(service.territories.tree())
    qtmodeltester.check(model)
    model.set_roots([])
    qtmodeltester.check(model)


def test_tree_model_rows_and_counts(service):
    model = TerritoryTreeModel()
    model.set_roots(service.territories.tree())
    assert model.columnCount() == 3
    index = model.find("qn03107m")
    assert index.data() == "Grand Mirail — QN03107M"
    commune = index.parent()
    assert commune.data(ENTITY_ID_ROLE) == "commune-31555"
    assert model.index(commune.row(), 1, commune.parent()).data() == "12"
    dep = commune.parent()
    assert dep.data() == "Haute-Garonne (31)"
    total = sum(int(model.index(r, 1).data()) for r in range(model.rowCount()))
    assert total == 1609


def test_browser_lookup_answers_and_opens(qtbot, service):
    browser = TerritoryBrowser()
    qtbot.addWidget(browser)
    browser.lookup_function = service.territories.lookup
    browser.set_tree(service.territories.tree())
    browser.lookup_edit.setText("QP031007")
    with qtbot.waitSignal(browser.entity_activated) as opened:
        browser._on_return()
    assert opened.args == ["qn03107m"]
    assert "QN03107M" in browser.message.text()
    assert browser.view.currentIndex().data(ENTITY_ID_ROLE) == "qn03107m"
    browser.lookup_edit.setText("Saint-Trivier-de-Courtes")
    browser.run_lookup()
    assert "n'a aucun quartier prioritaire" in browser.message.text()
    browser.lookup_edit.setText("Saint-Denis")
    browser.run_lookup()
    assert browser.matches.count() >= 2 and not browser.matches.isHidden()


# --- scene and view -------------------------------------------------------------------------

def test_scene_holds_every_layer(qapp, map_data):
    scene = MapScene(map_data)
    assert len(scene.qpv_items) == 1609
    assert len(scene.dep_items) == 103
    assert set(scene.point_layers) == {"cite-educative", "cite-emploi", "france-services", "contrat-2024", "contrat-2015"}
    assert scene.france_rect.contains(QRectF(*_rect(map_data.insets[0].rect)))
    revised = [i for i in scene.qpv_items.values() if i.brush().style() == Qt.BrushStyle.BDiagPattern]
    assert len(revised) == 42  # Mayotte, hatched


def test_level_of_detail(qapp, map_data):
    scene = MapScene(map_data)
    scene.set_scale(DOTS_BELOW_SCALE / 2)
    assert scene.qpv_dots.isVisible() and not scene.qpv_items["qn03107m"].isVisible()
    scene.set_scale(DOTS_BELOW_SCALE * 2)
    assert not scene.qpv_dots.isVisible() and scene.qpv_items["qn03107m"].isVisible()
    scene.set_scale(LABELS_FROM_SCALE * 2)
    assert scene._labels and scene._labels[0].isVisible()
    scene.set_layer_visible("qpv", False)
    assert not scene.qpv_items["qn03107m"].isVisible() and not scene._labels[0].isVisible()
    scene.set_layer_visible("qpv", True)
    assert scene.qpv_items["qn03107m"].isVisible()


def test_clicking_a_qpv_opens_it_and_dragging_does_not(qtbot, service, map_data):
    view = MapView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.setScene(MapScene(map_data))
    view.show()
    box = service.territories.locate("qn03107m")
    view.show_rect(QRectF(*_rect(box)))
    item = view.scene().qpv_items["qn03107m"]
    inside = _interior_point(item)
    pos = view.mapFromScene(inside)
    assert view.entity_at(pos) == "qn03107m"
    with qtbot.waitSignal(view.entity_clicked) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert clicked.args == ["qn03107m"]
    with qtbot.assertNotEmitted(view.entity_clicked):
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        qtbot.mouseMove(view.viewport(), pos + pos.__class__(60, 40))
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=pos + pos.__class__(60, 40))


def test_zoom_keys_and_full_view(qtbot, map_data):
    view = MapView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.setScene(MapScene(map_data))
    view.show()
    view.show_all()
    start = view.current_scale()
    assert view.scene().qpv_dots.isVisible()  # all of France: QPV as dots
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.current_scale() > start
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.current_scale() < start
    qtbot.keyClick(view, Qt.Key.Key_0)
    assert view.current_scale() == pytest.approx(start)


def test_site_markers_are_clickable_and_toggle(qtbot, service, map_data):
    panel = MapPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.show()
    panel.set_data(map_data)
    fs = panel.scene.point_layers["france-services"]
    assert not fs.isVisible()  # off at start
    panel.checks["france-services"].setChecked(True)
    assert fs.isVisible()
    point = next(p for p in fs.points if p.entity_id == "france-services-1755")
    panel.view.show_rect(QRectF(point.x - 2, point.y - 2, 4, 4))
    assert panel.view.entity_at(panel.view.mapFromScene(QPointF(point.x, point.y))) == "france-services-1755"
    assert "Licence Ouverte 2.0" in panel.attribution.text()


def test_focus_centres_and_outlines(qtbot, service, map_data):
    panel = MapPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.show()
    panel.focus("qn03107m", service.territories.locate("qn03107m"))  # before the data: kept for later
    panel.set_data(map_data)
    centre = panel.view.mapToScene(panel.view.viewport().rect().center())
    assert panel.scene.qpv_items["qn03107m"].sceneBoundingRect().adjusted(-3, -3, 3, 3).contains(centre)
    assert not panel.scene.highlight.path().isEmpty()


# --- main window ----------------------------------------------------------------------------

def test_tabs_load_on_first_show_and_follow_the_fiche(qtbot, loaded_window, catalogue_path):
    window = loaded_window(catalogue_path)
    tabs = window.territories
    assert tabs.map_panel is None  # start-up does not build the map
    with qtbot.waitSignal(tabs.tree_loaded, timeout=10000):
        window.tabs.setCurrentWidget(tabs.browser)
    assert tabs.browser.model.rowCount() == 19
    with qtbot.waitSignal(tabs.map_loaded, timeout=10000):
        tabs.show_map()
    assert len(tabs.map_panel.scene.qpv_items) == 1609
    window.open_entity("qn03107m")
    assert "Grand Mirail" in window.detail.toPlainText() and "QP031007" in window.detail.toPlainText()
    centre = tabs.map_panel.view.mapToScene(tabs.map_panel.view.viewport().rect().center())
    assert tabs.map_panel.scene.qpv_items["qn03107m"].sceneBoundingRect().adjusted(-3, -3, 3, 3).contains(centre)
    assert tabs.browser.view.currentIndex().data(ENTITY_ID_ROLE) == "qn03107m"
    with qtbot.waitSignal(tabs.map_panel.entity_clicked):
        tabs.map_panel.entity_clicked.emit("commune-31555")
    assert window.detail.current_id == "commune-31555"


def _rect(box):
    x0, y0, x1, y1 = box
    return x0, y0, x1 - x0, y1 - y0


def _interior_point(item) -> QPointF:
    """A point inside the item's shape (its box centre may fall outside a concave perimeter)."""
    rect = item.sceneBoundingRect()
    for fx in (0.5, 0.4, 0.6, 0.3, 0.7):
        for fy in (0.5, 0.4, 0.6, 0.3, 0.7):
            p = QPointF(rect.left() + rect.width() * fx, rect.top() + rect.height() * fy)
            if item.contains(item.mapFromScene(p)):
                return p
    raise AssertionError("no interior point found")
