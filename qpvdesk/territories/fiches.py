"""French texts of the territory fiches: one-line summaries and (label, value) attributes.

Every figure here is a count of rows in the imported files; nothing else is stated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from qpvdesk.dates import format_partial_date_fr
from qpvdesk.territories import datasets as ds
from qpvdesk.territories.codes import COM_REGION, NEAR_KM, SITE_LAYERS, metres, municipal

if TYPE_CHECKING:  # the texts are written at build time from the world; the run time only decodes stored rows
    from qpvdesk.build.territories.readers import FranceServicesRecord, SiteRecord
    from qpvdesk.build.territories.world import Commune, Qpv, Site, TerritoryWorld

STATUS_LETTERS = {
    "M": "quartier de 2015 dont le périmètre a été modifié",
    "I": "quartier de 2015 au périmètre inchangé",
    "N": "nouveau quartier, entré dans la géographie prioritaire en 2024",
    "C": "commune entière (liste révisée de Mayotte)",
}
CORRESPONDENCE_STATUTS = {"MODIFIE": "M", "INCHANGE": "I", "NOUVEAU": "N", "COMMUNE": "C"}
MAYOTTE_REVISED = (
    "Liste révisée : après la liste initiale de 2024 (42 quartiers, dont celui-ci), l'ANCT a défini 17 QPV "
    "couvrant chacun une commune entière de Mayotte (codes QN97651C à QN97667C). Le périmètre et le code "
    "affichés ici sont ceux de la liste initiale."
)
SIMPLIFIED = "Périmètre simplifié pour la carte : ne pas s'en servir pour dire si une adresse est en QPV."
# Lines repeated on many fiches are stored as "§key" and expanded when read (keeps data.sqlite small).
CONSTANT_LINES = {
    "perimetre": SIMPLIFIED,
    "contacts": "Au 1er août 2024 : à vérifier avant de s'y rendre ; horaires non repris",
    "rattachement": "Déduit des données : QPV dont l'EPCI (SIREN) ou la commune est le territoire du contrat, dans le même département",
    "population": "Champ « pop » du fichier non documenté : non affiché",
    "cite-quartiers": "Non publiés dans ces données (la cité est décrite par commune)",
}
CITES_EDUC_LABEL = "Cités éducatives de la commune (quartiers couverts non publiés)"
CITES_EMPLOI_LABEL = "Cités de l'emploi de la commune (quartiers couverts non publiés)"
LAYER_LABELS = {  # layer -> (singular, plural)
    "cite-educative": ("cité éducative", "cités éducatives"),
    "cite-emploi": ("cité de l'emploi", "cités de l'emploi"),
    "france-services": ("France services", "France services"),
    "contrat-2024": ("contrat de ville 2024", "contrats de ville 2024"),
    "contrat-2015": ("contrat de ville 2015-2023", "contrats de ville 2015-2023"),
}


def count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n <= 1 else (plural or singular + 's')}"


def _ended(world: TerritoryWorld, layer: str) -> str:
    """« (dispositif terminé en décembre 2024, …) » when the content says the layer's programme has ended."""
    ended = world.ended_programmes.get(SITE_LAYERS[layer][0])
    if ended is None or layer == "contrat-2015":  # the 2015 contracts say « génération précédente » already
        return ""
    # the date is the programme fiche's (sourced there), not the dataset's: say where it comes from
    when = f" en {format_partial_date_fr(ended.end)}" if ended.end else ""
    return f" (dispositif terminé{when}, d'après la fiche « {ended.name} »)"


def _names(world: TerritoryWorld, site_ids: list[str], limit: int = 12) -> str:
    names = [world.sites[s].name for s in site_ids]
    more = f" … (+{len(names) - limit})" if len(names) > limit else ""
    return " ; ".join(names[:limit]) + more


def _data_line(*infos: ds.DatasetInfo) -> tuple[str, str]:
    return ("Données", "§data:" + ",".join(i.id for i in infos))


