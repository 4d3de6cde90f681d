"""What this copy held before it joined a team (solo use): how many partners and notes, which partners look like
ones the team already has, and queueing them for the next sync when the member asks: at `team join`, or at any
time later (`team share-existing`, « Partager mes données déjà saisies… » in the window).

A partner typed before joining was never sent: team version 0 and not waiting in the queue. A note is « not on the
server » when the member's own rows there do not hold it. The report is the same whether or not anything is
queued (dry run first), like an import's: duplicates are recognised by name and commune (the match key) and never
overwritten: both stay, the member can merge them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Connection, func, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from qpvdesk.errors import TeamError
from qpvdesk.team import settings as team_settings
from qpvdesk.team.server import check_schema, describe, engine_for
from qpvdesk.team.sync import OUTBOX, TN, N, P
from qpvdesk.userdata.text import now_iso


class Msg:
    NOT_JOINED = "Vous n'avez pas rejoint de base d'équipe : « qpvdesk team join ADRESSE --name \"Prénom Nom\" »."


@dataclass
class SoloSurvey:
    partners: list[str] = field(default_factory=list)  # uids of the partners never sent
    notes: list[str] = field(default_factory=list)  # fiches whose note is not on the server
    duplicates: list[str] = field(default_factory=list)  # names of those partners the team already has
    queued: int = 0  # partners and notes queued by this call (0 in a dry run)


def _never_sent(joined: bool) -> ColumnElement[bool]:
    """Partners typed here and never sent (team version 0), not deleted, not already queued. Before joining, the
    queue holds solo edits that `join` drops: it is not looked at."""
    partner_filter: ColumnElement[bool] = (P.c.version == 0) & P.c.deleted_at.is_(None)
    if joined:
        partner_filter &= P.c.uid.not_in(select(OUTBOX.c.key).where(OUTBOX.c.kind == "partner"))
    return partner_filter


def unsent(session: Session, joined: bool = True) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """({uid: (match key, name)} of the partners never sent, entity ids of the notes not queued)."""
    note_filter: ColumnElement[bool] = N.c.entity_id.is_not(None)
    if joined:
        note_filter &= N.c.entity_id.not_in(select(OUTBOX.c.key).where(OUTBOX.c.kind == "note"))
    partners = {r.uid: (r.match_key, r.name) for r in session.execute(
        select(P.c.uid, P.c.match_key, P.c.name).where(_never_sent(joined)).order_by(P.c.name))}
    return partners, list(session.scalars(select(N.c.entity_id).where(note_filter).order_by(N.c.entity_id)))


def count_unsent_partners(session: Session) -> int:
    """For the status (the status bar asks after every edit): a count, not the rows."""
    return session.scalar(select(func.count()).select_from(P).where(_never_sent(joined=True))) or 0


def survey(data, conn: Connection, joined: bool = True) -> SoloSurvey:  # noqa: ANN001 - userdata.store.UserData
    """Compare with the server (read only): which of the unsent partners it already has, which notes it lacks."""
    with data._read() as s:
        partners, notes = unsent(s, joined)
    keys = sorted({key for key, _name in partners.values()})
    known = set(conn.scalars(select(P.c.match_key).where(P.c.match_key.in_(keys)))) if keys else set()
    owner = conn.execute(text("SELECT current_user")).scalar_one()
    on_server = set(conn.scalars(select(TN.c.entity_id).where(TN.c.owner == owner))) if notes else set()
    return SoloSurvey(list(partners), [e for e in notes if e not in on_server],
                      sorted(name for key, name in partners.values() if key in known))


def queue(data, found: SoloSurvey) -> int:  # noqa: ANN001
    """Queue what the survey found, for the next sync; returns how many records."""
    stamp = now_iso()
    rows = [{"kind": "partner", "key": uid, "queued_at": stamp} for uid in found.partners]
    rows += [{"kind": "note", "key": entity_id, "queued_at": stamp} for entity_id in found.notes]
    if rows:
        with data._write() as s:
            s.execute(insert(OUTBOX).prefix_with("OR IGNORE"), rows)  # typed meanwhile: already queued, once
    found.queued = len(rows)
    return found.queued


def share_existing(data, password: str | None = None, dry_run: bool = False) -> SoloSurvey:  # noqa: ANN001
    """After joining: the report of what was typed before (server consulted, nothing written in a dry run), then,
    unless dry_run, queue it for the next sync."""
    setup = team_settings.load(data)
    if setup is None:
        raise TeamError(Msg.NOT_JOINED)
    engine = engine_for(setup.url, password or team_settings.stored_password(setup.url, setup.login))
    try:
        with engine.connect() as conn:
            check_schema(conn)
            found = survey(data, conn)
    except DBAPIError as exc:
        raise describe(exc, setup.login) from exc
    finally:
        engine.dispose()
    if not dry_run:
        queue(data, found)
    return found
