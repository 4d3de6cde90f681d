"""A validating reader for one open-data file (CSV with a header, or GeoJSON), generic over the datasets.

Each error names the file, the CSV line or the GeoJSON object (« objet n° N ») and the field; once a file has been
read through, any error refuses it with `BuildError`, and the build writes nothing. The dataset readers
(readers.py) say which fields they want and in which format.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from qpvdesk.build.content.records import ContentError, Where
from qpvdesk.errors import BuildError
from qpvdesk.french import plural
from qpvdesk.territories.codes import (
    CONTRAT_2015_CODE,
    CONTRAT_2024_CODE,
    DEP_CODE,
    INSEE_CODE,
    QPV_2015_CODE,
    QPV_2024_CODE,
    SIREN,
)
from qpvdesk.territories.geo import geojson_rings

# code format -> (pattern, what the message says is expected)
FORMATS: dict[str, tuple[re.Pattern, str]] = {
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
MAX_ERRORS = 20  # per file: a renamed property would otherwise give one error per object


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


class DataFile:
    """One data file being read: the name shown in messages and the errors found so far."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = f"{path.parent.parent.name}/{path.parent.name}/{path.name}"  # resources/data/…
        self.errors: list[ContentError] = []
        self.hidden = 0

    def error(self, where: DataWhere, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
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
        errors = list(self.errors)
        if self.hidden:
            hidden = plural(self.hidden, "autre erreur non affichée", "autres erreurs non affichées")
            more = f"et {hidden} dans ce fichier"
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

    def json_features(self) -> Iterator[Feature]:
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
            yield Feature(self, number, properties, geometry)

    def csv_rows(self, columns: tuple[str, ...]) -> Iterator[Row]:
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
                    f"{plural(len(values), 'valeur')} au lieu de {len(header)} "
                    "(ligne tronquée, séparateur ou guillemet mal placé ?)",
                )
                continue
            yield Row(self, start, dict(zip(header, values)))


class Record:
    """One object or row being read: typed access to its fields, errors that name them."""

    unit = "ligne"

    def __init__(self, source: DataFile, number: int) -> None:
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
        pattern, message = FORMATS[kind]
        if key not in self.bad_fields and not pattern.match(value):  # a missing or empty field is already reported
            self.error(key, message.format(value))
        return value


class Feature(Record):
    unit = "objet"

    def __init__(self, source: DataFile, number: int, properties: dict, geometry: dict | None) -> None:
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
        g = self.geometry
        if not g:
            return []
        coords: Any = g.get("coordinates")
        depth = {"Polygon": 3, "MultiPolygon": 4}.get(str(g.get("type")))
        if depth is not None and not _nested_positions(coords, depth, minimum=2):
            self.error("geometry", f"coordonnées du {g.get('type')} mal formées")
            return []
        return geojson_rings(g)

    def points(self) -> list[tuple]:
        """Positions of a Point/MultiPoint ([] without geometry or for another type)."""
        g = self.geometry
        if not g or g.get("type") not in ("Point", "MultiPoint"):
            return []
        coords: Any = g.get("coordinates")
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


class Row(Record):
    def __init__(self, source: DataFile, number: int, values: dict[str, str]) -> None:
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


def _float(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None
