"""Projector mode (issue 19): nothing private on the wall, the fiche first, every tab in sight, readable
selections, a window that never outgrows the screen, and the previous layout back afterwards."""

from collections import Counter

import pytest
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from qpvdesk.ui.contrast import contrast_ratio, weak_pairs
from qpvdesk.ui.display import high_contrast_palette
from qpvdesk.ui.projector import tabs_all_visible


@pytest.fixture(autouse=True)
def restore_app_font(qapp):
    font, palette = QFont(qapp.font()), qapp.palette()
    yield
    qapp.setFont(font)
    qapp.setPalette(palette)


@pytest.fixture()
def window(loaded_window, real_catalogue_path):
    from qpvdesk.userdata import PartnerFields

    w = loaded_window(real_catalogue_path, with_user_data=True)
    w.user_data.set_note("qn03107m", "RDV Mme Benali : en attente du préfet")
    w.user_data.create_partner(PartnerFields(name="Régie des Izards", kind="association", commune="Toulouse",
                                             qpv_code="QN03107M"))
    w.open_entity("qn03107m")
    return w


def test_projector_mode_hides_notes_and_your_partners_and_says_it_is_on(window):
    assert "RDV Mme Benali" in window.personal.notes.edit.toPlainText()
    assert "Régie des Izards" in window.detail.toPlainText()
    window.projector_action.trigger()
    assert not window.personal.notes.isVisible()
    assert "Régie des Izards" not in window.detail.toPlainText()
    assert "Vos partenaires locaux" not in window.detail.toPlainText()
    assert window.projector.mark.isVisible() and "PROJECTEUR" in window.projector.mark.text()
    assert "mode projecteur" in window.windowTitle()
    window.projector_action.trigger()
    assert window.personal.notes.isVisible()
    assert "Régie des Izards" in window.detail.toPlainText()
    assert not window.projector.mark.isVisible() and "projecteur" not in window.windowTitle()


def test_a_note_never_reaches_the_wall_through_search(window, qtbot):
    window.projector_action.trigger()
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=5000) as blocker:
        window.search_edit.setText("Benali")
    assert [h for h in blocker.args[0].hits if h.group == "Mes notes"] == []


def test_fiche_takes_the_width_every_tab_in_sight_and_layout_back_after(window, qtbot):
    window.display.apply()  # the remembered text size, as ui/app.py applies it at start (leaving the mode applies it too)
    free = window.screen().availableGeometry()
    window.resize(free.width() - 40, free.height() - 100)
    QApplication.processEvents()
    total = sum(window.splitter.sizes())
    window.splitter.setSizes([total * 3 // 5, total - total * 3 // 5])
    before = window.splitter.sizes()
    window.projector_action.trigger()
    qtbot.waitUntil(lambda: window.isFullScreen())
    QApplication.processEvents()
    side, fiche = window.splitter.sizes()
    assert fiche > 2.5 * side > 0  # the fiche first
    assert window.tabs.count() >= 7  # « Territoires » and « Carte » included
    assert tabs_all_visible(window.tabs.tabBar())
    window.side_panel_action.trigger()  # F9: the fiche alone
    assert window.splitter.sizes()[0] == 0
    window.side_panel_action.trigger()
    assert window.splitter.sizes()[0] > 0
    window.projector_action.trigger()
    qtbot.waitUntil(lambda: not window.isFullScreen())
    qtbot.wait(100)
    after = window.splitter.sizes()
    assert abs(after[0] / sum(after) - before[0] / sum(before)) < 0.01, (before, after)  # the user's split again
    assert window.width() <= free.width()
    assert not window.isFullScreen() and window.tabs.tabPosition() == window.tabs.TabPosition.North


def test_zoom_never_makes_the_window_wider_than_the_screen(window):
    free = window.screen().availableGeometry()
    window.resize(free.width(), min(free.height(), 700))
    for _ in range(30):
        window.zoom_in_action.trigger()
    assert window.width() <= free.width()
    window.projector_action.trigger()
    for _ in range(5):
        window.zoom_in_action.trigger()
    window.projector_action.trigger()
    assert window.width() <= free.width()


def test_every_text_colour_of_the_projector_palette_reaches_7_to_1():
    assert weak_pairs(high_contrast_palette()) == []
    assert contrast_ratio(QColor("#ffffff"), QColor("#ffd700")) < 7  # the old white-on-yellow row is caught
    assert contrast_ratio(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21)


def test_the_selected_search_result_is_dark_text_on_yellow(window, qtbot):
    window.projector_action.trigger()
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=5000):
        window.search_edit.setText("npnru")
    view = window.results_view
    qtbot.waitUntil(lambda: view.currentIndex().isValid())
    QApplication.processEvents()  # laid out and painted
    rect = view.visualRect(view.currentIndex())
    image = view.viewport().grab(rect).toImage()
    highlight = QApplication.instance().palette().color(QPalette.ColorRole.Highlight)
    counts = Counter(image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height()))
    background = QColor(counts.most_common(1)[0][0])
    assert contrast_ratio(background, highlight) < 1.2  # the row is drawn selected (the style adds a slight gradient)
    text = [QColor(c) for c in counts if contrast_ratio(QColor(c), background) > 3]  # the letters' pixels
    assert text and max(contrast_ratio(c, background) for c in text) >= 7  # black letters on the yellow row
    assert not [c for c in text if c.lightnessF() > 0.9]  # and never white ones
