"""La Poste's postcodes (2022): postcode -> communes, commune -> postcodes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from qpvdesk.build.territories.datafile import DataFile as _DataFile
from qpvdesk.build.territories.readers import insee5
from qpvdesk.territories import datasets as ds

COLUMNS = ("Code_commune_INSEE", "Nom_commune", "Code_postal", "Libellé_d_acheminement")
POSTCODE = re.compile(r"^\d{5}$")


@dataclass(frozen=True)
class PostcodeRecord:
    postcode: str
    insee: str
    name: str  # La Poste's upper-case name (MARSEILLE 13 for an arrondissement)
    delivery: str  # libellé d'acheminement: the town the mail is sent to


def read_postcodes(data: Path) -> list[PostcodeRecord]:
    source = _DataFile(data / ds.POSTCODES.file)
    out: dict[tuple[str, str], PostcodeRecord] = {}
    for row in source.csv_rows(COLUMNS):
        insee = row.code("Code_commune_INSEE", insee5(row.text("Code_commune_INSEE")), "insee")
        postcode = row.text("Code_postal").strip()
        if postcode and not POSTCODE.match(postcode):
            row.error("Code_postal", f"code postal invalide « {postcode} » (attendu 5 chiffres, ex. 95300)")
        name = " ".join(row.text("Nom_commune").split())
        if row.ok:
            delivery = " ".join(row.values["Libellé_d_acheminement"].split())
            out.setdefault((postcode, insee), PostcodeRecord(postcode, insee, name, delivery))
    source.raise_errors()
    return [out[k] for k in sorted(out)]
