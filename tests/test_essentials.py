"""« L'essentiel » on top of a fiche: who pilots, who funds and how much, key figures, latest event; every line sourced."""

import json
import re
import unicodedata

from pypdf import PdfReader

from qpvdesk.cli import main
from qpvdesk.essentials import NOT_TO_ADD, essentials
from qpvdesk.fiche_html import fiche_html
from qpvdesk.vocabulary import OPEN_DATA_KINDS, TERRITORY_KINDS


def _line(detail, label):
    found = [e for e in essentials(detail) if e.label == label]
    assert found, f"{detail.id} : pas de ligne « {label} » dans {[e.label for e in essentials(detail)]}"
    return found[0]


def test_every_written_fiche_has_essentials_and_no_line_lacks_a_source(real_service):
    written = [e for e in real_service.catalogue.list_entities(None) if e.kind not in OPEN_DATA_KINDS]
    assert len(written) > 90
    for summary in written:
        lines = essentials(real_service.entity(summary.id))
        assert 1 <= len(lines) <= 8, summary.id
        for line in lines:
            assert line.sources, f"{summary.id} : « {line.label} » sans source"
            assert line.value.strip(), summary.id


def test_npnru_says_who_funds_it_how_much_and_when(real_service):
    funded = _line(real_service.entity("npnru"), "Financé par")
    assert "Action Logement : 8,4 Md€" in funded.value
    assert "État : 1,2 Md€" in funded.value
    assert "2024-12" in funded.dates and "2025-11" in funded.dates
    # USH and the bailleurs sociaux: one amount for both, said once, not to be added twice
    assert funded.value.count("2,4 Md€") == 1 and NOT_TO_ADD in funded.value
    assert "Union sociale pour l'habitat et Bailleurs sociaux" in funded.value
    assert _line(real_service.entity("npnru"), "Piloté par").value == "Agence nationale pour la rénovation urbaine"


def test_pic_essentials_name_the_anah_as_pilot_and_funder(real_service):
    detail = real_service.entity("pic")
    assert "Agence nationale de l'habitat" in _line(detail, "Piloté par").value
    assert "Agence nationale de l'habitat : 2 Md€" in _line(detail, "Financé par").value


def test_latest_event_is_the_most_recent_dated_fact(real_service):
    detail = real_service.entity("npnru")
    latest = _line(detail, "Dernier événement")
    newest = max(d for f in detail.facts if f.confidence == "confirmed" for d in f.dates)
    assert newest in latest.dates


def test_places_have_no_essentials(real_service):
    commune = next(e for e in real_service.catalogue.list_entities("commune"))
    assert essentials(real_service.entity(commune.id)) == ()


def test_card_comes_before_the_summary_and_the_facts(real_service):
    detail = real_service.entity("npnru")
    html = fiche_html(detail)
    card = html.index("essentiel</b>")
    assert card < html.index(detail.summary[:40]) < html.index("Faits clés")
    assert "8,4 Md€" in html[card:html.index(detail.summary[:40])]


def test_show_json_has_essentials_with_sources(real_catalogue_path, capsys):
    assert main(["--catalogue", str(real_catalogue_path), "show", "npnru", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    funded = next(e for e in data["essentials"] if e["label"] == "Financé par")
    assert "Action Logement" in funded["value"] and funded["dates"] and funded["sources"][0]["url"].startswith("https://")
    assert set(funded) == {"label", "value", "dates", "sources"}


def test_pdf_page_one_carries_the_funders(qapp, tmp_path, capsys, real_catalogue_path):
    target = tmp_path / "npnru.pdf"
    assert main(["--catalogue", str(real_catalogue_path), "export-pdf", "npnru", str(target)]) == 0
    page1 = " ".join(unicodedata.normalize("NFKC", PdfReader(target).pages[0].extract_text()).split())
    assert "essentiel" in page1 and "Action Logement : 8,4 Md€" in page1 and "à ne pas additionner" in page1


def test_long_fiche_has_a_contents_list_linking_to_grouped_facts(real_service):
    html = fiche_html(real_service.entity("npnru"))
    contents = html[html.index("<b>Sommaire</b>"):html.index('<a name="sec-faits-cles">')]
    for title in ("Faits clés", "Financement", "Calendrier", "Relations", "Sources"):
        assert title in contents
    # each entry jumps to an anchor that exists, placed before its heading
    for anchor in re.findall(r'href="#(sec-[a-z-]+)"', contents):
        assert f'<a name="{anchor}"></a><h' in html
    financing = html[html.index("<h3>Financement</h3>") + 4:]
    assert financing.index("Budget actuel") < financing.index("<h3>")
    assert html.index("<h2>Faits clés</h2>") < html.index("<h3>Rôle</h3>") < html.index("<h3>Financement</h3>")


def test_short_fiche_and_paper_have_no_contents_list(real_service):
    assert "Sommaire" not in fiche_html(real_service.entity("npnru"), for_print=True)
    short = next(e.id for e in real_service.catalogue.list_entities(None) if e.kind not in OPEN_DATA_KINDS
                 and len(real_service.entity(e.id).facts) + len(real_service.entity(e.id).relations) < 4)
    assert "Sommaire" not in fiche_html(real_service.entity(short))


def test_fact_headings_are_chosen_from_the_label():
    from qpvdesk.fact_groups import heading_of

    assert heading_of("Budget actuel") == "Financement"
    assert heading_of("Mission de préfiguration confiée à Philippe Van de Maele") == "Historique"
    assert heading_of("Missions") == "Rôle"
    assert heading_of("Lancement et pilotage") == "Calendrier"
    assert heading_of("Bilan à cinq ans") == "Résultats"
    assert heading_of("Autre chose") == "Rôle"


def test_sites_are_left_to_the_territories_tab(real_service):
    detail = real_service.entity("cites-educatives")
    sites = {r.other_name for r in detail.relations if r.other_kind in TERRITORY_KINDS}
    assert sites
    for line in essentials(detail):
        assert not any(site in line.value for site in sites)


def test_a_short_fiche_uses_the_room_for_what_replaced_or_absorbed_it(real_service):
    labels = {e.label: e.value for e in essentials(real_service.entity("zus"))}
    assert "Quartiers prioritaires de la politique de la ville" in labels["Remplacé par"]
    assert "Agence nationale de la cohésion des territoires" in {e.label: e.value for e in essentials(real_service.entity("cget"))}["Fusionné dans"]
    # a long fiche keeps its funders, one key figure and its latest event within eight lines
    lines = essentials(real_service.entity("npnru"))
    assert len(lines) == 8 and lines[-1].label == "Dernier événement" and any(e.label == "Chiffre clé" for e in lines)
