"""The twelve ANCT files of funded posts under resources/data/ci-ville (see resources/data/SOURCES.md)."""

from __future__ import annotations

from qpvdesk.organisations.vocabulary import YEARS
from qpvdesk.territories.datasets import DatasetInfo

_CI_VILLE = ("anct-carto/ci-ville", "7465bbcfc6be5fbf454cff9ea5f25d4a31ce5f91")  # 2020-2023
_CI_VILLE2 = ("anct-carto/ci-ville2", "c4110278f334830e8fc67047729926275cec4c78")  # 2024-2025
_FILES = {"adultes-relais": "adulte-relais", "fonjep": "postes-fonjep"}
_TITLES = {
    "adultes-relais": "Postes d'adultes-relais financés par la politique de la ville",
    "fonjep": "Postes FONJEP financés par la politique de la ville",
}
_NOTES = {
    "adultes-relais": "Un enregistrement par poste : employeur (raison sociale, SIRET), montant annuel, contrat de ville, "
    "département. Montants 2025 douteux : tous égaux à 7 164 €, le montant unitaire FONJEP (22 810,61 € par poste en 2024).",
    "fonjep": "Un enregistrement par poste : association (nom seulement, sans SIRET), montant annuel, contrat de ville, "
    "département. Le rapprochement d'une année à l'autre se fait par le nom, dans le département, avec prudence.",
}


def _info(programme: str, year: int) -> DatasetInfo:
    repo, commit = _CI_VILLE if year <= 2023 else _CI_VILLE2
    stem = f"{_FILES[programme]}-{year}"
    return DatasetInfo(
        f"ci-ville-{stem}",
        f"ci-ville/{stem}.json",
        f"{_TITLES[programme]} — {year}",
        "ANCT (crédits de la politique de la ville, plateforme Dauphin)",
        str(year),
        f"https://github.com/{repo}/blob/{commit}/src/assets/{stem}.json",
        _NOTES[programme],
    )


FILES: dict[tuple[str, int], DatasetInfo] = {(p, y): _info(p, y) for p in _FILES for y in YEARS}


def programme_dataset(programme: str) -> DatasetInfo:
    """One entry per programme in « À propos des données » (the six yearly files; each figure cites its year's)."""
    first, last = FILES[(programme, YEARS[0])], FILES[(programme, YEARS[-1])]
    return DatasetInfo(
        f"ci-ville-{_FILES[programme]}",
        f"ci-ville/{_FILES[programme]}-{YEARS[0]}…{YEARS[-1]}.json",
        f"{_TITLES[programme]} — {YEARS[0]} à {YEARS[-1]}",
        first.producer,
        str(YEARS[-1]),
        f"{first.url.rsplit('/', 1)[0]} ({YEARS[0]}–2023) ; {last.url.rsplit('/', 1)[0]} (2024–{YEARS[-1]})",
        _NOTES[programme],
    )
