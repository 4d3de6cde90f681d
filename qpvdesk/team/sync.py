"""Sending the queued local changes to the team server, then receiving the others' (offline first).

The local SQLite user database is the working copy. Triggers (migration 0005) queue in `team_outbox` every
partner or note the user changes, in the same transaction as the change. A sync:

1. send: in ONE server transaction, take the team clock's row lock (versions then follow commit order), and write
   each queued partner whose server copy is still the version this copy was based on (or already holds the same
   content: a sync killed after the server's commit is simply confirmed). A partner changed on the server since is
   a CONFLICT: the server keeps the other member's version, this copy takes it too, and our version is kept in
   `team_conflict` with theirs; neither is dropped. Notes go to the member's own rows (row-level security).
   Who wrote a partner or a note, and when, is the server's to say (its triggers, migration 0006, stamp the name
   the member registered at `team join`): the client sends none and reads back, in the same transaction, the
   authors and times the server kept, which the local copy then shows.
   Only after the server committed are the sent queue rows removed locally; a change typed meanwhile stays queued.
2. receive: partners whose team version is newer than the last one received, and the others' shared notes.

A failure at any point (server stopped, connection cut, process killed) leaves the queue as it was: the server
rolls back its open transaction, and the next sync sends again.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, cast

from sqlalchemy import Connection, CursorResult, Table, case, delete, insert, literal_column, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from qpvdesk.errors import TeamError
from qpvdesk.team import settings as team_settings
from qpvdesk.team.server import check_schema, describe, engine_for
from qpvdesk.team.settings import TeamSettings
from qpvdesk.userdata.partners import FIELD_LABELS, write_programmes
from qpvdesk.userdata.schema import (
    NoteRecord,
    PartnerLinkRecord,
    PartnerProgramme,
    PartnerRecord,
    TeamConflictRecord,
    TeamMemberRecord,
    TeamNoteRecord,
    TeamOutboxRecord,
)
from qpvdesk.userdata.text import clean_line, now_iso, server_refuses

if TYPE_CHECKING:
    from sqlalchemy.dialects.postgresql import Insert as PgInsert

P, PP, N = (cast(Table, r.__table__) for r in (PartnerRecord, PartnerProgramme, NoteRecord))
TN, OUTBOX, C = (cast(Table, r.__table__) for r in (TeamNoteRecord, TeamOutboxRecord, TeamConflictRecord))
TM = cast(Table, TeamMemberRecord.__table__)
L = cast(Table, PartnerLinkRecord.__table__)
# what a partner IS (compared to tell a conflict from a repeat); who and which version are bookkeeping
CONTENT = ("name", "kind", "commune", "qpv_code", "contact_name", "phone", "email", "address", "website", "notes",
           "deleted_at", "programme_ids", "link")
COLUMNS = CONTENT[:-2] + ("created_at", "updated_at", "search_text", "match_key")
LINK_FIELDS = ("organisation_id", "siret", "organisation_name")  # the link to a funded structure, as the team shares it
# what the server decides about a partner it stores (triggers of revision 0006); the local copy takes it back
AUTHORSHIP = ("created_by", "updated_by", "created_at", "updated_at")
SEND_BATCH = 500  # queued records per server transaction (a first share of a big directory goes in several)
RECEIVE_BATCH = 2000  # partners per local transaction when receiving
log = logging.getLogger(__name__)


class Msg:
    NOT_JOINED = "Vous n'avez pas rejoint de base d'équipe : « qpvdesk team join ADRESSE --name \"Prénom Nom\" »."
    NO_CONFLICT = "Aucun conflit n° {id} en attente."
    PARTNER_NOT_SENT = ("Partenaire « {name} » non envoyé : le champ « {field} » contient un {problem} que le serveur "
                        "refuse (fichier modifié hors de qpvdesk ?). Il reste sur ce poste ; corrigez-le dans qpvdesk "
                        "et il partira à la synchronisation suivante.")
    NOTE_NOT_SENT = ("Note sur « {entity_id} » non envoyée : elle contient un {problem} que le serveur refuse (fichier "
                     "modifié hors de qpvdesk ?). Elle reste sur ce poste ; corrigez-la dans qpvdesk et elle partira à "
                     "la synchronisation suivante.")


@dataclass
class Conflict:
    id: int
    partner_uid: str
    mine: dict
    theirs: dict
    detected_at: str
    resolved_at: str | None = None
    choice: dict | None = None  # once settled: {"mode": mine|theirs|merge, "fields": {field: choice}, "result": …}

    @property
    def name(self) -> str:
        return self.theirs.get("name") or self.mine.get("name") or self.partner_uid

    def differences(self) -> list[tuple[str, object, object]]:
        return [(f, self.mine.get(f), self.theirs.get(f)) for f in CONTENT if self.mine.get(f) != self.theirs.get(f)]

    def to_json(self) -> dict:
        return {"id": self.id, "partenaire": self.partner_uid, "nom": self.name, "détecté": self.detected_at,
                "résolu": self.resolved_at, "votre_version": self.mine, "leur_version": self.theirs,
                "par": self.theirs.get("updated_by", ""), "le": self.theirs.get("updated_at", ""),
                "champs": [{"champ": f, "votre_version": m, "version_de_l_équipe": t} for f, m, t in self.differences()],
                "choix": self.choice}


@dataclass
class SyncReport:
    sent_partners: int = 0
    sent_notes: int = 0
    received_partners: int = 0
    received_notes: int = 0  # the others' shared notes now held locally
    changed_notes: int = 0  # of those, new or changed since the last sync, plus those withdrawn (unshared, deleted)
    conflicts: list[Conflict] = field(default_factory=list)
    version: int = 0
    not_sent: list[str] = field(default_factory=list)  # French: records the server cannot store, kept here


def read_partners(source: Session | Connection, where, lock: bool = False) -> dict[str, dict]:  # noqa: ANN001
    """Partners (uid -> every column, the programme ids and the link to a funded structure or None) from the local
    file or the server."""
    query = select(P).where(where)
    if lock:
        query = query.order_by(P.c.uid).with_for_update()
    rows = source.execute(query).mappings().all()
    links: dict[int, list[str]] = {}
    if rows:
        ids = [r["id"] for r in rows]
        for partner_id, programme_id in source.execute(
            select(PP.c.partner_id, PP.c.programme_id).where(PP.c.partner_id.in_(ids)).order_by(PP.c.partner_id, PP.c.position)
        ):
            links.setdefault(partner_id, []).append(programme_id)
    structure: dict[int, dict] = {}
    if rows:
        for link in source.execute(select(L).where(L.c.partner_id.in_(ids))).mappings():
            structure[link["partner_id"]] = {f: link[f] for f in LINK_FIELDS}
    return {r["uid"]: {**dict(r), "programme_ids": links.get(r["id"], []), "link": structure.get(r["id"])} for r in rows}


def _same(a: dict, b: dict) -> bool:
    return all(a.get(f) == b.get(f) for f in CONTENT)


def _write_partner(target: Session | Connection, partner: dict, row_id: int | None, **extra) -> None:
    values = {f: partner[f] for f in COLUMNS} | extra
    if row_id is None:
        inserted = cast(CursorResult, target.execute(insert(P).values(uid=partner["uid"], **values)))
        row_id = inserted.inserted_primary_key[0] if inserted.inserted_primary_key else None
        assert row_id is not None  # an autoincrement key, on SQLite and PostgreSQL alike
        write_programmes(target, [(row_id, tuple(partner["programme_ids"]))])
    else:
        target.execute(update(P).where(P.c.id == row_id).values(**values))
        write_programmes(target, [(row_id, tuple(partner["programme_ids"]))], replace=True)
        target.execute(delete(L).where(L.c.partner_id == row_id))
    link = partner.get("link")
    if link:  # (a partner dict of an older conflict record has no "link": no link)
        target.execute(insert(L).values(partner_id=row_id, linked_at=partner.get("updated_at") or now_iso(),
                                        **{f: link.get(f) or "" for f in LINK_FIELDS}))


def _public(partner: dict) -> dict:
    """A partner as kept in a conflict record (no row id)."""
    return {k: v for k, v in partner.items() if k != "id"}


def pg_insert(table: Table) -> PgInsert:
    """Imported when a sync or a join runs, not with this module: the window imports qpvdesk.team at start-up, and
    SQLAlchemy's PostgreSQL dialect costs ~40 ms there."""
    from sqlalchemy.dialects.postgresql import insert

    return insert(table)


