"""The main window on a small catalogue: tree, detail, navigation, search, partners."""

import pytest
from PySide6.QtCore import QUrl

from qpvdesk.service import CatalogueService
from qpvdesk.ui.main_window import MainWindow
from qpvdesk.ui.roles import ENTITY_ID_ROLE
from qpvdesk.ui.tree_model import EntityTreeModel


@pytest.fixture()
def window(loaded_window, mini_catalogue_path):
    return loaded_window(mini_catalogue_path)


def test_tree_model_passes_qt_model_tester(qtmodeltester, mini_catalogue_path):
    service = CatalogueService(mini_catalogue_path)
    model = EntityTreeModel()
    model.set_roots(service.tree())
    qtmodeltester.check(model)


def test_tree_goes_from_state_to_ministry_to_agency_to_programmes(window):
    model = window.tree_model
    etat = model.index(0, 0)
    assert etat.data(ENTITY_ID_ROLE) == "etat"
    ministry = model.index(0, 0, etat)
    assert ministry.data(ENTITY_ID_ROLE) == "ministere-ville"
    anru = model.index(0, 0, ministry)
    assert anru.data(ENTITY_ID_ROLE) == "anru"
    programmes = {model.index(r, 0, anru).data(ENTITY_ID_ROLE) for r in range(model.rowCount(anru))}
    assert programmes == {"npnru", "pnru"}


def test_selecting_a_tree_node_shows_its_fiche_with_sources(window):
    index = window.tree_model.find("npnru")
    window.tree_view.setCurrentIndex(index)
    text = window.detail.toPlainText()
    assert "Nouveau programme national de renouvellement urbain" in text
    assert "sources divergentes" in text  # the conflict is named, not only coloured
    assert "« 45 »" in text and "« 40 »" in text
    assert "banquedesterritoires.fr" in text


def test_clicking_a_relation_navigates_and_back_returns(window):
    window.open_entity("npnru")
    window.detail.anchorClicked.emit(QUrl("entity:anru"))
    assert window.detail.current_id == "anru"
    assert "Agence nationale pour la rénovation urbaine" in window.detail.toPlainText()
    assert window.back_action.isEnabled()
    window.back_action.trigger()
    assert window.detail.current_id == "npnru"
    window.forward_action.trigger()
    assert window.detail.current_id == "anru"


def test_closed_programme_carries_badge(window):
    window.open_entity("pnru")
    assert "dispositif clos" in window.detail.toPlainText()


def test_typing_without_accent_finds_accented_name(window, qtbot):
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=5000) as blocker:
        qtbot.keyClicks(window.search_edit, "renovation")
    titles = [h.title for h in blocker.args[0].hits]
    assert any("rénovation" in t for t in titles), titles
    assert window.search_box.is_open()
    window.search_edit.setFocus()
    qtbot.keyClick(window.search_edit, "\r")
    assert window.detail.current_id in {"anru", "pnru"}


def test_enter_in_the_search_box_opens_the_first_hit_of_the_text_typed_now(window, qtbot):
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=5000):
        qtbot.keyClicks(window.search_edit, "anru")
    window.search_edit.setText("action logement")
    qtbot.keyClick(window.search_edit, "\r")  # before the debounce: the ANRU results are still on screen
    qtbot.waitUntil(lambda: window.detail.current_id is not None, timeout=5000)
    assert window.detail.current_id == "action-logement"


def test_partner_filter_narrows_the_table(window):
    browser = window.partner_browser
    total = browser.proxy.rowCount()
    assert total >= 2
    browser.filter_edit.setText("logement")
    assert browser.proxy.rowCount() == 1
    browser.filter_edit.clear()
    programme_index = browser.programme_combo.findData("npnru")
    browser.programme_combo.setCurrentIndex(programme_index)
    ids = {browser.proxy.index(r, 0).data(ENTITY_ID_ROLE) for r in range(browser.proxy.rowCount())}
    assert ids == {"action-logement", "anru"}  # the funder and the pilot


def test_missing_catalogue_shows_french_error(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from qpvdesk.ui import app as app_module

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append((title, text)))
    w = MainWindow()
    qtbot.addWidget(w)
    app_module.start_loading(w, tmp_path / "absent.sqlite",
                             lambda exc: w.catalogue_unavailable(app_module.catalogue_error_message(exc)))
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=5000)
    title, text = shown[0]
    assert title == "Catalogue indisponible"
    assert "introuvable" in text and "absent.sqlite" in text
    assert "Catalogue indisponible" in w.detail.toPlainText() and "introuvable" in w.detail.toPlainText()


def test_enter_in_an_emptied_search_box_opens_nothing(window, qtbot):
    window.open_entity("anru")
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=5000):
        qtbot.keyClicks(window.search_edit, "action logement")
    window.search_edit.clear()
    qtbot.keyClick(window.search_edit, "\r")
    qtbot.wait(200)
    assert window.detail.current_id == "anru"


def test_the_tree_does_not_keep_highlighting_a_fiche_no_longer_shown(loaded_window, real_catalogue_path):
    window = loaded_window(real_catalogue_path)
    window.open_entity("anru")
    assert window.tree_view.currentIndex().isValid()
    window.open_entity("qn03107m")  # a QPV: not in « Qui fait quoi »
    assert not window.tree_view.selectionModel().hasSelection()
    assert not window.tree_view.currentIndex().isValid()


def test_a_chosen_user_folder_also_keeps_the_window_settings(tmp_path, monkeypatch, qapp):
    from PySide6.QtCore import QSettings

    from qpvdesk.ui.app import use_portable_settings

    folder = tmp_path / "dossier-choisi"
    monkeypatch.setenv("QPVDESK_USER_DIR", str(folder))
    use_portable_settings()
    settings = QSettings()
    settings.setValue("session/last_entity", "anru")
    settings.sync()
    assert any(folder.rglob("*.ini")), list(tmp_path.rglob("*"))


def test_the_tree_opens_on_who_does_what_with_the_comites_measures_folded(loaded_window, real_catalogue_path):
    window = loaded_window(real_catalogue_path)
    civ = window.tree_model.find("civ-2021")
    assert civ.isValid() and window.tree_model.rowCount(civ) > 0
    assert not window.tree_view.isExpanded(civ)
    assert window.tree_view.isExpanded(window.tree_model.find("anct"))


def test_partial_results_say_so(loaded_window, real_catalogue_path, qtbot):
    window = loaded_window(real_catalogue_path)
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=5000):
        window.search_edit.setText("politique ville zorglub")
    assert "résultats partiels" in window.results_label.text()
