"""For meetings and training rooms: history, session, zoom, projector, keyboard, screen readers, French."""

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialogButtonBox, QWidget

from qpvdesk.ui.partner_model import PartnerFilterProxy, PartnerTableModel
from qpvdesk.ui.roles import ENTITY_ID_ROLE
from qpvdesk.views import PartnerRow


@pytest.fixture()
def window(loaded_window, real_catalogue_path):
    return loaded_window(real_catalogue_path)


@pytest.fixture(autouse=True)
def restore_app_font(qapp):
    font, palette = QFont(qapp.font()), qapp.palette()
    yield
    qapp.setFont(font)
    qapp.setPalette(palette)


def test_history_is_visible_and_marks_current(window):
    for entity_id in ("anru", "npnru", "pic"):
        window.open_entity(entity_id)
    window.back_action.trigger()
    panel = window.history_panel
    texts = [panel.item(i).text() for i in range(panel.count())]
    assert len(texts) == 3
    assert texts[1].startswith("▶ ") and "Nouveau programme national" in texts[1]
    panel.itemActivated.emit(panel.item(2))  # the oldest: ANRU
    assert window.detail.current_id == "anru"


def test_history_menu_lists_recent_fiches(window):
    window.open_entity("anru")
    window.open_entity("cdc")
    window.navigation.fill_menu()
    labels = [a.text() for a in window.history_menu.actions()]
    assert labels[0].startswith("Caisse des dépôts") and labels[1].startswith("Agence nationale pour la rénovation")


def test_session_resumes_on_last_fiche(loaded_window, real_catalogue_path):
    first = loaded_window(real_catalogue_path)
    first.open_entity("quartiers-productifs")
    first.close()
    second = loaded_window(real_catalogue_path)
    assert second.detail.current_id == "quartiers-productifs"


def test_zoom_changes_text_size_and_is_remembered(loaded_window, window, real_catalogue_path):
    before = QApplication.instance().font().pointSize()
    window.zoom_in_action.trigger()
    window.zoom_in_action.trigger()
    assert QApplication.instance().font().pointSize() == window.display.points
    assert QSettings().value("display/points") is not None
    remembered = int(QSettings().value("display/points"))
    again = loaded_window(real_catalogue_path)
    assert again.display.points == remembered
    window.zoom_reset_action.trigger()
    assert window.display.points != remembered or before == remembered


def test_projector_mode_is_full_screen_big_and_high_contrast(window):
    normal = window.display.effective_points()
    window.projector_action.trigger()
    assert window.display.projector and window.isFullScreen()
    assert QApplication.instance().font().pointSize() >= normal + 4
    assert QApplication.instance().palette().window().color().name() == "#000000"
    window.projector_action.trigger()
    assert not window.isFullScreen()


def test_shortcut_list_comes_from_actions(window):
    from qpvdesk.ui.shortcuts_dialog import ShortcutsDialog

    dialog = ShortcutsDialog(window.findChildren(type(window.find_action)), window)
    rows = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
    assert "F11" in rows["Mode projecteur"]
    assert "Ctrl+K" in rows["Rechercher…"]
    assert "F1" in rows["Raccourcis clavier"]
    assert dialog.table.horizontalHeaderItem(0).text() == "Action"  # « Quitter » then « Ctrl+Q », never « Ctrl+Q ou Quitter »
    assert window.quit_action.toolTip() == "Quitter (Ctrl+Q)"


def test_every_widget_with_tooltip_or_icon_has_an_accessible_name(window):
    window.search_box.focus()
    missing = []
    for widget in window.findChildren(QWidget):
        has_icon = isinstance(widget, QAbstractButton) and not widget.icon().isNull()
        if (widget.toolTip() or has_icon) and not widget.accessibleName():
            missing.append(f"{type(widget).__name__} {widget.toolTip()!r}")
    assert missing == []


def test_main_views_have_french_accessible_names(window):
    for view in (window.tree_view, window.detail, window.partner_browser.table, window.glossary_panel.table,
                 window.results_view, window.history_panel, window.search_edit):
        assert view.accessibleName(), view


def test_qt_standard_buttons_speak_french(qapp):
    from qpvdesk.ui.app import install_french

    install_french(qapp)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == "Annuler"


def test_partner_sorting_uses_french_collation(qtbot):
    model = PartnerTableModel()
    names = ["Zèbre", "Etat", "Élan", "abeille"]
    model.set_rows([PartnerRow(n, n, None, "partner", "Partenaire", "active", (), ()) for n in names])
    proxy = PartnerFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, 0).data(ENTITY_ID_ROLE) for r in range(4)] == ["abeille", "Élan", "Etat", "Zèbre"]


def test_keyboard_reaches_main_areas_in_tab_order(window, qtbot):
    window.search_edit.setFocus()
    reached = set()
    for _ in range(12):
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        reached.add(widget.accessibleName() if widget else None)
    assert {"Arbre : qui fait quoi", "Fiche détaillée"} <= reached


def test_portable_mode_keeps_window_settings_beside_the_app(tmp_path, monkeypatch):
    from qpvdesk.ui.app import use_portable_settings
    from qpvdesk.userdata import location

    monkeypatch.delenv("QPVDESK_USER_DIR", raising=False)
    monkeypatch.setattr(location, "app_dir", lambda: tmp_path)
    (tmp_path / location.PORTABLE_MARKER).write_text("")
    use_portable_settings()
    settings = QSettings()
    settings.setValue("display/points", 15)
    settings.sync()
    assert settings.fileName().startswith(str(tmp_path / location.PORTABLE_DIR))
    assert (tmp_path / location.PORTABLE_DIR).is_dir()


def test_quit_has_a_keyboard_shortcut_everywhere(window):
    assert [k.toString() for k in window.quit_action.shortcuts()]  # Ctrl+Q where the platform binds nothing
