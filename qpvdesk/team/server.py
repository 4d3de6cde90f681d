"""The team's PostgreSQL server: URLs, connections, schema version, and `team init` (French errors: diagnosis.py).

Every statement is parameterised (SQLAlchemy Core); the only SQL built from text is the member role name in
GRANT statements, which is checked against a strict pattern first.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import NullPool

from qpvdesk.errors import TeamError
from qpvdesk.team.diagnosis import describe  # noqa: F401 - where the rest of qpvdesk.team takes it from
from qpvdesk.userdata.database import HEAD_REVISION, alembic_config, known_revisions

MEMBER_ROLE = "qpvdesk_membre"
CONNECT_TIMEOUT_S = 5
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_.-]{0,62}$")  # logins as IT usually writes them; quoted anyway
# what a member may do; every other table (favourites, settings, local queue) gets no right at all
MEMBER_GRANTS = (
    "GRANT USAGE ON SCHEMA public TO {role}",
    "GRANT SELECT ON alembic_version TO {role}",
    "GRANT SELECT, INSERT, UPDATE ON local_partner TO {role}",  # no DELETE: a partner is deleted softly
    "GRANT SELECT, INSERT, DELETE ON local_partner_programme TO {role}",
    "GRANT SELECT, INSERT, DELETE ON local_partner_link TO {role}",  # a partner's funded structure (0008)
    "GRANT USAGE, SELECT ON SEQUENCE local_partner_id_seq TO {role}",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON team_note TO {role}",  # row-level security: own notes only
    "GRANT SELECT, UPDATE ON team_clock TO {role}",
    "GRANT SELECT, INSERT, UPDATE ON team_member TO {role}",  # row-level security: own row only; no DELETE
)
log = logging.getLogger(__name__)


class Msg:
    BAD_URL = ("Adresse de base d'équipe non comprise : « {url} ». Forme attendue : "
               "postgresql://identifiant@serveur/base (avec ?sslmode=verify-full pour une connexion chiffrée).")
    NOT_POSTGRES = "La base d'équipe doit être un serveur PostgreSQL (adresse en postgresql://…), pas « {scheme} »."
    NOT_INITIALISED = ("La base d'équipe n'est pas encore préparée : la personne qui administre le serveur lance "
                       "« qpvdesk team init ». Rien n'a été écrit.")
    OLDER = ("La base d'équipe est à une version plus ancienne ({server}) que cette application ({client}) : la "
             "personne qui administre le serveur doit lancer « qpvdesk team init ». Rien n'a été écrit.")
    NEWER = ("La base d'équipe est à une version plus récente ({server}) que cette application ({client}) : "
             "installez la dernière version de qpvdesk. Rien n'a été écrit.")
    BAD_ROLE = "Nom de rôle invalide : « {role} » (lettres minuscules, chiffres, « _ », « . », « - »)."


def parse_url(url: str) -> URL:
    """The URL with psycopg as driver; `postgres://`, `postgresql://` and `postgresql+psycopg://` are accepted."""
    try:
        parsed = make_url(url.strip())
    except ArgumentError as exc:
        raise TeamError(Msg.BAD_URL.format(url=public_url_text(url))) from exc
    if parsed.get_backend_name() not in ("postgresql", "postgres"):
        raise TeamError(Msg.NOT_POSTGRES.format(scheme=parsed.drivername))
    return parsed.set(drivername="postgresql+psycopg")


def public_url_text(url: str | URL) -> str:
    """The URL without its password: what may be shown, logged or saved."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url.strip())
    except ArgumentError:
        return re.sub(r"//[^@/]*@", "//…@", str(url))[:200]
    # URL.set(password=None) leaves the password as it is: _replace (public NamedTuple API) really removes it
    shown = parsed._replace(password=None).render_as_string(hide_password=True).replace("postgresql+psycopg", "postgresql")
    readable = unquote(shown)  # « host=/tmp/… » rather than « host=%2Ftmp%2F… », when it means the same
    try:
        return readable if make_url(readable) == make_url(shown) else shown
    except ArgumentError:
        return shown


