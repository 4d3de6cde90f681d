"""Territories: import (counts, sample codes), lookup, fiche lines, CLI, geometry."""

from __future__ import annotations

import json
import sqlite3

import pytest
from test_territories_support import territory_world

from qpvdesk.build.territories.world import MAYOTTE
from qpvdesk.territories import geo


@pytest.fixture(scope="session")
def catalogue_path(territory_catalogue_path):
    return territory_catalogue_path


@pytest.fixture(scope="session")
def service(catalogue_path):
    from qpvdesk.service import CatalogueService

    return CatalogueService(catalogue_path)


@pytest.fixture(scope="session")
def repo(service):
    return service.territories


def _sql(path, query, *args):
    with sqlite3.connect(path) as conn:
        return conn.execute(query, args).fetchall()


# --- import -------------------------------------------------------------------------------

def test_every_qpv_of_the_2024_list_is_an_entity(service):
    qpvs = service.catalogue.list_entities("qpv")
    assert len(qpvs) == 1609
    assert len({q.id for q in qpvs}) == 1609
    assert all(q.id.startswith("qn") and q.summary for q in qpvs)


def test_counts_of_the_other_territories(catalogue_path):
    kinds = dict(_sql(catalogue_path, "SELECT kind, count(*) FROM entity GROUP BY kind"))
    assert kinds["region"] == 18  # 13 metropolitan + 5 overseas; the two COM are grouped apart
    assert kinds["departement"] == 103  # 101 départements + Saint-Martin + Polynésie française
    assert kinds["commune"] > 2900
    layers = dict(_sql(catalogue_path, "SELECT layer, count(*) FROM territory_site GROUP BY layer"))
    assert layers == {"cite-educative": 208, "cite-emploi": 84, "france-services": 2845, "contrat-2024": 391, "contrat-2015": 433}
    assert _sql(catalogue_path, "SELECT count(*) FROM territory_qpv2015") == [(1514,)]
    assert _sql(catalogue_path, "SELECT count(*) FROM territory_revised_code") == [(17,)]


def test_grand_mirail_toulouse_and_its_2015_code(service):
    detail = service.entity("qn03107m")
    assert detail.name == "Grand Mirail"
    assert detail.kind == "qpv"
    attrs = dict(detail.attributes)
    assert attrs["Code 2024"] == "QN03107M"
    assert attrs["Commune"] == "Toulouse (31555)"
    assert attrs["Code 2015 (prédécesseur)"] == "QP031007 « Grand Mirail »"
    assert attrs["Statut 2024"].startswith("M — ")
    assert attrs["Département"] == "Haute-Garonne (31)"
    assert "CN03103I" in attrs["Contrat de ville 2024"]
    assert "ANCT" in attrs["Données"] and "Licence Ouverte 2.0" in attrs["Données"]
    assert {"QN03107M", "QP031007"} <= set(detail.aliases)
    parents = {(r.label, r.other_id) for r in detail.relations}
    assert ("fait partie de", "commune-31555") in parents
    assert all(r.sources for r in detail.relations)


@pytest.mark.parametrize(
    ("entity_id", "name", "communes"),
    [
        ("qn09310m", "Les Courtillières - Pont-De-Pierre", {"commune-93008", "commune-93055"}),  # two communes
        ("qn00101m", "Grande Reyssouze Terre Des Fleurs", {"commune-01053"}),
        ("qn02a01m", None, None),  # Corse
        ("qn98701m", None, None),  # Polynésie française
    ],
)
def test_sample_of_codes(service, entity_id, name, communes):
    detail = service.entity(entity_id)
    assert detail is not None
    if name:
        assert detail.name == name
    if communes:
        assert {r.other_id for r in detail.relations if r.type == "part-of"} == communes


def test_status_letters_are_explained(service):
    assert dict(service.entity("qn03118n").attributes)["Quartier de 2015"] == "Aucun : nouveau quartier en 2024"
    assert "inchangé" in dict(service.entity("qn03106i").attributes)["Statut 2024"]


def test_mayotte_is_flagged_as_revised(service, repo):
    mayotte = [q for q in service.catalogue.list_entities("qpv") if q.id.startswith("qn976")]
    assert len(mayotte) == 42
    attrs = dict(service.entity(mayotte[0].id).attributes)
    assert "QN97651C" in attrs["Liste révisée (Mayotte)"]
    assert "révisée" in service.entity("departement-976").summary
    assert "QN97661C" in service.entity("commune-97611").aliases  # Mamoudzou


def test_datasets_carry_producer_date_and_licence(service):
    datasets = {d["id"]: d for d in service.stats().datasets}
    assert len([d for d in datasets if not d.startswith("ci-ville-")]) == 16  # and the 2 of the funded structures
    assert datasets["france-services"]["date"] == "2024-08-01"
    # the ANCT directory of State services states no data licence: said so, not dressed up as Licence Ouverte
    assert datasets["contacts-etat"]["licence"].startswith("Licence non précisée")
    assert all(d["producer"] and d["date"] and d["licence"] == "Licence Ouverte 2.0" for d in datasets.values() if d["id"] != "contacts-etat")
    assert "Mayotte" in datasets["qpv-2024"]["note"]


