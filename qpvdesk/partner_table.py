"""The rows of the partner browser, whatever their origin, and « Exporter la vue… » (no Qt here).

Three origins share one table: the national partners written in the catalogue, the structures the State funds
for adultes-relais and FONJEP posts (ANCT open data) and the user's own partners. Each becomes a `TableRow`
with readable labels, so the table, its filters and the export say the same thing.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from qpvdesk.dates import format_partial_date_fr
from qpvdesk.organisations.views import OrganisationRow
from qpvdesk.organisations.vocabulary import LICENCE, PROGRAMMES, TYPES
from qpvdesk.userdata.exchange import write_atomically
from qpvdesk.userdata.text import neutralise_formula
from qpvdesk.views import PartnerRow

CATALOGUE, STRUCTURE, LOCAL = "catalogue", "structure", "local"
ORIGIN_LABELS = {CATALOGUE: "Catalogue", STRUCTURE: "Structure financée", LOCAL: "Ajouté localement"}
STRUCTURE_SOURCE = f"ANCT — crédits de la politique de la ville (adultes-relais, FONJEP), {LICENCE}"
CATALOGUE_SOURCE = "Catalogue qpvdesk (fiche de référence de l'équipe, sources sur la fiche)"


@dataclass(frozen=True, slots=True)
class TableRow:
    id: str
    name: str
    acronym: str | None
    kind: str  # the origin's own type key
    kind_label: str  # French, shared across origins (« Association »): the type filter
    origin: str  # catalogue / structure / local
    programmes: tuple[tuple[str, str], ...] = ()  # (fiche id, name)
    roles: tuple[str, ...] = ()
    departements: tuple[str, ...] = ()  # codes
    regions: tuple[str, ...] = ()
    territory: str = ""  # readable: « Rhône (69) », a local partner's commune, « National »
    contrats: frozenset = frozenset()  # contrat de ville codes
    years: tuple[int, ...] = ()
    posts: int = 0  # posts of the last year with posts
    last_year: int = 0
    siret: str = ""
    updated: str = ""  # local partners: date of the last change (ISO)

    @property
    def type_text(self) -> str:
        return f"{self.kind_label} *" if self.origin == STRUCTURE else self.kind_label  # * : deduced from the name

    @property
    def posts_text(self) -> str:
        return f"{self.posts} en {self.last_year}" if self.last_year else ""

    @property
    def programmes_text(self) -> str:
        return ", ".join(name for _, name in self.programmes)


def partner_row(row: PartnerRow, origin: str = CATALOGUE, territory: str = "National", updated: str = "") -> TableRow:
    return TableRow(
        row.id,
        row.name,
        row.acronym,
        row.kind,
        row.kind_label,
        origin,
        row.programmes,
        row.roles,
        territory=territory,
        updated=updated,
    )


# short labels: a structure with both fits its column (« Adultes-relais, FONJEP »)
_PROGRAMME_LINKS = {key: (fiche_id, label.removeprefix("Postes ")) for key, (label, fiche_id) in PROGRAMMES.items()}


def structure_rows(rows: Iterable[OrganisationRow], departements: dict[str, str]) -> list[TableRow]:
    out = []
    for r in rows:
        territory = ", ".join(f"{departements.get(d, d)} ({d})" for d in r.departements) or "département non indiqué"
        out.append(
            TableRow(
                r.entity_id,
                r.name,
                None,
                r.type,
                TYPES[r.type],
                STRUCTURE,
                tuple(_PROGRAMME_LINKS[p] for p in r.programmes),
                (),
                r.departements,
                r.regions,
                territory,
                frozenset(r.contrats),
                r.years,
                r.posts_last,
                r.last_year,
                r.siret or "",
            )
        )
    return out


# --- « Exporter la vue… » --------------------------------------------------------------------

EXPORT_COLUMNS = {  # French header -> JSON key
    "Nom": "name",
    "Type": "type",
    "Type déduit du nom": "type_deduced",
    "Origine": "origin",
    "Programmes": "programmes",
    "Territoire": "territory",
    "Départements": "departements",
    "Contrats de ville": "contrats",
    "Années de financement": "years",
    "Postes (dernière année)": "posts_last_year",
    "Dernière année": "last_year",
    "SIRET": "siret",
    "Modifié le": "updated",
    "Identifiant": "id",
    "Source": "source",
}


def export_record(row: TableRow) -> dict:
    """A row as exported: readable labels, French dates, the source of what it says."""
    updated = ""
    if row.updated:
        try:
            updated = format_partial_date_fr(datetime.fromisoformat(row.updated).date().isoformat())
        except ValueError:
            updated = row.updated
    source = {STRUCTURE: STRUCTURE_SOURCE, CATALOGUE: CATALOGUE_SOURCE, LOCAL: "Saisi par vous"}[row.origin]
    return {
        "name": row.name + (f" ({row.acronym})" if row.acronym else ""),
        "type": row.kind_label,
        "type_deduced": "oui" if row.origin == STRUCTURE else "non",
        "origin": ORIGIN_LABELS[row.origin],
        "programmes": row.programmes_text,
        "territory": row.territory,
        "departements": ", ".join(row.departements),
        "contrats": ", ".join(sorted(row.contrats)),
        "years": ", ".join(map(str, row.years)),
        "posts_last_year": row.posts if row.last_year else "",
        "last_year": row.last_year or "",
        "siret": row.siret,
        "updated": updated,
        "id": row.id,
        "source": source,
    }


def _csv_chunks(rows: Iterable[TableRow]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    yield "\ufeff"  # BOM: Excel then reads UTF-8 accents correctly
    for cells in ([*EXPORT_COLUMNS], *([str(export_record(r)[k]) for k in EXPORT_COLUMNS.values()] for r in rows)):
        writer.writerow([neutralise_formula(c) for c in cells])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def export_view(path: Path, rows: list[TableRow], file_format: str, filters: str = "") -> int:
    """Write the rows shown, in their order, to CSV (Excel: BOM, « ; ») or JSON; returns how many."""
    path = Path(path)
    if file_format == "json":
        document = {
            "exported": format_partial_date_fr(datetime.now().date().isoformat()),
            "filters": filters,
            "count": len(rows),
            "rows": [export_record(r) for r in rows],
        }
        write_atomically(path, [json.dumps(document, ensure_ascii=False, indent=2) + "\n"])
    else:
        write_atomically(path, _csv_chunks(rows))
    return len(rows)
