"""Read access to the territories of a catalogue: browser tree, lookup, fiche lines, map.

Everything returned is a plain view (territories/views.py); safe to call from a worker
thread (each call opens its own session).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

from qpvdesk.model import Entity
from qpvdesk.territories import datasets as ds
from qpvdesk.territories import fiches, place_extras
from qpvdesk.territories.codes import COM_REGION, INSEE_CODE, QPV_2015_CODE, QPV_2024_CODE, SITE_LAYERS, municipal, search_key
from qpvdesk.territories.geo import decode_rings
from qpvdesk.territories.place_extras import map_places
from qpvdesk.territories.tables import (
    TerritoryCommune,
    TerritoryDepartement,
    TerritoryExtent,
    TerritoryFiche,
    TerritoryInset,
    TerritoryLabel,
    TerritoryPoint,
    TerritoryQpv,
    TerritoryQpvCommune,
    TerritoryRegion,
    TerritoryRevisedCode,
    TerritoryShape,
    TerritorySite,
)
from qpvdesk.territories.views import (
    CommuneInfo,
    LookupResult,
    MapData,
    MapInset,
    MapPoint,
    MapShape,
    Places,
    TerritoryNode,
)
from qpvdesk.vocabulary import TERRITORY_KINDS  # noqa: F401 (re-exported)

# map layers of programme sites, in legend order: layer -> French legend label
POINT_LAYERS = {
    "cite-educative": "Cités éducatives",
    "cite-emploi": "Cités de l'emploi",
    "france-services": "France services",
    "contrat-2024": "Contrats de ville 2024",
    "contrat-2015": "Contrats de ville 2015-2023",
}


def _as_code(text: str | None) -> str:
    """A code as typed or pasted: case, spaces (non-breaking ones too) and invisible marks forgiven."""
    return "".join(c for c in (text or "").upper() if not c.isspace() and unicodedata.category(c) != "Cf")


_INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
_DEP = re.compile(r"^(\d{2,3}|2[AB])$")
MAX_MATCHES = 30
DATA_SECTION_KINDS = (*TERRITORY_KINDS, "programme")  # the NPNRU programme's fiche has a section drawn from the data


def attributes_in_session(session: Session, entity_id: str, kind: str) -> tuple[tuple[str, str], ...]:
    """Fiche lines of a territory entity (used by Catalogue.entity)."""
    if kind not in DATA_SECTION_KINDS:
        return ()
    try:
        stored = session.scalar(select(TerritoryFiche.attributes).where(TerritoryFiche.entity_id == entity_id))
        layer = session.scalar(select(TerritorySite.layer).where(TerritorySite.entity_id == entity_id)) if kind == "site" else None
        if stored is None:
            return ()
        labels = dict(session.execute(select(TerritoryLabel.id, TerritoryLabel.label)).all())
    except (OperationalError, DatabaseError):  # a catalogue built before the territories existed
        return ()
    rows = fiches.decode_rows(json.loads(stored), labels)
    extra = fiches.data_line(layer or kind)
    rows += ((extra,) if extra else ())
    contacts = place_extras.contact_rows(session, entity_id, kind)
    if contacts:  # before the « Données » line, which stays last
        at = next((i for i, (label, _v) in enumerate(rows) if label == "Données"), len(rows))
        rows = rows[:at] + tuple(contacts) + rows[at:]
    return rows


class TerritoryRepository:
    def __init__(self, catalogue) -> None:  # qpvdesk.catalogue.Catalogue
        self.catalogue = catalogue

    def _session(self) -> Session:
        return self.catalogue.session()

    def available(self) -> bool:
        try:
            with self._session() as s:
                return (s.scalar(select(func.count()).select_from(TerritoryQpv)) or 0) > 0
        except (OperationalError, DatabaseError):
            return False

    def attributes(self, entity_id: str) -> tuple[tuple[str, str], ...]:
        with self._session() as s:
            kind = s.scalar(select(Entity.kind).where(Entity.id == entity_id))
            return attributes_in_session(s, entity_id, kind) if kind else ()

    # --- browser ------------------------------------------------------------------------

    def tree(self, all_communes: bool = False) -> list[TerritoryNode]:
        """Région → département → commune → QPV with counts. By default only the communes that
        have a QPV (2024 list, or Mayotte's revised list); all_communes adds those with sites only."""
        with self._session() as s:
            regions = s.scalars(select(TerritoryRegion)).all()
            deps = s.scalars(select(TerritoryDepartement)).all()
            communes = s.scalars(select(TerritoryCommune)).all()
            qpvs = {q.code: q for q in s.scalars(select(TerritoryQpv))}
            links = s.execute(select(TerritoryQpvCommune.insee, TerritoryQpvCommune.qpv_code)).all()
            revised = {r.insee: r.code for r in s.scalars(select(TerritoryRevisedCode))}
        by_commune: dict[str, list[str]] = defaultdict(list)
        for insee, code in links:
            by_commune[insee].append(code)
        qpv_by_dep: dict[str, set[str]] = defaultdict(set)
        for q in qpvs.values():
            qpv_by_dep[q.dep_code].add(q.code)
        communes_by_dep: dict[str, list[TerritoryNode]] = defaultdict(list)
        sites_by_dep: dict[str, int] = defaultdict(int)
        for c in communes:
            sites = c.cite_educative_count + c.cite_emploi_count + c.france_services_count
            sites_by_dep[c.dep_code] += sites
            if not (all_communes or c.qpv_count or c.insee in revised):
                continue
            children = tuple(
                TerritoryNode(q.entity_id, q.entity_id, "qpv", q.name, q.code, 1, 0, "liste initiale, révisée" if q.revised else "")
                for q in sorted((qpvs[code] for code in by_commune[c.insee]), key=lambda q: (q.folded, q.code))
            )
            note = f"commune entière : {revised[c.insee]}" if c.insee in revised else ("" if c.qpv_count else "aucun QPV")
            communes_by_dep[c.dep_code].append(
                TerritoryNode(c.entity_id, c.entity_id, "commune", c.name, c.insee, c.qpv_count, sites, note, children)
            )
        dep_nodes: dict[str, list[TerritoryNode]] = defaultdict(list)
        for d in deps:
            children = tuple(sorted(communes_by_dep[d.code], key=lambda n: (search_key(n.name), n.code)))
            note = "liste révisée depuis (17 QPV communaux)" if d.code == "976" else ""
            dep_nodes[d.region_code].append(
                TerritoryNode(d.entity_id, d.entity_id, "departement", d.name, d.code, len(qpv_by_dep[d.code]), sites_by_dep[d.code], note, children)
            )
        out = []
        for r in sorted(regions, key=lambda r: (r.code == COM_REGION, search_key(r.name))):
            children = tuple(sorted(dep_nodes[r.code], key=lambda n: search_key(n.name)))
            out.append(
                TerritoryNode(r.entity_id or f"group-{r.code.lower()}", r.entity_id, "region", r.name, r.code,
                              sum(n.qpv_count for n in children), sum(n.site_count for n in children), "", children)
            )
        return out

    # --- communes and lookup ------------------------------------------------------------

    def commune(self, insee_or_id: str) -> CommuneInfo | None:
        insee = insee_or_id.removeprefix("commune-").upper()
        insee = municipal(insee, "")[0]
        with self._session() as s:
            c = s.get(TerritoryCommune, insee)
            if c is None:
                return None
            dep = s.get(TerritoryDepartement, c.dep_code)
            qpvs = s.execute(
                select(TerritoryQpv.entity_id, TerritoryQpv.code, TerritoryQpv.name)
                .join(TerritoryQpvCommune, TerritoryQpvCommune.qpv_code == TerritoryQpv.code)
                .where(TerritoryQpvCommune.insee == insee).order_by(TerritoryQpv.folded)
            ).all()
            revised = s.scalar(select(TerritoryRevisedCode.code).where(TerritoryRevisedCode.insee == insee))
        return CommuneInfo(c.insee, c.entity_id, c.name, c.dep_code, dep.name if dep else c.dep_code, tuple((q[0], q[1], q[2]) for q in qpvs),
                           c.cite_educative_count, c.cite_emploi_count, c.france_services_count, revised)

    def commune_message(self, info: CommuneInfo) -> str:
        where = f"{info.name} ({info.insee}, {info.dep_name})"
        sites = info.counts_text().split(", ", 1)[1:]
        extra = f" Sites de programmes : {sites[0]}." if sites else ""
        if info.revised_code:
            initial = f"{len(info.qpvs)} quartier(s) dans la liste initiale" if info.qpvs else "aucun quartier dans la liste initiale"
            return f"{where} : toute la commune est un QPV de la liste révisée de Mayotte ({info.revised_code}) ; {initial}.{extra}"
        if not info.qpvs:
            return f"{where} n'a aucun quartier prioritaire (QPV) dans la liste 2024.{extra}"
        return f"{where} : {info.counts_text()}."

    @staticmethod
    def is_place(entity_id: str | None) -> bool:
        """A commune or QPV fiche (without reading the catalogue): those list the user's local partners."""
        return entity_id is not None and (entity_id.startswith("commune-") or bool(QPV_2024_CODE.match(entity_id.upper())))

    def places(self, entity_id: str) -> Places | None:
        """For a commune or QPV fiche: the communes (names and INSEE codes) and QPV codes with which the
        user's local partners of that place are found; None for any other fiche."""
        if not self.is_place(entity_id):
            return None
        if entity_id.startswith("commune-"):
            info = self.commune(entity_id)
            if info is None:
                return None
            insees, own = [info.insee], None
        else:
            own = entity_id.upper()
            with self._session() as s:
                insees = list(s.scalars(select(TerritoryQpvCommune.insee).where(TerritoryQpvCommune.qpv_code == own)))
        with self._session() as s:
            communes = s.execute(select(TerritoryCommune.name, TerritoryCommune.insee, TerritoryCommune.folded)
                                 .where(TerritoryCommune.insee.in_(insees))).all()
            codes = set(s.scalars(select(TerritoryQpvCommune.qpv_code).where(TerritoryQpvCommune.insee.in_(insees))))
            codes |= set(s.scalars(select(TerritoryRevisedCode.code).where(TerritoryRevisedCode.insee.in_(insees))))
            folded = [c.folded for c in communes]
            homonyms = s.scalar(select(func.count()).select_from(TerritoryCommune)
                                .where(TerritoryCommune.folded.in_(folded))) or 0
        return Places(tuple(v for c in communes for v in (c.name, c.insee)), tuple(sorted(codes)), own,
                      homonyms > len(communes))

    @staticmethod
    def is_code(text: str) -> bool:
        """A QPV code (2024 or 2015) or an INSEE commune code, as typed (spaces and case forgiven)."""
        code = _as_code(text)
        return bool(QPV_2024_CODE.match(code) or QPV_2015_CODE.match(code) or INSEE_CODE.match(code))

    @staticmethod
    def is_question(text: str) -> bool:
        """A street address or « est-ce que … est en QPV ? » (the lookup answers it honestly)."""
        from qpvdesk.territories.address import question_place

        return question_place(text or "") is not None

    def lookup(self, text: str) -> LookupResult:
        """Commune name or INSEE code, postcode, QPV name or code (2024 or 2015), département code."""
        from qpvdesk.territories.lookup import TerritoryLookup

        return TerritoryLookup(self).lookup(text)

    # --- map ----------------------------------------------------------------------------

    def map_data(self) -> MapData:
        with self._session() as s:
            shapes: dict[str, list[MapShape]] = defaultdict(list)
            for row in s.scalars(select(TerritoryShape).order_by(TerritoryShape.id)):
                rings = tuple(decode_rings(row.ring_counts, row.coords))
                shapes[row.layer].append(MapShape(row.entity_id, row.code, row.name, rings, (row.min_x, row.min_y, row.max_x, row.max_y)))
            points: dict[str, list[MapPoint]] = {layer: [] for layer in POINT_LAYERS}
            for layer, entity_id, name, x, y in s.execute(
                select(TerritoryPoint.layer, TerritoryPoint.entity_id, Entity.name, TerritoryPoint.x, TerritoryPoint.y)
                .join(Entity, Entity.id == TerritoryPoint.entity_id).order_by(TerritoryPoint.id)
            ):
                points.setdefault(layer, []).append(MapPoint(entity_id, name, x, y))
            insets = tuple(MapInset(i.code, i.name, (i.min_x, i.min_y, i.max_x, i.max_y)) for i in s.scalars(select(TerritoryInset).order_by(TerritoryInset.code)))
            revised = frozenset(s.scalars(select(TerritoryQpv.entity_id).where(TerritoryQpv.revised == 1)))
            npnru = frozenset(s.scalars(select(TerritoryQpv.entity_id).where(TerritoryQpv.npnru2015 != "")))
            places = map_places(s)
        boxes = [shape.bbox for shape in shapes["departement"]] + [i.rect for i in insets]
        bounds = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)) if boxes else (0, 0, 1, 1)
        return MapData(tuple(shapes["region"]), tuple(shapes["departement"]), tuple(shapes["qpv"]),
                       {k: tuple(v) for k, v in points.items()}, insets, bounds, ds.MAP_ATTRIBUTION, revised, places, npnru)

    def locate(self, entity_id: str) -> tuple[float, float, float, float] | None:
        """Where to centre the map for an entity (scene km), or None if it is not on the map."""
        with self._session() as s:
            e = s.get(TerritoryExtent, entity_id)
            if e:
                return e.min_x, e.min_y, e.max_x, e.max_y
            row = s.execute(select(TerritoryShape.min_x, TerritoryShape.min_y, TerritoryShape.max_x, TerritoryShape.max_y)
                            .where(TerritoryShape.entity_id == entity_id, TerritoryShape.layer == "qpv")).first()
            if row:
                return row[0], row[1], row[2], row[3]
            pts = s.execute(select(TerritoryPoint.x, TerritoryPoint.y).where(TerritoryPoint.entity_id == entity_id)).all()
        if pts:
            return (min(p.x for p in pts) - 1, min(p.y for p in pts) - 1, max(p.x for p in pts) + 1, max(p.y for p in pts) + 1)
        return None

    def datasets(self) -> tuple[ds.DatasetInfo, ...]:
        return ds.ALL

    def site_layers(self) -> dict[str, str]:
        return {layer: POINT_LAYERS[layer] for layer in SITE_LAYERS}

