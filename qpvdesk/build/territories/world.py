"""The territories in memory: records read from the files, joined and projected.

Pure Python, no database: the importer writes what is assembled here, and tests can
inspect it directly. Every link says how it was derived (same commune, EPCI SIREN,
perimeter test) so fiches can say it too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from qpvdesk.build.territories.readers import (
    CorrespondenceRecord,
    FranceServicesRecord,
    QpvRecord,
    SiteRecord,
    dep_of_commune,
    municipal,
    read_cites_educatives,
    read_cites_emploi,
    read_contrats,
    read_correspondence,
    read_departements_insets,
    read_france_services,
    read_outlines,
    read_qpv_2015,
    read_qpv_2024,
)
from qpvdesk.territories import datasets as ds
from qpvdesk.territories import geo
from qpvdesk.territories.codes import (  # noqa: F401 (COM_REGION, SITE_LAYERS, search_key… re-exported for the build)
    COM_REGION,
    COM_REGION_NAME,
    MAYOTTE,
    NEAR_KM,
    SITE_LAYERS,
    commune_entity_id,
    departement_entity_id,
    metres,
    region_entity_id,
    search_key,
    site_entity_id,
)
from qpvdesk.textfold import fold


@dataclass(frozen=True)
class EndedProgramme:
    """A programme the written content says has ended: its sites follow it."""

    name: str
    status: str
    start: str | None
    end: str | None


@dataclass
class Region:
    code: str
    name: str
    entity_id: str | None
    departements: list[str] = field(default_factory=list)


@dataclass
class Departement:
    code: str
    name: str
    region: str
    rings: list = field(default_factory=list)  # scene km
    communes: list[str] = field(default_factory=list)

    @property
    def entity_id(self) -> str:
        return departement_entity_id(self.code)


@dataclass
class Commune:
    insee: str
    name: str
    dep: str
    datasets: list[str] = field(default_factory=list)  # dataset ids naming this commune, first = main
    qpvs: list[str] = field(default_factory=list)
    qpv2015: list[str] = field(default_factory=list)
    sites: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # layer -> site entity ids
    revised_code: str | None = None  # Mayotte: commune-wide QPV of the revised list

    @property
    def entity_id(self) -> str:
        return commune_entity_id(self.insee)


@dataclass
class Qpv:
    record: QpvRecord
    correspondence: CorrespondenceRecord | None
    rings: list  # scene km
    bbox: tuple[float, float, float, float]
    contrats: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))  # layer -> (site id, how)
    france_services: list[tuple[str, float]] = field(default_factory=list)  # (site id, km; 0 = inside)

    @property
    def code(self) -> str:
        return self.record.code

    @property
    def entity_id(self) -> str:
        return self.record.code.lower()

    @property
    def status(self) -> str:
        return self.record.code[-1]

    @property
    def revised(self) -> bool:
        return self.record.dep == MAYOTTE


@dataclass
class Qpv2015:
    code: str
    name: str
    communes: list[str]
    successors: list[str]


@dataclass
class Site:
    layer: str
    code: str
    name: str
    communes: list[str]
    points: list[tuple[float, float]]  # scene km
    record: SiteRecord | FranceServicesRecord
    qpvs: list[tuple[str, str]] = field(default_factory=list)  # (QPV code, how it is linked)

    @property
    def entity_id(self) -> str:
        return site_entity_id(self.layer, self.code)


class TerritoryWorld:
    def __init__(self, data: Path) -> None:
        self.data = data
        self.regions: dict[str, Region] = {}
        self.departements: dict[str, Departement] = {}
        self.communes: dict[str, Commune] = {}
        self.qpvs: dict[str, Qpv] = {}
        self.qpv2015: dict[str, Qpv2015] = {}
        self.sites: dict[str, Site] = {}  # by entity id
        self.revised_codes: dict[str, tuple[str, str]] = {}  # code -> (INSEE, label)
        self.metro_regions: list = []  # IGN outlines (scene km)
        self.insets: dict[str, tuple[float, float, float, float]] = {}
        self.epci_names: dict[str, str] = {}
        self.warnings: list[str] = []
        self.ended_programmes: dict[str, EndedProgramme] = {}  # by programme id, set by the importer from the content
        self._load()

    # --- assembling -----------------------------------------------------------------

    def _load(self) -> None:
        qpv_records = read_qpv_2024(self.data)
        correspondence = read_correspondence(self.data)
        self._load_geography(qpv_records)
        for record in qpv_records:
            rings = geo.project_rings(record.rings, real=True)
            self.qpvs[record.code] = Qpv(record, correspondence.get(record.code), rings, geo.bbox(rings))
            for insee, name in record.communes:
                self._commune(insee, name, ds.QPV_2024.id).qpvs.append(record.code)
        self._load_2015(correspondence)
        for layer, reader in (("cite-educative", read_cites_educatives), ("cite-emploi", read_cites_emploi)):
            for rec in reader(self.data):
                self._add_site(layer, rec.code, rec.name, rec, [c for c, _ in rec.communes], rec.points, rec.communes)
        for fs in read_france_services(self.data):
            points = [(fs.lon, fs.lat)] if fs.lon is not None and fs.lat is not None else []
            self._add_site("france-services", fs.id, fs.name, fs, [fs.insee], points, [(fs.insee, fs.commune)])
        for generation in (2024, 2015):
            self._load_contrats(generation)
        self._load_revised(correspondence)  # after every commune source: two Mayotte communes have no initial QPV
        self._link_france_services()
        self._load_insets()
        for commune in self.communes.values():
            if not commune.name:
                commune.name = f"Commune {commune.insee}"
                self.warnings.append(f"commune {commune.insee} : nom absent des données")
        for dep in self.departements.values():
            dep.communes.sort(key=lambda i: (fold(self.communes[i].name), i))

    def _load_geography(self, qpv_records: list[QpvRecord]) -> None:
        region_names = {o.code: o.name for o in read_outlines(self.data, ds.REGIONS_IGN)}
        for r in qpv_records:
            if r.region and r.region not in region_names:
                region_names[r.region] = r.region_name
        self.metro_regions = [(o.code, o.name, geo.project_rings(o.rings, real=False)) for o in read_outlines(self.data, ds.REGIONS_IGN)]
        metro_rings = {o.code: o.rings for o in read_outlines(self.data, ds.DEPARTEMENTS_IGN)}
        for outline in read_departements_insets(self.data):
            region = outline.region or COM_REGION
            rings = metro_rings.get(outline.code, outline.rings)  # IGN in the metropole, ANCT insets overseas
            inset = outline.code if outline.code not in metro_rings else None
            self.departements[outline.code] = Departement(outline.code, outline.name, region, geo.project_rings(rings, real=False, inset=inset))
            if region not in self.regions:
                name = COM_REGION_NAME if region == COM_REGION else region_names.get(region, region)
                self.regions[region] = Region(region, name, None if region == COM_REGION else region_entity_id(region))
            self.regions[region].departements.append(outline.code)
        for each in self.regions.values():
            each.departements.sort(key=lambda c: fold(self.departements[c].name))

    def _commune(self, insee: str, name: str, dataset: str) -> Commune:
        insee, name = municipal(insee, name)
        commune = self.communes.get(insee)
        if commune is None:
            dep = dep_of_commune(insee)
            if dep not in self.departements:
                raise ValueError(f"commune {insee} : département {dep} inconnu")
            commune = self.communes[insee] = Commune(insee, name, dep)
            self.departements[dep].communes.append(insee)
        elif not commune.name and name:
            commune.name = name
        if dataset not in commune.datasets:
            commune.datasets.append(dataset)
        return commune

    def _load_2015(self, correspondence: dict[str, CorrespondenceRecord]) -> None:
        successors: dict[str, list[str]] = defaultdict(list)
        for rec in correspondence.values():
            for code, _label in rec.predecessors:
                successors[code].append(rec.code)
        for old in read_qpv_2015(self.data):
            insees = [insee for insee, _ in old.communes]
            self.qpv2015[old.code] = Qpv2015(old.code, old.name, insees, [s for s in successors.get(old.code, []) if s in self.qpvs])
            for insee, name in old.communes:
                self._commune(insee, name, ds.QPV_2015.id).qpv2015.append(old.code)

    def _load_revised(self, correspondence: dict[str, CorrespondenceRecord]) -> None:
        mayotte = {fold(c.name): c for c in self.communes.values() if c.dep == MAYOTTE}
        for rec in correspondence.values():
            if rec.statut != "COMMUNE":
                continue
            commune = mayotte.get(fold(rec.label))
            if commune is None:
                self.warnings.append(f"{rec.code} ({rec.label}) : commune de Mayotte introuvable")
                continue
            commune.revised_code = rec.code
            self.revised_codes[rec.code] = (commune.insee, rec.label)

    def _add_site(self, layer, code, name, record, insees, lonlats, named_communes) -> Site:
        for insee, commune_name in named_communes:
            self._commune(insee, commune_name, SITE_LAYERS[layer][1].id)
        dep = getattr(record, "dep", "")
        points = [geo.project_real(lon, lat) if geo.inset_of(lon, lat) or not dep else geo.scene_point(*geo.shift_layout(dep, lon, lat))
                  for lon, lat in lonlats]
        site = Site(layer, code, name, list(dict.fromkeys(municipal(i, "")[0] for i in insees)), points, record)
        self.sites[site.entity_id] = site
        for insee in site.communes:
            self.communes[insee].sites[layer].append(site.entity_id)
        return site

    def _load_contrats(self, generation: int) -> None:
        layer = f"contrat-{generation}"
        by_key: dict[str, list[Site]] = defaultdict(list)
        for rec in read_contrats(self.data, generation):
            communes = [(c, rec.name) for c in rec.codgeo if len(c) == 5]
            site = self._add_site(layer, rec.code, rec.name, rec, [c for c, _ in communes], rec.points, communes)
            for codgeo in rec.codgeo:
                by_key[codgeo].append(site)
                if len(codgeo) == 9:
                    self.epci_names.setdefault(codgeo, rec.name)
        for qpv in self.qpvs.values():
            r = qpv.record
            for key, how in [*((e, "EPCI") for e in r.epcis), *((c, "commune") for c, _ in r.communes)]:
                for site in by_key.get(key, []):
                    if isinstance(site.record, SiteRecord) and site.record.dep and site.record.dep != r.dep:  # an EPCI spanning two départements has one contract each
                        continue
                    if all(s != site.entity_id for s, _ in qpv.contrats[layer]):
                        qpv.contrats[layer].append((site.entity_id, how))
                        site.qpvs.append((qpv.code, how))

    def _link_france_services(self) -> None:
        """France services inside a QPV perimeter or within NEAR_KM of it (simplified perimeters)."""
        cell = 5.0
        grid: dict[tuple[int, int], list[Qpv]] = defaultdict(list)
        for qpv in self.qpvs.values():
            x0, y0, x1, y1 = qpv.bbox
            for gx in range(int((x0 - NEAR_KM) // cell), int((x1 + NEAR_KM) // cell) + 1):
                for gy in range(int((y0 - NEAR_KM) // cell), int((y1 + NEAR_KM) // cell) + 1):
                    grid[(gx, gy)].append(qpv)
        for site in self.sites.values():
            if site.layer != "france-services" or not site.points:
                continue
            x, y = site.points[0]
            for qpv in grid.get((int(x // cell), int(y // cell)), []):
                x0, y0, x1, y1 = qpv.bbox
                if not (x0 - NEAR_KM <= x <= x1 + NEAR_KM and y0 - NEAR_KM <= y <= y1 + NEAR_KM):
                    continue
                if geo.point_in_rings(x, y, qpv.rings):
                    distance = 0.0
                else:
                    distance = geo.distance_to_rings(x, y, qpv.rings)
                    if distance > NEAR_KM:
                        continue
                qpv.france_services.append((site.entity_id, distance))
                site.qpvs.append((qpv.code, "dans le quartier" if distance == 0 else f"à {metres(distance)} du quartier"))
        for qpv in self.qpvs.values():
            qpv.france_services.sort(key=lambda p: (p[1], p[0]))

    def _load_insets(self) -> None:
        for code, name in geo.INSET_NAMES.items():
            rings = list(self.departements[code].rings) if code in self.departements else []
            rings += [ring for q in self.qpvs.values() if q.record.dep == code for ring in q.rings]
            if not rings:
                continue
            x0, y0, x1, y1 = geo.bbox(rings)
            margin = max(x1 - x0, y1 - y0) * 0.06
            self.insets[code] = (x0 - margin, y0 - margin, x1 + margin, y1 + margin)

    # --- queries used by the importer ---------------------------------------------------

    def commune_location(self, insee: str) -> tuple[float, float, float, float] | None:
        commune = self.communes[insee]
        boxes = [self.qpvs[c].bbox for c in commune.qpvs]
        if not boxes:
            points = [p for ids in commune.sites.values() for sid in ids for p in self._site_points_in(sid, insee)]
            boxes = [(x - 2, y - 2, x + 2, y + 2) for x, y in points]
        if not boxes:
            return None
        return min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)

    def _site_points_in(self, site_id: str, insee: str) -> list[tuple[float, float]]:
        site = self.sites[site_id]
        if site.layer in ("france-services",) or len(site.communes) == 1:
            return site.points[:1]
        if len(site.points) == len(site.communes):
            return [site.points[site.communes.index(insee)]]
        return []
