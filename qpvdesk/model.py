"""The catalogue schema (SQLAlchemy 2.0 typed ORM).

Everything shown to users hangs off `Entity` (actors, programmes, laws, territories…);
every fact, relation and glossary entry cites `Source` rows through citation tables,
so no figure can reach the screen without its origin.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

SCHEMA_VERSION = "1"  # of the catalogue's tables: a signed update of another schema is refused

class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Build facts: schema version, content hash, data date."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Source(Base):
    __tablename__ = "source"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(Text, unique=True)  # URL or legal/repository reference
    url: Mapped[str | None] = mapped_column(Text)  # set when ref is a web address
    title: Mapped[str | None] = mapped_column(Text)
    publisher: Mapped[str] = mapped_column(Text)
    reliability: Mapped[str] = mapped_column(String(1))  # O / P / S


class Entity(Base):
    __tablename__ = "entity"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    kind: Mapped[str] = mapped_column(String, index=True)
    name: Mapped[str] = mapped_column(Text)
    acronym: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String, default="active")
    start_date: Mapped[str | None] = mapped_column(String)
    end_date: Mapped[str | None] = mapped_column(String)
    summary: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(Text)  # content file and line, or data set id

    aliases: Mapped[list[EntityAlias]] = relationship(order_by="EntityAlias.position", cascade="all")
    facts: Mapped[list[Fact]] = relationship(order_by="Fact.position", cascade="all")


class EntityAlias(Base):
    __tablename__ = "entity_alias"
    entity_id: Mapped[str] = mapped_column(ForeignKey("entity.id"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    alias: Mapped[str] = mapped_column(Text)


class Fact(Base):
    __tablename__ = "fact"
    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entity.id"), index=True)
    position: Mapped[int]
    category: Mapped[str] = mapped_column(String, default="fact")  # fact | name
    label: Mapped[str] = mapped_column(Text)
    value: Mapped[str] = mapped_column(Text)
    dates: Mapped[str] = mapped_column(Text, default="")  # partial ISO dates joined by " / "
    date_note: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[str] = mapped_column(String, default="confirmed")
    note: Mapped[str | None] = mapped_column(Text)

    citations: Mapped[list[FactCitation]] = relationship(order_by="FactCitation.position", cascade="all")


class FactCitation(Base):
    __tablename__ = "fact_citation"
    fact_id: Mapped[int] = mapped_column(ForeignKey("fact.id"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), index=True)
    source_date: Mapped[str | None] = mapped_column(String)
    claim: Mapped[str | None] = mapped_column(Text)  # the value this source gives, for conflicts

    source: Mapped[Source] = relationship()


class Relation(Base):
    __tablename__ = "relation"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("entity.id"))
    type: Mapped[str] = mapped_column(String)
    target_id: Mapped[str] = mapped_column(ForeignKey("entity.id"))
    note: Mapped[str | None] = mapped_column(Text)
    # content file and line ("relations.yaml:12" = section F of the fact sheet); None for open-data links
    origin: Mapped[str | None] = mapped_column(Text)

    citations: Mapped[list[RelationCitation]] = relationship(order_by="RelationCitation.position", cascade="all")

    __table_args__ = (Index("ix_relation_source", "source_id"), Index("ix_relation_target", "target_id"))


class RelationCitation(Base):
    __tablename__ = "relation_citation"
    relation_id: Mapped[int] = mapped_column(ForeignKey("relation.id"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    source_date: Mapped[str | None] = mapped_column(String)  # the date the source gives the link (an amount's year)

    source: Mapped[Source] = relationship()


class GlossaryTerm(Base):
    __tablename__ = "glossary_term"
    id: Mapped[int] = mapped_column(primary_key=True)
    acronym: Mapped[str] = mapped_column(Text)
    variants: Mapped[str] = mapped_column(Text, default="")  # joined by " / "
    expansion: Mapped[str] = mapped_column(Text)
    gloss: Mapped[str] = mapped_column(Text, default="")
    entity_id: Mapped[str | None] = mapped_column(ForeignKey("entity.id"))
    confidence: Mapped[str] = mapped_column(String, default="confirmed")
    note: Mapped[str | None] = mapped_column(Text)

    citations: Mapped[list[GlossaryCitation]] = relationship(order_by="GlossaryCitation.position", cascade="all")


class GlossaryCitation(Base):
    __tablename__ = "glossary_citation"
    term_id: Mapped[int] = mapped_column(ForeignKey("glossary_term.id"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))

    source: Mapped[Source] = relationship()


class Dataset(Base):
    """An imported open-data file: producer, date and licence must be shown (Licence Ouverte)."""

    __tablename__ = "dataset"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    producer: Mapped[str] = mapped_column(Text)
    licence: Mapped[str] = mapped_column(Text)
    date: Mapped[str] = mapped_column(String)
    url: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
