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
