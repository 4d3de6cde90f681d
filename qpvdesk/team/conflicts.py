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
from qpvdesk.team.sync import CONTENT, C, Conflict, P, _write_partner
from qpvdesk.textfold import fold
from qpvdesk.userdata.contact_check import contact_problems
from qpvdesk.userdata.partners import normalise, record_values
from qpvdesk.userdata.text import now_iso
from qpvdesk.userdata.views import PartnerFields

MINE, THEIRS, BOTH = "mine", "theirs", "both"
JOINABLE = ("address", "notes", "programme_ids")  # both versions can be kept together
# the French names of the fields and choices, as `team conflicts` shows them and `team resolve --champ` takes them
FIELD_NAMES = {"name": "nom", "kind": "type", "commune": "commune", "qpv_code": "code-qpv", "contact_name": "contact",
               "phone": "telephone", "email": "courriel", "address": "adresse", "website": "site-web",
               "notes": "notes", "deleted_at": "suppression", "programme_ids": "programmes"}
CHOICE_NAMES = {MINE: "mienne", THEIRS: "equipe", BOTH: "les-deux"}
JOIN_LINE = "--- version de {by} ---"  # between the two texts kept together: who wrote the second


class Msg:
    NO_CONFLICT = "Aucun conflit n° {id} en attente."
    UNKNOWN_FIELD = ("champ « {field} » inconnu pour le conflit n° {id} : les champs qui diffèrent sont {allowed}. "
                     "Rien n'a été modifié.")
    UNKNOWN_CHOICE = ("choix « {choice} » inconnu pour le champ « {field} » : {allowed}. Rien n'a été modifié.")
    BAD_RESULT = "Fusion refusée (rien n'a été modifié) : {problems}."
    OTHER_MEMBER = "l'autre membre"


@dataclass
class Preview:
    """What settling with these choices would write: every content field, and what is wrong with it (French)."""

    result: dict
    choices: dict[str, str]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def field_name(field: str) -> str:
    return FIELD_NAMES.get(field, field)


def allowed_choices(field: str) -> tuple[str, ...]:
    return (MINE, THEIRS, BOTH) if field in JOINABLE else (MINE, THEIRS)


def parse_choices(conflict: Conflict, pairs: dict[str, str]) -> dict[str, str]:
    """French names from the command line ({"telephone": "mienne"}) -> {"phone": "mine"}; accents and case
    forgiven. Raises TeamError listing what is allowed."""
    differing = [f for f, _m, _t in conflict.differences()]
    by_name = {fold(field_name(f)): f for f in differing}
    parsed: dict[str, str] = {}
    for name, choice in pairs.items():
        field = by_name.get(fold(name).replace(" ", "-"))
        if field is None:
            allowed = ", ".join(field_name(f) for f in differing) or "aucun"
            raise TeamError(Msg.UNKNOWN_FIELD.format(field=name, id=conflict.id, allowed=allowed))
        names = {CHOICE_NAMES[c]: c for c in allowed_choices(field)}
        picked = names.get(fold(choice).replace(" ", "-"))
        if picked is None:
            raise TeamError(Msg.UNKNOWN_CHOICE.format(choice=choice, field=name, allowed=" ou ".join(names)))
        parsed[field] = picked
    return parsed


def joined(field: str, mine, theirs, by: str):  # noqa: ANN001
    """Both versions kept: texts one after the other, the team's under a line saying whose it is; programmes:
    ours, then theirs not already there."""
    if field == "programme_ids":
        return list(mine or []) + [p for p in theirs or [] if p not in (mine or [])]
    mine, theirs = (mine or "").strip(), (theirs or "").strip()
    if not mine or not theirs or mine == theirs:
        return mine or theirs
    return f"{mine}\n\n{JOIN_LINE.format(by=by or Msg.OTHER_MEMBER)}\n{theirs}"


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
    return normalise(PartnerFields(**{f: content.get(f) or ("" if f != "programme_ids" else ())
                                      for f in CONTENT if f != "deleted_at"}))


def _problems(data, content: dict) -> list[str]:  # noqa: ANN001
    fields = _fields(content)
    errors, _warnings = data.validate(fields)[1:]
    return [*errors, *contact_problems(fields.phone, fields.email)]


def preview(data, conflict: Conflict, choices: dict[str, str]) -> Preview:  # noqa: ANN001
    """The result of these choices and the problems it would bring (those the team's version already has are not
    the member's doing and do not refuse it)."""
    result = merged(conflict, choices)
    fields = _fields(result)  # shown as it will be written (cleaned like a typed edit)
    result.update({f: getattr(fields, f) for f in CONTENT if f not in ("deleted_at", "programme_ids")},
                  programme_ids=list(fields.programme_ids))
    already = set(_problems(data, conflict.theirs))
    return Preview(result, dict(choices), [p for p in _problems(data, result) if p not in already])


def whole(conflict: Conflict, keep: str) -> dict[str, str]:
    """The choices of a whole version: every differing field from it."""
    return {f: keep for f, _m, _t in conflict.differences()}


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
    if not shown.ok:
        raise TeamError(Msg.BAD_RESULT.format(problems=" ; ".join(shown.problems)))
    stamp = now_iso()
    keeps = set(shown.choices.values()) or {THEIRS}
    mode = "merge" if len(keeps) > 1 or BOTH in keeps else next(iter(keeps))
    record = {"mode": mode, "fields": shown.choices, "result": shown.result, "at": stamp}
    with data._write() as s:
        if s.scalar(select(C.c.resolved_at).where(C.c.id == conflict_id)) is not None:
            raise TeamError(Msg.NO_CONFLICT.format(id=conflict_id))  # settled meanwhile (another window)
        local = s.execute(select(P).where(P.c.uid == conflict.partner_uid)).mappings().first()
        if local is not None and any(shown.result[f] != conflict.theirs.get(f) for f in CONTENT):
            fields = _fields(shown.result)
            partner = {**dict(local), **record_values(fields), "programme_ids": list(fields.programme_ids),
                       "deleted_at": shown.result["deleted_at"], "updated_at": stamp}
            _write_partner(s, partner, local["id"])  # version unchanged: the triggers queue it, based on theirs
        s.execute(update(C).where(C.c.id == conflict_id).values(resolved_at=stamp,
                                                                 choice=json.dumps(record, ensure_ascii=False)))
    conflict.resolved_at, conflict.choice = stamp, record
    return conflict


# --- showing a conflict (the CLI and the window) ---------------------------------------------------------------


def local_time(stamp: str | None) -> str:
    """« 2026-12-04T21:00:51Z » -> « 04/12/2026 à 22:00 » (the computer's time); '' when unknown."""
    if not stamp:
        return ""
    from datetime import datetime

    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone().strftime("%d/%m/%Y à %H:%M")
    except ValueError:
        return stamp


def shown_value(field: str, value) -> str:  # noqa: ANN001
    if field == "deleted_at":
        return f"supprimé le {local_time(value)}" if value else "présent"
    if isinstance(value, (list, tuple)):
        return ", ".join(value)
    return "" if value is None else str(value)


def who_and_when(conflict: Conflict) -> tuple[str, str]:
    """(your version, the team's): « modifiée par vous le … », « modifiée par Alice Martin le … »."""
    mine = f"modifiée par vous le {local_time(conflict.mine.get('updated_at'))}"
    by = conflict.theirs.get("updated_by") or Msg.OTHER_MEMBER
    return mine, f"modifiée par {by} le {local_time(conflict.theirs.get('updated_at'))}"
