"""The State services that are ANCT's entry point in each département (service-level fields only).

The source file also names civil servants; the copy under resources/data keeps the service columns
only, and this reader would not read a person's name or e-mail even from the full file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from qpvdesk.build.territories.datafile import DataFile as _DataFile
from qpvdesk.territories import datasets as ds

COLUMNS = ("insee_dep", "fiche_lib_admin", "interlocuteur_adresse", "interlocuteur_comp_adresse", "interlocuteur_cp",
           "interlocuteur_ville", "interlocuteur_cedex", "fiche_telephone", "fiche_mel", "site_web", "Date mise à jour")
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)


@dataclass(frozen=True)
class StateContact:
    dep: str
    service: str
    address: str
    phone: str
    email: str
    website: str
    date: str  # ISO date, or "" when the file gives none


def read_state_contacts(data: Path) -> list[StateContact]:
    source = _DataFile(data / ds.STATE_CONTACTS.file)
    out = []
    for row in source.csv_rows(COLUMNS):
        v = {k: " ".join(row.values[k].split()) for k in COLUMNS}
        dep = row.code("insee_dep", row.text("insee_dep"), "dep")
        service = row.text("fiche_lib_admin").strip()
        date = ""
        if v["Date mise à jour"]:
            m = _DATE.match(v["Date mise à jour"])
            if m:
                date = f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}"
            else:
                row.error("Date mise à jour", f"date invalide « {v['Date mise à jour']} » (attendu JJ/MM/AAAA)")
        if v["fiche_mel"] and not _EMAIL.match(v["fiche_mel"]):
            row.error("fiche_mel", f"adresse électronique invalide « {v['fiche_mel']} »")
        town = " ".join(filter(None, (v["interlocuteur_cp"], v["interlocuteur_ville"], v["interlocuteur_cedex"])))
        address = ", ".join(filter(None, (v["interlocuteur_adresse"], v["interlocuteur_comp_adresse"], town)))
        if row.ok:
            out.append(StateContact(dep, service, address, v["fiche_telephone"], v["fiche_mel"], v["site_web"], date))
    source.raise_errors()
    return out
