"""The partner tab holds the structures the State funds (adultes-relais, FONJEP) beside the national partners and
the user's own: combinable filters with counts, filter as you type, « Exporter la vue… » of the rows shown."""

from __future__ import annotations

import csv
import json
import re

import pytest

from qpvdesk.ui.partner_browser import PartnerBrowser
from qpvdesk.ui.partner_model import LOCAL_ROLE, PartnerTableModel
from qpvdesk.userdata import PartnerFields, open_user_data

TREMPLIN = "org-34327898200107"


@pytest.fixture()
def browser(qtbot, real_service, tmp_path):
    widget = PartnerBrowser()
    qtbot.addWidget(widget)
    widget.set_rows(real_service.partners())
    data = open_user_data(tmp_path / "ud")
    data.create_partner(PartnerFields(name="Centre social =Élan", kind="social-centre", commune="Bourg-en-Bresse"))
    widget.set_user_data(data)
    widget.set_service(real_service)
    qtbot.waitUntil(lambda: widget.model.structure_count() > 0, timeout=30_000)
    yield widget
    data.close()


def shown(widget) -> list:
    proxy = widget.proxy
    return widget.model.shown_rows(proxy.mapToSource(proxy.index(r, 0)).row() for r in range(proxy.rowCount()))


def choose(combo, key) -> None:
    index = combo.findData(key)
    assert index > 0, key
    combo.setCurrentIndex(index)


def test_three_origins_in_one_table_with_counts(browser, real_service):
    rows = real_service.organisations.rows()
    origins = {r.origin for r in shown(browser)}
    assert origins == {"catalogue", "structure", "local"}
    assert browser.count_label.text() == (
        f"{len(rows) + len(real_service.partners()) + 1} partenaire(s) affiché(s) sur "
        f"{len(rows) + len(real_service.partners()) + 1}, dont {len(rows)} structures "
        "financées (ANCT) et 1 ajouté(s) localement"
    )
    f = browser.filters
    structures = f.origin_combo.itemText(f.origin_combo.findData("structure"))
    assert structures == f"Structures financées (ANCT) — {len(rows)}"


def test_filters_combine_and_agree_with_the_catalogue(browser, real_service):
    f = browser.filters
    choose(f.origin_combo, "structure")
    choose(f.departement_combo, "69")
    choose(f.year_combo, "2025")
    choose(f.programme_combo, "postes-fonjep")
    expected = {
        r.entity_id
        for r in real_service.organisations.rows()
        if "69" in r.departements and 2025 in r.years and "fonjep" in r.programmes
    }
    assert {r.id for r in shown(browser)} == expected and len(expected) > 10
    browser.filter_edit.setText("sport")  # as typed, on top of the choices
    assert {r.id for r in shown(browser)} == {i for i in expected if "sport" in real_service.entity(i).name.lower()}
    f.reset()
    browser.filter_edit.clear()
    assert browser.proxy.rowCount() == browser.model.rowCount()


def test_type_filter_joins_deduced_types_and_local_types(browser):
    choose(browser.filters.kind_combo, "Centre social")
    rows = shown(browser)
    assert {r.origin for r in rows} == {"structure", "local"}
    structure = next(r for r in rows if r.origin == "structure")
    row = browser.model.row_of(structure.id)
    assert browser.model.index(row, 1).data() == "Centre social *"  # marked as deduced
    assert "type déduit du nom" in browser.model.index(row, 1).data(3)  # ToolTipRole


def test_place_filter_by_contrat_or_commune(browser):
    f = browser.filters
    choose(f.place_combo, "contrat-ville-cn00104m")
    ids = {r.id for r in shown(browser)}
    assert TREMPLIN in ids and all("CN00104M" in r.contrats for r in shown(browser))
    choose(f.place_combo, "commune-01053")  # Bourg-en-Bresse: its contrats, and the local partner of that commune
    rows = shown(browser)
    assert TREMPLIN in {r.id for r in rows} and "Centre social =Élan" in {r.name for r in rows}


def test_text_filter_finds_a_siret(browser):
    browser.filter_edit.setText("34327898200107")
    assert [r.id for r in shown(browser)] == [TREMPLIN]


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_export_view_writes_the_rows_shown(browser, qtbot, tmp_path, file_format):
    target = tmp_path / f"vue.{file_format}"
    browser.ask_view_path = lambda: (str(target), file_format)
    choose(browser.filters.departement_combo, "01")
    browser.filter_edit.setText("centre social")  # Ain's centres sociaux, structures only (the local one has no département)
    expected = shown(browser)
    messages = []
    browser.message.connect(messages.append)
    browser.export_view_file()
    qtbot.waitUntil(lambda: bool(messages), timeout=10_000)
    if file_format == "csv":
        raw = target.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        lines = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
        assert lines[0][:4] == ["Nom", "Type", "Type déduit du nom", "Origine"]
        assert [line[0] for line in lines[1:]] == [r.name for r in expected]
        assert {line[2] for line in lines[1:]} == {"oui"} and "ANCT" in lines[1][-1]
    else:
        document = json.loads(target.read_text(encoding="utf-8"))
        assert document["count"] == len(expected) and "Ain (01)" in document["filters"]
        assert [r["id"] for r in document["rows"]] == [r.id for r in expected]
    assert messages == [f"{len(expected)} ligne(s) exportée(s) dans vue.{file_format}."]


def test_export_view_neutralises_formulas_and_dates_in_french(browser, qtbot, tmp_path):
    browser.user_data.create_partner(PartnerFields(name="=HYPERLINK(1)", kind="association"))
    browser.refresh_local()
    target = tmp_path / "vue.csv"
    browser.ask_view_path = lambda: (str(target), "csv")
    choose(browser.filters.origin_combo, "local")
    messages = []
    browser.message.connect(messages.append)
    browser.export_view_file()
    qtbot.waitUntil(lambda: bool(messages), timeout=10_000)
    lines = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    by_name = {line[0]: line for line in lines[1:]}
    assert set(by_name) == {"Centre social =Élan", "'=HYPERLINK(1)"}  # Excel shows it, never runs it
    modified = lines[0].index("Modifié le")
    assert all(re.fullmatch(r"\d{1,2}(er)? [a-zéû]+ \d{4}", line[modified]) for line in lines[1:])
    assert by_name["Centre social =Élan"][3] == "Ajouté localement"


def test_model_with_structures_passes_qt_model_tester(qtmodeltester, browser):
    model = PartnerTableModel()
    model.set_structures(browser.model.shown_rows(range(50)))
    qtmodeltester.check(model)
    assert not any(model.index(r, 0).data(LOCAL_ROLE) for r in range(model.rowCount()))


def test_typing_a_commune_name_in_the_place_filter_picks_it(browser):
    combo = browser.filters.place_combo
    combo.lineEdit().setText("bourg-en-bresse (01053)")
    combo.lineEdit().editingFinished.emit()
    assert combo.currentData() == "commune-01053"
    assert TREMPLIN in {r.id for r in shown(browser)}
    combo.lineEdit().setText("")
    combo.lineEdit().editingFinished.emit()
    assert combo.currentIndex() == 0 and browser.proxy.rowCount() == browser.model.rowCount()
