"""NPNRU, population, postcodes and the State's contact on territory fiches (issue 15).

Counts are checked against the copies under resources/data (read here with the csv/json modules,
independently of the build readers); fiches and lookups against the committed catalogue.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sqlite3
from collections import defaultdict
from pathlib import Path

import pytest
from test_territories_support import territory_resources

from qpvdesk.cli import main
from qpvdesk.textfold import words

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "resources" / "data"
POPULATION_LABEL = "population municipale (INSEE ; millésime non précisé par le fichier, probablement 2020)"


def _npnru_codes() -> list[str]:
    return json.loads((DATA / "npnru" / "npnru_qp2015_codes_fcu.json").read_text(encoding="utf-8"))


def _population() -> dict[str, int]:
    with (DATA / "population" / "qpv2024_popmuniqpv.csv").open(encoding="utf-8", newline="") as f:
        return {r["codeQPV"]: int(r["popMuniQPV"]) for r in csv.DictReader(f)}


# --- NPNRU ----------------------------------------------------------------------------

def test_npnru_counts_match_the_list(real_service):
    codes = _npnru_codes()
    assert len(codes) == 448 and sum(not c.startswith("QP97") for c in codes) == 422
    attrs = dict(real_service.entity("npnru").attributes)
    assert attrs["Quartiers de la liste (données)"].startswith("448 codes de la liste 2015 des QPV, dont 422 en métropole")
    assert "216 d'intérêt national (PRIN) et 264 d'intérêt régional (PRIR)" in attrs["Chiffres publiés par l'ANRU"]
    assert "n'est pas dans les données" in attrs["PRIN ou PRIR, par quartier"]
    assert attrs["QPV 2024 issus d'un quartier du NPNRU"].startswith("453 ")
    orphans = attrs["Sans successeur dans la liste 2024 (9)"]
    assert orphans.count("sorti de la liste en 2024") == 5 and orphans.count("Mayotte") == 4


def test_a_qpv_says_issu_d_un_quartier_du_npnru_never_en_npnru(real_service, real_catalogue_path):
    attrs = dict(real_service.entity("qn03107m").attributes)
    assert attrs["NPNRU"] == "Issu d'un quartier du NPNRU (liste 2015 : QP031007)"
    with sqlite3.connect(real_catalogue_path) as db:
        texts = [t for (t,) in db.execute("SELECT attributes FROM territory_fiche")]
        texts += [t for (t,) in db.execute("SELECT summary FROM entity WHERE kind IN ('qpv', 'commune', 'departement')")]
        marked = db.execute("SELECT count(*) FROM territory_qpv WHERE npnru2015 != ''").fetchone()[0]
    assert marked == 453
    assert not any(re.search(r"\ben NPNRU\b", t, re.IGNORECASE) for t in texts)


def test_an_npnru_quartier_without_successor_is_found_by_its_2015_code(real_service):
    result = real_service.search("QP022003")
    assert "quartier du NPNRU (liste 2015)" in result.notice
    assert "npnru" in [h.id for h in result.hits[:3]]


# --- population -----------------------------------------------------------------------

def test_population_is_deduplicated_per_qpv_and_labelled(real_service, real_catalogue_path):
    pop = _population()
    assert len(pop) == 1518 and sum(pop.values()) == 5_931_940
    with sqlite3.connect(real_catalogue_path) as db:
        stored = dict(db.execute("SELECT code, population FROM territory_qpv WHERE population IS NOT NULL"))
    assert stored == pop
    attrs = dict(real_service.entity("qn03107m").attributes)
    assert attrs["Population"] == f"{pop['QN03107M']:,}".replace(",", "\u202f") + f" habitants — {POPULATION_LABEL}"
    missing = next(c for c in ("QN97801M", "QN97802M") if c not in pop)  # Saint-Martin: not in the file
    assert dict(real_service.entity(missing.lower()).attributes)["Population"].startswith("non disponible")


def test_no_other_indicator_of_the_population_file_is_shown(real_service):
    attrs = dict(real_service.entity("qn03107m").attributes)
    assert not any(word in " ".join(attrs) + " ".join(attrs.values()) for word in ("logements sociaux", "pauvreté", "RSA", "CAF"))


def test_epci_sums_match_the_pop_of_the_2024_contrats_de_ville():
    """SOURCES.md: summed per intercommunality, popMuniQPV matches the contrats' `pop` within 1 % for most."""
    per_epci: dict[str, int] = defaultdict(int)
    with (DATA / "population" / "qpv2024_popmuniqpv.csv").open(encoding="utf-8", newline="") as f:
        seen = set()
        for r in csv.DictReader(f):
            if r["codeQPV"] not in seen:
                seen.add(r["codeQPV"])
                per_epci[r["siren_epci"]] += int(r["popMuniQPV"])
    contrats = json.loads((DATA / "ci-ville2_geom_cv_ctr.json").read_text(encoding="utf-8"))["features"]
    compared = close = 0
    for f in contrats:
        p = f["properties"]
        epci = str(p.get("codgeo", ""))
        if str(p.get("code_cv", "")).startswith("CN") and len(epci) == 9 and p.get("pop") and epci in per_epci:
            compared += 1
            close += abs(per_epci[epci] - float(p["pop"])) <= 0.01 * float(p["pop"])
    assert compared > 250 and close / compared > 0.75