def register_member(conn: Connection, name: str, replace: bool = False) -> None:
    """The member's name as the team sees it, in `team_member` on the server: the triggers stamp shared records
    with it. Row-level security lets a member write only the row of their own login."""
    statement = pg_insert(TM).values(login=literal_column("session_user"), name=name, joined_at=now_iso())
    if replace:
        statement = statement.on_conflict_do_update(index_elements=[TM.c.login], set_={"name": name})
    else:
        statement = statement.on_conflict_do_nothing(index_elements=[TM.c.login])
    conn.execute(statement)


# --- 1. send --------------------------------------------------------------------------------------------------


def _send(data, conn: Connection, setup: TeamSettings, login: str, report: SyncReport) -> bool:  # noqa: ANN001
    """Send one batch of the queue (oldest first) in one server transaction; True when more is waiting."""
    with data._read() as s:
        queue = s.execute(select(OUTBOX.c.id, OUTBOX.c.kind, OUTBOX.c.key).order_by(OUTBOX.c.id).limit(SEND_BATCH)).all()
        if not queue:
            return False
        uids = [key for _id, kind, key in queue if kind == "partner"]
        note_ids = [key for _id, kind, key in queue if kind == "note"]
        mine = read_partners(s, P.c.uid.in_(uids)) if uids else {}
        _set_aside_unsendable(s, mine, note_ids, report)
        notes = {r.entity_id: r for r in s.execute(select(N).where(N.c.entity_id.in_(note_ids)))} if note_ids else {}
    sent: list[str] = []
    conflicts: list[tuple[dict, dict]] = []
    with conn.begin():
        register_member(conn, setup.name)  # a member who joined before revision 0006 gets their name on the server
        # the partners' rows are locked in one order (uid) so that two senders never deadlock
        server = read_partners(conn, P.c.uid.in_(list(mine)), lock=True) if mine else {}
        for uid, partner in mine.items():
            theirs = server.get(uid)
            if theirs is not None and theirs["version"] != partner["version"] and not _same(theirs, partner):
                conflicts.append((partner, theirs))
                continue
            # who wrote it, and when, is the server's to decide (its triggers, revision 0006): none is sent
            _write_partner(conn, _sendable(partner), theirs["id"] if theirs else None, version=0)
            sent.append(uid)
        for entity_id in note_ids:
            note = notes.get(entity_id)
            if note is None:
                conn.execute(delete(TN).where((TN.c.owner == login) & (TN.c.entity_id == entity_id)))
                continue
            values = {"text": note.text, "shared": note.shared, "updated_at": note.updated_at}  # author: the server's
            conn.execute(pg_insert(TN).values(owner=login, entity_id=entity_id, created_at=note.updated_at, **values)
                         .on_conflict_do_update(index_elements=[TN.c.owner, TN.c.entity_id], set_=values))
        # last, and briefly: the team clock's row lock orders the senders' commits, so a version seen by a reader
        # is never followed by a smaller one committed later
        seq = conn.execute(text("UPDATE team_clock SET seq = seq + 1 WHERE id = 1 RETURNING seq")).scalar_one()
        decided: dict[str, dict] = {}
        if sent:  # the version moves, the authors the server wrote come back (same transaction: nobody between)
            decided = {r["uid"]: dict(r) for r in conn.execute(
                update(P).where(P.c.uid.in_(sent)).values(version=seq)
                .returning(P.c.uid, *(P.c[f] for f in AUTHORSHIP))).mappings()}
    # the server has committed: now, and only now, the local copy records it
    stamp = now_iso()
    with data._write() as s:
        for uid, values in decided.items():
            # a change typed here since this batch was read keeps its own time (it is queued and goes next)
            when = case((P.c.updated_at == mine[uid]["updated_at"], values["updated_at"]), else_=P.c.updated_at)
            s.execute(update(P).where(P.c.uid == uid).values(version=seq, created_by=values["created_by"],
                                                             updated_by=values["updated_by"],
                                                             created_at=values["created_at"], updated_at=when))
        for partner, theirs in conflicts:
            row_id = s.scalar(select(P.c.id).where(P.c.uid == partner["uid"]))
            _write_partner(s, theirs, row_id, version=theirs["version"], created_by=theirs["created_by"],
                           updated_by=theirs["updated_by"])
            new = s.execute(insert(C).values(partner_uid=partner["uid"], detected_at=stamp,
                                             mine=json.dumps(_public(partner), ensure_ascii=False),
                                             theirs=json.dumps(_public(theirs), ensure_ascii=False)))
            report.conflicts.append(Conflict(new.inserted_primary_key[0], partner["uid"], _public(partner),
                                             _public(theirs), stamp))
        s.execute(delete(OUTBOX).where(OUTBOX.c.id.in_([row_id for row_id, _kind, _key in queue])))
    report.sent_partners += len(sent)
    report.sent_notes += len(note_ids)
    return len(queue) == SEND_BATCH


STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)")  # as the server reads times (0006)


def _sendable(partner: dict) -> dict:
    """The partner as sent: an impossible time goes empty, so the server stamps its own (and this copy takes it
    back after the commit, as for any time the server decides)."""
    return {**partner, **{k: "" for k in ("created_at", "updated_at") if impossible_stamp(partner[k])}}


def impossible_stamp(value: object) -> bool:
    """A time shaped like ours but impossible (month 13, written by another program): the server's time check
    would refuse the whole record at every sync."""
    if not isinstance(value, str) or not STAMP.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return True
    return False


def _set_aside_unsendable(s: Session, mine: dict[str, dict], note_ids: list[str], report: SyncReport) -> None:
    """A record holding text the server refuses (a NUL written into the file by another program) would fail the whole
    server transaction at every sync, for ever: it is left out (its queue row goes with the batch) and reported.
    (An impossible time is not worth that: _sendable sends it empty.)"""
    for uid, partner in list(mine.items()):
        values = [(name, partner[name]) for name in ("uid", *COLUMNS)] + [("programmes", p) for p in partner["programme_ids"]]
        values += [("structure liée", v) for v in (partner.get("link") or {}).values()]
        if found := next(((name, why) for name, value in values if (why := server_refuses(value))), None):
            report.not_sent.append(Msg.PARTNER_NOT_SENT.format(name=clean_line(partner["name"])[:80],
                                                               field=FIELD_LABELS.get(found[0], found[0]), problem=found[1]))
            del mine[uid]
    query = select(N.c.entity_id, N.c.text).where(N.c.entity_id.in_(note_ids))
    texts = {r.entity_id: r.text for r in s.execute(query)} if note_ids else {}
    for entity_id in list(note_ids):
        if problem := server_refuses(entity_id) or server_refuses(texts.get(entity_id)):
            report.not_sent.append(Msg.NOTE_NOT_SENT.format(entity_id=clean_line(entity_id)[:80], problem=problem))
            note_ids.remove(entity_id)  # left out, not deleted on the server: the note is simply not sent


