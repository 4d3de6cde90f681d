"""Compile resources/ into data.sqlite, atomically and deterministically.

The build writes a temporary file beside the target and renames it only when every
check passed, so a broken content file never leaves a half-built catalogue.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session

import qpvdesk.organisations.tables  # noqa: F401 (declares the organisation tables before create_all)
from qpvdesk import __version__
from qpvdesk.build.content.checks import all_source_lists, check_content
from qpvdesk.build.content.everyday import store_everyday_words
from qpvdesk.build.content.reader import read_content
from qpvdesk.build.content.records import Content, ContentError, SourceRef, Where
from qpvdesk.build.content.source_hosts import check_source_hosts
from qpvdesk.build.search_index import build_search_index
from qpvdesk.build.territories.importer import populate_territories
from qpvdesk.errors import BuildError, french_reason  # noqa: F401 (BuildError re-exported)
from qpvdesk.model import (
    SCHEMA_VERSION,
    Base,
    Entity,
    EntityAlias,
    Fact,
    FactCitation,
    GlossaryCitation,
    GlossaryTerm,
    Meta,
    Relation,
    RelationCitation,
    Source,
)
from qpvdesk.vocabulary import REFERENCE_SHEET_REF

REFERENCE_SHEET_PUBLISHER = "Fiche de référence de l'équipe qpvdesk (sources consultées jusqu'au 4 décembre 2026)"
ETALAB_PREFIX = "etalab/lois-non-codifiees-et-reglements-francais:"


@dataclass
class BuildReport:
    path: Path
    counts: dict[str, int]
    content_hash: str


def content_hash(resources: Path) -> str:
    """Hash of every input file (path + bytes), so a stale data.sqlite can be detected."""
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION}\n".encode())
    for path in sorted(p for p in resources.rglob("*") if p.is_file() and p.suffix in {".yaml", ".csv", ".json", ".geojson"}):
        digest.update(path.relative_to(resources).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_checked_content(resources: Path) -> Content:
    content = read_content(resources / "content")
    if content.unreadable:
        # the cross-checks would report every id of the unreadable file as unknown: fix the syntax first
        raise BuildError(content.errors)
    errors = content.errors + check_content(content)
    errors += check_source_hosts(resources / "content", content)  # deny-listed hosts; warns on S-only facts
    if errors:
        raise BuildError(errors)
    return content


def _publisher(ref: str, publishers: dict[str, str]) -> str:
    if ref == REFERENCE_SHEET_REF:
        return REFERENCE_SHEET_PUBLISHER
    if ref.startswith(ETALAB_PREFIX):
        return publishers.get("etalab", "Légifrance (miroir Etalab des textes non codifiés)")
    host = urlsplit(ref).hostname or ""
    host = host.removeprefix("www.").rstrip(".")
    while host:
        if host in publishers:
            return publishers[host]
        if "." not in host:
            break
        host = host.split(".", 1)[1] if host.count(".") > 1 else ""
    return (urlsplit(ref).hostname or ref).removeprefix("www.")


class _SourceTable:
    """Deduplicates sources by reference; ids follow sorted references for determinism."""

    def __init__(self, content: Content) -> None:
        refs: dict[str, SourceRef] = {}
        for group in all_source_lists(content):
            for s in group:
                known = refs.get(s.ref)
                if known is None or (s.title and not known.title):
                    refs[s.ref] = s
        self.rows = []
        self.ids: dict[str, int] = {}
        for number, ref in enumerate(sorted(refs), start=1):
            s = refs[ref]
            self.ids[ref] = number
            self.rows.append(
                Source(
                    id=number,
                    ref=ref,
                    url=ref if ref.startswith(("http://", "https://")) else None,
                    title=s.title,
                    publisher=_publisher(ref, content.publishers),
                    reliability=s.reliability,
                )
            )


def _newest_date(content: Content) -> str:
    dates = [d for e in content.entities for f in e.facts for d in f.dates]
    dates += [s.date for group in all_source_lists(content) for s in group if s.date]
    return max(dates, default="")


def _populate(session: Session, content: Content, digest: str) -> None:
    sources = _SourceTable(content)
    session.add_all(sources.rows)
    fact_id = 0
    for e in sorted(content.entities, key=lambda e: e.id):
        entity = Entity(
            id=e.id, kind=e.kind, name=e.name, acronym=e.acronym, status=e.status,
            start_date=e.start, end_date=e.end, summary=e.summary, origin=f"{e.where.file}:{e.where.line}",
        )
        entity.aliases = [EntityAlias(position=i, alias=a) for i, a in enumerate(e.aliases)]
        for position, f in enumerate(e.facts):
            fact_id += 1
            fact = Fact(
                id=fact_id, position=position, category=f.category, label=f.label, value=f.value,
                dates=" / ".join(f.dates), date_note=f.date_note, confidence=f.confidence, note=f.note,
            )
            fact.citations = [
                FactCitation(position=i, source_id=sources.ids[s.ref], source_date=s.date, claim=s.claim)
                for i, s in enumerate(f.sources)
            ]
            entity.facts.append(fact)
        session.add(entity)
    session.flush()
    for number, r in enumerate(content.relations, start=1):
        rel = Relation(
            id=number, source_id=r.source, type=r.type, target_id=r.target, note=r.note,
            origin=f"{r.where.file}:{r.where.line}",
        )
        rel.citations = [
            RelationCitation(position=i, source_id=sources.ids[s.ref], source_date=s.date) for i, s in enumerate(r.sources)
        ]
        session.add(rel)
    for number, g in enumerate(sorted(content.glossary, key=lambda g: (g.acronym.casefold(), g.acronym)), start=1):
        term = GlossaryTerm(
            id=number, acronym=g.acronym, variants=" / ".join(g.variants), expansion=g.expansion,
            gloss=g.gloss, entity_id=g.entity, confidence=g.confidence, note=g.note,
        )
        term.citations = [GlossaryCitation(position=i, source_id=sources.ids[s.ref]) for i, s in enumerate(g.sources)]
        session.add(term)
    session.add_all(
        Meta(key=k, value=v)
        for k, v in {
            "schema_version": SCHEMA_VERSION,
            "content_hash": digest,
            "builder_version": __version__,
            "newest_information_date": _newest_date(content),
        }.items()
    )


def _territory_failure(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno is None:
        return str(exc)  # our own French message (missing data files)
    if isinstance(exc, OSError):
        return f"données territoriales illisibles : {french_reason(exc)}"
    if isinstance(exc, KeyError):
        return f"données territoriales incohérentes : code {exc} inconnu (département, commune ou QPV absent d'un autre fichier)"
    return f"données territoriales incohérentes : {exc}"


def _populate_organisations(session: Session, resources: Path) -> None:
    from qpvdesk.build.organisations.importer import populate_organisations
    from qpvdesk.build.organisations.reader import PostsDataError

    try:
        populate_organisations(session, resources)
    except PostsDataError as exc:  # « file, record : field … »
        where, _, detail = str(exc).partition(" : ")
        raise BuildError([ContentError(Where(where, 0), detail)]) from exc


def _recreate_indexes_in_name_order(engine) -> None:  # noqa: ANN001
    """SQLAlchemy creates a table's indexes in set order, which changes from run to run: the schema,
    hence the file's bytes, would too. Recreated by name while the tables are still empty."""
    with engine.begin() as conn:
        rows = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
        ).all()
        for name, _sql in rows:
            conn.exec_driver_sql(f'DROP INDEX "{name}"')
        for _name, sql in rows:
            conn.exec_driver_sql(sql)


