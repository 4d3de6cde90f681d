"""Read-only access to the shipped catalogue (data.sqlite).

The file is opened with SQLite's `mode=ro` URI: nothing is ever written beside it (no
-wal/-shm), and it works from a read-only install folder. Every failure becomes a
CatalogueError with a French message for the user.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, selectinload, sessionmaker
from sqlalchemy.pool import QueuePool

from qpvdesk.errors import CatalogueError  # noqa: F401 (re-exported: callers catch it from here too)
from qpvdesk.model import (
    Dataset,
    Entity,
    Fact,
    FactCitation,
    GlossaryCitation,
    GlossaryTerm,
    Meta,
    Relation,
    RelationCitation,
    Source,
)
from qpvdesk.views import (
    CatalogueStats,
    EntityDetail,
    EntitySummary,
    FactView,
    GlossaryView,
    PartnerRow,
    RelationView,
    SourceView,
)
from qpvdesk.vocabulary import KINDS, RELATION_TYPES, STATUSES, TERRITORY_KINDS

REQUIRED_TABLES = {"meta", "entity", "fact", "source", "relation", "glossary_term", "search_doc", "search_fts"}
# Relations are counted by the content file they come from (Relation.origin, "file:line"):
# relations.yaml holds the edges of section F of the fact sheet; the CIV → measure decisions are apart.
SECTION_F_RELATIONS_FILE = "relations.yaml"
MEASURE_RELATIONS_FILE = "relations-mesures-civ.yaml"
INSTRUMENT_RELATIONS_FILE = "relations-dispositifs.yaml"  # instruments added in December 2026
FUNDING_RELATIONS_FILE = "relations-financements.yaml"  # amounts a fact gives, as links for « L'essentiel »
PARTNER_KINDS = ("partner", "agency", "local-actor")


REINSTALL = "Réinstallez qpvdesk ou reconstruisez le catalogue avec « qpvdesk build-data »."
# What SQLite raises on reading a damaged page (sqlite3 errors, or SQLAlchemy's wrappers of them)
READ_ERRORS = (sqlite3.DatabaseError, DatabaseError)


def damage_reason(exc: BaseException) -> str:
    """What a read error says about the file, in French."""
    wrapped = getattr(exc, "orig", None)
    text = str(wrapped if isinstance(wrapped, BaseException) else exc).lower()
    if "decode" in text or "utf-8" in text:
        return "texte illisible (octets qui ne sont pas de l'UTF-8)"
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return "fichier de base de données endommagé"
    if isinstance(exc, OSError) or isinstance(wrapped, OSError):
        from qpvdesk.errors import french_reason

        return french_reason(exc)
    return "erreur de lecture de la base de données"


def damaged(path: Path, exc: BaseException) -> CatalogueError:
    """The French error for a catalogue found damaged while reading it (after it opened fine)."""
    return CatalogueError(f"Le catalogue {path} est endommagé : {damage_reason(exc)}.\n{REINSTALL}")


def fts5_available() -> bool:
    try:
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        conn.close()
        return True
    except sqlite3.Error:
        return False


def _source_view(source: Source, date: str | None = None, claim: str | None = None) -> SourceView:
    return SourceView(source.ref, source.url, source.title, source.publisher, source.reliability, date, claim)


class Catalogue:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise CatalogueError(
                f"Le catalogue est introuvable : {self.path}\n"
                "Réinstallez qpvdesk ou reconstruisez le catalogue avec « qpvdesk build-data »."
            )
        if not fts5_available():
            raise CatalogueError(
                "La bibliothèque SQLite de cette installation ne gère pas la recherche plein texte (FTS5). "
                "Utilisez la version installable de qpvdesk, qui l'inclut."
            )
        uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
        # "sqlite://" alone would pick SingletonThreadPool (one connection per thread, closed
        # behind other threads' backs); searches run on a QThreadPool, so a real pool is needed.
        self.engine = create_engine(
            "sqlite://",
            creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
            poolclass=QueuePool,
            pool_size=4,
            max_overflow=12,
        )
        self._sessions = sessionmaker(self.engine)
        self._verify()

    def _verify(self) -> None:
        try:
            with self.engine.connect() as conn:
                tables = {row[0] for row in conn.execute(text("SELECT name FROM sqlite_master"))}
        except (DatabaseError, OperationalError) as exc:
            raise CatalogueError(
                f"Le fichier {self.path.name} n'est pas un catalogue lisible (fichier endommagé ?).\n"
                "Réinstallez qpvdesk ou reconstruisez le catalogue avec « qpvdesk build-data »."
            ) from exc
        missing = REQUIRED_TABLES - tables
        if missing:
            raise CatalogueError(
                f"Le fichier {self.path.name} n'est pas un catalogue qpvdesk complet "
                f"(tables manquantes : {', '.join(sorted(missing))})."
            )
        with self.engine.connect() as conn:
            relation_columns = {row[1] for row in conn.execute(text("PRAGMA table_info(relation)"))}
        if "origin" not in relation_columns:
            raise CatalogueError(
                f"Le fichier {self.path.name} a été construit par une version antérieure de qpvdesk.\n"
                "Reconstruisez le catalogue avec « qpvdesk build-data » ou réinstallez qpvdesk."
            )

    def session(self) -> Session:
        return self._sessions()

    def close(self) -> None:
        self.engine.dispose()

    # --- meta -------------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        with self.session() as s:
            return {m.key: m.value for m in s.scalars(select(Meta))}

    # --- entities ---------------------------------------------------------------------

    def list_entities(self, kind: str | None = None, territories: bool = True) -> list[EntitySummary]:
        # plain rows, not ORM objects: the 8,700 fiches are listed at start (tree, user data's checks) and an
        # identity map of them cost ~12 MiB and a third of a second
        columns = (Entity.id, Entity.kind, Entity.name, Entity.acronym, Entity.status, Entity.summary)
        with self.session() as s:
            query = select(*columns).order_by(Entity.id)
            if kind:
                query = query.where(Entity.kind == kind)
            if not territories:
                query = query.where(Entity.kind.not_in(TERRITORY_KINDS))
            return [EntitySummary(*row) for row in s.execute(query)]

    def reference_rows(self) -> list:
        """(id, kind, name, acronym) of every fiche, as rows with those attributes: what user data checks
        partners against (programmes, communes, QPV), without the summaries."""
        with self.session() as s:
            return s.execute(select(Entity.id, Entity.kind, Entity.name, Entity.acronym).order_by(Entity.id)).all()

    def names(self) -> dict[str, str]:
        with self.session() as s:
            return dict(s.execute(select(Entity.id, Entity.name)).all())

    def entity(self, entity_id: str) -> EntityDetail | None:
        with self.session() as s:
            e = s.get(
                Entity,
                entity_id,
                options=[
                    selectinload(Entity.aliases),
                    selectinload(Entity.facts).selectinload(Fact.citations).selectinload(FactCitation.source),
                ],
            )
            if e is None:
                return None
            facts = tuple(
                FactView(
                    f.label, f.value, tuple(filter(None, f.dates.split(" / "))), f.date_note, f.confidence, f.note, f.category,
                    tuple(_source_view(c.source, c.source_date, c.claim) for c in f.citations),
                )
                for f in e.facts
            )
            terms = s.scalars(
                select(GlossaryTerm).where(GlossaryTerm.entity_id == entity_id)
                .options(selectinload(GlossaryTerm.citations).selectinload(GlossaryCitation.source))
                .order_by(GlossaryTerm.id)
            ).all()
            return EntityDetail(
                id=e.id,
                kind=e.kind,
                kind_label=KINDS.get(e.kind, (e.kind, ""))[0],
                name=e.name,
                acronym=e.acronym,
                aliases=tuple(a.alias for a in e.aliases),
                status=e.status,
                status_label=STATUSES.get(e.status, e.status),
                start=e.start_date,
                end=e.end_date,
                summary=e.summary,
                facts=facts,
                relations=self._relations(s, entity_id),
                glossary=tuple(_glossary_view(t) for t in terms),
                attributes=_territory_attributes(s, e.id, e.kind),  # territories hook (issue 4)
                tables=_territory_tables(s, e.id, e.kind),
            )

    def _relations(self, s: Session, entity_id: str) -> tuple[RelationView, ...]:
        # plain rows rather than ORM objects: a programme can have ~3,000 sites (France services)
        touching = (Relation.source_id == entity_id) | (Relation.target_id == entity_id)
        rels = s.execute(
            select(Relation.id, Relation.source_id, Relation.type, Relation.target_id, Relation.note)
            .where(touching)
            .order_by(Relation.id)
        ).all()
        cited: dict[int, list[SourceView]] = defaultdict(list)
        citations = (
            select(RelationCitation.relation_id, RelationCitation.source_date, Source)
            .join(Source, Source.id == RelationCitation.source_id)
            .where(RelationCitation.relation_id.in_(select(Relation.id).where(touching)))
            .order_by(RelationCitation.relation_id, RelationCitation.position)
        )
        sources: dict[tuple[int, str | None], SourceView] = {}
        for relation_id, date, source in s.execute(citations):
            key = (source.id, date)
            view = sources.get(key) or sources.setdefault(key, _source_view(source, date))
            cited[relation_id].append(view)
        others = {r.target_id if r.source_id == entity_id else r.source_id for r in rels}
        info = {row.id: row for row in s.execute(select(Entity.id, Entity.name, Entity.kind).where(Entity.id.in_(others)))}
        out = []
        for r in rels:
            outgoing = r.source_id == entity_id
            other = info[r.target_id if outgoing else r.source_id]
            out_label, in_label = RELATION_TYPES.get(r.type, (r.type, r.type))
            out.append(
                RelationView(
                    r.type,
                    "out" if outgoing else "in",
                    out_label if outgoing else in_label,
                    other.id,
                    other.name,
                    other.kind,
                    r.note,
                    tuple(cited[r.id]),
                )
            )
        return tuple(out)

    def edges(self) -> list[tuple[str, str, str]]:
        """Relations of the written content as (source id, type, target id), for the tree."""
        with self.session() as s:
            return [
                tuple(row)
                for row in s.execute(
                    _content_relations(select(Relation.source_id, Relation.type, Relation.target_id)).order_by(Relation.id)
                )
            ]

    def partners(self) -> list[PartnerRow]:
        """Actors that fund, carry or partner programmes, with the programmes they touch."""
        with self.session() as s:
            entities = {e.id: e for e in s.scalars(select(Entity).where(Entity.kind.not_in(TERRITORY_KINDS)))}
            links: dict[str, set[tuple[str, str]]] = defaultdict(set)
            roles: dict[str, set[str]] = defaultdict(set)
            for src, rel_type, tgt in s.execute(
                _content_relations(select(Relation.source_id, Relation.type, Relation.target_id))
            ):
                target = entities[tgt]
                if target.kind in ("programme", "measure", "funding"):
                    links[src].add((tgt, target.name))
                roles[src].add(RELATION_TYPES[rel_type][0])
        rows = []
        for e in entities.values():
            if e.kind not in PARTNER_KINDS:
                continue
            rows.append(
                PartnerRow(
                    e.id,
                    e.name,
                    e.acronym,
                    e.kind,
                    KINDS[e.kind][0],
                    e.status,
                    tuple(sorted(links[e.id], key=lambda p: p[1].casefold())),
                    tuple(sorted(roles[e.id])),
                )
            )
        return sorted(rows, key=lambda r: r.name.casefold())

    # --- glossary ---------------------------------------------------------------------

    def glossary(self) -> list[GlossaryView]:
        with self.session() as s:
            terms = s.scalars(
                select(GlossaryTerm)
                .options(selectinload(GlossaryTerm.citations).selectinload(GlossaryCitation.source))
                .order_by(GlossaryTerm.id)
            ).all()
            return [_glossary_view(t) for t in terms]

    # --- health -----------------------------------------------------------------------

    def stats(self) -> CatalogueStats:
        meta = self.meta()
        with self.session() as s:
            counts = {
                "entities": s.scalar(select(func.count()).select_from(Entity)) or 0,
                "facts": s.scalar(select(func.count()).select_from(Fact)) or 0,
                "sources": s.scalar(select(func.count()).select_from(Source)) or 0,
                "relations": _count_from_file(s, SECTION_F_RELATIONS_FILE),
                "measure_relations": _count_from_file(s, MEASURE_RELATIONS_FILE),
                "instrument_relations": _count_from_file(s, INSTRUMENT_RELATIONS_FILE),
                "funding_relations": _count_from_file(s, FUNDING_RELATIONS_FILE),
                "territory_relations": (s.scalar(select(func.count()).select_from(Relation)) or 0)
                - (s.scalar(_content_relations(select(func.count()).select_from(Relation))) or 0),
                "glossary_terms": s.scalar(select(func.count()).select_from(GlossaryTerm)) or 0,
                "facts_without_source": s.scalar(select(func.count()).select_from(Fact).where(~Fact.citations.any())) or 0,
            }
            kinds = dict(s.execute(select(Entity.kind, func.count()).group_by(Entity.kind).order_by(Entity.kind)).all())
            by_rel = dict(
                s.execute(
                    select(Source.reliability, func.count()).group_by(Source.reliability).order_by(Source.reliability)
                ).all()
            )
            by_conf = dict(
                s.execute(select(Fact.confidence, func.count()).group_by(Fact.confidence).order_by(Fact.confidence)).all()
            )
            datasets = tuple(
                {
                    "id": d.id,
                    "title": d.title,
                    "producer": d.producer,
                    "licence": d.licence,
                    "date": d.date,
                    "url": d.url,
                    "note": d.note,
                }
                for d in s.scalars(select(Dataset).order_by(Dataset.id))
            )
        return CatalogueStats(
            counts,
            kinds,
            meta.get("newest_information_date", ""),
            meta.get("builder_version", ""),
            meta.get("content_hash", ""),
            by_rel,
            by_conf,
            datasets,
        )

    def damage(self) -> str | None:
        """None if the file reads back whole, else what is wrong (French).

        SQLite's quick_check sees broken pages; reading every row once also finds text that is no
        longer UTF-8, which quick_check accepts and which would fail later in a fiche (0.3 s here).
        """
        try:
            with self.engine.connect() as conn:
                verdicts = conn.execute(text("PRAGMA quick_check")).scalars().all()
                if verdicts != ["ok"]:
                    anomalies = sum(1 for line in "\n".join(verdicts).splitlines() if line and not line.startswith("***"))
                    return f"fichier de base de données endommagé ({anomalies} anomalie(s) relevée(s) par SQLite)"
                tables = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars().all()
                for table in tables:
                    quoted = table.replace('"', '""')
                    for _ in conn.exec_driver_sql(f'SELECT * FROM "{quoted}"'):
                        pass
        except READ_ERRORS as exc:
            return damage_reason(exc)
        return None


def _count_from_file(s: Session, file: str) -> int:
    """Relations written in one content file (origin "file:line")."""
    query = select(func.count()).select_from(Relation).where(Relation.origin.startswith(f"{file}:", autoescape=True))
    return s.scalar(query) or 0


def _content_relations(query):
    """Keep relations between written-content entities (not the open-data territory links)."""
    territorial = select(Entity.id).where(Entity.kind.in_(TERRITORY_KINDS))
    return query.where(Relation.source_id.not_in(territorial), Relation.target_id.not_in(territorial))


def _territory_attributes(s: Session, entity_id: str, kind: str) -> tuple[tuple[str, str], ...]:
    """Territories hook (issue 4): fiche lines of QPV, communes, départements, régions and sites."""
    from qpvdesk.territories.repository import attributes_in_session

    return attributes_in_session(s, entity_id, kind)  # () for kinds without a data section


def _territory_tables(s: Session, entity_id: str, kind: str) -> tuple:
    from qpvdesk.territories.place_extras import tables_in_session

    return tables_in_session(s, entity_id, kind) if kind in TERRITORY_KINDS else ()


def _glossary_view(t: GlossaryTerm) -> GlossaryView:
    return GlossaryView(
        t.id,
        t.acronym,
        tuple(filter(None, t.variants.split(" / "))),
        t.expansion,
        t.gloss,
        t.entity_id,
        t.confidence,
        t.note,
        tuple(_source_view(c.source) for c in t.citations),
    )
