"""Import of the open-data territory files (resources/data) into the catalogue at build time.

Runs after the content entities are written and before the search index is built, so
QPV, communes, départements, régions and programme sites become ordinary `Entity` rows
(codes as aliases: an exact 2024 or 2015 code, or an INSEE code, finds them). Rows are
written with bulk inserts, in a fixed order, so two builds give the same file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from qpvdesk.build import territory_extras as extra
from qpvdesk.build.territories.world import COM_REGION, SITE_LAYERS, EndedProgramme, TerritoryWorld, search_key
from qpvdesk.model import Base, Dataset, Entity, EntityAlias, Relation, RelationCitation, Source
from qpvdesk.territories import datasets as ds
from qpvdesk.territories import fiches, geo
from qpvdesk.territories.tables import (  # importing declares the tables on Base before create_all
    TerritoryCommune,
    TerritoryDepartement,
    TerritoryExtent,
    TerritoryFiche,
    TerritoryInset,
    TerritoryLabel,
    TerritoryPoint,
    TerritoryPostcode,
    TerritoryQpv,
    TerritoryQpv2015,
    TerritoryQpvCommune,
    TerritoryRegion,
    TerritoryRevisedCode,
    TerritoryShape,
    TerritorySite,
    TerritoryStateContact,
)


@dataclass
class ImportReport:
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def populate_territories(session: Session, resources: Path) -> ImportReport | None:
    """Add territory entities, their attributes and datasets. No data folder: nothing to import."""
    data = resources / "data"
    if not data.is_dir():
        return None
    missing = [info.file for info in ds.ALL if not (data / info.file).is_file()]
    if missing:
        raise FileNotFoundError(f"fichiers de données manquants dans {data} : {', '.join(missing)}")
    return _Importer(session, TerritoryWorld(data)).run()


class _Importer:
    def __init__(self, session: Session, world: TerritoryWorld) -> None:
        self.s = session
        self.w = world
        self.x = extra.attach(world)  # NPNRU, population, postcodes, State contacts
        self.report = ImportReport(warnings=list(world.warnings) + self.x.warnings)
        self.known = set(session.scalars(select(Entity.id)))
        self.sources: dict[str, int] = {}
        self.entities: list[dict] = []
        self.aliases: list[dict] = []
        self.attributes: list[dict] = []
        self.relations: list[dict] = []
        self.citations: list[dict] = []
        self.labels = fiches.LabelTable()
        # a programme the content says has ended (cités de l'emploi: December 2024) ends for its sites too
        programmes = {programme for programme, _info in SITE_LAYERS.values()}
        world.ended_programmes = {
            e.id: EndedProgramme(e.name, e.status, e.start_date, e.end_date)
            for e in session.scalars(select(Entity).where(Entity.id.in_(programmes))) if e.status != "active"
        }
        self.next_relation = (session.scalar(select(func.max(Relation.id))) or 0) + 1

    # --- helpers ------------------------------------------------------------------------

    def entity(self, id: str, kind: str, name: str, summary: str, origin: ds.DatasetInfo, aliases=(), status="active",
               start_date: str | None = None, end_date: str | None = None) -> None:
        if id in self.known:
            raise ValueError(f"identifiant de territoire déjà pris par le contenu : « {id} »")
        self.known.add(id)
        self.entities.append({"id": id, "kind": kind, "name": name, "acronym": None, "status": status, "start_date": start_date,
                              "end_date": end_date, "summary": summary, "origin": origin.id})
        for position, alias in enumerate(dict.fromkeys(a for a in aliases if a and a != name)):
            self.aliases.append({"entity_id": id, "position": position, "alias": alias})

    def attrs(self, entity_id: str, rows: list[tuple[str, str]]) -> None:
        self.attributes.append({"entity_id": entity_id, "attributes": json.dumps(self.labels.encode_rows(rows), ensure_ascii=False, separators=(",", ":"))})

    def relate(self, source: str, type: str, target: str, cited: tuple[ds.DatasetInfo, ...], note: str | None = None) -> bool:
        if target not in self.known or source not in self.known:
            return False
        rid = self.next_relation
        self.next_relation += 1
        self.relations.append({"id": rid, "source_id": source, "type": type, "target_id": target, "note": note})
        self.citations += [{"relation_id": rid, "position": i, "source_id": self.sources[info.id]} for i, info in enumerate(cited)]
        return True

    # --- steps --------------------------------------------------------------------------

    def run(self) -> ImportReport:
        self._datasets()
        self._geography()
        self._qpvs()
        self._sites()
        self._write_entities()
        self._tables()
        self._links()
        self._map()
        for table, rows in ((Relation, self.relations), (RelationCitation, self.citations), (TerritoryFiche, self.attributes)):
            if rows:
                self.s.execute(insert(table), rows)
        self.s.execute(insert(TerritoryLabel), [{"id": i, "label": label} for label, i in self.labels.ids.items()])
        self.report.counts.update(entities=len(self.entities), relations=len(self.relations), attributes=len(self.attributes))
        return self.report

    def _datasets(self) -> None:
        existing = dict(self.s.execute(select(Source.ref, Source.id)).all())
        next_id = (self.s.scalar(select(func.max(Source.id))) or 0) + 1
        known_datasets = set(self.s.scalars(select(Dataset.id)))
        for info in ds.ALL:
            if info.id not in known_datasets:
                self.s.add(Dataset(id=info.id, title=info.title, producer=info.producer, licence=info.licence,
                                   date=info.date, url=info.url, note=info.note))
            if info.ref in existing:
                self.sources[info.id] = existing[info.ref]
                continue
            self.s.add(Source(id=next_id, ref=info.ref, url=None, title=f"{info.title} ({info.date})",
                              publisher=f"{info.producer} — {info.licence}", reliability="O"))
            self.sources[info.id] = next_id
            next_id += 1
        self.s.flush()

    def _geography(self) -> None:
        w = self.w
        for region in sorted(w.regions.values(), key=lambda r: r.code):
            if region.entity_id:
                self.entity(region.entity_id, "region", region.name, fiches.region_summary(w, region.code), ds.REGIONS_IGN)
                self.attrs(region.entity_id, extra.region_rows(w, self.x, region.code, fiches.region_attributes(w, region.code)))
        for code in sorted(w.departements):
            dep = w.departements[code]
            self.entity(dep.entity_id, "departement", dep.name, fiches.departement_summary(w, code), ds.DEPARTEMENTS_INSETS, aliases=[code])
            self.attrs(dep.entity_id, extra.departement_rows(w, self.x, code, fiches.departement_attributes(w, code)))
        for insee in sorted(w.communes):
            c = w.communes[insee]
            origin = next(i for i in ds.ALL if i.id == c.datasets[0])
            self.entity(c.entity_id, "commune", c.name, fiches.commune_summary(w, c), origin, aliases=[insee, c.revised_code])
            self.attrs(c.entity_id, extra.commune_rows(w, self.x, c, fiches.commune_attributes(w, c)))

    def _qpvs(self) -> None:
        for code in sorted(self.w.qpvs):
            q = self.w.qpvs[code]
            predecessors = [c for c, _ in q.correspondence.predecessors] if q.correspondence else []
            self.entity(q.entity_id, "qpv", q.record.name, fiches.qpv_summary(self.w, q), ds.QPV_2024, aliases=[code, *predecessors])
            self.attrs(q.entity_id, extra.qpv_rows(self.w, self.x, q, fiches.qpv_attributes(self.w, q)))

    def _sites(self) -> None:
        for site_id in sorted(self.w.sites):
            site = self.w.sites[site_id]
            info = SITE_LAYERS[site.layer][1]
            aliases = [site.code] if site.layer.startswith("contrat") else []
            ended = self.w.ended_programmes.get(SITE_LAYERS[site.layer][0])
            # a site of an ended programme takes its status and dates (those of the programme's fiche)
            status, start, end = (ended.status, ended.start, ended.end) if ended else ("active", None, None)
            if site.layer == "contrat-2015":
                status, start, end = "replaced", None, None  # the 2015-2023 generation, replaced by the 2024 contracts
            self.entity(site_id, "site", fiches.site_name(site), fiches.site_summary(self.w, site), info, aliases=aliases,
                        status=status, start_date=start, end_date=end)
            self.attrs(site_id, extra.site_rows(self.w, self.x, site, fiches.site_attributes(self.w, site)))
        if extra.NPNRU_ID in self.known:  # the programme's fiche gets a section drawn from the list
            self.attrs(extra.NPNRU_ID, extra.npnru_rows(self.w, self.x))

    def _write_entities(self) -> None:
        self.s.execute(insert(Entity), self.entities)
        if self.aliases:
            self.s.execute(insert(EntityAlias), self.aliases)

    def _tables(self) -> None:
        w = self.w
        rows: dict[type[Base], list[dict[str, Any]]] = {
            TerritoryRegion: [{"code": r.code, "entity_id": r.entity_id, "name": r.name} for r in w.regions.values()],
            TerritoryDepartement: [{"code": d.code, "entity_id": d.entity_id, "name": d.name, "region_code": d.region} for d in w.departements.values()],
            TerritoryCommune: [
                {"insee": c.insee, "entity_id": c.entity_id, "name": c.name, "folded": search_key(c.name), "dep_code": c.dep,
                 "qpv_count": len(c.qpvs), "qpv2015_count": len(set(c.qpv2015)),
                 "cite_educative_count": len(c.sites.get("cite-educative", [])), "cite_emploi_count": len(c.sites.get("cite-emploi", [])),
                 "france_services_count": len(c.sites.get("france-services", [])),
                 "contrat_count": len(c.sites.get("contrat-2024", []))}
                for c in w.communes.values()
            ],
            TerritoryQpv: [
                {"code": q.code, "entity_id": q.entity_id, "name": q.record.name, "folded": search_key(q.record.name), "status": q.status,
                 "dep_code": q.record.dep, "revised": int(q.revised), "population": self.x.population.get(q.code),
                 "npnru2015": ";".join(self.x.npnru_of_qpv.get(q.code, []))}
                for q in w.qpvs.values()
            ],
            TerritoryQpvCommune: [
                {"qpv_code": q.code, "insee": insee} for q in w.qpvs.values() for insee in fiches.qpv_commune_codes(q)
            ],
            TerritoryQpv2015: [
                {"code": q.code, "name": q.name, "folded": search_key(q.name), "communes": ";".join(q.communes), "successors": ";".join(q.successors),
                 "npnru": int(q.code in set(self.x.npnru))}
                for q in w.qpv2015.values()
            ],
            TerritoryRevisedCode: [{"code": k, "insee": v[0], "label": v[1]} for k, v in w.revised_codes.items()],
            TerritoryPostcode: extra.postcode_rows(self.x),
            TerritoryStateContact: extra.contact_rows(self.x),
            TerritorySite: [
                {"entity_id": s.entity_id, "layer": s.layer, "code": s.code, "communes": ";".join(s.communes)}
                for s in w.sites.values()
            ],
        }
        for table, values in rows.items():
            if values:
                self.s.execute(insert(table), values)
        self.report.counts.update({t.__tablename__: len(v) for t, v in rows.items()})

    def _links(self) -> None:
        w = self.w
        for dep in w.departements.values():
            region_id = None if dep.region == COM_REGION else w.regions[dep.region].entity_id  # no fiche for the COM
            if region_id is not None:
                self.relate(dep.entity_id, "part-of", region_id, (ds.DEPARTEMENTS_INSETS,))
        for insee in sorted(w.communes):
            c = w.communes[insee]
            origin = next(i for i in ds.ALL if i.id == c.datasets[0])
            self.relate(c.entity_id, "part-of", w.departements[c.dep].entity_id, (origin,))
        for code in sorted(w.qpvs):
            q = w.qpvs[code]
            for insee in fiches.qpv_commune_codes(q):
                self.relate(q.entity_id, "part-of", w.communes[insee].entity_id, (ds.QPV_2024,))
        missing_programmes = set()
        for site_id in sorted(w.sites):
            site = w.sites[site_id]
            programme, info = SITE_LAYERS[site.layer]
            if not self.relate(site_id, "implements", programme, (info,)):
                missing_programmes.add(programme)
            for insee in site.communes:
                if site.layer == "france-services":
                    self.relate(site_id, "part-of", w.communes[insee].entity_id, (info,))
                else:
                    self.relate(site_id, "applies-to", w.communes[insee].entity_id, (info,))
            for qpv_code, how in site.qpvs:
                if site.layer == "france-services":
                    note = f"France services {how} (périmètre simplifié)"
                else:
                    note = f"rattachement déduit {'de l’EPCI' if how == 'EPCI' else 'de la commune'}"
                self.relate(site_id, "applies-to", w.qpvs[qpv_code].entity_id, (info, ds.QPV_2024), note)
        for programme in sorted(missing_programmes):
            self.report.warnings.append(f"programme « {programme} » absent du contenu : sites non reliés à leur programme")

    def _map(self) -> None:
        w = self.w
        shapes, extents = [], {}

        def shape(layer, entity_id, code, name, rings):
            if not rings:
                return
            box = geo.bbox(rings)
            counts, coords = geo.encode_rings(rings)
            shapes.append({"layer": layer, "entity_id": entity_id, "code": code, "name": name, "min_x": box[0], "min_y": box[1],
                           "max_x": box[2], "max_y": box[3], "ring_counts": counts, "coords": coords})
            if entity_id and layer != "qpv":
                extents[entity_id] = box

        for code, name, rings in w.metro_regions:
            region = w.regions.get(code)
            shape("region", region.entity_id if region else None, code, name, rings)
        for code in sorted(w.departements):
            dep = w.departements[code]
            shape("departement", dep.entity_id, code, dep.name, dep.rings)
        for code in sorted(w.qpvs):
            q = w.qpvs[code]
            shape("qpv", q.entity_id, code, q.record.name, q.rings)
            dep_id = w.departements[q.record.dep].entity_id  # e.g. Moorea lies outside ANCT's Tahiti outline
            extents[dep_id] = _union([extents[dep_id], q.bbox]) if dep_id in extents else q.bbox
        for region in w.regions.values():
            boxes = [extents[w.departements[d].entity_id] for d in region.departements if w.departements[d].entity_id in extents]
            if region.entity_id and boxes:
                extents[region.entity_id] = _union(boxes)
        points = []
        for site_id in sorted(w.sites):
            site = w.sites[site_id]
            site_points = site.points
            if not site_points:  # e.g. Saint-Martin's cité éducative has no geometry: use its commune
                boxes = [b for b in (w.commune_location(i) for i in site.communes) if b]
                site_points = [((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b in boxes[:1]]
            for x, y in site_points:
                points.append({"layer": site.layer, "entity_id": site_id, "x": x, "y": y})
        for insee in sorted(w.communes):
            box = w.commune_location(insee)
            if box:
                extents[w.communes[insee].entity_id] = box
        self.s.execute(insert(TerritoryShape), shapes)
        self.s.execute(insert(TerritoryPoint), points)
        self.s.execute(insert(TerritoryExtent), [{"entity_id": k, "min_x": b[0], "min_y": b[1], "max_x": b[2], "max_y": b[3]}
                                                  for k, b in sorted(extents.items())])
        self.s.execute(insert(TerritoryInset), [{"code": k, "name": geo.INSET_NAMES[k], "min_x": b[0], "min_y": b[1], "max_x": b[2],
                                                  "max_y": b[3]} for k, b in sorted(w.insets.items())])
        self.report.counts.update(shapes=len(shapes), points=len(points))


def _union(boxes):
    return min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)