def expand(value: str) -> str:
    """Stored value -> displayed value ("§key" lines are shared constants)."""
    if not value.startswith("§"):
        return value
    key = value[1:]
    if key.startswith("status-") and key[7:] in STATUS_LETTERS:
        return f"{key[7:]} — {STATUS_LETTERS[key[7:]]}"
    if key.startswith("data:"):
        infos = [ds.BY_ID[i] for i in key[5:].split(",") if i in ds.BY_ID]
        return " ; ".join(f"{i.producer} — {i.title} ({i.date}), {i.licence}" for i in infos)
    return CONSTANT_LINES.get(key, value)


def place(world: TerritoryWorld, dep_code: str) -> str:
    dep = world.departements[dep_code]
    return f"{dep.name} ({dep.code})"


# --- QPV ------------------------------------------------------------------------------

def qpv_summary(world: TerritoryWorld, qpv: Qpv) -> str:
    communes = ", ".join(world.communes[i].name for i, _ in _qpv_communes(qpv))
    text = f"Quartier prioritaire (liste 2024) à {communes}, {place(world, qpv.record.dep)} : {STATUS_LETTERS[qpv.status]}."
    if qpv.revised:
        text += " Mayotte : liste initiale, révisée depuis par l'ANCT."
    return text


def _qpv_communes(qpv: Qpv) -> list[tuple[str, str]]:
    return [municipal(i, n) for i, n in qpv.record.communes]


def qpv_commune_codes(qpv: Qpv) -> list[str]:
    return list(dict.fromkeys(i for i, _ in _qpv_communes(qpv)))


def qpv_attributes(world: TerritoryWorld, qpv: Qpv) -> list[tuple[str, str]]:
    r = qpv.record
    status = f"§status-{qpv.status}"
    corr = qpv.correspondence
    if corr and CORRESPONDENCE_STATUTS.get(corr.statut, qpv.status) != qpv.status:
        status = f"{qpv.status} — {STATUS_LETTERS[qpv.status]} (la table de correspondance de l'ANCT indique « {corr.statut} » : écart tel que publié)"
    rows = [("Code 2024", qpv.code), ("Statut 2024", status)]
    rows.append(("Commune" if len(r.communes) == 1 else "Communes", ", ".join(f"{n} ({i})" for i, n in r.communes)))
    region = world.regions[world.departements[r.dep].region]
    rows.append(("Département", f"{world.departements[r.dep].name} ({r.dep})"))
    rows.append(("Région" if region.code != COM_REGION else "Statut du territoire", region.name))
    if r.epcis:
        rows.append(("EPCI (SIREN)", " ; ".join(f"{e} — {world.epci_names[e]}" if e in world.epci_names else e for e in r.epcis)))
    if qpv.revised:
        rows.append(("Quartier de 2015", "Correspondance non publiée pour la liste initiale de Mayotte"))
        rows.append(("Liste révisée (Mayotte)", MAYOTTE_REVISED))
    elif corr and corr.predecessors:
        label = "Code 2015 (prédécesseur)" if len(corr.predecessors) == 1 else "Codes 2015 (prédécesseurs)"
        rows.append((label, " ; ".join(f"{c} « {n} »" for c, n in corr.predecessors)))
    elif qpv.status == "N":
        rows.append(("Quartier de 2015", "Aucun : nouveau quartier en 2024"))
    else:
        rows.append(("Quartier de 2015", "Non indiqué par la table de correspondance"))
    for layer, label in (("contrat-2024", "Contrat de ville 2024"), ("contrat-2015", "Contrat de ville 2015-2023")):
        links = qpv.contrats.get(layer, [])
        if links:
            rows.append((label, " ; ".join(f"{world.sites[s].name} ({world.sites[s].code}, rattaché par {'l’EPCI' if how == 'EPCI' else 'la commune'})" for s, how in links)))
    if not qpv.contrats.get("contrat-2024"):
        rows.append(("Contrat de ville 2024", "Non trouvé dans les données (ni par l'EPCI ni par la commune)"))
    for layer, label in (("cite-educative", CITES_EDUC_LABEL), ("cite-emploi", CITES_EMPLOI_LABEL)):
        ids = sorted({s for i, _ in _qpv_communes(qpv) for s in world.communes[i].sites.get(layer, [])})
        if ids:
            rows.append((label, _names(world, ids) + _ended(world, layer)))
    inside = [s for s, d in qpv.france_services if d == 0]
    near = [(s, d) for s, d in qpv.france_services if d > 0]
    if inside:
        rows.append(("France services dans le quartier", _names(world, inside)))
    if near:
        rows.append((f"France services à moins de {NEAR_KM:g} km", " ; ".join(f"{world.sites[s].name} ({metres(d)})" for s, d in near)))
    if not qpv.france_services:
        rows.append(("France services", f"Aucune dans le quartier ni à moins de {NEAR_KM:g} km"))
    rows.append(("Périmètre", "§perimetre"))
    return rows  # + data_line("qpv"), added when read


