"""Read the open-data files of resources/data into plain records (no database here).

Every quirk listed in resources/data/SOURCES.md is handled where the file is read:
comma-joined multi-commune QPV, " ; "-joined sites, dropped leading zeros, legacy
contract codes, a record without geometry.

A damaged file (truncated, a renamed column or property, a malformed code) is refused
with `BuildError`, like a broken content file: each error names the file, the CSV line or
the GeoJSON object (« objet n° N ») and the field, and the build writes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# The generic reader keeps its old private names here: the dataset readers below read as before.
from qpvdesk.build.territories.datafile import DataFile as _DataFile
from qpvdesk.build.territories.datafile import DataWhere  # noqa: F401 (re-exported)
from qpvdesk.build.territories.datafile import Feature as _Feature  # noqa: F401
from qpvdesk.build.territories.datafile import Record as _Record
from qpvdesk.build.territories.datafile import Row as _Row  # noqa: F401
from qpvdesk.territories import datasets as ds
from qpvdesk.territories.codes import (  # noqa: F401 (the code formats and municipal, re-exported for the build)
    CONTRAT_2015_CODE,
    CONTRAT_2024_CODE,
    DEP_CODE,
    INSEE_CODE,
    QPV_2015_CODE,
    QPV_2024_CODE,
    SIREN,
    municipal,
)

_LISTE_GEO = re.compile(r"\s*([^;]+?)\s*\((\w{5})\)")

CORRESPONDENCE_STATUTS = ("MODIFIE", "INCHANGE", "NOUVEAU", "COMMUNE")


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


def insee5(code: str) -> str:
    """'1004' -> '01004' (leading zeros dropped in one file); '2A004' unchanged."""
    code = code.strip()
    return code.zfill(5) if code.isdigit() else code


def dep_of_commune(insee: str) -> str:
    return insee[:3] if insee.startswith(("97", "98")) else insee[:2]


def _first_seen(seen: dict[str, int], record: _Record, key: str, code: str, what: str) -> None:
    """A code that must be unique in its file: report the second occurrence."""
    if not code or key in record.bad_fields:
        return
    if code in seen:
        first = f"objet n° {seen[code]}" if record.unit == "objet" else f"ligne {seen[code]}"
        record.error(key, f"{what} « {code} » en double (déjà donné : {first})")
    else:
        seen[code] = record.number


def read_qpv_2024(data: Path) -> list[QpvRecord]:
    source = _DataFile(data / ds.QPV_2024.file)
    out = []
    seen: dict[str, int] = {}
    for f in source.json_features():
        code = f.code("code_qp", f.text("code_qp"), "qpv2024")
        _first_seen(seen, f, "code_qp", code, "code QPV")
        insee_com, lib_com = f.text("insee_com"), f.text("lib_com")
        codes = [f.code("insee_com", c, "insee") for c in insee_com.split(",")] if insee_com else []
        names = [n.strip() for n in lib_com.split(",")] if lib_com else []
        if f.ok and len(codes) != len(names):
            f.error("lib_com", f"{len(names)} nom(s) de commune pour {len(codes)} code(s) INSEE dans « insee_com »")
        sirens = (f.optional("siren_epci") or "").split(",")
        epcis = [f.code("siren_epci", s, "siren") for s in sirens if s.strip() and s.strip() != "NA"]
        record = QpvRecord(
            code=code, name=f.text("lib_qp").strip(), dep=f.code("insee_dep", f.text("insee_dep"), "dep"),
            dep_name=f.text("lib_dep"),
            region=f.optional("insee_reg"), region_name=f.optional("lib_reg") or "",
            communes=list(zip(codes, names)), epcis=epcis, rings=f.rings(),
        )
        if f.ok and not record.rings:  # the map and the « near » distances need the quartier's outline
            f.error("geometry", "périmètre absent ou non surfacique (Polygon ou MultiPolygon attendu)")
        if f.ok:
            out.append(record)
    source.raise_errors()
    return out


_CORRESPONDENCE_COLUMNS = ("qp2024", "label_qp2024", "statut", *(f"{c}qp2015_{i}" for i in (1, 2, 3) for c in ("", "label_")))


def read_correspondence(data: Path) -> dict[str, CorrespondenceRecord]:
    source = _DataFile(data / ds.CORRESPONDENCE.file)
    out = {}
    seen: dict[str, int] = {}
    for row in source.csv_rows(_CORRESPONDENCE_COLUMNS):
        code = row.code("qp2024", row.text("qp2024"), "qpv2024")
        _first_seen(seen, row, "qp2024", code, "code QPV")
        label, statut = row.text("label_qp2024").strip(), row.text("statut").strip()
        if statut and statut not in CORRESPONDENCE_STATUTS:
            expected = f"{', '.join(CORRESPONDENCE_STATUTS[:-1])} ou {CORRESPONDENCE_STATUTS[-1]}"
            row.error("statut", f"statut inconnu « {statut} » (attendu {expected})")
        preds = [
            (row.code(f"qp2015_{i}", row.values[f"qp2015_{i}"], "qpv2015"), row.values[f"label_qp2015_{i}"].strip())
            for i in (1, 2, 3) if row.values[f"qp2015_{i}"].strip()
        ]
        if row.ok:
            out[code] = CorrespondenceRecord(code, label, statut, preds)
    source.raise_errors()
    return out


def read_qpv_2015(data: Path) -> list[Qpv2015Record]:
    """The 1,514-row list; communes completed from INSEE's table for the quartiers that left."""
    source = _DataFile(data / ds.QPV_2015_COMMUNES.file)
    first_commune: dict[str, str] = {}
    seen: dict[str, int] = {}
    for row in source.csv_rows(("code", "insee_com")):
        code = row.code("code", row.text("code"), "qpv2015")
        _first_seen(seen, row, "code", code, "code QPV 2015")
        if row.values["insee_com"].strip():
            insee = row.code("insee_com", insee5(row.values["insee_com"]), "insee")
            if row.ok:
                first_commune[code] = insee
    source.raise_errors()

    source = _DataFile(data / ds.QPV_2015.file)
    out = []
    seen = {}
    for row in source.csv_rows(("code", "nom_qp", "insee_com", "lib_com")):
        code = row.code("code", row.text("code"), "qpv2015")
        _first_seen(seen, row, "code", code, "code QPV 2015")
        codes = [row.code("insee_com", insee5(c), "insee") for c in row.values["insee_com"].split(";") if c.strip()]
        lib_com = row.values["lib_com"]
        names = [n.strip() for n in lib_com.split(";")] if lib_com.strip() else []
        communes = list(zip(codes, names + [""] * (len(codes) - len(names))))
        if not communes and code in first_commune:
            communes = [(first_commune[code], "")]
        record = Qpv2015Record(code, row.text("nom_qp").strip(), communes)
        if row.ok:
            out.append(record)
    source.raise_errors()
    return out


