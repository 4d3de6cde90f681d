"""Territory tables, declared on the catalogue's Base so the build's create_all makes them.

At most one secondary index per table: SQLAlchemy creates a table's indexes in set order,
which varies between processes, and two of them would make the file differ from build to build.

The generic `entity` rows carry names, summaries, aliases (codes) and relations; these
tables hold what only territories have: the hierarchy with counts, fiche attributes,
lookup keys and the map geometry (scene kilometres, see geo.py).
"""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from qpvdesk.model import Base


class TerritoryRegion(Base):
    __tablename__ = "territory_region"
    code: Mapped[str] = mapped_column(String, primary_key=True)  # INSEE code, or "COM"
    entity_id: Mapped[str | None] = mapped_column(ForeignKey("entity.id"))
    name: Mapped[str] = mapped_column(Text)


class TerritoryDepartement(Base):
    __tablename__ = "territory_departement"
    code: Mapped[str] = mapped_column(String, primary_key=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entity.id"))
    name: Mapped[str] = mapped_column(Text)
    region_code: Mapped[str] = mapped_column(String)


class TerritoryCommune(Base):
    __tablename__ = "territory_commune"
    insee: Mapped[str] = mapped_column(String, primary_key=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entity.id"))
    name: Mapped[str] = mapped_column(Text)
    folded: Mapped[str] = mapped_column(Text, index=True)  # world.search_key(name), for lookup
    dep_code: Mapped[str] = mapped_column(String)
    qpv_count: Mapped[int] = mapped_column(Integer, default=0)
    qpv2015_count: Mapped[int] = mapped_column(Integer, default=0)
    cite_educative_count: Mapped[int] = mapped_column(Integer, default=0)
    cite_emploi_count: Mapped[int] = mapped_column(Integer, default=0)
    france_services_count: Mapped[int] = mapped_column(Integer, default=0)
    contrat_count: Mapped[int] = mapped_column(Integer, default=0)


class TerritoryQpv(Base):
    __tablename__ = "territory_qpv"
    code: Mapped[str] = mapped_column(String, primary_key=True)  # QN03107M
    entity_id: Mapped[str] = mapped_column(ForeignKey("entity.id"))
    name: Mapped[str] = mapped_column(Text)
    folded: Mapped[str] = mapped_column(Text, index=True)
    status: Mapped[str] = mapped_column(String(1))  # last letter of the code: M / I / N / C
    dep_code: Mapped[str] = mapped_column(String)
    revised: Mapped[int] = mapped_column(Integer, default=0)  # 1: Mayotte, list since revised by ANCT
    population: Mapped[int | None] = mapped_column(Integer, nullable=True)  # popMuniQPV; None: not in the file
    npnru2015: Mapped[str] = mapped_column(String, default="")  # NPNRU quartiers (2015 codes) it succeeds, ";"-joined


class TerritoryQpvCommune(Base):
    __tablename__ = "territory_qpv_commune"
    qpv_code: Mapped[str] = mapped_column(ForeignKey("territory_qpv.code"), primary_key=True)
    insee: Mapped[str] = mapped_column(String, primary_key=True)

    __table_args__ = (Index("ix_territory_qpv_commune_insee", "insee"),)


class TerritoryQpv2015(Base):
    """The 2015 list, kept as history: an old code still leads somewhere."""

    __tablename__ = "territory_qpv2015"
    code: Mapped[str] = mapped_column(String, primary_key=True)  # QP031007
    name: Mapped[str] = mapped_column(Text)
    folded: Mapped[str] = mapped_column(Text)
    communes: Mapped[str] = mapped_column(Text, default="")  # INSEE codes, ";"-joined
    successors: Mapped[str] = mapped_column(Text, default="")  # 2024 codes, ";"-joined ("" = left the list)
    npnru: Mapped[int] = mapped_column(Integer, default=0)  # 1: in ANRU's list of NPNRU quartiers


class TerritoryRevisedCode(Base):
    """Mayotte's revised 2024 list: one commune-wide QPV code per commune (QN97651C…)."""

    __tablename__ = "territory_revised_code"
    code: Mapped[str] = mapped_column(String, primary_key=True)
    insee: Mapped[str] = mapped_column(String)
    label: Mapped[str] = mapped_column(Text)


class TerritoryPostcode(Base):
    """La Poste 2022: a postcode and the communes it serves, "INSEE=Name|…" (La Poste's names and
    codes: arrondissements of Paris, Lyon and Marseille keep theirs); the delivery town's first."""

    __tablename__ = "territory_postcode"
    code: Mapped[str] = mapped_column(String, primary_key=True)
    communes: Mapped[str] = mapped_column(Text)

    __table_args__ = {"sqlite_with_rowid": False}


class TerritoryStateContact(Base):
    """A State service that is ANCT's entry point in a département (service fields only, no person)."""

    __tablename__ = "territory_state_contact"
    dep_code: Mapped[str] = mapped_column(String, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    service: Mapped[str] = mapped_column(Text)
    address: Mapped[str] = mapped_column(Text)
    phone: Mapped[str] = mapped_column(String)
    email: Mapped[str] = mapped_column(String)
    website: Mapped[str] = mapped_column(Text)
    date: Mapped[str] = mapped_column(String)  # ISO date of the information, "" if the file gives none


class TerritorySite(Base):
    __tablename__ = "territory_site"
    entity_id: Mapped[str] = mapped_column(ForeignKey("entity.id"), primary_key=True)
    layer: Mapped[str] = mapped_column(String)  # see world.SITE_LAYERS; the name is the entity's
    code: Mapped[str] = mapped_column(String)
    communes: Mapped[str] = mapped_column(Text, default="")  # INSEE codes, ";"-joined


class TerritoryFiche(Base):
    """Fiche lines of a territory entity: JSON list of [label number, value], in display order.
    Labels are in territory_label; values starting with "§" are shared texts (fiches.expand())."""

    __tablename__ = "territory_fiche"
    entity_id: Mapped[str] = mapped_column(String, primary_key=True)
    attributes: Mapped[str] = mapped_column(Text)

    __table_args__ = {"sqlite_with_rowid": False}


class TerritoryLabel(Base):
    """Labels of the fiche lines, numbered (TerritoryFiche stores the numbers)."""

    __tablename__ = "territory_label"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    label: Mapped[str] = mapped_column(Text)


class TerritoryShape(Base):
    """A polygon layer feature in scene kilometres (rings: uint32 counts + float32 x,y)."""

    __tablename__ = "territory_shape"
    id: Mapped[int] = mapped_column(primary_key=True)
    layer: Mapped[str] = mapped_column(String)  # region / departement / qpv
    entity_id: Mapped[str | None] = mapped_column(String, index=True)
    code: Mapped[str] = mapped_column(String)
    name: Mapped[str] = mapped_column(Text)
    min_x: Mapped[float] = mapped_column(Float)
    min_y: Mapped[float] = mapped_column(Float)
    max_x: Mapped[float] = mapped_column(Float)
    max_y: Mapped[float] = mapped_column(Float)
    ring_counts: Mapped[bytes] = mapped_column(LargeBinary)
    coords: Mapped[bytes] = mapped_column(LargeBinary)


class TerritoryPoint(Base):
    """A site marker (scene kilometres); its name is the entity's."""

    __tablename__ = "territory_point"
    id: Mapped[int] = mapped_column(primary_key=True)
    layer: Mapped[str] = mapped_column(String)
    entity_id: Mapped[str] = mapped_column(String, index=True)
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)


class TerritoryExtent(Base):
    """Where a région, département or commune is on the map, for centring it (scene km).
    QPV use their shape's box, sites their points."""

    __tablename__ = "territory_extent"
    entity_id: Mapped[str] = mapped_column(String, primary_key=True)
    min_x: Mapped[float] = mapped_column(Float)
    min_y: Mapped[float] = mapped_column(Float)
    max_x: Mapped[float] = mapped_column(Float)
    max_y: Mapped[float] = mapped_column(Float)

    __table_args__ = {"sqlite_with_rowid": False}


class TerritoryInset(Base):
    """Frame of an overseas inset on the map."""

    __tablename__ = "territory_inset"
    code: Mapped[str] = mapped_column(String, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    min_x: Mapped[float] = mapped_column(Float)
    min_y: Mapped[float] = mapped_column(Float)
    max_x: Mapped[float] = mapped_column(Float)
    max_y: Mapped[float] = mapped_column(Float)