def test_sites_link_to_their_programme_and_commune(service):
    fs = service.entity("france-services")
    assert sum(1 for r in fs.relations if r.type == "implements") == 2845
    cite = service.entity("cite-educative-073")
    assert cite.name == "Cité éducative Toulouse Grand Mirail"
    targets = {(r.type, r.other_id) for r in cite.relations}
    assert ("implements", "cites-educatives") in targets
    assert ("applies-to", "commune-31555") in targets


def test_every_territory_relation_is_cited(catalogue_path):
    uncited = _sql(catalogue_path, "SELECT count(*) FROM relation r WHERE NOT EXISTS "
                                   "(SELECT 1 FROM relation_citation c WHERE c.relation_id = r.id)")
    assert uncited == [(0,)]


def test_commune_fiche_counts_and_no_qpv_case(service):
    toulouse = service.entity("commune-31555")
    assert toulouse.summary.startswith("Commune, Haute-Garonne (31) : 12 QPV")
    assert dict(toulouse.attributes)["En bref"].startswith("12 QPV, 2 cités éducatives")
    village = service.entity("commune-01388")  # Saint-Trivier-de-Courtes: a France services, no QPV
    assert "aucun quartier prioritaire" in village.summary
    assert dict(village.attributes)["Quartiers prioritaires (2024)"].startswith("Aucun")


def test_contrat_population_is_the_sum_of_its_qpv_not_the_pop_field(service):
    contrat = service.entity("contrat-ville-cn03103i")
    line = dict(contrat.attributes)["Population des QPV rattachés"]
    assert "habitants dans" in line and "population municipale (INSEE" in line
    assert "pop" not in contrat.summary


# --- lookup -------------------------------------------------------------------------------

def test_lookup_old_2015_code_finds_the_2024_qpv(repo):
    result = repo.lookup("QP031007")
    assert [m.entity_id for m in result.matches] == ["qn03107m"]
    assert "QN03107M" in result.message and "Grand Mirail" in result.message


def test_lookup_by_2024_code_name_commune_and_insee(repo):
    assert repo.lookup("qn03107m").matches[0].entity_id == "qn03107m"
    assert repo.lookup("grand mirail").matches[0].entity_id == "qn03107m"
    assert repo.lookup("Toulouse").matches[0].entity_id == "commune-31555"
    assert "12 QPV" in repo.lookup("31555").message
    assert repo.lookup("  TOULOUSE ").matches[0].entity_id == "commune-31555"


def test_lookup_says_when_a_commune_has_no_qpv(repo):
    result = repo.lookup("Saint-Trivier-de-Courtes")
    assert result.matches[0].entity_id == "commune-01388"
    assert "n'a aucun quartier prioritaire (QPV)" in result.message
    unknown = repo.lookup("12345")  # neither an INSEE code of the data nor a postcode
    assert not unknown.found and "n'est pas un code postal" in unknown.message
    nothing = repo.lookup("Xyzzy-sur-Mer")
    assert not nothing.found and "Aucune commune ni aucun QPV" in nothing.message


def test_lookup_homonyms_exited_and_revised_codes(repo):
    both = repo.lookup("saint denis")
    assert {m.entity_id for m in both.matches} >= {"commune-93066", "commune-97411"}
    exited = repo.lookup("QP031009")  # Bourbaki, Toulouse: left the list in 2024
    assert "sorti de la géographie prioritaire" in exited.message
    revised = repo.lookup("QN97661C")
    assert revised.matches[0].entity_id == "commune-97611" and "liste révisée" in revised.message
    assert "Département Haute-Garonne" in repo.lookup("31").message
    assert repo.lookup("").message  # always says something


@pytest.mark.parametrize("text", ["", "%", "_", "'; DROP TABLE entity; --", "é" * 500, "QN", "QP99999999", "\x00"])
def test_lookup_accepts_any_input(repo, text):
    assert repo.lookup(text).message


# --- browser tree and map data ------------------------------------------------------------

def test_tree_counts_add_up(repo):
    roots = repo.tree()
    assert sum(r.qpv_count for r in roots) == 1609
    occitanie = next(r for r in roots if r.code == "76")
    haute_garonne = next(d for d in occitanie.children if d.code == "31")
    toulouse = next(c for c in haute_garonne.children if c.code == "31555")
    assert toulouse.qpv_count == len(toulouse.children) == 12
    assert "qn03107m" in {q.entity_id for q in toulouse.children}
    assert roots[-1].name == "Collectivités d'outre-mer" and roots[-1].entity_id is None
    every = repo.tree(all_communes=True)
    count = lambda nodes: sum(len(d.children) for r in nodes for d in r.children)  # noqa: E731
    assert count(every) > count(roots)