# --- communes -------------------------------------------------------------------------

def commune_counts(world: TerritoryWorld, commune: Commune) -> str:
    parts = [count(len(commune.qpvs), "QPV", "QPV")]
    for layer in ("cite-educative", "cite-emploi", "france-services"):
        n = len(commune.sites.get(layer, []))
        if n:
            parts.append(count(n, *LAYER_LABELS[layer]))
    return ", ".join(parts)


def commune_summary(world: TerritoryWorld, commune: Commune) -> str:
    if commune.revised_code:
        head = f"la commune entière est un QPV de la liste révisée de Mayotte ({commune.revised_code})"
    elif commune.qpvs:
        head = f"{count(len(commune.qpvs), 'QPV', 'QPV')} (liste 2024)"
    else:
        head = "aucun quartier prioritaire (QPV) dans la liste 2024"
    sites = [count(len(commune.sites[layer]), *LAYER_LABELS[layer]) for layer in ("cite-educative", "cite-emploi", "france-services")
             if commune.sites.get(layer)]
    return f"Commune, {place(world, commune.dep)} : {head}" + (f" ; {', '.join(sites)}" if sites else "") + "."


def commune_attributes(world: TerritoryWorld, commune: Commune) -> list[tuple[str, str]]:
    dep = world.departements[commune.dep]
    region = world.regions[dep.region]
    rows = [("En bref", commune_counts(world, commune)), ("Code INSEE", commune.insee), ("Département", f"{dep.name} ({dep.code})")]
    rows.append(("Région" if region.code != COM_REGION else "Statut du territoire", region.name))
    if commune.qpvs:
        qpvs = [world.qpvs[c] for c in sorted(commune.qpvs, key=lambda c: world.qpvs[c].record.name.casefold())]
        rows.append(("Quartiers prioritaires (2024)", " ; ".join(f"{q.record.name} ({q.code})" for q in qpvs)))
    else:
        rows.append(("Quartiers prioritaires (2024)", "Aucun : cette commune n'a pas de QPV dans la liste 2024"))
    if commune.revised_code:
        rows.append(("Liste révisée (Mayotte)", f"{commune.revised_code} — la commune entière ; remplace les quartiers de la liste initiale"))
    if commune.qpv2015:
        old = []
        for code in sorted(set(commune.qpv2015)):
            q = world.qpv2015[code]
            if q.successors:
                fate = f"→ {', '.join(q.successors)}"
            else:
                fate = "correspondance non publiée (Mayotte)" if commune.dep == "976" else "sorti de la liste en 2024"
            old.append(f"{code} « {q.name} » {fate}")
        rows.append(("Quartiers de 2015", " ; ".join(old)))
    for layer in ("cite-educative", "cite-emploi", "contrat-2024", "contrat-2015"):  # France services: see the relations
        ids = commune.sites.get(layer, [])
        if ids:
            rows.append((LAYER_LABELS[layer][1][0].upper() + LAYER_LABELS[layer][1][1:], _names(world, ids, 20) + _ended(world, layer)))
    contrats = sorted({s for c in commune.qpvs for s, _ in world.qpvs[c].contrats.get("contrat-2024", [])} - set(commune.sites.get("contrat-2024", [])))
    if contrats:
        rows.append(("Contrats de ville 2024 de ses QPV", _names(world, contrats)))
    used = [ds.QPV_2024] if commune.qpvs else []
    used += [info for layer, (_p, info) in SITE_LAYERS.items() if commune.sites.get(layer)]
    if commune.qpv2015:
        used.append(ds.QPV_2015)
    rows.append(_data_line(*used))
    return rows