def _grouped_sites(path: Path) -> list[SiteRecord]:
    """Cités (éducatives or de l'emploi): a feature is a group of communes, and each id listed
    on it covers all of them; an id may appear on several features."""
    source = _DataFile(path)
    sites: dict[str, SiteRecord] = {}
    for f in source.json_features():
        id_text, lib = f.text("id_territoire"), f.text("lib_territoire")
        ids = [s.strip() for s in id_text.split(";")] if id_text else []
        if id_text and not all(ids):
            f.error("id_territoire", f"identifiant vide dans « {id_text} »")
        names = [s.strip() for s in lib.split(" ; ")]
        if len(names) != len(ids):
            names = [lib.strip()] * len(ids)
        liste = f.text("liste_geo")
        communes = [(f.code("liste_geo", code, "insee"), name.strip()) for name, code in _LISTE_GEO.findall(liste)]
        if liste and not communes:
            f.error("liste_geo", f"aucune commune lisible dans « {liste} » (attendu « Nom (code INSEE) ; … »)")
        points = f.points()
        if not f.ok:
            continue
        for site_id, name in zip(ids, names):
            site = sites.setdefault(site_id, SiteRecord(site_id, name))
            for commune in communes:
                if commune not in site.communes:
                    site.communes.append(commune)
            for point in points:
                if point not in site.points:
                    site.points.append(point)
    source.raise_errors()
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
    source = _DataFile(data / info.file)
    out: dict[str, SiteRecord] = {}
    for f in source.json_features():
        code = f.text("code_cv").strip()
        if code and not code.startswith(("CN", "CV")):
            f.error("code_cv", f"code de contrat de ville invalide « {code} » "
                               "(attendu CN… pour la génération 2024, CV… pour 2015-2023)")
        elif code:
            f.code("code_cv", code, "contrat2024" if code.startswith("CN") else "contrat2015")
        if not code.startswith(prefix):
            continue
        name = re.sub(r"^\s*\w{2,3}\s+-\s+", "", f.text("lib_cv")).strip()
        dep = f.optional("insee_dep")
        if dep:
            f.code("insee_dep", dep, "dep")
        dep = dep or (_dep_of_contract_code(code) if prefix == "CN" else "")  # a few rows have none
        codgeo = f.code("codgeo", f.text("codgeo"), "codgeo")
        points = f.points() if f.geometry and f.geometry.get("type") == "Point" else []
        if not f.ok:
            continue
        site = out.setdefault(code, SiteRecord(code, name, dep=dep))
        if name not in site.name.split(" ; ") and name != "NA":
            site.name = f"{site.name} ; {name}" if site.name != "NA" else name
        if codgeo not in site.codgeo:
            site.codgeo.append(codgeo)
        site.points.extend(points)
    source.raise_errors()
    return [out[k] for k in sorted(out)]


