"""Read the open-data files of resources/data into plain records (no database here).

Every quirk listed in resources/data/SOURCES.md is handled where the file is read:
comma-joined multi-commune QPV, " ; "-joined sites, dropped leading zeros, legacy
contract codes, a record without geometry.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from qpvdesk.territories import datasets as ds

QPV_2024_CODE = re.compile(r"^QN(\d{2}[0-9AB])(\d{2})([MINC])$")
QPV_2015_CODE = re.compile(r"^QP(\d{2}[0-9AB])(\d{3})$")
_LISTE_GEO = re.compile(r"\s*([^;]+?)\s*\((\w{5})\)")


@dataclass
class QpvRecord:
    code: str
    name: str
    dep: str
    dep_name: str
    region: str | None
    region_name: str
    communes: list[tuple[str, str]]  # (INSEE, name)
    epcis: list[str]  # SIREN, or [] ("NA" in the file)
    rings: list  # GeoJSON rings, [lon, lat]


@dataclass
class CorrespondenceRecord:
    code: str
    label: str
    statut: str  # MODIFIE / INCHANGE / NOUVEAU / COMMUNE
    predecessors: list[tuple[str, str]]  # (2015 code, 2015 label)


@dataclass
class Qpv2015Record:
    code: str
    name: str
    communes: list[tuple[str, str]]  # (INSEE, name or "")


@dataclass
class SiteRecord:
    """A Cité éducative, a Cité de l'emploi or a contrat de ville."""

    code: str
    name: str
    communes: list[tuple[str, str]] = field(default_factory=list)  # (INSEE, name) — may be empty
    codgeo: list[str] = field(default_factory=list)  # contrats: EPCI SIREN or INSEE commune code
    dep: str = ""
    points: list[tuple[float, float]] = field(default_factory=list)  # lon, lat (real or inset layout)


@dataclass
class FranceServicesRecord:
    id: str
    name: str
    address: str
    postcode: str
    insee: str
    commune: str
    lon: float | None
    lat: float | None
    phone: str
    mail: str
    type: str
    format: str
    labellisation: str


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def insee5(code: str) -> str:
    """'1004' -> '01004' (leading zeros dropped in one file); '2A004' unchanged."""
    code = code.strip()
    return code.zfill(5) if code.isdigit() else code


_ARRONDISSEMENTS = {"751": ("75056", "Paris", 75101, 75120), "693": ("69123", "Lyon", 69381, 69389), "132": ("13055", "Marseille", 13201, 13216)}


def municipal(insee: str, name: str) -> tuple[str, str]:
    """Paris, Lyon and Marseille arrondissements -> their commune (as in the QPV files)."""
    entry = _ARRONDISSEMENTS.get(insee[:3])
    if entry and insee.isdigit() and entry[2] <= int(insee) <= entry[3]:
        return entry[0], entry[1]
    return insee, name


def dep_of_commune(insee: str) -> str:
    return insee[:3] if insee.startswith(("97", "98")) else insee[:2]


def read_qpv_2024(data: Path) -> list[QpvRecord]:
    from qpvdesk.territories.geo import geojson_rings

    out = []
    for feature in _json(data / ds.QPV_2024.file)["features"]:
        p = feature["properties"]
        codes = [c.strip() for c in p["insee_com"].split(",")]
        names = [n.strip() for n in p["lib_com"].split(",")]
        if len(codes) != len(names):
            raise ValueError(f"{p['code_qp']} : communes et noms de communes en nombre différent")
        epcis = [s.strip() for s in (p.get("siren_epci") or "").split(",") if s.strip() and s.strip() != "NA"]
        out.append(
            QpvRecord(
                code=p["code_qp"], name=p["lib_qp"].strip(), dep=p["insee_dep"], dep_name=p["lib_dep"],
                region=p.get("insee_reg"), region_name=p.get("lib_reg") or "",
                communes=list(zip(codes, names)), epcis=epcis, rings=geojson_rings(feature.get("geometry")),
            )
        )
    return out


def read_correspondence(data: Path) -> dict[str, CorrespondenceRecord]:
    out = {}
    for row in _csv(data / ds.CORRESPONDENCE.file):
        preds = [(row[f"qp2015_{i}"].strip(), row[f"label_qp2015_{i}"].strip()) for i in (1, 2, 3) if row[f"qp2015_{i}"].strip()]
        out[row["qp2024"]] = CorrespondenceRecord(row["qp2024"], row["label_qp2024"].strip(), row["statut"].strip(), preds)
    return out


def read_qpv_2015(data: Path) -> list[Qpv2015Record]:
    """The 1,514-row list; communes completed from INSEE's table for the quartiers that left."""
    first_commune = {r["code"]: insee5(r["insee_com"]) for r in _csv(data / ds.QPV_2015_COMMUNES.file) if r["insee_com"].strip()}
    out = []
    for row in _csv(data / ds.QPV_2015.file):
        codes = [insee5(c) for c in row["insee_com"].split(";") if c.strip()]
        names = [n.strip() for n in row["lib_com"].split(";")] if row["lib_com"].strip() else []
        communes = list(zip(codes, names + [""] * (len(codes) - len(names))))
        if not communes and row["code"] in first_commune:
            communes = [(first_commune[row["code"]], "")]
        out.append(Qpv2015Record(row["code"], row["nom_qp"].strip(), communes))
    return out