# --- départements and régions ---------------------------------------------------------

def departement_figures(world: TerritoryWorld, code: str) -> tuple[int, int]:
    qpvs = {q.code for q in world.qpvs.values() if q.record.dep == code}
    communes = {c for c in world.departements[code].communes if world.communes[c].qpvs}
    return len(qpvs), len(communes)


def departement_summary(world: TerritoryWorld, code: str) -> str:
    dep = world.departements[code]
    n_qpv, n_com = departement_figures(world, code)
    region = world.regions[dep.region]
    kind = "Collectivité d'outre-mer" if region.code == COM_REGION else f"Département de la région {region.name}"
    text = f"{kind} : {count(n_qpv, 'QPV', 'QPV')} (liste 2024) dans {count(n_com, 'commune')}."
    if code == "976":
        text += " Liste révisée depuis par l'ANCT (17 QPV couvrant chacun une commune)."
    return text


def departement_attributes(world: TerritoryWorld, code: str) -> list[tuple[str, str]]:
    dep = world.departements[code]
    n_qpv, n_com = departement_figures(world, code)
    region = world.regions[dep.region]
    rows = [("Code", code), ("Région" if region.code != COM_REGION else "Statut du territoire", region.name)]
    rows.append(("Quartiers prioritaires (2024)", f"{n_qpv} dans {count(n_com, 'commune')}"))
    if code == "976":
        rows.append(("Liste révisée (Mayotte)", "17 QPV couvrant chacun une commune entière (QN97651C à QN97667C) remplacent les 42 quartiers de la liste initiale."))
    for layer in ("cite-educative", "cite-emploi", "france-services", "contrat-2024"):
        n = len({s for c in dep.communes for s in world.communes[c].sites.get(layer, [])})
        if n:
            rows.append((LAYER_LABELS[layer][1][0].upper() + LAYER_LABELS[layer][1][1:], str(n)))
    return rows


def region_summary(world: TerritoryWorld, code: str) -> str:
    region = world.regions[code]
    n_qpv = sum(departement_figures(world, d)[0] for d in region.departements)
    return f"Région : {count(n_qpv, 'QPV', 'QPV')} (liste 2024) dans {count(len(region.departements), 'département')}."


def region_attributes(world: TerritoryWorld, code: str) -> list[tuple[str, str]]:
    region = world.regions[code]
    deps = []
    for d in region.departements:
        n_qpv, _ = departement_figures(world, d)
        deps.append(f"{world.departements[d].name} ({d}) : {n_qpv}")
    total = sum(departement_figures(world, d)[0] for d in region.departements)
    return [("Code INSEE", code), ("Quartiers prioritaires (2024)", str(total)), ("QPV par département", " ; ".join(deps))]


_DATA_LINES = {
    "qpv": (ds.QPV_2024, ds.CORRESPONDENCE, ds.POPULATION, ds.NPNRU),
    "departement": (ds.DEPARTEMENTS_INSETS, ds.QPV_2024, ds.POPULATION, ds.NPNRU, ds.STATE_CONTACTS),
    "region": (ds.REGIONS_IGN, ds.QPV_2024, ds.POPULATION),
    **{layer: (info,) for layer, (_programme, info) in SITE_LAYERS.items()},
}


def data_line(kind_or_layer: str) -> tuple[str, str] | None:
    """The « Données » line of fiches whose data sets depend only on their kind (site: layer);
    communes store theirs."""
    infos = _DATA_LINES.get(kind_or_layer)
    return ("Données", expand(_data_line(*infos)[1])) if infos else None


