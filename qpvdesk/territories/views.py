"""Plain, immutable views of the territories for the UI and the CLI (no ORM objects)."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field

Rect = tuple[float, float, float, float]  # min x, min y, max x, max y (scene km, y down)


@dataclass(frozen=True)
class TerritoryNode:
    """A row of the territory browser: région → département → commune → QPV."""

    key: str  # unique in the tree
    entity_id: str | None  # None for the "Collectivités d'outre-mer" group
    kind: str  # region / departement / commune / qpv
    name: str
    code: str
    qpv_count: int
    site_count: int  # cités éducatives, cités de l'emploi and France services
    note: str = ""  # e.g. "liste révisée"
    children: tuple[TerritoryNode, ...] = ()


@dataclass(frozen=True)
class CommuneInfo:
    insee: str
    entity_id: str
    name: str
    dep_code: str
    dep_name: str
    qpvs: tuple[tuple[str, str, str], ...]  # (entity id, code, name)
    cites_educatives: int
    cites_emploi: int
    france_services: int
    revised_code: str | None = None  # Mayotte: commune-wide QPV of the revised list

    def counts_text(self) -> str:
        parts = [f"{len(self.qpvs)} QPV"]
        for n, one, many in ((self.cites_educatives, "cité éducative", "cités éducatives"),
                             (self.cites_emploi, "cité de l'emploi", "cités de l'emploi"),
                             (self.france_services, "France services", "France services")):
            if n:
                parts.append(f"{n} {one if n == 1 else many}")
        return ", ".join(parts)


@dataclass(frozen=True)
class LookupMatch:
    entity_id: str
    kind: str  # commune / qpv / departement
    label: str


@dataclass(frozen=True)
class Places:
    """Where a commune or QPV fiche is, to find the user's local partners of that place."""

    communes: tuple[str, ...]  # names and INSEE codes
    qpv_codes: tuple[str, ...]  # every QPV of those communes
    own_qpv: str | None  # the fiche's own QPV (None on a commune fiche)
    homonym: bool  # another commune of the data has the same name


@dataclass(frozen=True)
class LookupResult:
    query: str
    message: str  # French, always says something (including "no QPV here")
    matches: tuple[LookupMatch, ...] = ()

    @property
    def found(self) -> bool:
        return bool(self.matches)


@dataclass(frozen=True)
class MapShape:
    entity_id: str | None
    code: str
    name: str
    rings: tuple[array, ...]  # each array('d'): x0, y0, x1, y1…
    bbox: Rect


@dataclass(frozen=True)
class MapPoint:
    entity_id: str
    name: str
    x: float
    y: float


@dataclass(frozen=True)
class MapPlace:
    """A commune name on the map: weight orders the labels (inhabitants of its QPV, the data has no
    commune population), the heavier ones shown first where names would overlap."""

    entity_id: str
    name: str
    x: float
    y: float
    weight: int


@dataclass(frozen=True)
class MapInset:
    code: str
    name: str
    rect: Rect


@dataclass(frozen=True)
class MapData:
    regions: tuple[MapShape, ...]
    departements: tuple[MapShape, ...]
    qpv: tuple[MapShape, ...]
    points: dict[str, tuple[MapPoint, ...]]  # layer -> markers
    insets: tuple[MapInset, ...]
    bounds: Rect
    attribution: str
    revised: frozenset[str] = field(default_factory=frozenset)  # QPV entity ids of Mayotte's revised list
    places: tuple[MapPlace, ...] = ()  # communes with a QPV, heaviest first
    npnru: frozenset[str] = field(default_factory=frozenset)  # QPV entity ids issued from an NPNRU quartier (2015 list)
