"""The territory lookup: what a typed code or name is (commune, postcode, QPV 2024 or 2015, département).

Always answers in French, including « no QPV here » and « this quartier left the list »; used by the
Territoires tab, the map's search field, the main search (its notice) and the CLI.
"""

from __future__ import annotations

from sqlalchemy import func, select

from qpvdesk.model import Entity
from qpvdesk.territories.address import CANNOT, OFFICIAL_CHECK, is_street_address, postcode_in, question_place, trailing_names
from qpvdesk.territories.codes import INSEE_CODE as _INSEE
from qpvdesk.territories.codes import QPV_2015_CODE, QPV_2024_CODE, search_key
from qpvdesk.territories.postcodes import postcode_message, postcode_places
from qpvdesk.territories.repository import _DEP, MAX_MATCHES, _as_code
from qpvdesk.territories.tables import (
    TerritoryCommune,
    TerritoryDepartement,
    TerritoryQpv,
    TerritoryQpv2015,
    TerritoryQpvCommune,
    TerritoryRevisedCode,
)
from qpvdesk.territories.views import LookupMatch, LookupResult

# what to type, when nothing was
TYPE_A_PLACE = "Tapez un nom de commune, un code postal ou INSEE, un nom ou un code de QPV (2015 ou 2024)."


class TerritoryLookup:
    def __init__(self, repository) -> None:  # TerritoryRepository
        self._session = repository._session
        self.commune = repository.commune
        self.commune_message = repository.commune_message

    def lookup(self, text: str) -> LookupResult:
        """Commune name or INSEE code, QPV name or code (2024 or 2015), département code."""
        query = " ".join((text or "").split())[:120]
        if not query:
            return LookupResult(query, TYPE_A_PLACE)
        code = _as_code(query)
        place = None if _INSEE.match(code) else question_place(query)
        if place is not None:
            return self._address_answer(query, place)
        if QPV_2024_CODE.match(code):
            return self._lookup_qpv_code(query, code)
        if QPV_2015_CODE.match(code):
            return self._lookup_2015_code(query, code)
        if _INSEE.match(code):
            return self._lookup_number(query, code)
        if _DEP.match(code):
            with self._session() as s:
                dep = s.get(TerritoryDepartement, code.zfill(2) if code.isdigit() and len(code) < 3 else code)
            if dep:
                return self._departement_result(query, dep)
        with self._session() as s:
            deps = [d for d in s.scalars(select(TerritoryDepartement)) if search_key(d.name) == search_key(query)]
        if deps:
            return self._departement_result(query, deps[0])
        return self._lookup_name(query)

    def _lookup_number(self, query: str, code: str) -> LookupResult:
        """Five digits: a postcode, an INSEE code, or both (95500: Gonesse's postcode, Pontoise's INSEE code)."""
        info = self.commune(code)
        with self._session() as s:
            places = postcode_places(s, code)
        if not places:
            if info is None:
                return LookupResult(
                    query,
                    f"Aucune commune de code INSEE {code} dans les données (communes ayant un QPV ou un "
                    f"site de programme), et {code} n'est pas un code postal de La Poste (2022).",
                )
            return LookupResult(query, self.commune_message(info), (LookupMatch(info.entity_id, "commune", info.name),))
        message = postcode_message(code, places)
        matches = [m for m in (p.match() for p in places) if m]
        if info is not None and all(p.insee != info.insee for p in places):
            message += (
                f" C'est aussi le code INSEE de {info.name} ({info.dep_name}), une autre commune : le code INSEE "
                f"et le code postal sont deux numérotations différentes. {self.commune_message(info)}"
            )
            matches.append(LookupMatch(info.entity_id, "commune", f"{info.name} (code INSEE {code})"))
        elif places[0].entity_id and len(places) == 1 and info is None:
            message += " " + self.commune_message(self.commune(places[0].insee))
        return LookupResult(query, message, tuple(matches))

    def _address_answer(self, query: str, place: str) -> LookupResult:
        """An address or « est-ce en QPV ? »: what the data says about the commune, and where to check the address."""
        street = is_street_address(place)
        found: LookupResult | None = None
        code = postcode_in(place)
        if code:
            found = self._lookup_number(query, code)
        if found is None or not found.found:
            with self._session() as s:
                for name in trailing_names(place) if street else [place]:
                    key = search_key(name)
                    if key and s.scalar(select(func.count()).select_from(TerritoryCommune).where(TerritoryCommune.folded == key)):
                        found = self._lookup_name(name)
                        break
        if (found is None or not found.found) and not street:
            found = self.lookup(place)
        if found is None or not found.found:
            known = "Commune non reconnue : tapez son nom ou son code postal pour voir ses QPV."
            return LookupResult(query, f"{CANNOT} {known} {OFFICIAL_CHECK}")
        lead = CANNOT if street else "Pour une adresse précise, l'application ne peut pas trancher (périmètres simplifiés)."
        return LookupResult(query, f"{found.message} {lead} {OFFICIAL_CHECK}", found.matches)

    def _departement_result(self, query: str, dep: TerritoryDepartement) -> LookupResult:
        with self._session() as s:
            n = s.scalar(select(func.count()).select_from(TerritoryQpv).where(TerritoryQpv.dep_code == dep.code)) or 0
        return LookupResult(
            query,
            f"Département {dep.name} ({dep.code}) : {n} QPV (liste 2024).",
            (LookupMatch(dep.entity_id, "departement", dep.name),),
        )

    def _lookup_qpv_code(self, query: str, code: str) -> LookupResult:
        with self._session() as s:
            q = s.get(TerritoryQpv, code)
            revised = s.get(TerritoryRevisedCode, code)
            communes = (
                s.execute(
                    select(TerritoryCommune.name)
                    .join(TerritoryQpvCommune, TerritoryQpvCommune.insee == TerritoryCommune.insee)
                    .where(TerritoryQpvCommune.qpv_code == code)
                )
                .scalars()
                .all()
                if q
                else []
            )
            revised_commune = s.get(TerritoryCommune, revised.insee) if revised else None
        if q:
            where = ", ".join(communes)
            note = " (Mayotte : liste initiale, révisée depuis)" if q.revised else ""
            return LookupResult(query, f"{code} : QPV « {q.name} » à {where}{note}.", (LookupMatch(q.entity_id, "qpv", q.name),))
        if revised_commune:
            return LookupResult(query,
                                f"{code} : QPV de la liste révisée de Mayotte couvrant toute la commune de "
                                f"{revised_commune.name}.",
                                (LookupMatch(revised_commune.entity_id, "commune", revised_commune.name),))
        return LookupResult(query, f"Aucun QPV de la liste 2024 n'a le code {code}.")

    def _lookup_2015_code(self, query: str, code: str) -> LookupResult:
        with self._session() as s:
            old = s.get(TerritoryQpv2015, code)
            if old is None:
                return LookupResult(query, f"Aucun QPV de la liste 2015 n'a le code {code}.")
            successors = [s.get(TerritoryQpv, c) for c in filter(None, old.successors.split(";"))]
            communes = [s.get(TerritoryCommune, i) for i in filter(None, old.communes.split(";"))]
        if successors:
            names = " ; ".join(f"{q.code} « {q.name} »" for q in successors)
            verb = "est devenu" if len(successors) == 1 else "a été réparti entre"
            npnru = " Quartier du NPNRU (liste 2015) : le QPV 2024 en est issu, son périmètre a changé." if old.npnru else ""
            return LookupResult(
                query,
                f"{code} « {old.name} » (liste 2015) {verb} {names} dans la liste 2024.{npnru}",
                tuple(LookupMatch(q.entity_id, "qpv", q.name) for q in successors),
            )
        matches = tuple(LookupMatch(c.entity_id, "commune", c.name) for c in communes if c)
        where = f" ({', '.join(m.label for m in matches)})" if matches else ""
        if code.startswith("QP976"):
            why = ("la correspondance n'est pas publiée pour Mayotte, dont la liste 2024 a été révisée "
                   "(17 QPV couvrant chacun une commune)")
        else:
            why = "quartier sorti de la géographie prioritaire en 2024"
        npnru = (
            (
                " C'était un quartier du NPNRU (liste 2015) : voir la fiche « Nouveau programme national de renouvellement "
                "urbain », qui liste les quartiers du programme sans successeur en 2024."
            )
            if old.npnru
            else ""
        )
        with self._session() as s:
            has_fiche = s.get(Entity, "npnru") is not None
        if old.npnru and has_fiche:  # the programme's fiche explains the quartiers left without a 2024 successor
            matches += (LookupMatch("npnru", "programme", "Nouveau programme national de renouvellement urbain (NPNRU)"),)
        return LookupResult(query,
                            f"{code} « {old.name} »{where} (liste 2015) n'a pas de successeur dans la liste 2024 : {why}.{npnru}",
                            matches)

    def _old_qpv_named(self, key: str) -> str | None:
        """The code of the 2015 quartier with exactly this (folded) name, or, for a name of two words or
        more, starting with it if only one does (a lone « boulevard » must not name one quartier)."""
        with self._session() as s:
            exact = s.scalars(select(TerritoryQpv2015.code).where(TerritoryQpv2015.folded == key).limit(2)).all()
            if len(exact) == 1:
                return exact[0]
            if len(key.split()) < 2:
                return None
            starting = s.scalars(
                select(TerritoryQpv2015.code).where(TerritoryQpv2015.folded.startswith(key, autoescape=True)).limit(2)
            ).all()
        return starting[0] if len(starting) == 1 else None

    def _lookup_name(self, query: str) -> LookupResult:
        key = search_key(query)
        if not key:
            return LookupResult(query, TYPE_A_PLACE)
        with self._session() as s:
            for condition_c, condition_q in (
                (TerritoryCommune.folded == key, TerritoryQpv.folded == key),
                (TerritoryCommune.folded.startswith(key, autoescape=True), TerritoryQpv.folded.startswith(key, autoescape=True)),
                (TerritoryCommune.folded.contains(key, autoescape=True), TerritoryQpv.folded.contains(key, autoescape=True)),
            ):
                communes = s.execute(
                    select(TerritoryCommune.insee, TerritoryCommune.entity_id, TerritoryCommune.name, TerritoryCommune.dep_code)
                    .where(condition_c)
                    .order_by(TerritoryCommune.folded, TerritoryCommune.insee)
                    .limit(MAX_MATCHES)
                ).all()
                qpvs = s.execute(
                    select(TerritoryQpv.entity_id, TerritoryQpv.code, TerritoryQpv.name)
                    .where(condition_q)
                    .order_by(TerritoryQpv.folded, TerritoryQpv.code)
                    .limit(MAX_MATCHES)
                ).all()
                if communes or qpvs:
                    break
        if not communes and not qpvs:
            old = self._old_qpv_named(key)
            if old is not None:  # a quartier of the 2015 list only (left, or renamed in 2024)
                return self._lookup_2015_code(query, old)
            return LookupResult(query, f"Aucune commune ni aucun QPV ne correspond à « {query} ». Une commune absente "
                                       "des données n'a ni QPV (liste 2024) ni site de programme connu.")
        matches = tuple(LookupMatch(c.entity_id, "commune", f"{c.name} ({c.insee})") for c in communes)
        matches += tuple(LookupMatch(q.entity_id, "qpv", f"{q.name} ({q.code})") for q in qpvs)
        if len(communes) == 1 and not qpvs:
            info = self.commune(communes[0].insee)
            return LookupResult(query, self.commune_message(info), matches)
        if len(qpvs) == 1 and not communes:
            return self._lookup_qpv_code(query, qpvs[0].code)
        parts = []
        if communes:
            parts.append(f"{len(communes)} commune{'s' if len(communes) > 1 else ''}")
        if qpvs:
            parts.append(f"{len(qpvs)} QPV")
        capped = " (liste limitée)" if MAX_MATCHES in (len(communes), len(qpvs)) else ""
        return LookupResult(query, f"« {query} » : {' et '.join(parts)}{capped}. Choisissez dans la liste.", matches)
