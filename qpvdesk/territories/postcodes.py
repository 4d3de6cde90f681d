"""Postcodes at run time (La Poste 2022): which communes a postcode serves, and their QPV.

A postcode is not an INSEE code: 95500 is Gonesse's postcode and Pontoise's INSEE code. The lookup
says both when a number is both. Paris, Lyon and Marseille postcodes lead to the city, their
arrondissement named.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

from qpvdesk.territories.codes import municipal
from qpvdesk.territories.tables import TerritoryCommune, TerritoryPostcode, TerritoryQpvCommune
from qpvdesk.territories.views import LookupMatch

SOURCE = "La Poste, base officielle des codes postaux 2022"
_SMALL = {"de", "du", "des", "la", "le", "les", "en", "sur", "sous", "et", "l", "d", "aux", "au", "lès"}


@dataclass(frozen=True)
class PostcodePlace:
    insee: str  # the commune's (Paris, Lyon, Marseille: the city's, not the arrondissement's)
    name: str
    entity_id: str | None  # None: a commune the catalogue does not hold (no QPV, no programme site)
    qpv_count: int
    arrondissements: tuple[int, ...] = ()

    def label(self) -> str:
        qpv = f"{self.qpv_count} QPV" if self.entity_id and self.qpv_count else "aucun QPV"
        if self.arrondissements:
            arr = ", ".join(f"{n}{'er' if n == 1 else 'e'}" for n in self.arrondissements)
            plural = "s" if len(self.arrondissements) > 1 else ""
            return f"{self.name}, {arr} arrondissement{plural} ({qpv} dans la commune)"
        return f"{self.name} ({qpv})"

    def match(self) -> LookupMatch | None:
        return LookupMatch(self.entity_id, "commune", self.name) if self.entity_id else None


def poste_name(name: str) -> str:
    """La Poste writes names in capitals without accents (« HEROUVILLE EN VEXIN »): made readable,
    accents cannot be restored."""
    words = name.lower().split()
    return " ".join(w if i and w in _SMALL else w.capitalize() for i, w in enumerate(words))


def _arrondissement(insee: str, city: str) -> int:
    return int(insee[-1]) if city == "69123" else int(insee[-2:])


def postcode_places(session: Session, code: str) -> list[PostcodePlace]:
    """The communes a postcode serves, those with the most QPV first; [] if it is no postcode."""
    try:
        stored = session.get(TerritoryPostcode, code)
    except (OperationalError, DatabaseError):  # a catalogue built before postcodes existed
        return []
    if stored is None:
        return []
    grouped: dict[str, tuple[str, list[int]]] = {}
    for item in stored.communes.split("|"):
        insee, _, name = item.partition("=")
        city, _ = municipal(insee, name)
        arr = grouped.setdefault(city, (name, []))[1]
        if city != insee:
            arr.append(_arrondissement(insee, city))
    known = {c.insee: c for c in session.scalars(select(TerritoryCommune).where(TerritoryCommune.insee.in_(grouped)))}
    counts = dict(session.execute(select(TerritoryQpvCommune.insee, func.count()).where(TerritoryQpvCommune.insee.in_(grouped))
                                  .group_by(TerritoryQpvCommune.insee)).all())
    places = []
    for insee, (name, arr) in grouped.items():
        c = known.get(insee)
        places.append(PostcodePlace(insee, c.name if c else poste_name(name), c.entity_id if c else None, counts.get(insee, 0),
                                    tuple(sorted(arr))))
    return sorted(places, key=lambda p: (-p.qpv_count, p.entity_id is None, p.name))


def postcode_message(code: str, places: list[PostcodePlace], limit: int = 12) -> str:
    names = [p.label() for p in places[:limit]]
    more = f" … (+{len(places) - limit})" if len(places) > limit else ""
    what = "de" if len(places) == 1 else f"de {len(places)} communes :"
    return f"{code} : code postal {what} {', '.join(names)}{more} ({SOURCE})."
