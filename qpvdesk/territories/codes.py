"""What the running app needs to know about territory codes and ids: small, no file reading, no database.

The build (qpvdesk.build.territories) and the run time (repository, fiches) share these; keeping them here lets
the window read territories without importing the open-data readers.
"""

from __future__ import annotations

import re

from qpvdesk.territories import datasets as ds
from qpvdesk.textfold import words

QPV_2024_CODE = re.compile(r"^QN(\d{2}[0-9AB])(\d{2})([MINC])$")
QPV_2015_CODE = re.compile(r"^QP(\d{2}[0-9AB])(\d{3})$")
INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
DEP_CODE = re.compile(r"^(\d{2,3}|2[AB])$")
SIREN = re.compile(r"^\d{9}$")
CONTRAT_2024_CODE = re.compile(r"^CN\d{2}[0-9AB]\d{2}[MINC]$")
CONTRAT_2015_CODE = re.compile(r"^CV\d+$")

COM_REGION = "COM"
COM_REGION_NAME = "Collectivités d'outre-mer"
MAYOTTE = "976"
NEAR_KM = 1.0  # "near a QPV": within 1 km of its (simplified) perimeter

# site layer -> (programme entity id, dataset): the one table of the map's point layers
SITE_LAYERS: dict[str, tuple[str, ds.DatasetInfo]] = {
    "cite-educative": ("cites-educatives", ds.CITES_EDUCATIVES),
    "cite-emploi": ("cites-emploi", ds.CITES_EMPLOI),
    "france-services": ("france-services", ds.FRANCE_SERVICES),
    "contrat-2024": ("engagements-quartiers-2030", ds.CONTRATS_2024),
    "contrat-2015": ("contrats-de-ville", ds.CONTRATS_2015),
}


def search_key(text: str) -> str:
    """Folded words joined by spaces: 'Saint-Denis' and 'saint denis' give the same key."""
    return " ".join(words(text))


def commune_entity_id(insee: str) -> str:
    return f"commune-{insee.lower()}"


def departement_entity_id(code: str) -> str:
    return f"departement-{code.lower()}"


def region_entity_id(code: str) -> str:
    return f"region-{code.lower()}"


def site_entity_id(layer: str, code: str) -> str:
    if layer == "cite-educative":
        return "cite-educative-" + code.removeprefix("cite-")
    if layer == "cite-emploi":
        return "cite-emploi-" + code.removeprefix("cde-")
    if layer == "france-services":
        return f"france-services-{code}"
    return f"contrat-ville-{code.lower()}"


_ARRONDISSEMENTS = {
    "751": ("75056", "Paris", 75101, 75120),
    "693": ("69123", "Lyon", 69381, 69389),
    "132": ("13055", "Marseille", 13201, 13216),
}


def municipal(insee: str, name: str) -> tuple[str, str]:
    """Paris, Lyon and Marseille arrondissements -> their commune (as in the QPV files)."""
    entry = _ARRONDISSEMENTS.get(insee[:3])
    if entry and insee.isdigit() and entry[2] <= int(insee) <= entry[3]:
        return entry[0], entry[1]
    return insee, name


def metres(km: float) -> str:
    return f"{round(km * 1000 / 50) * 50:.0f} m" if km < 1 else f"{km:.1f} km".replace(".", ",")
