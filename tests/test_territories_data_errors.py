"""A damaged open-data file under resources/data is refused like a broken content file.

`qpvdesk build-data` names the file, the line (CSV) or the object (GeoJSON) and the field,
in French, without a Python traceback, and leaves the catalogue as it was. Each test damages
one file of a copy of the real data (with the small test content: see test_territories_support).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from test_territories_support import territory_resources

from qpvdesk.cli import main

QPV_2024 = "qpv2024_simplified.geojson"
CORRESPONDENCE = "qpv_correspondance_2024_2015_v0.csv"
QPV_2015 = "qpv_info_nom_commune_1514.csv"
QPV_2015_COMMUNES = "qpv_info_nom_commune.csv"
FRANCE_SERVICES = "liste-fs-20240801.csv"
CITES_EDUCATIVES = "citeduc_geom.geojson"
PREVIOUS = b"previous catalogue, must survive a refused build"


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def _object_of(path: Path, key: str, value: str) -> int:
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return next(n for n, f in enumerate(features, 1) if f["properties"].get(key) == value)


def _truncate(path: Path) -> str:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return f"{path.parent.parent.name}/data/{path.name} : fichier JSON illisible (ligne 1, colonne "


def _rename_property(path: Path) -> str:
    _replace(path, '"code_qp":', '"code_quartier":', count=-1)
    return "resources/data/qpv2024_simplified.geojson, objet n° 1, champ « code_qp » : propriété absente"


def _bad_2024_code(path: Path) -> str:
    number = _object_of(path, "code_qp", "QN03107M")
    _replace(path, '"QN03107M"', '"QX0310"')
    return (f"resources/data/qpv2024_simplified.geojson, objet n° {number}, champ « code_qp » : "
            "code QPV invalide « QX0310 » (attendu QN + 5 chiffres/lettres + M/I/N/C")


def _bad_2015_predecessor(path: Path) -> str:
    line = _line_of(path, "QN03107M,")
    _replace(path, "MODIFIE,QP031007,", "MODIFIE,QP03X007,")
    return (f"resources/data/qpv_correspondance_2024_2015_v0.csv, ligne {line}, champ « qp2015_1 » : "
            "code QPV 2015 invalide « QP03X007 »")


def _bad_correspondence_code(path: Path) -> str:
    line = _line_of(path, "QN03107M,")
    _replace(path, "QN03107M,", "QX0310,")
    return (f"resources/data/qpv_correspondance_2024_2015_v0.csv, ligne {line}, champ « qp2024 » : "
            "code QPV invalide « QX0310 »")


def _renamed_column(path: Path) -> str:
    _replace(path, '"latitude"', '"lat"')
    return ("resources/data/liste-fs-20240801.csv, ligne 1 : "
            "colonne « latitude » absente de l'en-tête (« lat » à la place ?)")


def _bad_insee_code(path: Path) -> str:
    line = _line_of(path, "QP001005,")
    _replace(path, "QP001005,Les Courbes De L'Albarine,1004,", "QP001005,Les Courbes De L'Albarine,1OO4,")
    return (f"resources/data/qpv_info_nom_commune_1514.csv, ligne {line}, champ « insee_com » : "
            "code INSEE de commune invalide « 1OO4 »")


def _truncated_csv(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:100]) + lines[100][:8], encoding="utf-8")  # line 101 cut after its code
    return "resources/data/qpv_info_nom_commune.csv, ligne 101, champ « nom_qp » : 1 valeur au lieu de 3"


def _unreadable_commune_list(path: Path) -> str:
    number = _object_of(path, "liste_geo", "Allonnes (72003)")
    _replace(path, '"Allonnes (72003)"', '"Allonnes 72003"')
    return f"resources/data/citeduc_geom.geojson, objet n° {number}, champ « liste_geo » : aucune commune lisible"


def _point_geometry(path: Path) -> str:
    import json

    data = json.loads(path.read_text(encoding="utf-8"))
    number = next(n for n, f in enumerate(data["features"], 1) if f["properties"].get("code_qp") == "QN03107M")
    data["features"][number - 1]["geometry"] = {"type": "Point", "coordinates": [1.4, 43.6]}
    path.write_text(json.dumps(data), encoding="utf-8")
    return (f"resources/data/qpv2024_simplified.geojson, objet n° {number}, champ « geometry » : "
            "périmètre absent ou non surfacique")


def _missing_file(path: Path) -> str:
    path.unlink()
    return f"resources/data : fichiers de données manquants dans {path.parent} : {path.name}"


CASES: dict[str, tuple[str, Callable[[Path], str]]] = {
    "truncated-geojson": (QPV_2024, _truncate),
    "renamed-property": (QPV_2024, _rename_property),
    "malformed-2024-code": (QPV_2024, _bad_2024_code),
    "malformed-2015-predecessor": (CORRESPONDENCE, _bad_2015_predecessor),
    "malformed-code-in-correspondence": (CORRESPONDENCE, _bad_correspondence_code),
    "renamed-csv-column": (FRANCE_SERVICES, _renamed_column),
    "malformed-insee-code": (QPV_2015, _bad_insee_code),
    "truncated-csv": (QPV_2015_COMMUNES, _truncated_csv),
    "unreadable-commune-list": (CITES_EDUCATIVES, _unreadable_commune_list),
    "missing-data-file": (FRANCE_SERVICES, _missing_file),
    "point-instead-of-outline": (QPV_2024, _point_geometry),
}


def _build_data(capsys, resources: Path, target: Path) -> tuple[int, str]:
    code = main(["build-data", "--resources", str(resources), "--output", str(target)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize("case", list(CASES))
def test_damaged_data_file_is_refused_in_french_and_the_catalogue_kept(case, tmp_path, capsys):
    file, damage = CASES[case]
    resources = territory_resources(tmp_path)
    expected = damage(resources / "data" / file)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "data.sqlite"
    target.write_bytes(PREVIOUS)

    code, output = _build_data(capsys, resources, target)

    assert code == 1, output
    assert f"Erreur : {expected}" in output, output
    assert "le catalogue n'a pas été modifié" in output
    assert "Traceback" not in output and "Error:" not in output, output
    assert target.read_bytes() == PREVIOUS
    assert [p.name for p in out.iterdir()] == ["data.sqlite"]  # no temporary file left behind


def test_refused_data_file_creates_no_catalogue(tmp_path, capsys):
    resources = territory_resources(tmp_path)
    _truncate(resources / "data" / QPV_2024)
    out = tmp_path / "out"
    target = out / "data.sqlite"

    code, output = _build_data(capsys, resources, target)

    assert code == 1
    assert "fin de fichier inattendue, fichier tronqué ?" in output, output
    assert not target.exists()
    assert list(out.iterdir()) == []
