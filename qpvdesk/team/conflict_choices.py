"""Choosing between the two versions of a team conflict, and showing them: names, choices, texts kept together,
dates. No SQL and no Qt, so that the window (which may import neither) and the CLI share the same words.
A conflict here is any object with `id`, `mine`, `theirs`, `detected_at` and `differences()` (team.sync.Conflict).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qpvdesk.errors import TeamError
from qpvdesk.textfold import fold

if TYPE_CHECKING:
    from qpvdesk.team.sync import Conflict

MINE, THEIRS, BOTH = "mine", "theirs", "both"
JOINABLE = ("address", "notes", "programme_ids")  # both versions can be kept together
# the French names of the fields and choices, as `team conflicts` shows them and `team resolve --champ` takes them
FIELD_NAMES = {"name": "nom", "kind": "type", "commune": "commune", "qpv_code": "code-qpv", "contact_name": "contact",
               "phone": "telephone", "email": "courriel", "address": "adresse", "website": "site-web",
               "notes": "notes", "deleted_at": "suppression", "programme_ids": "programmes", "link": "structure"}
CHOICE_NAMES = {MINE: "mienne", THEIRS: "equipe", BOTH: "les-deux"}
JOIN_LINE = "--- version de {by} ---"  # between the two texts kept together: who wrote the second


class Msg:
    NO_CONFLICT = "Aucun conflit n° {id} en attente."
    UNKNOWN_FIELD = ("champ « {field} » inconnu pour le conflit n° {id} : les champs qui diffèrent sont {allowed}. "
                     "Rien n'a été modifié.")
    UNKNOWN_CHOICE = ("choix « {choice} » inconnu pour le champ « {field} » : {allowed}. Rien n'a été modifié.")
    BAD_RESULT = "Fusion refusée (rien n'a été modifié) : {problems}."
    BAD_MINE = "Votre version ne peut pas être reprise telle quelle (rien n'a été modifié) : {problems}."
    OTHER_MEMBER = "l'autre membre"


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


def whole(conflict: Conflict, keep: str) -> dict[str, str]:
    """The choices of a whole version: every differing field from it."""
    return {f: keep for f, _m, _t in conflict.differences()}




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
    if field == "link":  # the funded structure the partner is linked to
        if not value:
            return "aucune structure liée"
        siret = f" (SIRET {value['siret']})" if value.get("siret") else ""
        return f"{value.get('organisation_name') or value.get('organisation_id')}{siret}"
    if isinstance(value, (list, tuple)):
        return ", ".join(value)
    return "" if value is None else str(value)


def who_and_when(conflict: Conflict) -> tuple[str, str]:
    """(your version, the team's): « modifiée par vous le … », « modifiée par Alice Martin le … »."""
    mine = f"modifiée par vous le {local_time(conflict.mine.get('updated_at'))}"
    by = conflict.theirs.get("updated_by") or Msg.OTHER_MEMBER
    return mine, f"modifiée par {by} le {local_time(conflict.theirs.get('updated_at'))}"