# --- 2. receive -----------------------------------------------------------------------------------------------


def _receive(data, conn: Connection, setup: TeamSettings, login: str, report: SyncReport) -> bool:  # noqa: ANN001
    """Receive one batch of partners (oldest team versions first) and the shared notes; True when more is waiting.
    A batch ends on a whole version (a send holds at most SEND_BATCH partners), so none is skipped."""
    with conn.begin():  # one snapshot (REPEATABLE READ, set by the caller): partners and notes agree
        uids = list(conn.scalars(select(P.c.uid).where(P.c.version > setup.last_version)
                                 .order_by(P.c.version, P.c.uid).limit(RECEIVE_BATCH)))
        theirs = read_partners(conn, P.c.uid.in_(uids)) if uids else {}
        more = len(uids) == RECEIVE_BATCH
        if more:  # keep whole versions only: the last one may continue past the limit
            last = max(p["version"] for p in theirs.values())
            theirs = {uid: p for uid, p in theirs.items() if p["version"] < last}
            if not theirs:  # one version bigger than a batch (written by hand on the server?): take it whole
                theirs = read_partners(conn, P.c.version == last)
        notes = conn.execute(select(TN).where((TN.c.owner != login) & (TN.c.shared == 1))).mappings().all()
    with data._write() as s:
        pending = set(s.scalars(select(OUTBOX.c.key).where(OUTBOX.c.kind == "partner")))
        local = {r.uid: r for r in s.execute(select(P.c.uid, P.c.id, P.c.version).where(P.c.uid.in_(list(theirs))))}
        for uid, partner in sorted(theirs.items(), key=lambda item: item[1]["version"]):
            have = local.get(uid)
            if uid in pending or (have is not None and have.version == partner["version"]):
                continue  # a local change waits to be sent (it becomes a conflict then), or this is our own
            _write_partner(s, partner, have.id if have else None, version=partner["version"],
                           created_by=partner["created_by"], updated_by=partner["updated_by"])
            report.received_partners += 1
        before = {(n.owner, n.entity_id): (n.text, n.updated_at, n.author) for n in s.execute(select(TN))}
        now = {(n["owner"], n["entity_id"]): (n["text"], n["updated_at"], n["author"]) for n in notes}
        s.execute(delete(TN))  # the others' shared notes, as the server shows them now (unshared ones go)
        if notes:
            s.execute(insert(TN), [dict(n) for n in notes])
        report.received_notes = len(notes)
        report.changed_notes = sum(before.get(key) != value for key, value in now.items()) + len(before.keys() - now)
        setup.last_version = max([setup.last_version, *(p["version"] for p in theirs.values())])
        setup.last_sync, setup.last_error = now_iso(), None
        report.version = setup.last_version
        team_settings.write(s, setup)
    return more


