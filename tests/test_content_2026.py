"""The shipped content as of December 2026 (issue 16): new figures with their sources, the gaps said
in words, and the everyday instruments field staff type."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _facts(service, entity_id):
    detail = service.entity(entity_id)
    assert detail is not None, entity_id
    return detail.facts


def _fact_with(service, entity_id, needle):
    return next(f for f in _facts(service, entity_id) if needle in f.value or any(needle in (s.claim or "") for s in f.sources))


def test_check_reports_information_from_2026(real_service):
    assert real_service.stats().newest_information_date.startswith("2026")


def test_france_services_carries_the_2025_network_with_its_sources(real_service):
    count = _fact_with(real_service, "france-services", "2 865")
    assert "3 000" in count.value and "2025-11" in count.dates
    assert {s.url for s in count.sources} == {"https://liti.fr/61-nouvelles-maisons-france-services"}
    socle = _fact_with(real_service, "france-services", "treize")
    assert "onze" in socle.value and all(s.reliability == "O" for s in socle.sources)


def test_npnru_calendar_report_and_mission_are_dated_and_sourced(real_service):
    calendar = _fact_with(real_service, "npnru", "2032")
    assert "2027" in calendar.value
    assert any("ecologie.gouv.fr" in (s.url or "") and s.reliability == "O" for s in calendar.sources)
    report = _fact_with(real_service, "npnru", "18 février 2025")
    assert "Ensemble, refaire ville" in report.label
    mission = _fact_with(real_service, "npnru", "Philippe Van de Maele")
    assert "2025-08-05" in mission.dates
    successor = _fact_with(real_service, "npnru", "programme successeur")
    assert successor.confidence == "unconfirmed"


def test_p147_gives_the_2026_bill_and_says_the_voted_amount_was_not_found(real_service):
    bill = _fact_with(real_service, "p147", "651,7 M€")
    assert all(s.reliability == "O" for s in bill.sources)
    voted = _fact_with(real_service, "p147", "non trouvé")
    assert voted.confidence == "unconfirmed" and "2026" in voted.value
    adoption = _fact_with(real_service, "p147", "2 février 2026")
    assert adoption.confidence == "confirmed"


def test_cites_educatives_totals_that_disagree_are_a_conflict(real_service):
    total = _fact_with(real_service, "cites-educatives", "248")
    assert total.confidence == "conflict"
    claims = " / ".join(s.claim or "" for s in total.sources)
    assert "248" in claims and "252" in claims


def test_entrepreneuriat_pour_tous_figures_are_a_conflict(real_service):
    fact = _fact_with(real_service, "entrepreneuriat-quartiers-2030", "13 500")
    assert fact.confidence == "conflict"
    assert any("32 000" in (s.claim or "") for s in fact.sources)


@pytest.mark.parametrize(("typed", "expected"), [
    ("Dauphin", "subventions-politique-de-la-ville"),
    ("subvention politique de la ville", "subventions-politique-de-la-ville"),
    ("FIPD", "fipd"),
    ("atelier santé ville", "asv"),
    ("fonds de participation des habitants", "fph"),
    ("Quartiers fertiles", "quartiers-fertiles"),
    ("Quartiers solidaires", "quartiers-solidaires"),
    ("Ville Vie Vacances", "vvv"),
    ("centres de ressources politique de la ville", "crpv"),
])
def test_everyday_words_find_their_fiche_first(real_service, typed, expected):
    hits = real_service.search(typed).hits
    assert hits and hits[0].id == expected, [h.id for h in hits[:5]]


def test_new_acronyms_are_explained(real_service):
    glossary = {t.acronym: t for t in real_service.glossary()}
    for acronym in ("FIR", "AAP", "ASV", "FPH", "FIPD", "CRPV"):
        assert acronym in glossary and glossary[acronym].sources, acronym


def test_instrument_relations_are_counted_and_visible_from_both_sides(real_service):
    written = (REPO / "resources" / "content" / "relations-dispositifs.yaml").read_text(encoding="utf-8").count("- from:")
    assert real_service.stats().counts["instrument_relations"] == written > 0
    fph = {(r.label, r.other_id) for r in real_service.entity("fph").relations}
    assert ("fait partie de", "contrats-de-ville") in fph
    anru = {(r.label, r.other_id) for r in real_service.entity("anru").relations}
    assert ("pilote", "quartiers-fertiles") in anru


def test_the_fourteen_national_pic_sites_are_on_the_pic_fiche(real_service):
    sites = _fact_with(real_service, "pic", "Saint-Étienne-du-Rouvray")
    assert sites.value.count(",") + sites.value.count(" et ") >= 13
    assert sites.sources
