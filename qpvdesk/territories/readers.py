"""Read the open-data files of resources/data into plain records (no database here).

Every quirk listed in resources/data/SOURCES.md is handled where the file is read:
comma-joined multi-commune QPV, " ; "-joined sites, dropped leading zeros, legacy
contract codes, a record without geometry.

A damaged file (truncated, a renamed column or property, a malformed code) is refused
with `BuildError`, like a broken content file: each error names the file, the CSV line or
the GeoJSON object (« objet n° N ») and the field, and the build writes nothing.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from qpvdesk.content.records import ContentError, Where
from qpvdesk.territories import datasets as ds

QPV_2024_CODE = re.compile(r"^QN(\d{2}[0-9AB])(\d{2})([MINC])$")
QPV_2015_CODE = re.compile(r"^QP(\d{2}[0-9AB])(\d{3})$")
INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
DEP_CODE = re.compile(r"^(\d{2,3}|2[AB])$")
SIREN = re.compile(r"^\d{9}$")
CONTRAT_2024_CODE = re.compile(r"^CN\d{2}[0-9AB]\d{2}[MINC]$")
CONTRAT_2015_CODE = re.compile(r"^CV\d+$")
_LISTE_GEO = re.compile(r"\s*([^;]+?)\s*\((\w{5})\)")

# code format -> (pattern, what the message says is expected)
_FORMATS: dict[str, tuple[re.Pattern, str]] = {
    "qpv2024": (QPV_2024_CODE, "code QPV invalide « {} » "
                "(attendu QN + 5 chiffres/lettres + M/I/N/C, ex. QN07303M ; 2A/2B pour la Corse)"),
    "qpv2015": (QPV_2015_CODE, "code QPV 2015 invalide « {} » "
                "(attendu QP + 6 chiffres/lettres, ex. QP031007 ; 2A/2B pour la Corse)"),
    "insee": (INSEE_CODE, "code INSEE de commune invalide « {} » (attendu 5 chiffres, ex. 01053 ; 2A/2B pour la Corse)"),
    "dep": (DEP_CODE, "code de département invalide « {} » (attendu 2 ou 3 chiffres, ou 2A/2B)"),
    "siren": (SIREN, "numéro SIREN d'EPCI invalide « {} » (attendu 9 chiffres)"),
    "contrat2024": (CONTRAT_2024_CODE, "code de contrat de ville invalide « {} » "
                    "(attendu CN + 5 chiffres/lettres + M/I/N/C, ex. CN07303M)"),
    "contrat2015": (CONTRAT_2015_CODE, "code de contrat de ville invalide « {} » (attendu CV + chiffres, ex. CV123)"),
    "codgeo": (re.compile(f"{INSEE_CODE.pattern}|{SIREN.pattern}"), "code géographique invalide « {} » "
               "(attendu un code INSEE de commune à 5 chiffres ou un SIREN d'EPCI à 9 chiffres)"),
}
CORRESPONDENCE_STATUTS = ("MODIFIE", "INCHANGE", "NOUVEAU", "COMMUNE")
_MAX_ERRORS = 20  # per file: a renamed property would otherwise give one error per object


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


@dataclass(frozen=True)
class DataWhere(Where):
    """A place in an open-data file: a CSV line, or the n-th object of a GeoJSON file
    (`line` 0: the file as a whole)."""

    unit: str = "ligne"  # or "objet"

    def __str__(self) -> str:
        text = self.file
        if self.line:
            text += f", objet n° {self.line}" if self.unit == "objet" else f", ligne {self.line}"
        if self.field:
            text += f", champ « {self.field} »"
        return text


class _DataFile:
    """One data file being read: the name shown in messages and the errors found so far."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = f"{path.parent.parent.name}/{path.parent.name}/{path.name}"  # resources/data/…
        self.errors: list[ContentError] = []
        self.hidden = 0

    def error(self, where: DataWhere, message: str) -> None:
        if len(self.errors) < _MAX_ERRORS:
            self.errors.append(ContentError(where, message))
        else:
            self.hidden += 1

    def fail(self, where: DataWhere, message: str) -> NoReturn:
        self.error(where, message)
        self.raise_errors()
        raise AssertionError("unreachable")  # pragma: no cover

    def raise_errors(self) -> None:
        """Refuse the file if anything was wrong in it (called once it has been read through)."""
        if not self.errors:
            return
        from qpvdesk.content.build import BuildError  # content.build imports the territories: import late

        errors = list(self.errors)
        if self.hidden:
            more = f"et {self.hidden} autre(s) erreur(s) dans ce fichier, non affichée(s)"
            errors.append(ContentError(DataWhere(self.name, 0), more))
        raise BuildError(errors)

    def whole(self) -> DataWhere:
        return DataWhere(self.name, 0)

    def _bytes(self) -> bytes:
        try:
            return self.path.read_bytes()
        except OSError as exc:
            self.fail(self.whole(), f"fichier illisible ({exc.strerror or exc})")

    def _decode(self, raw: bytes, encoding: str) -> str:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.fail(DataWhere(self.name, line), f"fichier illisible : texte UTF-8 attendu (octet n° {exc.start + 1} invalide)")

    def json_features(self) -> Iterator[_Feature]:
        """The objects of a GeoJSON FeatureCollection, numbered from 1."""
        text = self._decode(self._bytes(), "utf-8")
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            truncated = "" if text.rstrip().endswith(("}", "]")) else " : fin de fichier inattendue, fichier tronqué ?"
            self.fail(self.whole(), f"fichier JSON illisible (ligne {exc.lineno}, colonne {exc.colno}){truncated}")
        features = doc.get("features") if isinstance(doc, dict) else None
        if not isinstance(features, list):
            self.fail(self.whole(), "collection GeoJSON attendue (liste « features » absente)")
        for number, feature in enumerate(features, start=1):
            properties = feature.get("properties") if isinstance(feature, dict) else None
            if not isinstance(properties, dict):
                self.error(DataWhere(self.name, number, "properties", "objet"), "objet GeoJSON sans propriétés")
                continue
            geometry = feature.get("geometry")
            if geometry is not None and not isinstance(geometry, dict):
                self.error(DataWhere(self.name, number, "geometry", "objet"), "géométrie GeoJSON mal formée")
                continue
            yield _Feature(self, number, properties, geometry)

    def csv_rows(self, columns: tuple[str, ...]) -> Iterator[_Row]:
        """The rows of a CSV file with a header line; every column in `columns` must be there."""
        text = self._decode(self._bytes(), "utf-8-sig")
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(reader, None)
        except csv.Error:
            self.fail(DataWhere(self.name, 1), "fichier CSV illisible (en-tête)")
        if not header:
            self.fail(DataWhere(self.name, 1), "fichier CSV vide (ligne d'en-tête attendue)")
        for column in columns:
            if column not in header:
                close = difflib.get_close_matches(column, [h for h in header if h not in columns], n=1, cutoff=0.5)
                hint = f" (« {close[0]} » à la place ?)" if close else ""
                self.error(DataWhere(self.name, 1), f"colonne « {column} » absente de l'en-tête{hint}")
        self.raise_errors()
        end = reader.line_num
        while True:
            start = end + 1
            try:
                values = next(reader, None)
            except csv.Error:
                self.fail(DataWhere(self.name, start), "fichier CSV illisible à partir de cette ligne (guillemet ou caractère "
                                                       "invalide)")
            if values is None:
                return
            end = reader.line_num
            if not values:  # a blank line
                continue
            if len(values) != len(header):
                missing = header[len(values)] if len(values) < len(header) else ""
                self.error(
                    DataWhere(self.name, start, missing),
                    f"{len(values)} valeur(s) au lieu de {len(header)} (ligne tronquée, séparateur ou guillemet mal placé ?)",
                )
                continue
            yield _Row(self, start, dict(zip(header, values)))