def sync(data, password: str | None = None) -> SyncReport:  # noqa: ANN001 - qpvdesk.userdata.store.UserData
    """Send, then receive. Raises TeamError (French; `offline` when the server cannot be reached): the queue is
    then intact and the next sync sends it."""
    setup = team_settings.load(data)
    if setup is None:
        raise TeamError(Msg.NOT_JOINED)
    report = SyncReport()
    engine = engine_for(setup.url, password or team_settings.stored_password(setup.url, setup.login))
    try:
        with engine.connect() as conn:
            check_schema(conn)
            login = conn.execute(text("SELECT current_user")).scalar_one()
            conn.rollback()
            while _send(data, conn, setup, login, report):
                pass
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
            while _receive(data, conn, setup, login, report):
                pass
    except DBAPIError as exc:
        error = describe(exc, setup.login)
        _remember_error(data, str(error))
        raise error from exc
    except TeamError as exc:
        _remember_error(data, str(exc))
        raise
    finally:
        engine.dispose()
    log.info("synchronisation : %s envoyés, %s reçus, %s conflits", report.sent_partners, report.received_partners,
             len(report.conflicts))
    return report


def _remember_error(data, message: str) -> None:  # noqa: ANN001
    with data._write() as s:
        setup = team_settings.read(s)
        if setup is not None:
            setup.last_error = message
            team_settings.write(s, setup)


# --- conflicts ------------------------------------------------------------------------------------------------


def list_conflicts(data, include_resolved: bool = False) -> list[Conflict]:  # noqa: ANN001
    query = select(C).order_by(C.c.id)
    if not include_resolved:
        query = query.where(C.c.resolved_at.is_(None))
    with data._read() as s:
        return [Conflict(r.id, r.partner_uid, json.loads(r.mine), json.loads(r.theirs), r.detected_at, r.resolved_at,
                         json.loads(r.choice) if r.choice else None)
                for r in s.execute(query)]


def resolve(data, conflict_id: int, keep_mine: bool | None = None, choices: dict[str, str] | None = None) -> Conflict:  # noqa: ANN001
    """Keep one whole version (keep_mine), or choose field by field (choices: field -> "mine", "theirs" or "both");
    see team/conflicts.py. What differs from the team's version is queued like any edit and sent at the next sync,
    based on theirs. Both versions stay in the conflict record, with what was chosen."""
    from qpvdesk.team import conflicts  # it builds on this module

    if choices is None:
        choices = conflicts.whole(conflicts.open_conflict(data, conflict_id),
                                  conflicts.MINE if keep_mine else conflicts.THEIRS)
    return conflicts.settle(data, conflict_id, choices)