def engine_for(url: str | URL, password: str | None = None) -> Engine:
    """No pool: a sync is a few seconds every few minutes, and a dead connection must never be reused after an
    outage. libpq reads PGPASSWORD / ~/.pgpass when no password is given here."""
    parsed = parse_url(url) if isinstance(url, str) else url
    if password:
        parsed = parsed.set(password=password)
    query = dict(parsed.query)
    query.setdefault("connect_timeout", str(CONNECT_TIMEOUT_S))
    query.setdefault("application_name", "qpvdesk")
    return create_engine(parsed.set(query=query), poolclass=NullPool)


def _ddl(conn: Connection, template: str, password: str | None = None, **names: str) -> None:
    """DDL cannot take bind parameters: names are quoted as identifiers and the password as a literal by psycopg's
    own composition, so a hostile value stays data."""
    from psycopg import sql

    parts: dict[str, sql.Composable] = {key: sql.Identifier(value) for key, value in names.items()}
    if password is not None:
        parts["password"] = sql.Literal(password)
    raw = conn.connection.driver_connection
    assert raw is not None  # an open connection
    raw.execute(sql.SQL(template).format(**parts))


def schema_revision(conn: Connection) -> str | None:
    exists = conn.execute(text("SELECT to_regclass('alembic_version') IS NOT NULL")).scalar()
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar() if exists else None


def check_schema(conn: Connection) -> None:
    """Refuse (French, before any write) a server whose schema is not the one this client knows."""
    revision = schema_revision(conn)
    if revision == HEAD_REVISION:
        return
    if revision is None:
        raise TeamError(Msg.NOT_INITIALISED)
    known = known_revisions()
    message = Msg.OLDER if revision in known else Msg.NEWER
    raise TeamError(message.format(server=revision, client=HEAD_REVISION))


def init_server(url: str, password: str | None = None, role: str = MEMBER_ROLE) -> tuple[str | None, str]:
    """Create or upgrade the team schema with the user database's Alembic migrations, in one transaction, and the
    member role with least privilege. Run by the server's administrator. Returns (revision before, after)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    if not ROLE_NAME.match(role):
        raise TeamError(Msg.BAD_ROLE.format(role=role[:80]))
    engine = engine_for(url, password)
    try:
        with engine.begin() as conn:
            before = MigrationContext.configure(conn).get_current_revision()
            if before is not None and before not in known_revisions():
                raise TeamError(Msg.NEWER.format(server=before, client=HEAD_REVISION))
            config = alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar()
            if not exists:
                _ddl(conn, "CREATE ROLE {role} NOLOGIN", role=role)
            conn.execute(text("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC"))
            for grant in MEMBER_GRANTS:
                _ddl(conn, grant, role=role)
    except DBAPIError as exc:
        raise describe(exc, parse_url(url).username or "") from exc
    finally:
        engine.dispose()
    log.info("base d'équipe : %s -> %s", before, HEAD_REVISION)
    return before, HEAD_REVISION


def add_member(url: str, login: str, member_password: str, password: str | None = None, role: str = MEMBER_ROLE) -> None:
    """A login for one person, member of the team role (administrator's step)."""
    if not ROLE_NAME.match(login):
        raise TeamError(Msg.BAD_ROLE.format(role=login[:80]))
    engine = engine_for(url, password)
    try:
        with engine.begin() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login}).scalar()
            verb = "ALTER" if exists else "CREATE"
            _ddl(conn, verb + " ROLE {login} LOGIN PASSWORD {password}", login=login, password=member_password)
            _ddl(conn, "GRANT {role} TO {login}", role=role, login=login)
    except DBAPIError as exc:
        raise describe(exc, parse_url(url).username or "") from exc
    finally:
        engine.dispose()