def test_map_data_and_locate(repo):
    data = repo.map_data()
    assert len(data.qpv) == 1609 and len(data.departements) == 103 and len(data.regions) == 13
    assert {i.code for i in data.insets} == {"971", "972", "973", "974", "976", "978", "987"}
    assert len(data.points["france-services"]) == 2845
    assert "Licence Ouverte 2.0" in data.attribution and "ANCT" in data.attribution
    box = repo.locate("qn03107m")
    x, y = geo.scene_point(1.40, 43.575)  # the Mirail, Toulouse
    assert box[0] - 3 < x < box[2] + 3 and box[1] - 3 < y < box[3] + 3
    assert repo.locate("region-76") and repo.locate("commune-01388") and repo.locate("france-services-1")
    assert repo.locate("npnru") is None


# --- CLI ------------------------------------------------------------------------------------

def _cli(capsys, catalogue_path, *args):
    from qpvdesk.cli import main

    code = main(["--catalogue", str(catalogue_path), *args])
    return code, capsys.readouterr().out


def test_cli_show_search_and_list(capsys, catalogue_path):
    code, out = _cli(capsys, catalogue_path, "show", "QN03107M", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["name"] == "Grand Mirail" and ["Commune", "Toulouse (31555)"] in data["attributes"]
    code, out = _cli(capsys, catalogue_path, "search", "Grand Mirail")
    assert out.splitlines()[0].startswith("qn03107m")
    code, out = _cli(capsys, catalogue_path, "search", "QP031007")
    notice, first_hit = out.splitlines()[:2]
    assert "est devenu QN03107M « Grand Mirail »" in notice  # the 2015 code is explained, as in the Territoires tab
    assert first_hit.startswith("qn03107m")
    code, out = _cli(capsys, catalogue_path, "list", "--kind", "qpv", "--json")
    assert json.loads(out)["count"] == 1609


# --- geometry -------------------------------------------------------------------------------

def test_lambert93_projection():
    x, y = geo.lambert93(2.3522, 48.8566)  # Paris
    assert abs(x - 652469) < 5 and abs(y - 6862035) < 5
    assert geo.lambert93(3.0, 46.5) == pytest.approx((700000.0, 6600000.0))


def test_rings_round_trip_through_storage():
    rings = geo.project_rings([[[2.0, 48.0], [2.1, 48.0], [2.1, 48.1], [2.0, 48.0]]], real=True)
    back = geo.decode_rings(*geo.encode_rings(rings))
    assert len(back) == 1 and back[0] == pytest.approx(rings[0], abs=1e-3)


def test_overseas_qpv_land_in_their_inset():
    """The inset transforms put the QPV of each overseas territory on its inset outline."""
    world = territory_world()
    for code in geo.INSETS:
        rings = world.departements[code].rings
        qpvs = [q for q in world.qpvs.values() if q.record.dep == code and q.record.communes[0][1] != "Moorea-Maiao"]
        inside = sum(geo.point_in_rings((q.bbox[0] + q.bbox[2]) / 2, (q.bbox[1] + q.bbox[3]) / 2, rings) for q in qpvs)
        assert inside / len(qpvs) >= 0.8, (code, inside, len(qpvs))  # coarse ANCT outlines, coastal QPV
    assert MAYOTTE in geo.INSETS


def test_france_services_in_and_near_qpv():
    world = territory_world()
    mirail = world.qpvs["QN03107M"]
    assert ("france-services-1755", 0.0) in mirail.france_services  # La Poste du Mirail, inside
    assert all(d <= 1.0 for _s, d in mirail.france_services)


def test_sites_of_an_ended_programme_are_not_shown_as_running(real_service):
    """The cités de l'emploi experiment ended in December 2024 (content, sourced): its 84 sites say so."""
    programme = real_service.entity("cites-emploi")
    site = real_service.entity("cite-emploi-083")
    assert programme.status != "active"
    assert (site.status, site.end) == (programme.status, programme.end)
    toulouse_qpv = dict(real_service.entity("qn03107m").attributes)
    row = next(v for k, v in toulouse_qpv.items() if k.startswith("Cités de l'emploi"))
    assert "dispositif terminé en décembre 2024" in row
    educ = next(v for k, v in toulouse_qpv.items() if k.startswith("Cités éducatives"))
    assert "terminé" not in educ  # a running programme carries no such mark


def test_about_the_data_cites_producers_and_licences_never_the_repositories_copied_from(real_service):
    from qpvdesk.about_html import about_data_html

    html = about_data_html(real_service.stats())
    assert "ANCT (SIG Ville)" in html and "Licence Ouverte 2.0" in html
    assert "github.com" not in html  # SOURCES.md: « cite ANCT as producer, never the repository »
    assert "resources/data/SOURCES.md" in html
