"""The catalogue's health: what a damaged file says in French, whether it reads back whole, and its counts.

Apart from catalogue.py (the reading of fiches) so `qpvdesk check`, « À propos » and the damaged-file
messages have one place; catalogue.py re-exports these names, callers import them from either.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from qpvdesk.errors import CatalogueError
from qpvdesk.model import Dataset, Entity, Fact, GlossaryTerm, Relation, Source
from qpvdesk.views import CatalogueStats
from qpvdesk.vocabulary import TERRITORY_KINDS

# Relations are counted by the content file they come from (Relation.origin, "file:line"):
# relations.yaml holds the edges of section F of the fact sheet; the CIV → measure decisions are apart.
SECTION_F_RELATIONS_FILE = "relations.yaml"
MEASURE_RELATIONS_FILE = "relations-mesures-civ.yaml"
INSTRUMENT_RELATIONS_FILE = "relations-dispositifs.yaml"  # instruments added in December 2026
FUNDING_RELATIONS_FILE = "relations-financements.yaml"  # amounts a fact gives, as links for « L'essentiel »

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


def catalogue_stats(s: Session, meta: dict[str, str]) -> CatalogueStats:
    """The counts `qpvdesk check` and « À propos » show, read in one session."""
    counts = {
        "entities": s.scalar(select(func.count()).select_from(Entity)) or 0,
        "facts": s.scalar(select(func.count()).select_from(Fact)) or 0,
        "sources": s.scalar(select(func.count()).select_from(Source)) or 0,
        "relations": _count_from_file(s, SECTION_F_RELATIONS_FILE),
        "measure_relations": _count_from_file(s, MEASURE_RELATIONS_FILE),
        "instrument_relations": _count_from_file(s, INSTRUMENT_RELATIONS_FILE),
        "funding_relations": _count_from_file(s, FUNDING_RELATIONS_FILE),
        "territory_relations": (s.scalar(select(func.count()).select_from(Relation)) or 0)
        - (s.scalar(content_relations(select(func.count()).select_from(Relation))) or 0),
        "glossary_terms": s.scalar(select(func.count()).select_from(GlossaryTerm)) or 0,
        "facts_without_source": s.scalar(select(func.count()).select_from(Fact).where(~Fact.citations.any())) or 0,
    }
    kinds = dict(s.execute(select(Entity.kind, func.count()).group_by(Entity.kind).order_by(Entity.kind)).all())
    by_rel = dict(
        s.execute(select(Source.reliability, func.count()).group_by(Source.reliability).order_by(Source.reliability)).all()
    )
    by_conf = dict(s.execute(select(Fact.confidence, func.count()).group_by(Fact.confidence).order_by(Fact.confidence)).all())
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


def file_damage(engine: Engine) -> str | None:
    """None if the file reads back whole, else what is wrong (French).

    SQLite's quick_check sees broken pages; reading every row once also finds text that is no
    longer UTF-8, which quick_check accepts and which would fail later in a fiche (0.3 s here).
    """
    try:
        with engine.connect() as conn:
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


def content_relations(query):
    """Keep relations between written-content entities (not the open-data territory links)."""
    territorial = select(Entity.id).where(Entity.kind.in_(TERRITORY_KINDS))
    return query.where(Relation.source_id.not_in(territorial), Relation.target_id.not_in(territorial))