def build_catalogue(resources: Path, target: Path) -> BuildReport:
    """Validate the content, then write the catalogue to target (replaced only on success)."""
    content = load_checked_content(resources)
    digest = content_hash(resources)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".data-", suffix=".sqlite.tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        engine = create_engine(f"sqlite:///{tmp}")

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # noqa: ANN001
            dbapi_conn.execute("PRAGMA foreign_keys = ON")

        Base.metadata.create_all(engine)
        _recreate_indexes_in_name_order(engine)
        with Session(engine) as session:
            _populate(session, content, digest)
            session.commit()
        with Session(engine) as session:
            # open-data territories (QPV, communes, programme sites) from resources/data
            try:
                populate_territories(session, resources)
            except (OSError, ValueError, KeyError) as exc:  # the readers' own BuildErrors name file and field
                raise BuildError([ContentError(Where("resources/data", 0), _territory_failure(exc))]) from exc
            session.commit()
        with Session(engine) as session:
            _populate_organisations(session, resources)  # organisations hook (issue 14)
            session.commit()
        engine.dispose()
        with sqlite3.connect(tmp) as conn:
            store_everyday_words(conn, content)
            build_search_index(conn)
            counts = _counts(conn)
        conn.close()
        with sqlite3.connect(tmp) as conn:
            conn.execute("PRAGMA journal_mode = DELETE")
        conn.close()
        vacuum = sqlite3.connect(tmp)
        vacuum.execute("VACUUM")
        vacuum.close()
        tmp.chmod(0o644)  # mkstemp makes it private; an installed catalogue must be readable by all
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return BuildReport(target, counts, digest)


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = ("entity", "fact", "source", "relation", "glossary_term")
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}  # noqa: S608
