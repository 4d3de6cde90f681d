"""Any screen (issue 19): the window fits the screen it opens on, remembers its geometry, « Sombre » darkens,
the themes are one exclusive choice, and the partner tab stays usable in a narrow panel."""

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from qpvdesk.ui.contrast import weak_pairs
from qpvdesk.ui.display import dark_palette, light_palette


@pytest.fixture(autouse=True)
def restore_app_look(qapp):
    font, palette, style = QFont(qapp.font()), qapp.palette(), qapp.style().name()
    yield
    qapp.setStyle(style)
    qapp.setFont(font)
    qapp.setPalette(palette)


def test_a_first_window_fits_its_screen(qtbot):
    from qpvdesk.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    free = window.screen().availableGeometry()
    assert 0 < window.width() <= free.width() and 0 < window.height() <= free.height()
    assert window.width() >= free.width() * 0.8  # most of a small screen, not a fixed 1280×800


def test_geometry_is_remembered_and_brought_back_inside_the_screen(loaded_window, mini_catalogue_path):
    first = loaded_window(mini_catalogue_path)
    first.resize(640, 500)
    first.close()
    assert QSettings().value("window/geometry") is not None
    second = loaded_window(mini_catalogue_path)
    second.restore_layout()
    assert (second.width(), second.height()) == (640, 500)
    second.resize(5000, 3000)  # as if saved on a wide desk screen
    second.close()
    third = loaded_window(mini_catalogue_path)
    third.restore_layout()
    assert third.width() <= third.screen().availableGeometry().width()


def test_dark_theme_really_darkens_and_themes_are_one_choice(loaded_window, mini_catalogue_path):
    window = loaded_window(mini_catalogue_path)
    app = QApplication.instance()
    window.theme_actions["dark"].trigger()
    assert app.palette().color(QPalette.ColorRole.Window).lightnessF() < 0.2
    assert app.palette().color(QPalette.ColorRole.Base).lightnessF() < 0.2
    assert app.style().name().lower() == "fusion"
    assert [k for k, a in window.theme_actions.items() if a.isChecked()] == ["dark"]
    group = window.theme_actions["dark"].actionGroup()
    assert group is not None and group.isExclusive()
    assert all(a.actionGroup() is group for a in window.theme_actions.values())
    window.theme_actions["light"].trigger()
    assert app.palette().color(QPalette.ColorRole.Window).lightnessF() > 0.7
    assert [k for k, a in window.theme_actions.items() if a.isChecked()] == ["light"]


def test_dark_and_light_palettes_text_is_readable():
    assert weak_pairs(dark_palette(), 7.0) == []
    assert weak_pairs(light_palette(), 7.0) == []
    assert light_palette().color(QPalette.ColorRole.Highlight).name() == "#1d4e89"  # the restrained blue


def test_partner_tab_fits_a_narrow_panel_and_filters_are_not_cut(loaded_window, mini_catalogue_path):
    window = loaded_window(mini_catalogue_path)
    browser = window.partner_browser
    assert browser.minimumSizeHint().width() <= 420  # fits the left panel of a 1024×768 window
    combo = browser.kind_combo
    longest = max(combo.fontMetrics().horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
    browser.resize(420, 500)
    browser.show()
    QApplication.processEvents()
    assert combo.width() >= min(longest, 120)  # « Tous les types », not « Tous le »


def test_partner_names_keep_the_widest_column(loaded_window, mini_catalogue_path):
    window = loaded_window(mini_catalogue_path)
    window.tabs.setCurrentWidget(window.partner_browser)
    window.splitter.setSizes([480, 500])
    QApplication.processEvents()
    table = window.partner_browser.table
    widths = [table.columnWidth(c) for c in range(table.model().columnCount())]
    assert widths[0] == max(widths) and widths[0] >= 0.4 * table.viewport().width()


def test_every_tab_is_in_sight_in_a_1024_wide_window(loaded_window, real_catalogue_path):
    from qpvdesk.ui.projector import tabs_all_visible

    window = loaded_window(real_catalogue_path)
    window.resize(min(1024, window.screen().availableGeometry().width()), 700)
    QApplication.processEvents()
    assert window.tabs.count() >= 7 and tabs_all_visible(window.tabs.tabBar())
