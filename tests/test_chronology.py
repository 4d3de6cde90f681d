"""« Chronologie »: the dated events of the content, earliest first, each with its fiche and sources."""

import json

from qpvdesk.chronology import THEME_ORDER
from qpvdesk.cli import main


def test_chronology_json_spans_the_policy_with_sources(real_catalogue_path, capsys):
    assert main(["--catalogue", str(real_catalogue_path), "chronology", "--json"]) == 0
    events = json.loads(capsys.readouterr().out)["events"]
    assert len(events) >= 25
    dates = [e["date"] for e in events]
    assert dates == sorted(dates)
    assert dates[0] < "1990" and dates[-1] >= "2025"
    years = {d[:4] for d in dates}
    assert {"1996", "2003", "2014", "2015", "2024"} <= years
    for e in events:
        assert set(e) >= {"date", "title", "id", "sources"} and e["sources"], e
    by_id = {(e["id"], e["date"][:4]) for e in events}
    assert ("anru", "2003") in by_id and ("loi-2014-173", "2014") in by_id and ("qpv-2024", "2024") in by_id
    titles = " | ".join(e["title"] for e in events)
    assert "Remplacement : Zones urbaines sensibles par Quartiers prioritaires" in titles
    assert "Fusion : Commissariat général à l'égalité des territoires dans Agence nationale de la cohésion" in titles


def test_every_event_opens_a_fiche_that_exists(real_service):
    for event in real_service.chronology():
        assert real_service.entity(event.id) is not None
        assert event.theme in THEME_ORDER


def test_theme_filter_and_unknown_theme(real_catalogue_path, capsys):
    assert main(["--catalogue", str(real_catalogue_path), "chronology", "--theme", "Lois"]) == 0
    out = capsys.readouterr().out
    assert "Loi n° 2003-710" in out and "Lancement :" not in out
    assert main(["--catalogue", str(real_catalogue_path), "chronology", "--theme", "Sport"]) == 2
    assert "thème inconnu" in capsys.readouterr().err


def test_window_shows_the_chronology_filters_it_and_opens_a_fiche(loaded_window, real_catalogue_path, qtbot):
    from PySide6.QtCore import QUrl

    window = loaded_window(real_catalogue_path)
    with qtbot.waitSignal(window.chronology.ready, timeout=20000):
        window.chronology.action.trigger()
    page = window.detail.toPlainText()
    assert "Chronologie de la politique de la ville" in page and "1er août 2003" in page
    with qtbot.waitSignal(window.chronology.ready, timeout=5000):
        window.detail.anchorClicked.emit(QUrl("view:chronologie:lois"))
    laws = window.detail.toPlainText()
    assert "Loi n° 2003-710" in laws and "Lancement : Plan Initiative Copropriétés" not in laws
    window.detail.anchorClicked.emit(QUrl("entity:loi-2003-710"))
    assert window.detail.current_id == "loi-2003-710"


def test_navigation_history_is_called_consultees_not_historique(loaded_window, mini_catalogue_path):
    window = loaded_window(mini_catalogue_path)
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    menus = [a.text() for a in window.menuBar().actions()]
    assert "Consultées" in tabs and "Historique" not in tabs
    assert "&Consultées" in menus and "&Historique" not in menus