def _dep_of_contract_code(code: str) -> str:
    """CN07303M -> '73', CN02A01I -> '2A', CN97101I -> '971'."""
    digits = code[2:5]
    return digits[1:] if digits.startswith("0") else digits


_FRANCE_SERVICES_COLUMNS = (
    "id_fs", "lib_fs", "adresse", "complement_adresse", "code_postal", "insee_com", "lib_com", "longitude", "latitude",
    "telephone", "mail", "type_fs", "format_fs", "labellisation_fs",
)


def read_france_services(data: Path) -> list[FranceServicesRecord]:
    source = _DataFile(data / ds.FRANCE_SERVICES.file)
    out = []
    seen: dict[str, int] = {}
    for row in source.csv_rows(_FRANCE_SERVICES_COLUMNS):
        r = row.values
        fs_id = row.text("id_fs").strip()
        _first_seen(seen, row, "id_fs", fs_id, "identifiant France services")
        address = " ".join(filter(None, (r["adresse"].strip(), r["complement_adresse"].strip())))
        record = FranceServicesRecord(
            id=fs_id, name=" ".join(row.text("lib_fs").split()), address=" ".join(address.split()),
            postcode=r["code_postal"].strip(), insee=row.code("insee_com", insee5(row.text("insee_com")), "insee"),
            commune=r["lib_com"].strip(), lon=row.number_or_none("longitude"), lat=row.number_or_none("latitude"),
            phone=r["telephone"].strip(), mail=r["mail"].strip(), type=r["type_fs"].strip(),
            format=r["format_fs"].strip().replace("_", " "), labellisation=r["labellisation_fs"].strip(),
        )
        if row.ok:
            out.append(record)
    source.raise_errors()
    return out


@dataclass
class Outline:
    code: str
    name: str
    region: str | None
    rings: list


def read_departements_insets(data: Path) -> list[Outline]:
    """ANCT outlines (overseas in the inset layout); 978 comes in several features."""
    source = _DataFile(data / ds.DEPARTEMENTS_INSETS.file)
    merged: dict[str, Outline] = {}
    for f in source.json_features():
        code = f.code("insee_dep", f.text("insee_dep"), "dep")
        name, region, rings = f.text("lib_dep"), f.optional("insee_reg"), f.rings()
        if f.ok:
            merged.setdefault(code, Outline(code, name, region, [])).rings.extend(rings)
    source.raise_errors()
    return list(merged.values())


def read_outlines(data: Path, info: ds.DatasetInfo) -> list[Outline]:
    source = _DataFile(data / info.file)
    out = []
    for f in source.json_features():
        outline = Outline(f.text("code"), f.text("nom"), None, f.rings())
        if f.ok:
            out.append(outline)
    source.raise_errors()
    return out
