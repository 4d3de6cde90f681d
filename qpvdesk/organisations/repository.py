"""Read access to the funded organisations of a catalogue (each call opens its own session).

A catalogue built before the organisations existed has no such tables: every method then answers as if
there were none, so older catalogues keep working.
"""

from __future__ import annotations

import json
from collections import defaultdict

from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError, OperationalError

from qpvdesk.model import Entity, EntityAlias, Meta, Relation, Source
from qpvdesk.organisations.datasets import FILES
from qpvdesk.organisations.tables import Organisation, OrganisationFunding
from qpvdesk.organisations.views import FundedHere, FundingLine, OrganisationInfo, OrganisationRow, PlaceChoice, PlaceLink
from qpvdesk.organisations.vocabulary import PROGRAMME_CODES
from qpvdesk.territories.tables import (
    TerritoryCommune,
    TerritoryDepartement,
    TerritoryQpv,
    TerritoryQpvCommune,
    TerritoryRegion,
    TerritorySite,
)
from qpvdesk.views import SourceView

CONTRAT_LAYERS = ("contrat-2015", "contrat-2024")
_MISSING = (OperationalError, DatabaseError)


class OrganisationRepository:
    def __init__(self, catalogue) -> None:  # qpvdesk.catalogue.Catalogue
        self.catalogue = catalogue
        self._available: bool | None = None

    def available(self) -> bool:
        if self._available is None:
            try:
                with self.catalogue.session() as s:
                    self._available = (s.scalar(select(func.count()).select_from(Organisation)) or 0) > 0
            except _MISSING:
                self._available = False
        return self._available

    # --- one organisation -----------------------------------------------------------------

    def organisation(self, entity_id: str) -> OrganisationInfo | None:
        if not self.available():
            return None
        with self.catalogue.session() as s:
            row = s.execute(
                select(Organisation, Entity.name)
                .join(Entity, Entity.id == Organisation.entity_id)
                .where(Organisation.entity_id == entity_id)
            ).first()
            if row is None:
                return None
            org, name = row
            aliases = s.scalars(
                select(EntityAlias.alias).where(EntityAlias.entity_id == entity_id).order_by(EntityAlias.position)
            ).all()
            funding = tuple(
                FundingLine(PROGRAMME_CODES[f.programme], f.year, f.posts, f.amount_cents, f.dep_code, tuple(f.cv_code.split()))
                for f in s.scalars(
                    select(OrganisationFunding)
                    .where(OrganisationFunding.org == org.num)
                    .order_by(
                        OrganisationFunding.year,
                        OrganisationFunding.programme,
                        OrganisationFunding.dep_code,
                        OrganisationFunding.cv_code,
                    )
                )
            )
            codes = sorted({c for f in funding for c in f.cv_codes})
            contrats = {
                code: PlaceLink(eid, nm, code)
                for code, eid, nm in s.execute(
                    select(TerritorySite.code, TerritorySite.entity_id, Entity.name)
                    .join(Entity, Entity.id == TerritorySite.entity_id)
                    .where(TerritorySite.code.in_(codes), TerritorySite.layer.in_(CONTRAT_LAYERS))
                )
            }
            deps = sorted({f.dep_code for f in funding if f.dep_code})
            departements = tuple(
                PlaceLink(eid, nm, code)
                for code, eid, nm in s.execute(
                    select(TerritoryDepartement.code, TerritoryDepartement.entity_id, TerritoryDepartement.name)
                    .where(TerritoryDepartement.code.in_(deps))
                    .order_by(TerritoryDepartement.code)
                )
            )
            communes = self._communes_of(s, [c.entity_id for c in contrats.values()])
        return OrganisationInfo(
            entity_id,
            name,
            org.siret,
            org.identity,
            org.type,
            tuple(a for a in aliases if a != org.siret) or (name,),
            funding,
            departements,
            tuple(contrats[c] for c in codes if c in contrats),
            communes,
            tuple(c for c in codes if c not in contrats),
        )

    @staticmethod
    def _communes_of(s, contrat_ids: list[str]) -> tuple[PlaceLink, ...]:
        """Communes a contrat de ville applies to: named directly, or holding one of its QPV."""
        targets = select(Relation.target_id).where(Relation.source_id.in_(contrat_ids), Relation.type == "applies-to")
        via_qpv = (
            select(TerritoryCommune.entity_id)
            .join(TerritoryQpvCommune, TerritoryQpvCommune.insee == TerritoryCommune.insee)
            .join(TerritoryQpv, TerritoryQpv.code == TerritoryQpvCommune.qpv_code)
            .where(TerritoryQpv.entity_id.in_(targets))
        )
        rows = s.execute(
            select(Entity.id, Entity.name)
            .where(Entity.kind == "commune", Entity.id.in_(targets) | Entity.id.in_(via_qpv))
            .order_by(Entity.name)
        ).all()
        return tuple(PlaceLink(eid, nm, "") for eid, nm in rows)

    def sources(self) -> dict[tuple[str, int], SourceView]:
        """(programme, year) -> the catalogue's source of ANCT's file for it."""
        refs = {info.ref: key for key, info in FILES.items()}
        with self.catalogue.session() as s:
            return {
                refs[src.ref]: SourceView(src.ref, src.url, src.title, src.publisher, src.reliability, str(refs[src.ref][1]))
                for src in s.scalars(select(Source).where(Source.ref.in_(list(refs))))
            }

    # --- places -----------------------------------------------------------------------------

    def funded_here(self, entity_id: str, kind: str) -> tuple[str, list[FundedHere]]:
        """(how the place is matched, in French; the organisations with their posts there)."""
        if not self.available() or kind not in ("site", "commune", "qpv", "departement", "region"):
            return "", []
        with self.catalogue.session() as s:
            if kind == "site":
                code = s.scalar(
                    select(TerritorySite.code).where(
                        TerritorySite.entity_id == entity_id, TerritorySite.layer.in_(CONTRAT_LAYERS)
                    )
                )
                if not code:
                    return "", []
                how, where = (
                    "postes rattachés à ce contrat de ville dans les données de l'ANCT",
                    ("instr(f.cv_code, :code) > 0", {"code": code}),
                )
                rows = self._rows(s, *where)
                return how, rows
            if kind in ("commune", "qpv"):
                places = [entity_id]
                if kind == "commune":  # contrats name the commune, or one of its QPV
                    places += s.scalars(
                        select(TerritoryQpv.entity_id)
                        .join(TerritoryQpvCommune, TerritoryQpvCommune.qpv_code == TerritoryQpv.code)
                        .join(TerritoryCommune, TerritoryCommune.insee == TerritoryQpvCommune.insee)
                        .where(TerritoryCommune.entity_id == entity_id)
                    ).all()
                codes = sorted(
                    set(
                        s.scalars(
                            select(TerritorySite.code)
                            .join(Relation, Relation.source_id == TerritorySite.entity_id)
                            .where(
                                Relation.target_id.in_(places),
                                Relation.type == "applies-to",
                                TerritorySite.layer.in_(CONTRAT_LAYERS),
                            )
                        ).all()
                    )
                )
                if not codes:
                    return "", []
                params = {f"c{i}": c for i, c in enumerate(codes)}
                clause = " OR ".join(f"instr(f.cv_code, :c{i}) > 0" for i in range(len(codes)))
                where_text = "ce quartier" if kind == "qpv" else "cette commune"
                how = (
                    f"postes des contrats de ville qui couvrent {where_text} ({', '.join(sorted(codes))}) : la structure "
                    "n'est pas forcément implantée ici"
                )
                return how, self._rows(s, f"({clause})", params)
            if kind == "departement":
                code = s.scalar(select(TerritoryDepartement.code).where(TerritoryDepartement.entity_id == entity_id))
                deps = [code] if code else []
            else:
                region = s.scalar(select(TerritoryRegion.code).where(TerritoryRegion.entity_id == entity_id))
                deps = s.scalars(select(TerritoryDepartement.code).where(TerritoryDepartement.region_code == region)).all()
            if not deps:
                return "", []
            params = {f"d{i}": d for i, d in enumerate(deps)}
            clause = "f.dep_code IN (" + ",".join(f":d{i}" for i in range(len(deps))) + ")"
            return (
                "postes comptés dans ce département par l'ANCT"
                if kind == "departement"
                else "postes comptés dans les départements de cette région par l'ANCT",
                self._rows(s, clause, params),
            )

    @staticmethod
    def _rows(s, clause: str, params: dict) -> list[FundedHere]:
        found = s.execute(
            text(
                "SELECT o.entity_id, e.name, o.type, f.programme, f.year, sum(f.posts) FROM organisation_funding f "
                "JOIN organisation o ON o.num = f.org JOIN entity e ON e.id = o.entity_id "
                f"WHERE {clause} GROUP BY o.entity_id, f.programme, f.year"
            ),
            params,
        ).all()
        by_org: dict[str, FundedHere] = {}
        for entity_id, name, kind, programme, year, posts in found:
            org = by_org.setdefault(entity_id, FundedHere(entity_id, name, kind, {}))
            org.posts[(PROGRAMME_CODES[programme], year)] = posts
        return list(by_org.values())

    # --- national figures ------------------------------------------------------------------

    def totals(self) -> dict[str, dict[int, tuple[int, int, int]]]:
        """programme -> year -> (posts, amount in cents, organisations)."""
        if not self.available():
            return {}
        with self.catalogue.session() as s:
            rows = s.execute(
                select(
                    OrganisationFunding.programme,
                    OrganisationFunding.year,
                    func.sum(OrganisationFunding.posts),
                    func.sum(OrganisationFunding.amount_cents),
                    func.count(func.distinct(OrganisationFunding.org)),
                )
                .group_by(OrganisationFunding.programme, OrganisationFunding.year)
                .order_by(OrganisationFunding.programme, OrganisationFunding.year)
            ).all()
        out: dict[str, dict[int, tuple[int, int, int]]] = defaultdict(dict)
        for programme, year, posts, cents, orgs in rows:
            out[PROGRAMME_CODES[programme]][year] = (posts, cents, orgs)
        return dict(out)

    def organisations_of(self, programme: str) -> int:
        code = {v: k for k, v in PROGRAMME_CODES.items()}[programme]
        with self.catalogue.session() as s:
            return (
                s.scalar(select(func.count(func.distinct(OrganisationFunding.org))).where(OrganisationFunding.programme == code))
                or 0
            )

    def stats(self) -> dict:
        """For `check`: counts, how identities were made, records kept without contrat, totals per programme and year."""
        if not self.available():
            return {}
        with self.catalogue.session() as s:
            built = json.loads(s.scalar(select(Meta.value).where(Meta.key == "organisations")) or "{}")
            identities = dict(s.execute(select(Organisation.identity, func.count()).group_by(Organisation.identity)).all())
            types = dict(
                s.execute(select(Organisation.type, func.count()).group_by(Organisation.type).order_by(Organisation.type)).all()
            )
        totals = {
            programme: {
                str(year): {"posts": posts, "amount_cents": cents, "organisations": orgs}
                for year, (posts, cents, orgs) in years.items()
            }
            for programme, years in self.totals().items()
        }
        return {**built, "count": sum(identities.values()), "identities": identities, "types": types, "totals": totals}

    # --- partner browser ---------------------------------------------------------------------

    def places(self) -> tuple[tuple[dict, dict], list[PlaceChoice]]:
        """(département and région names, the contrats de ville and communes the browser filters on)."""
        with self.catalogue.session() as s:
            deps = dict(s.execute(select(TerritoryDepartement.code, TerritoryDepartement.name)).all())
            regions = dict(s.execute(select(TerritoryRegion.code, TerritoryRegion.name)).all())
            contrats = s.execute(
                select(TerritorySite.entity_id, TerritorySite.code, Entity.name)
                .join(Entity, Entity.id == TerritorySite.entity_id)
                .where(TerritorySite.layer.in_(CONTRAT_LAYERS))
            ).all()
            code_of = {eid: code for eid, code, _ in contrats}
            qpv_communes: dict[str, set[str]] = defaultdict(set)
            for qpv_id, commune_id in s.execute(
                select(TerritoryQpv.entity_id, TerritoryCommune.entity_id)
                .join(TerritoryQpvCommune, TerritoryQpvCommune.qpv_code == TerritoryQpv.code)
                .join(TerritoryCommune, TerritoryCommune.insee == TerritoryQpvCommune.insee)
            ):
                qpv_communes[qpv_id].add(commune_id)
            by_commune: dict[str, set[str]] = defaultdict(set)
            for source, target in s.execute(
                select(Relation.source_id, Relation.target_id).where(
                    Relation.type == "applies-to", Relation.source_id.in_(list(code_of))
                )
            ):
                for commune in qpv_communes.get(target, {target}):
                    by_commune[commune].add(code_of[source])
            names = dict(
                s.execute(
                    select(TerritoryCommune.entity_id, TerritoryCommune.name + " (" + TerritoryCommune.insee + ")").where(
                        TerritoryCommune.entity_id.in_(list(by_commune))
                    )
                ).all()
            )
        choices = [PlaceChoice(eid, f"{name} ({code})", frozenset((code,))) for eid, code, name in contrats]
        choices.sort(key=lambda c: c.label.casefold())
        communes = [PlaceChoice(c, names[c], frozenset(codes)) for c, codes in by_commune.items() if c in names]
        communes.sort(key=lambda c: c.label.casefold())
        return (deps, regions), choices + communes

    def rows(self) -> list[OrganisationRow]:
        """Every organisation with what the browser filters on: one grouped query, plain sqlite rows."""
        if not self.available():
            return []
        with self.catalogue.engine.connect() as conn:
            regions = dict(conn.exec_driver_sql("SELECT code, region_code FROM territory_departement").all())
            found = conn.exec_driver_sql(
                "SELECT o.entity_id, e.name, o.type, o.siret, group_concat(f.programme), group_concat(f.year), "
                "group_concat(f.dep_code), group_concat(f.cv_code), group_concat(f.posts) "
                "FROM organisation o JOIN entity e ON e.id = o.entity_id JOIN organisation_funding f ON f.org = o.num "
                "GROUP BY o.num ORDER BY o.num"
            ).all()
        out = []
        for entity_id, name, kind, siret, programmes, years, deps, cvs, posts in found:
            years_list = [int(y) for y in years.split(",")]
            last = max(years_list)
            posts_last = sum(int(n) for y, n in zip(years_list, posts.split(",")) if y == last)
            dep_codes = sorted(set(deps.split(",")) - {""})
            out.append(
                OrganisationRow(
                    entity_id,
                    name,
                    kind,
                    siret,
                    tuple(dep_codes),
                    tuple(sorted({regions.get(d, "") for d in dep_codes} - {""})),
                    tuple(sorted({PROGRAMME_CODES[p] for p in programmes.split(",")})),
                    tuple(sorted(set(years_list))),
                    tuple(sorted(set(cvs.replace(",", " ").split()))),
                    posts_last,
                    last,
                )
            )
        return out