# --- programme sites ------------------------------------------------------------------

def _commune_list(world: TerritoryWorld, site: Site) -> str:
    return ", ".join(f"{world.communes[i].name} ({i})" for i in site.communes)


def site_name(site: Site) -> str:
    if site.layer == "cite-educative":
        return f"Cité éducative {site.name}"
    if site.layer == "cite-emploi":
        return f"Cité de l'emploi {site.name}"
    if site.layer == "contrat-2024":
        return f"Contrat de ville 2024 — {site.name}"
    if site.layer == "contrat-2015":
        return f"Contrat de ville 2015-2023 — {site.name}"
    return site.name


def site_summary(world: TerritoryWorld, site: Site) -> str:
    communes = ", ".join(world.communes[i].name for i in site.communes)
    if site.layer == "france-services":
        rec = cast("FranceServicesRecord", site.record)  # the address stays in the attributes: street names would swell the search index
        return f"Espace France services à {rec.commune}, {place(world, world.communes[site.communes[0]].dep)}."
    if site.layer in ("cite-educative", "cite-emploi"):
        label = LAYER_LABELS[site.layer][0].capitalize()
        return f"{label} « {site.name} » ({count(len(site.communes), 'commune')} : {communes})."
    generation = "« Engagements Quartiers 2030 » (génération 2024)" if site.layer == "contrat-2024" else "2015-2023 (génération précédente)"
    return f"Contrat de ville {generation} de {site.name}, code {site.code} : {count(len(site.qpvs), 'QPV rattaché', 'QPV rattachés')} dans les données."


def site_attributes(world: TerritoryWorld, site: Site) -> list[tuple[str, str]]:
    programme, info = SITE_LAYERS[site.layer]
    rows: list[tuple[str, str]] = []
    if site.layer == "france-services":
        rec = cast("FranceServicesRecord", site.record)
        rows.append(("Adresse", f"{rec.address}, {rec.postcode} {rec.commune}"))
        if rec.phone:
            rows.append(("Téléphone", rec.phone))
        if rec.mail:
            rows.append(("Courriel", rec.mail))
        rows.append(("Type", " — ".join(filter(None, (rec.type, rec.format)))))
        if rec.labellisation:
            rows.append(("Labellisation", rec.labellisation))
        if not site.qpvs:  # the QPV in or near it are listed as relations, with the distance
            rows.append(("Quartiers prioritaires", f"Aucun QPV à moins de {NEAR_KM:g} km"))
        rows.append(("Contacts", "§contacts"))
        return rows
    rows.append(("Code", site.code))
    if site.communes:
        rows.append(("Commune" if len(site.communes) == 1 else "Communes", _commune_list(world, site)))
    if site.layer.startswith("contrat"):
        contrat = cast("SiteRecord", site.record)
        epcis = [c for c in contrat.codgeo if len(c) == 9]
        if epcis:
            rows.append(("EPCI (SIREN)", ", ".join(epcis)))
        if contrat.dep in world.departements:
            rows.append(("Département", f"{world.departements[contrat.dep].name} ({contrat.dep})"))
        rows.append(("QPV rattachés", f"{len(site.qpvs)} (listés dans les relations)" if site.qpvs else "Aucun QPV de la liste 2024 rattaché par l'EPCI ou la commune"))
        rows.append(("Rattachement", "§rattachement"))
        rows.append(("Population", "§population"))
    else:
        rows.append(("Quartiers couverts", "§cite-quartiers"))
    return rows


# --- storage --------------------------------------------------------------------------

class LabelTable:
    """Fiche labels are stored once (territory_label) and referred to by number."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def encode_rows(self, rows: list[tuple[str, str]]) -> list[list]:
        return [[self.ids.setdefault(label, len(self.ids)), value] for label, value in rows]


def decode_rows(stored: list[list], labels: dict[int, str]) -> tuple[tuple[str, str], ...]:
    return tuple((labels.get(k, str(k)) if isinstance(k, int) else k, expand(v)) for k, v in stored)
