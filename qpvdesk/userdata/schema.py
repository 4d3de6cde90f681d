"""The user database schema (head revision), with its own declarative Base.

It is separate from the catalogue's Base (qpvdesk/model.py): the two files never share a table.
The schema itself is created and changed ONLY by the Alembic migrations in migrations/versions;
tests/test_userdata_migrations.py checks that these classes match what the migrations build.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UserBase(DeclarativeBase):
    pass


class PartnerRecord(UserBase):
    __tablename__ = "local_partner"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(64))  # stable id carried in exports
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))
    commune: Mapped[str] = mapped_column(Text, server_default="")
    qpv_code: Mapped[str] = mapped_column(Text, server_default="")
    contact_name: Mapped[str] = mapped_column(Text, server_default="")
    phone: Mapped[str] = mapped_column(Text, server_default="")
    email: Mapped[str] = mapped_column(Text, server_default="")
    address: Mapped[str] = mapped_column(Text, server_default="")
    notes: Mapped[str] = mapped_column(Text, server_default="")
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))
    deleted_at: Mapped[str | None] = mapped_column(String(32), nullable=True)  # soft delete: undo, never lost
    # revision 0002
    website: Mapped[str] = mapped_column(Text, server_default="")
    search_text: Mapped[str] = mapped_column(Text, server_default="")  # folded name, commune, contact, notes…
    match_key: Mapped[str] = mapped_column(Text, server_default="")  # folded "name|commune" for duplicates
    # revision 0005 (team): display names of who created and last changed it; the team version it was last
    # sent or received at (0: never shared). A change that moves `version` is the sync's, not the user's.
    # On the server, triggers (revision 0006) set both names, whatever the client sends.
    created_by: Mapped[str] = mapped_column(Text, server_default="")
    updated_by: Mapped[str] = mapped_column(Text, server_default="")
    version: Mapped[int] = mapped_column(BigInteger, server_default="0")

    programmes: Mapped[list[PartnerProgramme]] = relationship(
        cascade="all, delete-orphan", order_by="PartnerProgramme.position", lazy="selectin"
    )

    __table_args__ = (UniqueConstraint("uid", name="uq_local_partner_uid"), Index("ix_local_partner_match_key", "match_key"))


class PartnerProgramme(UserBase):
    __tablename__ = "local_partner_programme"

    partner_id: Mapped[int] = mapped_column(ForeignKey("local_partner.id", ondelete="CASCADE"), primary_key=True)
    programme_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, server_default="0")


class PartnerLinkRecord(UserBase):
    """A local partner linked to a structure of the catalogue (issue 14). The link keeps the SIRET and the name
    seen when it was made: a rebuilt catalogue that renamed the structure's fiche is found again by its SIRET."""

    __tablename__ = "local_partner_link"
    partner_id: Mapped[int] = mapped_column(ForeignKey("local_partner.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(String(200))
    siret: Mapped[str] = mapped_column(String(14), server_default="")
    organisation_name: Mapped[str] = mapped_column(Text, server_default="")
    linked_at: Mapped[str] = mapped_column(String(32))


class FavouriteRecord(UserBase):
    __tablename__ = "favourite"

    entity_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[str] = mapped_column(String(32))


class NoteRecord(UserBase):
    __tablename__ = "note"

    entity_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(String(32))
    # revision 0002
    search_text: Mapped[str] = mapped_column(Text, server_default="")
    # revision 0005: 1 when the author shares it with the team (« partagée avec l'équipe »)
    shared: Mapped[int] = mapped_column(Integer, server_default="0")


class SettingRecord(UserBase):
    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON


# --- revisions 0005-0006: the team database (qpvdesk/team) ----------------------------------------------------


class TeamNoteRecord(UserBase):
    """On the server: every member's notes (row-level security: shared ones, or one's own). Locally: the other
    members' shared notes, as last received."""

    __tablename__ = "team_note"

    owner: Mapped[str] = mapped_column(String(63), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    shared: Mapped[int] = mapped_column(Integer, server_default="0")
    author: Mapped[str] = mapped_column(Text, server_default="")
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))


class TeamOutboxRecord(UserBase):
    """Locally: what changed since the last sync (filled by triggers), one row per partner or note."""

    __tablename__ = "team_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(200))
    queued_at: Mapped[str] = mapped_column(String(32))

    __table_args__ = (UniqueConstraint("kind", "key", name="uq_team_outbox_kind_key"),)


class TeamConflictRecord(UserBase):
    """Locally: a partner changed here and by someone else between two syncs; both versions kept (JSON)."""

    __tablename__ = "team_conflict"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_uid: Mapped[str] = mapped_column(String(64))
    mine: Mapped[str] = mapped_column(Text)
    theirs: Mapped[str] = mapped_column(Text)
    detected_at: Mapped[str] = mapped_column(String(32))
    resolved_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    choice: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON: what the member chose, and the result


class TeamMemberRecord(UserBase):
    """On the server (revision 0006): each member's login and the name the team sees; the server's triggers take
    the authors of shared records from here (row-level security: a member writes only their own row)."""

    __tablename__ = "team_member"

    login: Mapped[str] = mapped_column(String(63), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    joined_at: Mapped[str] = mapped_column(String(32))


class TeamClockRecord(UserBase):
    """On the server: the team version counter (one row)."""

    __tablename__ = "team_clock"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
