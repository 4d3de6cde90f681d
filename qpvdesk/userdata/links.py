"""Links between a local partner and a structure of the catalogue (issue 14), mixed into UserData.

Only the user's database is written: the catalogue is read-only and a rebuild never touches the link. The link
keeps the SIRET and the name seen when it was made, so a rebuilt catalogue can still find (or say it lost)
the structure; what the user typed about the partner is never changed by linking or unlinking. Only the partner's
« modifié le » moves: in a team the link is shared with the partner, and that change is what queues it (the
database's triggers, migration 0005) and names who made it (the server's, 0006).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, delete, insert, select, update

from qpvdesk.userdata.messages import Msg, UserDataError
from qpvdesk.userdata.partners import P
from qpvdesk.userdata.schema import PartnerLinkRecord
from qpvdesk.userdata.text import now_iso
from qpvdesk.userdata.views import LocalPartner

L = cast(Table, PartnerLinkRecord.__table__)


@dataclass(frozen=True)
class PartnerLink:
    partner_uid: str
    organisation_id: str
    siret: str
    organisation_name: str
    linked_at: str


def resolve_link(link: PartnerLink, exists) -> str | None:
    """The structure's fiche in this catalogue: its id as linked, else found again by SIRET; None if gone."""
    if exists(link.organisation_id):
        return link.organisation_id
    if link.siret and exists(f"org-{link.siret}"):
        return f"org-{link.siret}"
    return None


class PartnerLinkStore:
    def link_partner(self, uid: str, organisation_id: str, siret: str = "", organisation_name: str = "") -> PartnerLink:
        """Link (or re-link) a local partner to a catalogue structure."""
        with self._write() as s:  # type: ignore[attr-defined]
            partner_id = s.scalar(select(P.c.id).where(P.c.uid == uid, P.c.deleted_at.is_(None)))
            if partner_id is None:
                raise UserDataError(Msg.PARTNER_MISSING)
            s.execute(delete(L).where(L.c.partner_id == partner_id))
            link = PartnerLink(uid, organisation_id, siret, organisation_name, now_iso())
            s.execute(update(P).where(P.c.id == partner_id).values(updated_at=link.linked_at))
            s.execute(
                insert(L).values(
                    partner_id=partner_id,
                    organisation_id=organisation_id,
                    siret=siret,
                    organisation_name=organisation_name,
                    linked_at=link.linked_at,
                )
            )
        return link

    def unlink_partner(self, uid: str) -> None:
        with self._write() as s:  # type: ignore[attr-defined]
            if s.execute(delete(L).where(L.c.partner_id.in_(select(P.c.id).where(P.c.uid == uid)))).rowcount:
                s.execute(update(P).where(P.c.uid == uid).values(updated_at=now_iso()))

    def partner_link(self, uid: str) -> PartnerLink | None:
        with self._read() as s:  # type: ignore[attr-defined]
            row = s.execute(select(L).join(P, P.c.id == L.c.partner_id).where(P.c.uid == uid)).mappings().first()
        return PartnerLink(uid, row["organisation_id"], row["siret"], row["organisation_name"], row["linked_at"]) if row else None

    def partners_linked_to(self, organisation_id: str, siret: str = "") -> list[LocalPartner]:
        """The user's partners linked to this structure (by its id, or by the SIRET kept in the link)."""
        wanted = L.c.organisation_id == organisation_id
        if siret:
            wanted = wanted | (L.c.siret == siret)
        with self._read() as s:  # type: ignore[attr-defined]
            uids = list(s.scalars(select(P.c.uid).join(L, L.c.partner_id == P.c.id).where(wanted, P.c.deleted_at.is_(None))))
        return [p for p in (self.get_partner(u) for u in uids) if p]  # type: ignore[attr-defined]
