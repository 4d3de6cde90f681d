"""The glossary leads somewhere (issue 19): Enter/double-click opens the fiche an acronym names or says there is
none, the filter finds expansions, explanations and fiche names, an empty result offers the main search, and old
terms say what replaced them."""

import pytest
from PySide6.QtCore import Qt


@pytest.fixture()
def window(loaded_window, real_catalogue_path):
    w = loaded_window(real_catalogue_path)
    w.tabs.setCurrentWidget(w.glossary_panel)
    return w


def row_of(panel, acronym):
    for row in range(panel.proxy.rowCount()):
        if panel.proxy.index(row, 0).data().split(" ")[0] == acronym:
            return panel.proxy.index(row, 0)
    raise AssertionError(acronym)


def test_enter_on_pru_opens_the_renewal_programme(window, qtbot):
    panel = window.glossary_panel
    panel.filter_edit.setText("PRU")
    index = row_of(panel, "PRU")
    panel.table.setCurrentIndex(index)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert window.detail.current_id == "npnru"
    assert "PNRU" in index.siblingAtColumn(2).data() and "NPNRU" in index.siblingAtColumn(2).data()


def test_an_acronym_without_fiche_says_so_and_offers_the_search(window):
    panel = window.glossary_panel
    window.open_entity("anru")
    panel.filter_edit.setText("FIR")
    panel.table.activated.emit(row_of(panel, "FIR"))  # a double-click
    assert window.detail.current_id == "anru"  # nothing else opened
    assert panel.info.isVisible() and "pas de fiche « FIR »" in panel.info.text()
    assert 'href="search:FIR"' in panel.info.text()


def test_a_word_finds_the_fiche_it_names_and_an_empty_result_offers_the_main_search(window):
    panel = window.glossary_panel
    panel.filter_edit.setText("adulte")
    assert panel.info.isVisible() and 'href="entity:adultes-relais"' in panel.info.text()
    panel.info.linkActivated.emit("entity:adultes-relais")
    assert window.detail.current_id == "adultes-relais"
    panel.filter_edit.setText("zzzyx")
    assert panel.proxy.rowCount() == 0
    assert "Aucun sigle ne correspond à « zzzyx »" in panel.info.text()
    panel.info.linkActivated.emit("search:zzzyx")
    assert window.search_edit.text() == "zzzyx"


def test_filter_matches_expansions_and_explanations(window):
    panel = window.glossary_panel
    panel.filter_edit.setText("cohesion sociale")  # CUCS's expansion, accents ignored
    assert "CUCS" in [panel.proxy.index(r, 0).data().split(" ")[0] for r in range(panel.proxy.rowCount())]


def test_old_terms_say_what_replaced_them(real_service):
    terms = {t.acronym: t for t in real_service.glossary()}
    assert "QPV" in terms["ZUS"].gloss and "2015" in terms["ZUS"].gloss
    assert "contrats de ville" in terms["CUCS"].gloss and "2015" in terms["CUCS"].gloss
    assert len(terms["ZUS"].sources) >= 2 and terms["PRU"].entity_id == "npnru"
