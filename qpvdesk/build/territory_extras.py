"""NPNRU, population, postcodes and State contacts joined to the territory world (build time).

`attach(world)` reads the four files and keeps what the fiches need; the importer asks this module
for extra fiche lines and table rows. Figures are sums of the files' rows: nothing else is stated.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from qpvdesk.build.npnru import read_npnru
from qpvdesk.build.population import read_population
from qpvdesk.build.postcodes import PostcodeRecord, read_postcodes
from qpvdesk.build.state_contacts import StateContact, read_state_contacts
from qpvdesk.build.territories.world import Commune, Qpv, Site, TerritoryWorld
from qpvdesk.territories import datasets as ds
from qpvdesk.territories.codes import municipal

POPULATION_LABEL = "population municipale (INSEE ; millésime non précisé par le fichier, probablement 2020)"
NOT_AVAILABLE = "non disponible (absente du fichier INSEE/ANCT)"
NPNRU_ID = "npnru"  # the programme's content entity


def number(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def npnru_mark(codes: list[str]) -> str:
    """The only true wording: the NPNRU was defined on the 2015 quartiers, whose perimeters changed in 2024."""
    return f"issu d'un quartier du NPNRU (liste 2015 : {', '.join(codes)})"


@dataclass
class Extras:
    npnru: list[str]  # 2015 codes, file order
    npnru_of_qpv: dict[str, list[str]]  # 2024 code -> the NPNRU 2015 codes it succeeds
    population: dict[str, int]  # 2024 code -> inhabitants
    postcodes: list[PostcodeRecord]
    postcodes_of_commune: dict[str, list[str]] = field(default_factory=dict)  # municipal INSEE -> postcodes
    contacts: dict[str, list[StateContact]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def qpv_population(self, codes) -> tuple[int, int, int]:
        """(inhabitants, QPV counted, QPV without a figure)."""
        codes = list(dict.fromkeys(codes))
        known = [self.population[c] for c in codes if c in self.population]
        return sum(known), len(known), len(codes) - len(known)


def attach(world: TerritoryWorld) -> Extras:
    data = world.data
    npnru = read_npnru(data)
    extras = Extras(npnru, defaultdict(list), read_population(data), read_postcodes(data))
    for code in npnru:
        old = world.qpv2015.get(code)
        if old is None:
            extras.warnings.append(f"NPNRU : {code} absent de la liste 2015 des QPV")
            continue
        for successor in old.successors:
            extras.npnru_of_qpv[successor].append(code)
    for code in sorted(set(extras.population) - set(world.qpvs)):
        extras.warnings.append(f"population : {code} absent de la liste 2024 des QPV")
    by_commune: dict[str, set[str]] = defaultdict(set)
    for rec in extras.postcodes:
        by_commune[municipal(rec.insee, "")[0]].add(rec.postcode)
    extras.postcodes_of_commune = {k: sorted(v) for k, v in by_commune.items()}
    records = read_state_contacts(data)
    newest: dict[tuple[str, str, str], StateContact] = {}
    for c in records:  # a service listed twice (two officials, or two dates): its newest entry, in file order
        key = (c.dep, c.service, c.phone)
        if key not in newest or c.date > newest[key].date:
            newest[key] = c
    for c in records:
        if newest[(c.dep, c.service, c.phone)] is c:
            extras.contacts.setdefault(c.dep, []).append(c)
    world.extras = extras  # type: ignore[attr-defined]
    return extras


# --- fiche lines ----------------------------------------------------------------------

def _population_line(extras: Extras, codes, what: str) -> tuple[str, str]:
    total, counted, missing = extras.qpv_population(codes)
    if not counted:
        return (f"Population {what}", NOT_AVAILABLE)
    gap = f" ; {missing} QPV sans chiffre" if missing else ""
    return (f"Population {what}", f"{number(total)} habitants dans {counted} QPV{gap} — {POPULATION_LABEL}")


def _add_data(rows: list[tuple[str, str]], *infos: ds.DatasetInfo) -> None:
    for i, (label, value) in enumerate(rows):
        if label == "Données" and value.startswith("§data:"):
            ids = value[6:].split(",") + [info.id for info in infos if info.id not in value[6:].split(",")]
            rows[i] = (label, "§data:" + ",".join(ids))


def _insert_after(rows: list[tuple[str, str]], after: str, new: list[tuple[str, str]]) -> list[tuple[str, str]]:
    index = next((i + 1 for i, (label, _v) in enumerate(rows) if label == after), len(rows))
    return rows[:index] + new + rows[index:]


def qpv_rows(world: TerritoryWorld, extras: Extras, qpv: Qpv, rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    pop = extras.population.get(qpv.code)
    new = [("Population", f"{number(pop)} habitants — {POPULATION_LABEL}" if pop is not None else NOT_AVAILABLE)]
    codes = extras.npnru_of_qpv.get(qpv.code)
    new.append(("NPNRU", npnru_mark(codes)[0].upper() + npnru_mark(codes)[1:] if codes
                else "Aucun quartier du NPNRU (liste 2015) parmi ses prédécesseurs"))
    return _insert_after(rows, "Statut 2024", new)


def commune_rows(world: TerritoryWorld, extras: Extras, commune: Commune, rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    new = []
    if commune.qpvs:
        line = _population_line(extras, commune.qpvs, "des QPV")
        if any(len(world.qpvs[c].record.communes) > 1 for c in commune.qpvs):
            line = (line[0], line[1] + " ; un QPV sur plusieurs communes compte en entier")
        new.append(line)
        n = sum(1 for c in commune.qpvs if c in extras.npnru_of_qpv)
        if n:
            new.append(("NPNRU", f"{n} QPV issu{'s' if n > 1 else ''} d'un quartier du NPNRU (liste 2015)"))
    postcodes = extras.postcodes_of_commune.get(commune.insee)
    new.append(("Codes postaux",
                ", ".join(postcodes) + " (La Poste, 2022)" if postcodes else "Non trouvés dans la base La Poste 2022"))
    if commune.qpvs:  # the fiche shows them as a table (population, NPNRU mark): no run-on list here
        rows = [
            (label, f"{len(commune.qpvs)} (tableau ci-dessous)" if label == "Quartiers prioritaires (2024)" else value)
            for label, value in rows
        ]
    rows = _insert_after(rows, "Région" if any(label == "Région" for label, _ in rows) else "Statut du territoire", new)
    _add_data(rows, *([ds.POPULATION, ds.NPNRU] if commune.qpvs else []), ds.POSTCODES)
    return rows


def departement_rows(world: TerritoryWorld, extras: Extras, code: str, rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    qpvs = [q.code for q in world.qpvs.values() if q.record.dep == code]
    new = [_population_line(extras, qpvs, "des QPV")] if qpvs else []
    n = sum(1 for c in qpvs if c in extras.npnru_of_qpv)
    if qpvs:
        new.append(
            (
                "NPNRU",
                f"{n} QPV issu{'s' if n > 1 else ''} d'un quartier du NPNRU (liste 2015)"
                if n
                else "Aucun QPV issu d'un quartier du NPNRU (liste 2015)",
            )
        )
    return _insert_after(rows, "Quartiers prioritaires (2024)", new)


def region_rows(world: TerritoryWorld, extras: Extras, code: str, rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    deps = set(world.regions[code].departements)
    qpvs = [q.code for q in world.qpvs.values() if q.record.dep in deps]
    return _insert_after(rows, "Quartiers prioritaires (2024)", [_population_line(extras, qpvs, "des QPV")])


def site_rows(world: TerritoryWorld, extras: Extras, site: Site, rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    if site.layer != "contrat-2024":
        return rows
    line = _population_line(extras, [c for c, _ in site.qpvs], "des QPV rattachés") if site.qpvs else None
    if line is None:
        return rows
    return [line if label == "Population" else (label, value) for label, value in rows]


def npnru_rows(world: TerritoryWorld, extras: Extras) -> list[tuple[str, str]]:
    """The data-derived section of the NPNRU programme fiche (its published figures stay in the content)."""
    metro = [c for c in extras.npnru if not c.startswith("QP97")]
    successors = sorted(extras.npnru_of_qpv)
    orphans = [c for c in extras.npnru if c in world.qpv2015 and not world.qpv2015[c].successors]
    rows = [
        (
            "Quartiers de la liste (données)",
            f"{len(extras.npnru)} codes de la liste 2015 des QPV, dont {len(metro)} en "
            f"métropole et {len(extras.npnru) - len(metro)} outre-mer",
        ),
        (
            "Chiffres publiés par l'ANRU",
            "450 quartiers concernés, 480 éligibles : 216 d'intérêt national (PRIN) et 264 "
            "d'intérêt régional (PRIR) — voir les faits clés et leurs sources",
        ),
        ("PRIN ou PRIR, par quartier", "Non donné par la liste : la répartition par quartier n'est pas dans les données"),
        (
            "QPV 2024 issus d'un quartier du NPNRU",
            f"{len(successors)} (par la table de correspondance 2024 → 2015 de "
            "l'ANCT) : on dit « issu d'un quartier du NPNRU (liste 2015) », les "
            "périmètres ayant changé en 2024",
        ),
    ]
    if orphans:

        def why(code: str) -> str:
            if code.startswith("QP976"):
                return "Mayotte : correspondance non publiée (liste révisée)"
            return "sorti de la liste en 2024"
        listed = " ; ".join(f"{c} « {world.qpv2015[c].name} » ({why(c)})" for c in orphans)
        rows.append((f"Sans successeur dans la liste 2024 ({len(orphans)})", listed))
    rows.append(("Données", "§data:" + ",".join((ds.NPNRU.id, ds.CORRESPONDENCE.id, ds.QPV_2015.id))))
    return rows


# --- table rows -----------------------------------------------------------------------


def postcode_rows(extras: Extras) -> list[dict]:
    grouped: dict[str, list[PostcodeRecord]] = defaultdict(list)
    for rec in extras.postcodes:
        grouped[rec.postcode].append(rec)
    rows = []
    for code in sorted(grouped):
        recs = sorted(grouped[code], key=lambda r: (r.name != r.delivery, r.insee))  # the delivery town first
        rows.append({"code": code, "communes": "|".join(f"{r.insee}={r.name}" for r in recs)})
    return rows


def contact_rows(extras: Extras) -> list[dict]:
    return [
        {
            "dep_code": dep,
            "position": i,
            "service": c.service,
            "address": c.address,
            "phone": c.phone,
            "email": c.email,
            "website": c.website,
            "date": c.date,
        }
        for dep in sorted(extras.contacts)
        for i, c in enumerate(extras.contacts[dep])
    ]
