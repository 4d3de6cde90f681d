"""Plain, immutable views of catalogue rows handed to the CLI and the UI.

No ORM object leaves the core: the UI and other threads only ever see these.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qpvdesk.questions import Question


@dataclass(frozen=True)
class SourceView:
    ref: str
    url: str | None
    title: str | None
    publisher: str
    reliability: str  # O / P / S
    date: str | None = None  # date of this citation, when given
    claim: str | None = None  # value given by this source (conflicts)


@dataclass(frozen=True)
class FactView:
    label: str
    value: str
    dates: tuple[str, ...]
    date_note: str | None
    confidence: str  # confirmed / unconfirmed / conflict
    note: str | None
    category: str  # fact / name
    sources: tuple[SourceView, ...]


@dataclass(frozen=True)
class Essential:
    """One line of « L'essentiel » on top of a fiche: every value comes with its sources."""

    label: str
    value: str
    dates: tuple[str, ...]
    sources: tuple[SourceView, ...]


@dataclass(frozen=True)
class RelationView:
    type: str
    direction: str  # "out": this entity -> other; "in": other -> this entity
    label: str  # French, read from this entity's side
    other_id: str
    other_name: str
    other_kind: str
    note: str | None
    sources: tuple[SourceView, ...]


@dataclass(frozen=True)
class EntitySummary:
    id: str
    kind: str
    name: str
    acronym: str | None
    status: str
    summary: str = ""


@dataclass(frozen=True)
class PlaceTable:
    """A table on a territory fiche (a commune's QPV): cells are (text, entity id to link or None)."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[tuple[str, str | None], ...], ...]


@dataclass(frozen=True)
class EntityDetail:
    id: str
    kind: str
    kind_label: str
    name: str
    acronym: str | None
    aliases: tuple[str, ...]
    status: str
    status_label: str
    start: str | None
    end: str | None
    summary: str
    facts: tuple[FactView, ...]
    relations: tuple[RelationView, ...]
    glossary: tuple[GlossaryView, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()  # territories: (French label, value)
    tables: tuple[PlaceTable, ...] = ()  # territories: e.g. a commune's QPV with population and NPNRU mark

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class GlossaryView:
    id: int
    acronym: str
    variants: tuple[str, ...]
    expansion: str
    gloss: str
    entity_id: str | None
    confidence: str
    note: str | None
    sources: tuple[SourceView, ...]


@dataclass(frozen=True)
class PartnerRow:
    id: str
    name: str
    acronym: str | None
    kind: str
    kind_label: str
    status: str
    programmes: tuple[tuple[str, str], ...]  # (programme id, programme name)
    roles: tuple[str, ...]  # French relation labels ("finance", "partenaire de"…)


@dataclass(frozen=True)
class TreeNode:
    id: str
    name: str
    kind: str
    status: str
    via: str = ""  # French label of the relation that put it here ("pilote", "tutelle"…)
    children: list[TreeNode] = field(default_factory=list)
    also: tuple[str, ...] = ()  # the other parents it also sits under (« aussi sous … »), by short name


@dataclass(frozen=True)
class CatalogueStats:
    counts: dict[str, int]
    kinds: dict[str, int]
    newest_information_date: str
    builder_version: str
    content_hash: str
    sources_by_reliability: dict[str, int]
    facts_by_confidence: dict[str, int]
    datasets: tuple[dict, ...]


# --- search results (here, not in qpvdesk.search, so the UI can use them without SQLAlchemy) ---

GROUP_ORDER = ("Acteurs", "Programmes", "Territoires", "Glossaire")


@dataclass(frozen=True)
class SearchHit:
    doc_type: str  # entity / glossary
    id: str
    kind: str
    group: str
    title: str
    status: str
    score: float
    exact: bool
    snippet: str
    highlights: tuple[tuple[int, int], ...]  # spans of matched words in snippet


@dataclass(frozen=True)
class AnswerItem:
    id: str  # the fiche this line is about
    name: str
    detail: str  # amount, role or date, as the source gives it ("" when none)
    sources: tuple[SourceView, ...]


@dataclass(frozen=True)
class Answer:
    """« qui finance le PIC » answered under the PIC: « Financé par : Anah (…), … », each line sourced."""

    subject_id: str
    subject_name: str
    heading: str  # « Financé par », « Créé le », …
    items: tuple[AnswerItem, ...]

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class SearchResult:
    query: str
    hits: list[SearchHit] = field(default_factory=list)
    corrections: dict[str, str] = field(default_factory=dict)  # typed word -> corrected word
    truncated: bool = False
    notice: str = ""  # French, from the territory lookup: what a typed code or place name is (or is not)
    partial: bool = False  # no document holds every word: these hits match some of them only
    more_places: int = 0  # places matched only by the start of a word, left out of hits (« et n autres lieux »)
    question: Question | None = None  # what the typed words ask
    answer: Answer | None = None  # a question about a relation or a date, answered from the top fiche