def test_population_sums_on_commune_departement_and_contrat_fiches(real_service):
    pop = _population()
    toulouse = dict(real_service.entity("commune-31555").attributes)["Population des QPV"]
    codes = [code for _id, code, _name in real_service.territories.commune("31555").qpvs]
    assert toulouse.startswith(f"{sum(pop.get(c, 0) for c in codes):,}".replace(",", "\u202f") + " habitants dans")
    assert "habitants dans 19 QPV" in dict(real_service.entity("departement-31").attributes)["Population des QPV"]
    assert "habitants dans" in dict(real_service.entity("contrat-ville-cn03103i").attributes)["Population des QPV rattachés"]


# --- postcodes -------------------------------------------------------------------------

def test_postcode_copy_counts():
    with (DATA / "codes-postaux" / "laposte_hexasmal_2022_communes.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len({r["Code_postal"] for r in rows}) == 6328
    assert len({r["Code_commune_INSEE"] for r in rows}) == 35091


@pytest.mark.parametrize(("query", "first", "said"), [
    ("95300", "commune-95500", "Pontoise (2 QPV)"),
    ("13013", "commune-13055", "Marseille, 13e arrondissement"),
    ("69003", "commune-69123", "Lyon, 3e arrondissement"),
    ("75015", "commune-75056", "Paris, 15e arrondissement"),
])
def test_a_postcode_leads_to_its_commune(real_service, query, first, said):
    result = real_service.search(query)
    assert result.hits[0].id == first
    assert said in result.notice and "code postal" in result.notice


def test_a_number_both_postcode_and_insee_code_says_both(real_service):
    result = real_service.search("95500")
    assert [h.id for h in result.hits[:2]] == ["commune-95277", "commune-95500"]  # Gonesse (postcode), Pontoise (INSEE)
    assert "code postal de 4 communes : Gonesse" in result.notice
    assert "C'est aussi le code INSEE de Pontoise" in result.notice


def test_commune_fiche_lists_postcodes_and_a_qpv_table(real_service):
    detail = real_service.entity("commune-13055")
    assert "13013" in dict(detail.attributes)["Codes postaux"]
    (table,) = detail.tables
    assert len(table.rows) == 41
    air_bel = next(r for r in table.rows if r[1][0] == "QN01338I")
    assert air_bel[0] == ("Air Bel", "qn01338i") and "QP013038" in air_bel[3][0]
    html = real_service.fiche_html("commune-13055")
    assert '<a href="entity:qn01338i">Air Bel</a>' in html


# --- State contacts --------------------------------------------------------------------

def test_haute_garonne_shows_the_ddt_service_contact(real_service):
    lines = [v for k, v in real_service.entity("departement-31").attributes if k == "Contact de l'État dans le département"]
    ddt = next(v for v in lines if v.startswith("Direction Départementale des Territoires de Haute-Garonne"))
    assert "05.81.97.71.00" in ddt and "ddt@haute-garonne.gouv.fr" in ddt
    commune = [v for k, v in real_service.entity("commune-31555").attributes if k == "Contact de l'État dans le département"]
    assert commune == lines  # Toulouse's fiche shows its département's services
    assert "Contact de l'État dans le département" in dict(real_service.entity("qn03107m").attributes)


def test_paris_says_it_has_no_state_contact(real_service):
    line = dict(real_service.entity("departement-75").attributes)["Contact de l'État dans le département"]
    assert line.startswith("Paris est absent de l'annuaire de l'ANCT : pas de contact")
    assert dict(real_service.entity("commune-75056").attributes)["Contact de l'État dans le département"] == line


def test_no_personal_name_or_email_reaches_the_catalogue(real_catalogue_path):
    hashes = {line for line in (REPO / "tests" / "fixtures" / "contacts_personal_sha256.txt").read_text().split()
              if not line.startswith("#") and len(line) == 64}
    assert len(hashes) > 500
    with sqlite3.connect(real_catalogue_path) as db:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE '%fts%'")]
        texts = [v for t in tables for row in db.execute(f'SELECT * FROM "{t}"') for v in row if isinstance(v, str)]
    found = []
    for text in texts:
        w = words(text)
        grams = {" ".join(w[i:i + n]) for n in (2, 3, 4) for i in range(len(w) - n + 1)}
        grams |= {m.lower() for m in re.findall(r"[\w.+-]+@[\w.-]+", text)}
        found += [g for g in grams if hashlib.sha256(g.encode()).hexdigest() in hashes]
    assert not found
    header = (DATA / "contacts-etat" / "anct_annuaire_services_etat.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "interlocuteur_nom" not in header and "interlocuteur_mel" not in header


# --- bad input -------------------------------------------------------------------------

@pytest.mark.parametrize(("file", "old", "new", "expected"), [
    ("population/qpv2024_popmuniqpv.csv", ",QN00101M,", ",QN001,", "champ « codeQPV » : code QPV invalide « QN001 »"),
    ("codes-postaux/laposte_hexasmal_2022_communes.csv", "01009,ANDERT ET CONDON,01300", "01009,ANDERT ET CONDON,1300",
     "champ « Code_postal » : code postal invalide « 1300 »"),
    ("npnru/npnru_qp2015_codes_fcu.json", '"QP001005"', '"QP0015"', "objet n° 2, champ « code » : code QPV 2015 invalide"),
    ("contacts-etat/anct_annuaire_services_etat.csv", ",ddt@ain.gouv.fr,", ",ddt-ain.gouv.fr,",
     "champ « fiche_mel » : adresse électronique invalide"),
])
def test_a_damaged_extra_file_stops_the_build_in_french(tmp_path, capsys, file, old, new, expected):
    resources = territory_resources(tmp_path)
    path = resources / "data" / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    code = main(["build-data", "--resources", str(resources), "--output", str(tmp_path / "out.sqlite")])
    err = capsys.readouterr().err
    assert code != 0 and expected in err and file.split("/")[-1] in err and "Traceback" not in err
    assert not (tmp_path / "out.sqlite").exists()


# --- address questions -----------------------------------------------------------------

@pytest.mark.parametrize(("query", "first"), [
    ("12 rue de la République 95300 Pontoise", "commune-95500"),
    ("3 avenue Jean Jaurès Toulouse", "commune-31555"),
    ("est-ce que Pontoise est en QPV ?", "commune-95500"),
    ("est-ce que Grand Mirail est en QPV", "qn03107m"),
])
def test_an_address_question_is_answered_honestly(real_service, query, first):
    result = real_service.search(query)
    assert result.hits[0].id == first
    assert "sig.ville.gouv.fr, « Recherche par adresse »" in result.notice
    assert "ne peut pas" in result.notice  # never « this address is in a QPV »


def test_an_address_in_an_unknown_commune_still_names_the_official_check(real_service):
    repo = real_service.territories
    result = repo.lookup("12 rue des Lilas Xyzville")
    assert not result.found and "Commune non reconnue" in result.message and "sig.ville.gouv.fr" in result.message


def test_plain_words_are_not_taken_for_an_address(real_service):
    repo = real_service.territories
    assert not repo.is_question("logement en qpv") and not repo.is_question("Pontoise") and not repo.is_question("95300")


def test_run_time_modules_never_import_the_build_code_or_yaml():
    import ast

    runtime = ["territories/place_extras.py", "territories/lookup.py", "territories/postcodes.py", "territories/address.py",
               "territories/repository.py", "ui/map_labels.py", "ui/map_search.py"]
    for name in runtime:
        tree = ast.parse((REPO / "qpvdesk" / name).read_text(encoding="utf-8"))
        modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        modules |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not any(m.startswith(("qpvdesk.build", "yaml")) for m in modules), name
