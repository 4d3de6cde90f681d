"""Opening the user database: pragmas, transactions, integrity check and Alembic migrations.

- WAL journal, foreign keys ON, synchronous FULL, a busy timeout: a second qpvdesk window waits
  for the first one's write instead of failing or corrupting anything.
- Python's sqlite3 module is put in autocommit mode and SQLAlchemy's "begin" event emits the
  real BEGIN: `BEGIN IMMEDIATE` on the writer engine (the write lock is taken at once, so two
  writers queue instead of deadlocking), a plain BEGIN on the reader engine.
- migrate() runs the Alembic revisions shipped in migrations/ inside ONE transaction, after a
  backup copy of a database that already holds data.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import cast

from sqlalchemy import Engine, create_engine, event, text

from qpvdesk.errors import french_reason
from qpvdesk.userdata.messages import Msg, UserDataError

BUSY_TIMEOUT_MS = 10_000
# The newest revision in migrations/versions. Known here so that a start with an up-to-date database
# does not import Alembic at all (~0.1 s); tests/test_userdata_migrations.py checks it against Alembic.
HEAD_REVISION = "0008"
log = logging.getLogger(__name__)


def connect(path: Path, timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """A raw connection with qpvdesk's pragmas (autocommit mode: callers BEGIN themselves)."""
    conn = sqlite3.connect(str(path), timeout=timeout_ms / 1000, isolation_level=None, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
        conn.execute("PRAGMA foreign_keys = ON")
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
    except BaseException:
        conn.close()
        raise
    return conn


def read_only_uri(path: Path) -> str:
    """How to read a database that cannot be written (full disk, read-only folder or medium).

    A WAL database needs its -shm file: when it is missing and cannot be created, only an "immutable"
    open can read the main file (the -wal, if any, is then not seen: nothing can merge it anyway)."""
    uri = Path(path).resolve().as_uri()
    for candidate in (f"{uri}?mode=ro", f"{uri}?immutable=1"):
        try:
            conn = sqlite3.connect(candidate, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            finally:
                conn.close()
            return candidate
        except sqlite3.OperationalError:
            continue
    return f"{uri}?mode=ro"  # the error, if any, comes with the first query


def connect_read_only(uri: str, timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    conn = sqlite3.connect(uri, uri=True, timeout=timeout_ms / 1000, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
    conn.execute("PRAGMA query_only = ON")
    return conn


def make_engine(path: Path, *, writer: bool, read_only_uri: str | None = None) -> Engine:
    if read_only_uri is None:
        engine = create_engine(f"sqlite:///{path}", creator=lambda: connect(path), pool_pre_ping=False)
    else:
        engine = create_engine("sqlite://", creator=lambda: connect_read_only(read_only_uri), pool_pre_ping=False)
    begin = "BEGIN IMMEDIATE" if writer else "BEGIN"

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:  # noqa: ANN001 - SQLAlchemy event signature
        conn.exec_driver_sql(begin)

    return engine


# SQLite result codes that say the file could not be opened or read here and now (full disk, read-only folder,
# another program, memory), not that it is damaged: the start-up must not set such a file aside as damaged
NOT_DAMAGE = {3, 5, 6, 7, 8, 10, 13, 14}  # PERM BUSY LOCKED NOMEM READONLY IOERR FULL CANTOPEN


def quick_check(path: Path, raise_if_not_damage: bool = False) -> str | None:
    """None when the file is a sound SQLite database, else a short French reason. With `raise_if_not_damage`,
    an error that says nothing about the file's state (see NOT_DAMAGE) is raised instead."""
    try:
        if path.is_dir():
            return "c'est un dossier, pas un fichier"
        if path.stat().st_size == 0:
            return Msg.EMPTY_FILE
        conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if raise_if_not_damage and (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF in NOT_DAMAGE:
            raise
        return f"erreur à l'ouverture : {french_reason(exc)}"
    except OSError as exc:
        return f"fichier illisible : {french_reason(exc)}"
    if rows == ["ok"]:
        return None
    return "contrôle d'intégrité : " + "; ".join(rows[:3])


def integrity_problem(path: Path) -> str | None:
    """The full check (`PRAGMA integrity_check`, which also compares every index with its table): None when sound.
    quick_check misses a row absent from an index; a backup is checked with this one before it is trusted."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check(5)").fetchall()]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return f"erreur à l'ouverture : {french_reason(exc)}"
    except OSError as exc:
        return f"fichier illisible : {french_reason(exc)}"
    return None if rows == ["ok"] else "contrôle d'intégrité : " + "; ".join(rows[:3])


def user_tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}


def alembic_config():
    from alembic.config import Config

    from qpvdesk.userdata.migrations import LOCATION

    config = Config()  # no alembic.ini on users' machines
    config.set_main_option("script_location", str(LOCATION))
    config.set_main_option("path_separator", "os")
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(conn: sqlite3.Connection) -> str | None:
    if "alembic_version" not in user_tables(conn):
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def migrate(engine: Engine, before_upgrade: Callable[[str], None] | None = None, target: str = "head") -> str | None:
    """Bring the database to `target` (head by default). Returns the revision it had before, when it changed.

    `before_upgrade(revision)` runs once we hold the write lock and know an existing database will
    change (it makes the backup copy). A second instance starting at the same time waits on the lock,
    then finds the database already at head and does nothing.
    """
    raw = engine.raw_connection()  # autocommit read: no write lock (and no Alembic import) when there is nothing to do
    try:
        if current_revision(cast(sqlite3.Connection, raw.driver_connection)) == (HEAD_REVISION if target == "head" else target):
            return None
    finally:
        raw.close()
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    config = alembic_config()
    head = head_revision() if target == "head" else target
    with engine.begin() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        if current == head:
            return None
        if current is not None and current not in known_revisions():
            raise UserDataError(Msg.NEWER_SCHEMA.format(revision=current))
        query = text("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        tables = set(conn.execute(query).scalars())
        if current is None and tables - {"alembic_version"}:
            raise ForeignDatabase(Msg.FOREIGN_DB)
        if current is not None and before_upgrade is not None:
            before_upgrade(current)
        config.attributes["connection"] = conn
        command.upgrade(config, target)
        log.info("base utilisateur : %s -> %s", current, target)
    return current


class ForeignDatabase(Exception):
    """A sound SQLite file that is not (or no longer) a qpvdesk user database."""
