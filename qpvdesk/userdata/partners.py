"""Local partners: checks, and the create / edit / delete (undoable) / search part of UserData."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import cast

from sqlalchemy import ColumnElement, Connection, Table, delete, insert, select, update
from sqlalchemy.orm import Session

from qpvdesk.textfold import fold
from qpvdesk.userdata.folding import match_key, partner_search_text, query_words
from qpvdesk.userdata.messages import Msg, UserDataError
from qpvdesk.userdata.refs import NO_REFS, CatalogueRefs
from qpvdesk.userdata.schema import PartnerProgramme, PartnerRecord
from qpvdesk.userdata.text import clean_block, clean_line, now_iso
from qpvdesk.userdata.views import MAX_FIELD, MAX_NAME, MAX_NOTES, PARTNER_TYPES, LocalPartner, PartnerFields

_TYPE_BY_LABEL = {fold(label): key for key, label in PARTNER_TYPES.items()} | {key: key for key in PARTNER_TYPES}
FIELD_LABELS = {
    "name": "nom", "commune": "commune", "qpv_code": "code QPV", "contact_name": "contact", "phone": "téléphone",
    "email": "courriel", "address": "adresse", "website": "site web", "notes": "notes", "programme_ids": "programmes",
}
LINE_FIELDS = ("name", "kind", "commune", "qpv_code", "contact_name", "phone", "email", "website")
P = cast(Table, PartnerRecord.__table__)
PP = cast(Table, PartnerProgramme.__table__)


def kind_key(value: str) -> str | None:
    """'Bailleur social' or 'social-landlord' -> 'social-landlord'; '' -> 'other'; unknown -> None."""
    value = clean_line(value)
    if not value:
        return "other"
    return _TYPE_BY_LABEL.get(fold(value)) or _TYPE_BY_LABEL.get(value)


def normalise(data: PartnerFields) -> PartnerFields:
    """The one canonical form stored: cleaned text, QPV code in capitals, programmes de-duplicated."""
    values = {name: clean_line(str(getattr(data, name) or "")) for name in LINE_FIELDS}
    values["kind"] = kind_key(values["kind"]) or values["kind"]
    values["qpv_code"] = values["qpv_code"].upper()
    programmes = []
    for pid in data.programme_ids:
        pid = clean_line(str(pid))
        if pid and pid not in programmes:
            programmes.append(pid)
    return PartnerFields(
        **values,
        programme_ids=tuple(programmes),
        address=clean_block(str(data.address or "")),
        notes=clean_block(str(data.notes or "")),
    )


def check(data: PartnerFields, refs: CatalogueRefs) -> tuple[list[str], list[str]]:
    """(errors, warnings) for normalised fields; errors forbid saving, warnings are shown."""
    errors, warnings = [], []
    if not data.name:
        errors.append(Msg.NAME_EMPTY)
    elif len(data.name) > MAX_NAME:
        errors.append(Msg.NAME_TOO_LONG.format(length=len(data.name), limit=MAX_NAME))
    for name in ("commune", "qpv_code", "contact_name", "phone", "email", "website", "address"):
        length = len(getattr(data, name))
        if length > MAX_FIELD:
            errors.append(Msg.FIELD_TOO_LONG.format(field=FIELD_LABELS[name], length=length, limit=MAX_FIELD))
    if len(data.notes) > MAX_NOTES:
        errors.append(Msg.FIELD_TOO_LONG.format(field="notes", length=len(data.notes), limit=MAX_NOTES))
    if data.kind not in PARTNER_TYPES:
        errors.append(Msg.KIND_UNKNOWN.format(value=data.kind[:60], choices=", ".join(PARTNER_TYPES.values())))
    if data.commune and refs.commune_known(data.commune) is False:
        # the catalogue lists only the communes with a QPV or a programme site: an unknown commune is
        # kept, unless it is one typo away from a known one
        suggestion = refs.commune_suggestion(data.commune)
        if suggestion:
            errors.append(Msg.COMMUNE_UNKNOWN.format(value=data.commune[:80], suggestion=suggestion))
        else:
            warnings.append(Msg.COMMUNE_ABSENT.format(value=data.commune[:80]))
    if data.qpv_code and refs.qpv_known(data.qpv_code) is False:
        errors.append(Msg.QPV_UNKNOWN.format(value=data.qpv_code[:40]))
    if len(data.programme_ids) > 200 or any(len(p) > 120 for p in data.programme_ids):
        errors.append(Msg.FIELD_TOO_LONG.format(field="programmes", length=sum(map(len, data.programme_ids)), limit=120))
    for pid in data.programme_ids:
        if refs.programme_known(pid) is False:
            warnings.append(Msg.PROGRAMME_UNKNOWN.format(value=pid[:80]))
    return errors, warnings


def record_values(data: PartnerFields) -> dict:
    """Column values of a partner row (without id, uid, dates) for normalised fields."""
    values = {name: getattr(data, name) for name in ("name", "kind", "commune", "qpv_code", "contact_name", "phone",
                                                     "email", "address", "website", "notes")}
    values["search_text"] = partner_search_text({**values, "programme_ids": data.programme_ids})
    values["match_key"] = match_key(data.name, data.commune)
    return values


def load_partners(session: Session, where=None, order: bool = True, limit: int | None = None) -> list[LocalPartner]:  # noqa: ANN001
    query = select(P)
    if where is not None:
        query = query.where(where)
    if order:
        query = query.order_by(P.c.match_key, P.c.id)
    if limit:
        query = query.limit(limit)
    rows = session.execute(query).mappings().all()
    if not rows:
        return []
    links: dict[int, list[str]] = {}
    ids = [r["id"] for r in rows]
    link_query = select(PP.c.partner_id, PP.c.programme_id).order_by(PP.c.partner_id, PP.c.position)
    if len(ids) < 500:
        link_query = link_query.where(PP.c.partner_id.in_(ids))
    for partner_id, programme_id in session.execute(link_query):
        links.setdefault(partner_id, []).append(programme_id)
    return [
        LocalPartner(
            name=r["name"], kind=r["kind"], commune=r["commune"], qpv_code=r["qpv_code"],
            programme_ids=tuple(links.get(r["id"], ())), contact_name=r["contact_name"], phone=r["phone"],
            email=r["email"], address=r["address"], website=r["website"], notes=r["notes"],
            uid=r["uid"], created_at=r["created_at"], updated_at=r["updated_at"],
        )
        for r in rows
    ]


def write_programmes(session: Session | Connection, links: Iterable[tuple[int, tuple[str, ...]]], replace: bool = False) -> None:
    links = list(links)
    if replace and links:
        session.execute(delete(PP).where(PP.c.partner_id.in_([pid for pid, _ in links])))
    rows = [{"partner_id": pid, "programme_id": prog, "position": pos} for pid, progs in links for pos, prog in enumerate(progs)]
    if rows:
        session.execute(insert(PP), rows)


class PartnerStore:
    """Mixed into UserData (which provides _read, _write and refs)."""

    refs: CatalogueRefs

    # --- reading ---------------------------------------------------------------------------

    def list_partners(self) -> list[LocalPartner]:
        with self._read() as s:  # type: ignore[attr-defined]
            return load_partners(s, P.c.deleted_at.is_(None))

    def list_deleted_partners(self) -> list[LocalPartner]:
        with self._read() as s:  # type: ignore[attr-defined]
            return load_partners(s, P.c.deleted_at.is_not(None))

    def get_partner(self, uid: str) -> LocalPartner | None:
        with self._read() as s:  # type: ignore[attr-defined]
            found = load_partners(s, (P.c.uid == uid) & P.c.deleted_at.is_(None), order=False)
        return found[0] if found else None

    def count_partners(self) -> int:
        from sqlalchemy import func

        with self._read() as s:  # type: ignore[attr-defined]
            return s.scalar(select(func.count()).select_from(P).where(P.c.deleted_at.is_(None))) or 0

    def search_partners(self, text: str, limit: int = 50) -> list[LocalPartner]:
        """Local partners whose name, type, commune, QPV, contact, notes or programmes hold every word
        (accents and case forgiven), best first: name matches before the others."""
        words = query_words(text)
        if not words:
            return []
        condition: ColumnElement[bool] = P.c.deleted_at.is_(None)
        for word in words:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            condition = condition & P.c.search_text.like(f"%{escaped}%", escape="\\")
        with self._read() as s:  # type: ignore[attr-defined]
            found = load_partners(s, condition, limit=limit * 4)
        found.sort(key=lambda p: (not all(w in fold(p.name) for w in words), fold(p.name)))
        return found[:limit]

    def partners_in_territory(self, communes: Iterable[str] = (), qpv_codes: Iterable[str] = ()) -> list[LocalPartner]:
        """For territory fiches: local partners whose QPV code is one of these, or, having no QPV code, whose
        commune (name or INSEE code, accents and case forgiven) is one of these. One query, no full list."""
        keys = {k for k in (match_key("", c).lstrip("|") for c in communes) if k}
        codes = {c.strip().upper() for c in qpv_codes if c.strip()}
        if not keys and not codes:
            return []
        by_commune: ColumnElement[bool] | None = None
        for key in sorted(keys):
            escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            like = P.c.match_key.like(f"%|{escaped}", escape="\\")
            by_commune = like if by_commune is None else by_commune | like
        # a partner with a QPV code belongs where that QPV is (« Saint-Denis » with QN09328M is not the
        # Réunion's Saint-Denis); one without a code, where its commune's name or INSEE code says
        place: ColumnElement[bool] = P.c.qpv_code.in_(sorted(codes))
        if by_commune is not None:
            place = place | ((P.c.qpv_code == "") & by_commune)
        with self._read() as s:  # type: ignore[attr-defined]
            return load_partners(s, P.c.deleted_at.is_(None) & place)

    # --- checks ---------------------------------------------------------------------------

    def validate(self, data: PartnerFields) -> tuple[PartnerFields, list[str], list[str]]:
        """(normalised fields, errors, warnings): the dialog calls this before saving."""
        cleaned = normalise(data)
        errors, warnings = check(cleaned, self.refs or NO_REFS)
        return cleaned, errors, warnings

    def _checked(self, data: PartnerFields) -> PartnerFields:
        cleaned, errors, _warnings = self.validate(data)
        if errors:
            raise UserDataError("Partenaire non enregistré : " + " ; ".join(errors) + ".")
        return cleaned

    # --- writing --------------------------------------------------------------------------

    def create_partner(self, data: PartnerFields) -> LocalPartner:
        cleaned = self._checked(data)
        stamp = now_iso()
        uid = str(uuid.uuid4())
        with self._write() as s:  # type: ignore[attr-defined]
            row = insert(P).values(uid=uid, created_at=stamp, updated_at=stamp, **record_values(cleaned))
            new_id = s.execute(row).inserted_primary_key[0]
            write_programmes(s, [(new_id, cleaned.programme_ids)])
        return LocalPartner(**{**cleaned.__dict__, "uid": uid, "created_at": stamp, "updated_at": stamp})

    def update_partner(self, uid: str, data: PartnerFields) -> LocalPartner:
        cleaned = self._checked(data)
        stamp = now_iso()
        with self._write() as s:  # type: ignore[attr-defined]
            row = s.execute(select(P.c.id, P.c.created_at).where((P.c.uid == uid) & P.c.deleted_at.is_(None))).first()
            if row is None:
                raise UserDataError(Msg.PARTNER_MISSING)
            s.execute(update(P).where(P.c.id == row.id).values(updated_at=stamp, **record_values(cleaned)))
            write_programmes(s, [(row.id, cleaned.programme_ids)], replace=True)
        return LocalPartner(**{**cleaned.__dict__, "uid": uid, "created_at": row.created_at, "updated_at": stamp})

    def delete_partner(self, uid: str) -> LocalPartner:
        """Soft delete: the row stays (hidden), so undo_delete() gives it back. Nothing is erased."""
        partner = self.get_partner(uid)
        if partner is None:
            raise UserDataError(Msg.PARTNER_MISSING)
        with self._write() as s:  # type: ignore[attr-defined]
            s.execute(update(P).where(P.c.uid == uid).values(deleted_at=now_iso()))
        return partner

    def undo_delete(self, uid: str) -> LocalPartner:
        with self._write() as s:  # type: ignore[attr-defined]
            done = s.execute(update(P).where((P.c.uid == uid) & P.c.deleted_at.is_not(None)).values(deleted_at=None)).rowcount
        partner = self.get_partner(uid)
        if not done or partner is None:
            raise UserDataError(Msg.PARTNER_MISSING)
        return partner
