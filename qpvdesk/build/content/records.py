"""Plain records read from the content files, before they go into the database."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Where:
    """Position of a field in a content file, for error messages."""

    file: str
    line: int
    field: str = ""

    def __str__(self) -> str:
        suffix = f", champ « {self.field} »" if self.field else ""
        line = f", ligne {self.line}" if self.line > 0 else ""  # 0: the whole file or folder
        return f"{self.file}{line}{suffix}"


@dataclass
class SourceRef:
    ref: str
    reliability: str
    title: str | None = None
    date: str | None = None
    claim: str | None = None
    where: Where | None = None


@dataclass
class FactRecord:
    label: str
    value: str
    dates: list[str]
    date_note: str | None
    confidence: str
    note: str | None
    category: str
    sources: list[SourceRef]
    where: Where


@dataclass
class EntityRecord:
    id: str
    kind: str
    name: str
    acronym: str | None
    aliases: list[str]
    status: str
    start: str | None
    end: str | None
    summary: str
    facts: list[FactRecord]
    where: Where
    # Territories carry structured attributes (codes, geometry); catalogue entities do not.
    extra: dict = field(default_factory=dict)


@dataclass
class RelationRecord:
    source: str
    type: str
    target: str
    note: str | None
    sources: list[SourceRef]
    where: Where
    key_lines: dict[str, int] = field(default_factory=dict)

    def at(self, key: str) -> Where:
        return Where(self.where.file, self.key_lines.get(key, self.where.line), key)


@dataclass
class GlossaryRecord:
    acronym: str
    variants: list[str]
    expansion: str
    gloss: str
    entity: str | None
    confidence: str
    note: str | None
    sources: list[SourceRef]
    where: Where


@dataclass
class ContentError:
    where: Where
    message: str

    def __str__(self) -> str:
        return f"{self.where} : {self.message}"


@dataclass
class Content:
    entities: list[EntityRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    glossary: list[GlossaryRecord] = field(default_factory=list)
    publishers: dict[str, str] = field(default_factory=dict)
    not_acronyms: set[str] = field(default_factory=set)
    everyday: dict[str, list[str]] = field(default_factory=dict)  # « mots courants »: word -> fiche ids
    everyday_lines: list[tuple[str, int]] = field(default_factory=list)  # (fiche id, line), for the id check
    errors: list[ContentError] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # files with a YAML syntax error (their content is missing)
