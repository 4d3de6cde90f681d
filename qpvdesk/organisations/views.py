"""Plain views of the funded organisations, for the fiches, the CLI and the partner browser."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FundingLine:
    programme: str  # adultes-relais / fonjep
    year: int
    posts: int
    amount_cents: int
    dep_code: str
    cv_codes: tuple[str, ...]


@dataclass(frozen=True)
class PlaceLink:
    entity_id: str
    name: str
    code: str = ""


@dataclass(frozen=True)
class OrganisationInfo:
    entity_id: str
    name: str
    siret: str | None
    identity: str  # siret / siret+name / name
    type: str  # vocabulary.TYPES key
    source_names: tuple[str, ...]
    funding: tuple[FundingLine, ...]
    departements: tuple[PlaceLink, ...]
    contrats: tuple[PlaceLink, ...]
    communes: tuple[PlaceLink, ...]
    unknown_contrats: tuple[str, ...] = ()  # codes of the source that no contrat de ville of the data has


@dataclass(frozen=True)
class FundedHere:
    """One organisation on a place's fiche: its posts counted in that place."""

    entity_id: str
    name: str
    type: str
    posts: dict  # (programme, year) -> posts here


@dataclass(frozen=True)
class OrganisationRow:
    """A row of the partner browser (catalogue organisation)."""

    entity_id: str
    name: str
    type: str
    siret: str | None
    departements: tuple[str, ...]
    regions: tuple[str, ...]
    programmes: tuple[str, ...]
    years: tuple[int, ...]
    contrats: tuple[str, ...]  # contrat de ville codes
    posts_last: int
    last_year: int


@dataclass(frozen=True)
class PlaceChoice:
    """A commune or a contrat de ville of the browser's place filter, with the contrat codes it stands for."""

    key: str  # entity id
    label: str
    codes: frozenset


@dataclass(frozen=True)
class BrowserData:
    rows: tuple[OrganisationRow, ...]
    departements: dict  # code -> name
    regions: dict  # code -> name
    places: tuple[PlaceChoice, ...]  # contrats de ville, then communes, alphabetical