class _Record:
    """One object or row being read: typed access to its fields, errors that name them."""

    unit = "ligne"

    def __init__(self, source: _DataFile, number: int) -> None:
        self.source = source
        self.number = number
        self.bad_fields: set[str] = set()

    @property
    def ok(self) -> bool:
        return not self.bad_fields

    def error(self, field: str, message: str) -> None:
        self.bad_fields.add(field)
        self.source.error(DataWhere(self.source.name, self.number, field, self.unit), message)

    def raw(self, key: str, required: bool) -> str | None:
        raise NotImplementedError

    def text(self, key: str) -> str:
        """A required, non-empty text field ("" after an error, which is recorded)."""
        value = self.raw(key, required=True)
        if value is not None and not value.strip():
            self.error(key, "valeur vide")
        return value or ""

    def optional(self, key: str) -> str | None:
        return self.raw(key, required=False)

    def code(self, key: str, value: str, kind: str) -> str:
        """`value` (read from `key`) checked against a code format; returned stripped."""
        value = value.strip()
        pattern, message = _FORMATS[kind]
        if key not in self.bad_fields and not pattern.match(value):  # a missing or empty field is already reported
            self.error(key, message.format(value))
        return value


class _Feature(_Record):
    unit = "objet"

    def __init__(self, source: _DataFile, number: int, properties: dict, geometry: dict | None) -> None:
        super().__init__(source, number)
        self.properties = properties
        self.geometry = geometry

    def raw(self, key: str, required: bool) -> str | None:
        if key not in self.properties:
            if required:
                self.error(key, "propriété absente")
            return None
        value = self.properties[key]
        if value is None:
            if required:
                self.error(key, "valeur vide")
            return None
        if not isinstance(value, str):
            self.error(key, f"texte attendu, trouvé « {value} »")
            return None
        return value

    def rings(self) -> list:
        """Rings of a Polygon/MultiPolygon ([] without geometry or for another type)."""
        from qpvdesk.territories.geo import geojson_rings

        g = self.geometry
        if not g:
            return []
        coords = g.get("coordinates")
        depth = {"Polygon": 3, "MultiPolygon": 4}.get(g.get("type"))
        if depth is not None and not _nested_positions(coords, depth, minimum=2):
            self.error("geometry", f"coordonnées du {g.get('type')} mal formées")
            return []
        return geojson_rings(g)

    def points(self) -> list[tuple]:
        """Positions of a Point/MultiPoint ([] without geometry or for another type)."""
        g = self.geometry
        if not g or g.get("type") not in ("Point", "MultiPoint"):
            return []
        coords = g.get("coordinates")
        if not _nested_positions(coords, 1 if g["type"] == "Point" else 2, minimum=2, maximum=2):
            self.error("geometry", f"coordonnées du {g['type']} mal formées (longitude, latitude attendues)")
            return []
        return [tuple(coords)] if g["type"] == "Point" else [tuple(c) for c in coords]


def _nested_positions(value, depth: int, minimum: int, maximum: int | None = None) -> bool:
    """`value` is a list nested `depth` deep whose innermost lists are positions of numbers."""
    if not isinstance(value, list):
        return False
    if depth == 1:
        return minimum <= len(value) <= (maximum or len(value)) and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value
        )
    return all(_nested_positions(v, depth - 1, minimum, maximum) for v in value)


class _Row(_Record):
    def __init__(self, source: _DataFile, number: int, values: dict[str, str]) -> None:
        super().__init__(source, number)
        self.values = values

    def raw(self, key: str, required: bool) -> str | None:
        return self.values[key]  # the header was checked: every column is there

    def number_or_none(self, key: str) -> float | None:
        value = self.values[key].strip()
        if not value:
            return None
        number = _float(value)
        if number is None:
            self.error(key, f"nombre attendu, trouvé « {value} »")
        return number


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


def _float(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


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
