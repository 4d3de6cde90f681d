"""Organisation fiches on the shipped catalogue: posts per year with sources, links both ways, programme totals,
search by name and SIRET without pushing the written fiches down, and the CLI."""

from __future__ import annotations

import json
import re

import pytest

from qpvdesk.cli import main

TREMPLIN = "org-34327898200107"  # ASSOCIATION TREMPLIN (Ain): adultes-relais 2020-2025, contrats CV004 then CN00104M


def _text(html: str) -> str:
    """Visible text, French number spaces (narrow, non-breaking) as plain spaces."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.replace("\u202f", " ").replace("\u00a0", " "))).replace("&#x27;", "'")


def test_organisation_fiche_shows_posts_per_year_with_sources(real_service):
    html = real_service.fiche_html(TREMPLIN)
    text = _text(html)
    assert "Association (déduit du nom)" in text and "SIRET 34327898200107" in text
    assert "Postes financés par année" in text
    for year in range(2020, 2026):
        assert re.search(rf"{year} █+ 2 2 Adultes-relais", text), year
    assert "Adultes-relais 2024 2 postes ; montant 45 621,22 €" in text
    assert "ANCT — crédits de la politique de la ville, Adultes-relais 2024, Licence Ouverte 2.0" in text
    # 2025: the doubtful amount is said so, and left out of the total
    assert "montant 2025 douteux dans la source (identique au montant unitaire FONJEP)" in text
    assert "total 2020–2024" in text and "2025 exclu" in text
    assert 'href="entity:contrat-ville-cn00104m"' in html and 'href="entity:departement-01"' in html
    assert 'href="entity:commune-01053"' in html  # Bourg-en-Bresse, commune of the contrat's QPV
    assert "en vigueur" not in text  # an organisation is neither in force nor closed


def test_organisation_fiche_on_paper_keeps_figures_and_drops_links(real_service):
    html = real_service.fiche_html(TREMPLIN, for_print=True)
    assert "entity:" not in html and "Postes financés par année" in html


@pytest.mark.parametrize("place", ["contrat-ville-cn00104m", "commune-01053", "qn00101m", "departement-01", "region-84"])
def test_places_list_the_structures_financed_there(real_service, place):
    html = real_service.fiche_html(place)
    assert "Structures financées ici (" in html
    assert f'href="entity:{TREMPLIN}"' in html


def test_place_without_funded_posts_has_no_section(real_service):
    assert "Structures financées ici" not in real_service.fiche_html("anru")


@pytest.mark.parametrize(
    ("fiche", "programme", "posts_2025"), [("adultes-relais", "Adultes-relais", "4 753"), ("postes-fonjep", "FONJEP", "3 162")]
)
def test_programme_fiches_show_national_totals_per_year(real_service, fiche, programme, posts_2025, capsys, real_catalogue_path):
    text = _text(real_service.fiche_html(fiche))
    assert "Postes financés par l'État, 2020–2025" in text
    assert re.search(rf"2025 {posts_2025} [\d ]+ ", text)
    assert re.search(r"[\d ]+ structures différentes sur la période", text)
    if fiche == "adultes-relais":
        assert "2025 4 753 2 238 montant 2025 douteux dans la source" in text


def test_search_finds_an_organisation_by_siret_and_by_name_forgivingly(real_service):
    assert real_service.search("34327898200107").hits[0].id == TREMPLIN
    assert TREMPLIN in [h.id for h in real_service.search("association tremplin").hits[:3]]
    found = real_service.search("Assoçiation Tremplim")  # accent and a typo
    assert TREMPLIN in [h.id for h in found.hits[:3]] and found.corrections
    assert real_service.search("ligue enseignement").hits[0].kind == "organisation"  # all words in their names only
    # the source abbreviates (« ASS DEP SAUVEGARDE ENFANCE »), the user spells it out
    assert real_service.search("association sauvegarde enfance").hits[0].id == "org-77931148900040"


@pytest.mark.parametrize(
    ("query", "written"),
    [
        ("jeunesse", "ministere-ville"),
        ("insertion", "caf"),
        ("sport", "civ-2021"),
        ("femmes", "conseils-citoyens"),
        ("relais", "adultes-relais"),
        ("maison de quartier", "france-services"),
    ],
)
def test_thousands_of_structures_never_push_the_written_fiches_down(real_service, query, written):
    hits = real_service.search(query, limit=10).hits
    assert written in [h.id for h in hits]
    # structures come after every other fiche found, unless their exact name was typed (« Maison de quartier »)
    kinds = [h.kind for h in hits if not (h.exact and h.kind == "organisation")]
    if "organisation" in kinds:
        assert all(k == "organisation" for k in kinds[kinds.index("organisation") :])


def test_show_json_has_the_figures_and_search_json_the_group(capsys, real_catalogue_path):
    assert main(["--catalogue", str(real_catalogue_path), "show", TREMPLIN, "--json"]) == 0
    detail = json.loads(capsys.readouterr().out)
    assert detail["kind"] == "organisation" and detail["kind_label"] == "Structure"
    assert "SIRET" in [a[0] for a in detail["attributes"]]
    facts = {f["label"]: f for f in detail["facts"]}
    doubtful = facts["Adultes-relais 2025"]
    assert doubtful["confidence"] == "unconfirmed" and "montant 2025 douteux dans la source" in doubtful["value"]
    assert (
        doubtful["sources"][0]["publisher"]
        == "ANCT — crédits de la politique de la ville, Adultes-relais 2025, Licence Ouverte 2.0"
    )
    assert facts["Adultes-relais 2024"]["sources"][0]["ref"] == "resources/data/ci-ville/adulte-relais-2024.json"
    assert main(["--catalogue", str(real_catalogue_path), "search", "34327898200107", "--json"]) == 0
    hit = json.loads(capsys.readouterr().out)["hits"][0]
    assert (hit["id"], hit["kind"], hit["group"]) == (TREMPLIN, "organisation", "Structures financées")
