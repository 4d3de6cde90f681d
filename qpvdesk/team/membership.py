"""Joining and leaving a team, the status shown by `team status` and the window, sharing a note."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from qpvdesk.errors import TeamError
from qpvdesk.team import settings as team_settings
from qpvdesk.team import solo_data
from qpvdesk.team.server import check_schema, describe, engine_for, parse_url, public_url_text
from qpvdesk.team.settings import TeamSettings
from qpvdesk.team.sync import OUTBOX, TN, C, N, register_member
from qpvdesk.userdata.text import clean_line, now_iso


class Msg:
    NO_LOGIN = "L'adresse doit indiquer votre identifiant sur le serveur : postgresql://identifiant@serveur/base."
    NO_NAME = "Indiquez votre nom tel que l'équipe le verra : --name \"Prénom Nom\"."
    NAME_TOO_LONG = "Nom trop long ({length} caractères, 120 au plus)."
    NO_NOTE = "Aucune note sur « {entity_id} » : écrivez-la d'abord."
    ALREADY = ("Vous êtes déjà membre de la base d'équipe {url} : quittez-la d'abord (« qpvdesk team leave »). "
               "Rien n'a changé.")


@dataclass
class JoinReport:
    url: str
    login: str
    local_partners: int  # partners this copy already had (typed before joining)
    duplicates: list[str] = field(default_factory=list)  # of those, names the team already has (same name, commune)
    queued: int = 0  # partners and notes queued for the next sync
    password_kept: bool = False  # in the operating system's keyring
    local_notes: int = 0  # notes this copy already had
    dry_run: bool = False  # nothing was written, here or on the server


@dataclass
class TeamStatus:
    joined: bool
    url: str = ""
    name: str = ""
    login: str = ""
    pending: int = 0  # changes queued, not yet sent
    conflicts: int = 0  # not yet resolved
    last_sync: str | None = None
    last_error: str | None = None
    connected: bool | None = None  # None: not checked
    problem: str | None = None  # why not connected (French)
    unsent_partners: int = 0  # typed before joining and never shared (`team share-existing`)

    @property
    def state(self) -> str:
        if not self.joined:
            return "pas de base d'équipe"
        if self.connected is None:
            return "non vérifié"
        return "connecté" if self.connected else "hors ligne"

    def to_json(self) -> dict:
        return {**asdict(self), "état": self.state}


def join(data, url: str, name: str, password: str | None = None, share_existing: bool = False,  # noqa: ANN001
         dry_run: bool = False) -> JoinReport:
    """Check the server (reachable, password, schema), then record the team locally. Existing local partners and
    notes are queued only with `share_existing`; the report says how many there are and which look like partners
    the team already has (same name and commune: recognised, never overwritten: both stay). `dry_run`: the same
    report, nothing written here or on the server (the window shows it before asking)."""
    name = clean_line(name or "")
    if not name:
        raise TeamError(Msg.NO_NAME)
    if len(name) > 120:
        raise TeamError(Msg.NAME_TOO_LONG.format(length=len(name)))
    current = team_settings.load(data)
    if current is not None:  # its queue would be sent to the other team, or dropped: never silently
        raise TeamError(Msg.ALREADY.format(url=current.url))
    parsed = parse_url(url)
    if not parsed.username:
        raise TeamError(Msg.NO_LOGIN)
    password = password or parsed.password
    public = public_url_text(parsed)
    engine = engine_for(parsed, password)
    try:
        with engine.connect() as conn:
            check_schema(conn)
            login = conn.execute(text("SELECT current_user")).scalar_one()
            found = solo_data.survey(data, conn, joined=False)
            if not dry_run:
                register_member(conn, name, replace=True)  # the name the server stamps on what this member writes
                conn.commit()
    except DBAPIError as exc:
        raise describe(exc, parsed.username) from exc
    finally:
        engine.dispose()
    report = JoinReport(public, login, len(found.partners), found.duplicates, local_notes=len(found.notes),
                        dry_run=dry_run)
    if dry_run:
        return report
    with data._write() as s:
        s.execute(delete(OUTBOX))  # changes made in solo use are not sent unless asked
        team_settings.write(s, TeamSettings(url=public, name=name, login=login, joined_at=now_iso()))
    if share_existing:
        report.queued = solo_data.queue(data, found)
    if password:  # kept only in the system's keyring, when there is one; else asked at each sync
        report.password_kept = team_settings.store_password(public, login, password)
    return report


def leave(data) -> int | None:  # noqa: ANN001
    """Stop syncing. Your local copy (partners, your notes) stays; the others' shared notes and the queue go.
    Returns how many changes had not been sent (they stay here, not on the server), None when not joined."""
    setup = team_settings.load(data)
    if setup is None:
        return None
    with data._write() as s:
        unsent = s.scalar(select(func.count()).select_from(OUTBOX)) or 0
        s.execute(delete(TN))
        s.execute(delete(OUTBOX))
        team_settings.write(s, None)
    team_settings.forget_password(setup.url, setup.login)
    return unsent


def status(data, password: str | None = None, probe: bool = True) -> TeamStatus:  # noqa: ANN001
    with data._read() as s:
        setup = team_settings.read(s)
        if setup is None:
            return TeamStatus(joined=False)
        pending = s.scalar(select(func.count()).select_from(OUTBOX)) or 0
        conflicts = s.scalar(select(func.count()).select_from(C).where(C.c.resolved_at.is_(None))) or 0
        unsent = solo_data.count_unsent_partners(s)
    result = TeamStatus(True, setup.url, setup.name, setup.login, pending, conflicts, setup.last_sync, setup.last_error,
                        unsent_partners=unsent)
    if probe:
        engine = engine_for(setup.url, password or team_settings.stored_password(setup.url, setup.login))
        try:
            with engine.connect() as conn:
                check_schema(conn)
            result.connected = True
        except DBAPIError as exc:
            result.connected, result.problem = False, str(describe(exc, setup.login))
        except TeamError as exc:
            result.connected, result.problem = False, str(exc)
        finally:
            engine.dispose()
    return result


def share_note(data, entity_id: str, shared: bool = True) -> None:  # noqa: ANN001
    """Mark your note on this fiche « partagée avec l'équipe » (or private again): sent at the next sync."""
    with data._write() as s:
        done = s.execute(update(N).where(N.c.entity_id == entity_id).values(shared=1 if shared else 0)).rowcount
    if not done:
        raise TeamError(Msg.NO_NOTE.format(entity_id=entity_id[:120]))


def team_notes(data, entity_id: str | None = None) -> list[dict]:  # noqa: ANN001
    """The other members' shared notes received at the last sync (all, or those on one fiche)."""
    query = select(TN).order_by(TN.c.entity_id, TN.c.updated_at)
    if entity_id is not None:
        query = query.where(TN.c.entity_id == entity_id)
    with data._read() as s:
        return [dict(r) for r in s.execute(query).mappings()]


def note_shared(data, entity_id: str) -> bool:  # noqa: ANN001
    with data._read() as s:
        return bool(s.scalar(select(N.c.shared).where(N.c.entity_id == entity_id)))
