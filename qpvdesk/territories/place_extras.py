"""Run-time additions to territory fiches: the State's contact in the département, a commune's QPV table.

Read from the catalogue tables (territory_state_contact, territory_qpv); nothing here imports the
build code. Only service-level contact fields exist in the catalogue: no person is ever named.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

from qpvdesk.dates import format_partial_date_fr
from qpvdesk.territories.tables import (
    TerritoryCommune,
    TerritoryDepartement,
    TerritoryExtent,
    TerritoryQpv,
    TerritoryQpvCommune,
    TerritoryStateContact,
)
from qpvdesk.territories.views import MapPlace
from qpvdesk.views import PlaceTable

CONTACT_LABEL = "Contact de l'État dans le département"
CONTACT_SOURCE = "ANCT, annuaire des délégués territoriaux (services points d'entrée)"
POPULATION_COLUMN = "Population (INSEE, probablement 2020)"


def _number(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def npnru_mark(codes: str) -> str:
    """codes: ";"-joined 2015 codes. Never « en NPNRU »: the programme was defined on the 2015 quartiers."""
    return f"issu d'un quartier du NPNRU (liste 2015 : {codes.replace(';', ', ')})" if codes else ""


def dep_of(session: Session, entity_id: str, kind: str) -> str | None:
    if kind == "departement":
        return entity_id.removeprefix("departement-").upper()
    if kind == "commune":
        return session.scalar(select(TerritoryCommune.dep_code).where(TerritoryCommune.entity_id == entity_id))
    if kind == "qpv":
        return session.scalar(select(TerritoryQpv.dep_code).where(TerritoryQpv.entity_id == entity_id))
    return None


def contact_text(c: TerritoryStateContact) -> str:
    parts = [c.service, c.address]
    if c.phone:
        parts.append(f"tél. {c.phone}")
    if c.email:
        parts.append(c.email)
    if c.website:
        parts.append(c.website)
    when = f"information du {format_partial_date_fr(c.date)}" if c.date else "information non datée"
    return " — ".join(p for p in parts if p) + f" ({CONTACT_SOURCE} ; {when})"


def contact_rows(session: Session, entity_id: str, kind: str) -> list[tuple[str, str]]:
    """One line per service of the département; Paris (absent from the file) says there is none."""
    try:
        dep = dep_of(session, entity_id, kind)
        if not dep:
            return []
        contacts = session.scalars(select(TerritoryStateContact).where(TerritoryStateContact.dep_code == dep)
                                   .order_by(TerritoryStateContact.position)).all()
        known = session.get(TerritoryDepartement, dep) is not None
    except (OperationalError, DatabaseError):  # a catalogue built before these tables existed
        return []
    if not contacts:
        if not known:
            return []
        where = ("Paris est absent de l'annuaire de l'ANCT" if dep == "75"
                 else "Aucun service indiqué pour ce département dans l'annuaire de l'ANCT")
        return [(CONTACT_LABEL, f"{where} : pas de contact à afficher ({CONTACT_SOURCE})")]
    return [(CONTACT_LABEL, contact_text(c)) for c in contacts]


def tables_in_session(session: Session, entity_id: str, kind: str) -> tuple[PlaceTable, ...]:
    if kind != "commune":
        return ()
    try:
        insee = session.scalar(select(TerritoryCommune.insee).where(TerritoryCommune.entity_id == entity_id))
        qpvs = (
            session.scalars(
                select(TerritoryQpv)
                .join(TerritoryQpvCommune, TerritoryQpvCommune.qpv_code == TerritoryQpv.code)
                .where(TerritoryQpvCommune.insee == insee)
                .order_by(TerritoryQpv.folded, TerritoryQpv.code)
            ).all()
            if insee
            else []
        )
    except (OperationalError, DatabaseError):
        return ()
    if not qpvs:
        return ()
    rows = tuple(
        (
            (q.name, q.entity_id),
            (q.code, None),
            (_number(q.population) if q.population is not None else "non disponible", None),
            (npnru_mark(q.npnru2015) or "—", None),
        )
        for q in qpvs
    )
    return (
        PlaceTable(
            f"Quartiers prioritaires de la commune ({len(qpvs)}, liste 2024)",
            ("Quartier", "Code", POPULATION_COLUMN, "NPNRU"),
            rows,
        ),
    )


def map_places(session: Session) -> tuple[MapPlace, ...]:
    """Communes with a QPV, placed at the centre of their QPV, heaviest (QPV inhabitants) first."""
    try:
        links = session.execute(
            select(TerritoryQpvCommune.insee, TerritoryQpv.code, TerritoryQpv.population).join(
                TerritoryQpv, TerritoryQpv.code == TerritoryQpvCommune.qpv_code
            )
        ).all()
    except (OperationalError, DatabaseError):  # a catalogue built before populations existed
        return ()
    shared: dict[str, int] = {}
    for _insee, code, _pop in links:
        shared[code] = shared.get(code, 0) + 1
    weights: dict[str, float] = {}
    for insee, code, pop in links:  # a QPV over several communes weighs on each in equal shares
        weights[insee] = weights.get(insee, 0) + (pop or 0) / shared[code]
    rows = session.execute(
        select(
            TerritoryCommune.insee,
            TerritoryCommune.entity_id,
            TerritoryCommune.name,
            TerritoryExtent.min_x,
            TerritoryExtent.min_y,
            TerritoryExtent.max_x,
            TerritoryExtent.max_y,
        )
        .join(TerritoryExtent, TerritoryExtent.entity_id == TerritoryCommune.entity_id)
        .where(TerritoryCommune.qpv_count > 0)
    ).all()
    places = [
        MapPlace(entity_id, name, (x0 + x1) / 2, (y0 + y1) / 2, int(weights.get(insee, 0)))
        for insee, entity_id, name, x0, y0, x1, y1 in rows
    ]
    return tuple(sorted(places, key=lambda p: (-p.weight, p.name)))
