"""Settling a team conflict: keep one whole version, or choose field by field (mine, the team's, or, for free text
and programmes, both). No Qt here; the CLI and the window share these functions.

A conflict (see sync.py) holds two versions of one partner: the member's (kept aside) and the team's (in place
locally since the sync). Settling it writes the chosen result locally like any edit: the change triggers put it in
the send queue, and the next sync sends it based on the team's version, so the others receive it without a new
conflict. Both originals stay in the record, which also remembers what was chosen and the result. The result is
checked with the rules of a typed edit (userdata partners' check, phone and e-mail formats); only a problem the
team's version does not already have refuses it (a value already in place is not the member's doing).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select, update

from qpvdesk.errors import TeamError
from qpvdesk.team.conflict_choices import (  # noqa: F401 - re-exported: the CLI and the tests use them from here
    BOTH,
    CHOICE_NAMES,
    FIELD_NAMES,
    JOIN_LINE,
    JOINABLE,
    MINE,
    THEIRS,
    Msg,
    allowed_choices,
    field_name,
    joined,
    local_time,
    parse_choices,
    shown_value,
    who_and_when,
    whole,
)
from qpvdesk.team.sync import CONTENT, C, Conflict, P, _write_partner, read_partners
from qpvdesk.userdata.contact_check import contact_problems
from qpvdesk.userdata.partners import normalise, record_values
from qpvdesk.userdata.text import now_iso
from qpvdesk.userdata.views import PartnerFields


@dataclass
class Preview:
    """What settling with these choices would write: every content field, and what is wrong with it (French)."""

    result: dict
    choices: dict[str, str]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def merged(conflict: Conflict, choices: dict[str, str]) -> dict:
    """The content fields of the result: the team's version (in place), with each chosen field replaced. A
    differing field without a choice keeps the team's value."""
    result = {f: conflict.theirs.get(f) for f in CONTENT}
    for field, choice in choices.items():
        if field not in CONTENT or choice not in allowed_choices(field):
            raise TeamError(Msg.UNKNOWN_CHOICE.format(choice=choice, field=field_name(field),
                                                      allowed=" ou ".join(CHOICE_NAMES[c] for c in allowed_choices(field))))
        mine, theirs = conflict.mine.get(field), conflict.theirs.get(field)
        result[field] = mine if choice == MINE else theirs if choice == THEIRS else \
            joined(field, mine, theirs, conflict.theirs.get("updated_by", ""))
    return result


def _fields(content: dict) -> PartnerFields:
    values: dict = {f: content.get(f) or ("" if f != "programme_ids" else ()) for f in CONTENT
                    if f not in ("deleted_at", "link")}
    return normalise(PartnerFields(**values))


def _problems(data, content: dict) -> list[str]:  # noqa: ANN001
    fields = _fields(content)
    errors, _warnings = data.validate(fields)[1:]
    return [*errors, *contact_problems(fields.phone, fields.email)]


def preview(data, conflict: Conflict, choices: dict[str, str]) -> Preview:  # noqa: ANN001
    """The result of these choices and the problems it would bring (those the team's version already has are not
    the member's doing and do not refuse it)."""
    result = merged(conflict, choices)
    fields = _fields(result)  # shown as it will be written (cleaned like a typed edit)
    result.update({f: getattr(fields, f) for f in CONTENT if f not in ("deleted_at", "programme_ids", "link")},
                  programme_ids=list(fields.programme_ids))
    already = set(_problems(data, conflict.theirs))
    return Preview(result, dict(choices), [p for p in _problems(data, result) if p not in already])


def open_conflict(data, conflict_id: int) -> Conflict:  # noqa: ANN001
    with data._read() as s:
        row = s.execute(select(C).where((C.c.id == conflict_id) & C.c.resolved_at.is_(None))).first()
    if row is None:
        raise TeamError(Msg.NO_CONFLICT.format(id=conflict_id))
    return Conflict(row.id, row.partner_uid, json.loads(row.mine), json.loads(row.theirs), row.detected_at)


def settle(data, conflict_id: int, choices: dict[str, str]) -> Conflict:  # noqa: ANN001
    """Write the result of these choices (field -> mine / theirs / both) and close the conflict. Raises TeamError
    (French, nothing changed) for an unknown conflict, field or choice, or a result a typed edit could not have."""
    conflict = open_conflict(data, conflict_id)
    shown = preview(data, conflict, choices)
    keeps = set(shown.choices.values()) or {THEIRS}
    mode = "merge" if len(keeps) > 1 or BOTH in keeps else next(iter(keeps))
    if not shown.ok:
        message = Msg.BAD_MINE if mode == MINE else Msg.BAD_RESULT
        raise TeamError(message.format(problems=" ; ".join(shown.problems)))
    stamp = now_iso()
    record = {"mode": mode, "fields": shown.choices, "result": shown.result, "at": stamp}
    with data._write() as s:
        if s.scalar(select(C.c.resolved_at).where(C.c.id == conflict_id)) is not None:
            raise TeamError(Msg.NO_CONFLICT.format(id=conflict_id))  # settled meanwhile (another window)
        local = s.execute(select(P).where(P.c.uid == conflict.partner_uid)).mappings().first()
        if local is not None and any(shown.result[f] != conflict.theirs.get(f) for f in CONTENT):
            # edited here after the conflict was shown: what the result replaces is kept in the record too
            now_local = read_partners(s, P.c.id == local["id"])[local["uid"]]
            edited = {f: now_local.get(f) for f in CONTENT if now_local.get(f) != conflict.theirs.get(f)
                      and now_local.get(f) != shown.result.get(f)}
            if edited:
                record["replaced_local_edit"] = edited
            fields = _fields(shown.result)
            partner = {**dict(local), **record_values(fields), "programme_ids": list(fields.programme_ids),
                       "deleted_at": shown.result["deleted_at"], "link": shown.result.get("link"), "updated_at": stamp}
            base = conflict.theirs.get("version", local["version"])
            if local["version"] != base:
                # a newer team version arrived since the conflict: the result is based on the one shown, so it
                # is sent as based on that one (a version change alone is not queued); the server then reports
                # a new conflict instead of the newer version being overwritten unseen
                s.execute(update(P).where(P.c.id == local["id"]).values(version=base))
            _write_partner(s, partner, local["id"])  # version unchanged: the triggers queue it, based on theirs
        s.execute(update(C).where(C.c.id == conflict_id).values(resolved_at=stamp,
                                                                 choice=json.dumps(record, ensure_ascii=False)))
    conflict.resolved_at, conflict.choice = stamp, record
    return conflict
