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

from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, selectinload, sessionmaker
from sqlalchemy.pool import QueuePool

from qpvdesk.catalogue_health import (  # noqa: F401 (re-exported: callers import them from here too)
    INSTRUMENT_RELATIONS_FILE,
    MEASURE_RELATIONS_FILE,
    READ_ERRORS,
    REINSTALL,
    SECTION_F_RELATIONS_FILE,
    catalogue_stats,
    content_relations,
    damage_reason,
    damaged,
    file_damage,
    fts5_available,
)
from qpvdesk.errors import CatalogueError  # noqa: F401 (re-exported: callers catch it from here too)
from qpvdesk.model import (
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
from qpvdesk.vocabulary import KINDS, OPEN_DATA_KINDS, RELATION_TYPES, STATUSES, TERRITORY_KINDS

REQUIRED_TABLES = {"meta", "entity", "fact", "source", "relation", "glossary_term", "search_doc", "search_fts"}
PARTNER_KINDS = ("partner", "agency", "local-actor")


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
                query = query.where(Entity.kind.not_in(OPEN_DATA_KINDS))
            return [EntitySummary(*row) for row in s.execute(query)]

    def reference_rows(self) -> list:
        """(id, kind, name, acronym) of every fiche, as rows with those attributes: what user data checks
        partners against (programmes, communes, QPV), without the summaries."""
        with self.session() as s:
            return list(s.execute(select(Entity.id, Entity.kind, Entity.name, Entity.acronym).order_by(Entity.id)).all())

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
            extra_facts, extra_attributes = self._organisation_lines(e.id, e.kind)
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
                facts=facts + extra_facts,
                relations=self._relations(s, entity_id),
                glossary=tuple(_glossary_view(t) for t in terms),
                attributes=_territory_attributes(s, e.id, e.kind) or extra_attributes,
                tables=_territory_tables(s, e.id, e.kind),
            )

    def _organisation_lines(self, entity_id: str, kind: str) -> tuple[tuple[FactView, ...], tuple[tuple[str, str], ...]]:
        """Organisations hook (issue 14): posts per programme and year as facts citing ANCT's file of that year;
        type (deduced), SIRET and places as fiche lines."""
        if kind != "organisation":
            return (), ()
        from qpvdesk.organisations.fiche import attributes, facts
        from qpvdesk.organisations.repository import OrganisationRepository

        repository = OrganisationRepository(self)
        info = repository.organisation(entity_id)
        return (facts(info, repository.sources()), attributes(info)) if info else ((), ())

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
                    content_relations(select(Relation.source_id, Relation.type, Relation.target_id)).order_by(Relation.id)
                )
            ]

    def partners(self) -> list[PartnerRow]:
        """Actors that fund, carry or partner programmes, with the programmes they touch."""
        with self.session() as s:
            entities = {e.id: e for e in s.scalars(select(Entity).where(Entity.kind.not_in(OPEN_DATA_KINDS)))}
            links: dict[str, set[tuple[str, str]]] = defaultdict(set)
            roles: dict[str, set[str]] = defaultdict(set)
            for src, rel_type, tgt in s.execute(
                content_relations(select(Relation.source_id, Relation.type, Relation.target_id))
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
            return catalogue_stats(s, meta)

    def damage(self) -> str | None:
        """None if the file reads back whole, else what is wrong (French)."""
        return file_damage(self.engine)


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