def _grouped_sites(path: Path) -> list[SiteRecord]:
    """Cités (éducatives or de l'emploi): a feature is a group of communes, and each id listed
    on it covers all of them; an id may appear on several features."""
    sites: dict[str, SiteRecord] = {}
    for feature in _json(path)["features"]:
        p = feature["properties"]
        ids = [s.strip() for s in p["id_territoire"].split(";")]
        names = [s.strip() for s in p["lib_territoire"].split(" ; ")]
        if len(names) != len(ids):
            names = [p["lib_territoire"].strip()] * len(ids)
        communes = [(code, name.strip()) for name, code in _LISTE_GEO.findall(p["liste_geo"])]
        geometry = feature.get("geometry") or {}
        coords = geometry.get("coordinates") or []
        points = [tuple(coords)] if geometry.get("type") == "Point" else [tuple(c) for c in coords]
        for site_id, name in zip(ids, names):
            site = sites.setdefault(site_id, SiteRecord(site_id, name))
            for commune in communes:
                if commune not in site.communes:
                    site.communes.append(commune)
            for point in points:
                if point not in site.points:
                    site.points.append(point)
    return [sites[k] for k in sorted(sites)]


def read_cites_educatives(data: Path) -> list[SiteRecord]:
    return _grouped_sites(data / ds.CITES_EDUCATIVES.file)


def read_cites_emploi(data: Path) -> list[SiteRecord]:
    return _grouped_sites(data / ds.CITES_EMPLOI.file)


def read_contrats(data: Path, generation: int) -> list[SiteRecord]:
    """Contrats de ville; a code may appear twice (two territories): they are merged.

    The 2024 file also carries legacy CV… rows of the previous generation: only CN… codes
    are taken from it."""
    info = ds.CONTRATS_2024 if generation == 2024 else ds.CONTRATS_2015
    prefix = "CN" if generation == 2024 else "CV"
    out: dict[str, SiteRecord] = {}
    for feature in _json(data / info.file)["features"]:
        p = feature["properties"]
        code = p["code_cv"].strip()
        if not code.startswith(prefix):
            continue
        name = re.sub(r"^\s*\w{2,3}\s+-\s+", "", p["lib_cv"]).strip()
        dep = p.get("insee_dep") or (_dep_of_contract_code(code) if prefix == "CN" else "")  # a few rows have none
        site = out.setdefault(code, SiteRecord(code, name, dep=dep))
        if name not in site.name.split(" ; ") and name != "NA":
            site.name = f"{site.name} ; {name}" if site.name != "NA" else name
        codgeo = p["codgeo"].strip()
        if codgeo not in site.codgeo:
            site.codgeo.append(codgeo)
        geometry = feature.get("geometry")
        if geometry and geometry.get("type") == "Point":
            site.points.append(tuple(geometry["coordinates"]))
    return [out[k] for k in sorted(out)]


def _dep_of_contract_code(code: str) -> str:
    """CN07303M -> '73', CN02A01I -> '2A', CN97101I -> '971'."""
    digits = code[2:5]
    return digits[1:] if digits.startswith("0") else digits


def _float(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def read_france_services(data: Path) -> list[FranceServicesRecord]:
    out = []
    for r in _csv(data / ds.FRANCE_SERVICES.file):
        address = " ".join(filter(None, (r["adresse"].strip(), r["complement_adresse"].strip())))
        out.append(
            FranceServicesRecord(
                id=r["id_fs"].strip(), name=" ".join(r["lib_fs"].split()), address=" ".join(address.split()),
                postcode=r["code_postal"].strip(), insee=insee5(r["insee_com"]), commune=r["lib_com"].strip(),
                lon=_float(r["longitude"]), lat=_float(r["latitude"]), phone=r["telephone"].strip(),
                mail=r["mail"].strip(), type=r["type_fs"].strip(), format=r["format_fs"].strip().replace("_", " "),
                labellisation=r["labellisation_fs"].strip(),
            )
        )
    return out


@dataclass
class Outline:
    code: str
    name: str
    region: str | None
    rings: list


def read_departements_insets(data: Path) -> list[Outline]:
    """ANCT outlines (overseas in the inset layout); 978 comes in several features."""
    from qpvdesk.territories.geo import geojson_rings

    merged: dict[str, Outline] = {}
    for feature in _json(data / ds.DEPARTEMENTS_INSETS.file)["features"]:
        p = feature["properties"]
        outline = merged.setdefault(p["insee_dep"], Outline(p["insee_dep"], p["lib_dep"], p.get("insee_reg"), []))
        outline.rings.extend(geojson_rings(feature.get("geometry")))
    return list(merged.values())


def read_outlines(data: Path, info: ds.DatasetInfo) -> list[Outline]:
    from qpvdesk.territories.geo import geojson_rings

    return [
        Outline(f["properties"]["code"], f["properties"]["nom"], None, geojson_rings(f.get("geometry")))
        for f in _json(data / info.file)["features"]
    ]
