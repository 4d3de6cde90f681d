"""Organisations funded for adultes-relais and FONJEP posts: reading, identity, names, types, build errors.

The totals are recomputed here straight from the ANCT files (json + Decimal, not the app's reader) and compared
with what `qpvdesk check --json` reports from the shipped catalogue.
"""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from test_territories_support import territory_resources

from qpvdesk.build.organisations.identity import identify
from qpvdesk.build.organisations.kinds import deduce_type
from qpvdesk.build.organisations.names import name_key, readable_name
from qpvdesk.build.organisations.reader import Post, PostsDataError, read_posts
from qpvdesk.cli import main

REPO = Path(__file__).resolve().parent.parent
CI_VILLE = REPO / "resources" / "data" / "ci-ville"
FILES = {"adultes-relais": "adulte-relais", "fonjep": "postes-fonjep"}


def _check_json(capsys, catalogue: Path) -> dict:
    assert main(["--catalogue", str(catalogue), "check", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_check_totals_equal_the_sums_of_the_source_files(capsys, real_catalogue_path):
    report = _check_json(capsys, real_catalogue_path)["organisations"]
    without_cv = 0
    for programme, stem in FILES.items():
        for year in range(2020, 2026):
            records = json.loads((CI_VILLE / f"{stem}-{year}.json").read_text(encoding="utf-8"))
            cents = sum(Decimal(str(r["montant"])) * 100 for r in records)
            without_cv += sum(1 for r in records if not r.get("code_cv"))
            assert report["totals"][programme][str(year)]["posts"] == len(records), (programme, year)
            assert report["totals"][programme][str(year)]["amount_cents"] == int(cents), (programme, year)
    assert report["records_without_code_cv"] == without_cv > 0
    assert report["count"] == report["by_siret"] + report["by_name"]
    # several thousand organisations; every adulte-relais employer SIRET is one of them
    sirets = {
        r["code_tiers"]
        for y in range(2020, 2026)
        for r in json.loads((CI_VILLE / f"adulte-relais-{y}.json").read_text(encoding="utf-8"))
    }
    assert report["by_siret"] == len(sirets)
    assert report["count"] > 4000


def test_list_kind_organisation_counts_them(capsys, real_catalogue_path):
    assert main(["--catalogue", str(real_catalogue_path), "list", "--kind", "organisation", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    stats = _check_json(capsys, real_catalogue_path)["organisations"]
    assert listed["count"] == stats["count"]
    assert {e["kind"] for e in listed["entities"]} == {"organisation"}


def _post(name: str, dep: str, programme: str = "fonjep", siret: str | None = None, year: int = 2024) -> Post:
    return Post(programme, year, "X", name, siret, 716400, ("CN00104M",), dep, "84")


def test_a_fonjep_name_joins_the_one_siret_of_its_departement_with_that_name():
    orgs, report = identify(
        [
            _post("ASSOCIATION TREMPLIN", "01", "adultes-relais", "34327898200107"),
            _post("Ass. Tremplin", "01"),  # same organisation, abbreviated: joined
            _post("ASSOCIATION TREMPLIN", "69"),  # another département: another fiche
            _post("ASSOCIATION TREMPLINS", "01"),  # one letter apart: never merged
        ]
    )
    by_key = {o.key: o for o in orgs}
    assert len(by_key["siret:34327898200107"].posts) == 2
    assert by_key["siret:34327898200107"].identity == "siret+name"
    assert "name:69:association tremplin" in by_key and "name:01:association tremplins" in by_key
    assert (report.by_siret, report.by_name, report.joined_by_name) == (1, 2, 1)


def test_uncertain_name_matches_stay_two_fiches_and_are_counted():
    orgs, report = identify(
        [
            _post("CIDFF", "01", "adultes-relais", "31538511200026"),
            _post("CIDFF", "01", "adultes-relais", "31538511200034"),
            _post("CIDFF", "01"),  # two SIRETs have this name here: which one? left apart
            _post("CENTRE SOCIAL", "02", "adultes-relais", "11111111111111"),
            _post("CENTRE SOCIAL", "02"),  # says what it is, not which one: left apart
        ]
    )
    assert "name:01:cidff" in {o.key for o in orgs} and "name:02:centre social" in {o.key for o in orgs}
    assert report.left_apart_ambiguous == 1 and report.left_apart_generic == 1 and report.left_apart == 2


def test_readable_name_expands_only_unambiguous_abbreviations():
    assert readable_name("ASSOC AGABE CENTRE SOCIAL J PREVERT") == "ASSOCIATION AGABE CENTRE SOCIAL J PREVERT"
    assert readable_name("ASS.POUR ANIM. SOCIO EDUCATIVE") == "ASSOCIATION POUR ANIM. SOCIO EDUCATIVE"
    assert readable_name("ASS ANIMAT GEST CTRE SOCIAL LINO VENTURA") == "ASS ANIMAT GEST CENTRE SOCIAL LINO VENTURA"
    assert readable_name("Assoc Tremplin") == "Association Tremplin"  # the case of the name is kept
    for unchanged in ("ASSOCIATIONS UNIES", "CLASS'CROUTE", "ASS VALDOCCO", "PASS.SPORT"):
        assert readable_name(unchanged) == unchanged
    assert name_key("Ass. du Centre-Social  de Marmiers") == name_key("ASSOCIATION DU CENTRE SOCIAL DE MARMIERS")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("CCAS DE VILLEURBANNE", "ccas"),
        ("CENTRE COMMUNAL D'ACTION SOCIALE DE NICE", "ccas"),
        ("COMMUNE DE FLEURY LES AUBRAIS", "commune"),
        ("MAIRIE DE GIVORS", "commune"),
        ("COMMUNAUTE D'AGGLOMERATION DU GRAND DOLE", "intercommunalite"),
        ("CTRE SOCIAL ET CULTUREL NELSON MANDELA", "centre-social"),
        ("ASSOC AU FIL DE L EAU", "association"),
        ("BOURG HABITAT", "bailleur"),
        ("MONTPELLIER MEDITERRANEE METROPOLE TAEKWONDO", "autre"),
        ("LE CAMION", "autre"),
    ],
)
def test_type_is_deduced_from_the_name(name, kind):
    assert deduce_type(name_key(name)) == kind


def _data_copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(CI_VILLE, data / "ci-ville")
    return data


def _edit(path: Path, change) -> None:
    records = json.loads(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "change", "message"),
    [
        (
            "postes-fonjep-2021.json",
            lambda r: r[4].update(code_cv=None) or r[4].update({"code_contrat": r[4].pop("code_cv")}),
            "resources/data/ci-ville/postes-fonjep-2021.json, enregistrement 5 (id_poste {id}) : champ inconnu « code_contrat »",
        ),
        (
            "adulte-relais-2024.json",
            lambda r: r[9].pop("raison_sociale"),
            "resources/data/ci-ville/adulte-relais-2024.json, enregistrement 10 (id_poste {id}) : champ « raison_sociale » absent ou vide",
        ),
        (
            "adulte-relais-2022.json",
            lambda r: r[2].update(montant="21 254"),
            "resources/data/ci-ville/adulte-relais-2022.json, enregistrement 3 (id_poste {id}) : champ « montant » : nombre positif attendu",
        ),
        (
            "adulte-relais-2023.json",
            lambda r: r[0].update(code_tiers="775544026"),
            "resources/data/ci-ville/adulte-relais-2023.json, enregistrement 1 (id_poste {id}) : champ « code_tiers » : SIRET à 14 chiffres",
        ),
        (
            "postes-fonjep-2025.json",
            lambda r: r[0].update(code_cv="CN001"),
            "resources/data/ci-ville/postes-fonjep-2025.json, enregistrement 1 (id_poste {id}) : champ « code_cv »",
        ),
    ],
)
def test_a_broken_field_is_named_with_its_file_and_record(tmp_path, file, change, message):
    data = _data_copy(tmp_path)
    _edit(data / "ci-ville" / file, change)
    index = int(message.split("enregistrement ")[1].split(" ")[0]) - 1
    post_id = json.loads((data / "ci-ville" / file).read_text(encoding="utf-8"))[index]["id_poste"]
    with pytest.raises(PostsDataError) as caught:
        read_posts(data)
    assert str(caught.value).startswith(message.format(id=post_id))


def test_records_without_contrat_or_departement_are_kept(tmp_path):
    posts = read_posts(_data_copy(tmp_path))
    assert len(posts) == sum(len(json.loads(p.read_text(encoding="utf-8"))) for p in CI_VILLE.glob("*.json"))
    assert any(not p.cv_codes for p in posts) and any(not p.dep for p in posts)
    assert any(len(p.cv_codes) == 2 for p in posts)  # « CV380CV384 »: one post, two contrats


def test_build_data_refuses_a_renamed_field_in_french_and_keeps_the_catalogue(tmp_path, capsys):
    resources = territory_resources(tmp_path)
    _edit(
        resources / "data" / "ci-ville" / "adulte-relais-2020.json",
        lambda r: [x.update({"siret": x.pop("code_tiers")}) for x in r],
    )
    target = tmp_path / "data.sqlite"
    target.write_bytes(b"previous")
    assert main(["build-data", "--resources", str(resources), "--output", str(target)]) == 1
    err = capsys.readouterr().err
    assert (
        "resources/data/ci-ville/adulte-relais-2020.json, enregistrement 1 (id_poste 00112R000102) : champ inconnu « siret »"
        in err
    )
    assert "Traceback" not in err and target.read_bytes() == b"previous"


def test_amounts_are_summed_in_cents_without_float_noise(tmp_path):
    totals: dict[tuple[str, int], int] = defaultdict(int)
    for p in read_posts(_data_copy(tmp_path)):
        totals[(p.programme, p.year)] += p.amount_cents
    assert totals[("adultes-relais", 2025)] == 4753 * 716400  # every 2025 amount is the FONJEP unit


def test_run_time_organisation_code_never_imports_build_code_or_yaml():
    import ast

    package = REPO / "qpvdesk"
    run_time = [
        *package.joinpath("organisations").glob("*.py"),
        package / "partner_table.py",
        *package.joinpath("ui").glob("partner_*.py"),
        package / "userdata" / "links.py",
    ]
    for path in run_time:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not [n for n in names if n.startswith(("qpvdesk.build", "yaml"))], path
