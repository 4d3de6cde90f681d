"""Catalogue tables of the organisations (« Structures »), declared on the catalogue's Base.

The `entity` row (kind `organisation`) carries the readable name, the summary and the source spellings as
aliases (spellings as in the source, SIRET); these tables hold what only organisations have. One secondary index
per table at most (see territories/tables.py: the build must stay byte-identical).
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from qpvdesk.model import Base


class Organisation(Base):
    __tablename__ = "organisation"
    num: Mapped[int] = mapped_column(Integer, primary_key=True)  # short key of the funding rows
    entity_id: Mapped[str] = mapped_column(ForeignKey("entity.id"), unique=True)
    siret: Mapped[str | None] = mapped_column(String)  # 14 digits, adultes-relais only
    identity: Mapped[str] = mapped_column(String)  # "siret" / "siret+name" (FONJEP joined by name) / "name"
    type: Mapped[str] = mapped_column(String)  # organisations.vocabulary.TYPES key, deduced from the name
    # where, which programmes, which years and contrats: read from organisation_funding (kept small)


class OrganisationFunding(Base):
    """Posts and amount of one organisation for one programme, year, département and contrat de ville."""

    __tablename__ = "organisation_funding"
    org: Mapped[int] = mapped_column(ForeignKey("organisation.num"), primary_key=True)
    programme: Mapped[str] = mapped_column(String, primary_key=True)  # vocabulary.PROGRAMME_CODES: AR / FJ
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    dep_code: Mapped[str] = mapped_column(String, primary_key=True)  # "" when the source gives none
    cv_code: Mapped[str] = mapped_column(String, primary_key=True)  # "" when none; "CV380 CV384" when two
    posts: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[int] = mapped_column(Integer)  # sum of `montant`, in cents

    __table_args__ = {"sqlite_with_rowid": False}
