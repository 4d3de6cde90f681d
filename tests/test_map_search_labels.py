"""The map of issue 15: a search field that zooms and outlines, names without overlaps, the NPNRU
layer, the legend clear of the north-east, and clicks beside a quartier that do nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage, QPainter

from qpvdesk.ui.map_view import MapPanel


@pytest.fixture(scope="module")
def service(real_catalogue_path):
    from qpvdesk.service import CatalogueService

    return CatalogueService(real_catalogue_path)


@pytest.fixture(scope="module")
def map_data(service):
    return service.territories.map_data()


@pytest.fixture()
def panel(qtbot, map_data):
    panel = MapPanel()
    qtbot.addWidget(panel)
    panel.resize(1100, 760)
    panel.show()
    panel.set_data(map_data)
    return panel


def _paint(panel) -> None:
    view = panel.view
    image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    view.render(painter, QRectF(image.rect()), view.viewport().rect())
    painter.end()


def _chosen_rects(panel) -> list[QRectF]:
    return [r for r, _name, _region in panel.scene.name_labels._chosen]


def test_country_view_names_regions_and_big_cities_without_overlap(panel):
    panel.view.show_all()
    _paint(panel)
    names = panel.scene.name_labels.chosen_names()
    assert {"Bretagne", "Occitanie", "Corse"} <= set(names) and "Marseille" in names
    assert "Mamoudzou" not in names  # the insets carry their own titles at country zoom
    rects = _chosen_rects(panel)
    assert all(not a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1:])


def test_communes_are_named_when_zoomed_in(panel, service):
    x0, y0, x1, y1 = service.territories.locate("departement-13")
    panel.view.show_rect(QRectF(x0, y0, x1 - x0, y1 - y0))
    _paint(panel)
    names = panel.scene.name_labels.chosen_names()
    assert "Marseille" in names and "Aix-en-Provence" in names and "Provence-Alpes-Côte d'Azur" not in names
    rects = _chosen_rects(panel)
    assert all(not a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1:])


def test_legend_never_hides_the_north_east(panel, service):
    panel.view.show_all()
    _x0, y0, x1, y1 = service.territories.locate("departement-67")  # Bas-Rhin, the north-east corner
    for corner in (QPointF(x1, y0), QPointF(x1, y1)):
        at = panel.view.mapTo(panel, panel.view.mapFromScene(corner))
        assert not panel.legend.geometry().contains(at)


def test_a_click_beside_a_quartier_opens_nothing(panel, service):
    x0, y0, x1, y1 = service.territories.locate("qn03107m")
    panel.view.show_rect(QRectF(x0, y0, x1 - x0, y1 - y0))
    beside = panel.view.mapFromScene(QPointF(x1 + (x1 - x0) * 0.12, (y0 + y1) / 2))
    assert panel.view.entity_at(beside) is None  # not the département (which would zoom the map out)
    panel.checks["cite-educative"].setChecked(False)
    panel.view.show_all()  # at country zoom a click on a département still opens it
    dep = next(i for i in panel.scene.dep_items if i.data(0) == "departement-31")
    box = dep.sceneBoundingRect()
    grid = [QPointF(box.left() + box.width() * fx / 10, box.top() + box.height() * fy / 10) for fx in range(1, 10) for fy in range(1, 10)]
    assert any(panel.view.entity_at(panel.view.mapFromScene(p)) == "departement-31" for p in grid if dep.contains(p))


def test_npnru_layer_is_labelled_and_switchable(panel, map_data):
    assert panel.checks["npnru"].text() == "Quartiers NPNRU (liste 2015, via leurs QPV 2024)"
    assert not panel.scene.npnru_layer.isVisible() and len(map_data.npnru) == 453
    panel.checks["npnru"].setChecked(True)
    assert panel.scene.npnru_layer.isVisible()


@pytest.mark.parametrize(("text", "qpv"), [("95300", "qn09515m"), ("Bouches-du-Rhône", None), ("QN03107M", "qn03107m")])
def test_map_search_zooms_and_outlines(qtbot, loaded_window, real_catalogue_path, service, text, qpv):
    window = loaded_window(real_catalogue_path)
    tabs = window.territories
    with qtbot.waitSignal(tabs.map_loaded, timeout=20000):
        tabs.show_map()
    panel = tabs.map_panel
    panel.search.edit.setText(text)
    panel.search.edit.returnPressed.emit()
    assert panel.search.answer.isVisible() and panel.search.answer.text()
    assert not panel.scene.highlight.path().isEmpty()
    centre = panel.view.mapToScene(panel.view.viewport().rect().center())
    outlined = panel.scene.highlight.path().boundingRect()
    assert outlined.adjusted(-5, -5, 5, 5).contains(centre)
    if qpv:
        assert outlined.contains(panel.scene.qpv_items[qpv].sceneBoundingRect().center())
