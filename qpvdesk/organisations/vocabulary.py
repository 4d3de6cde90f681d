"""Programmes, organisation types and the wording every figure of an organisation carries."""

from __future__ import annotations

YEARS = (2020, 2021, 2022, 2023, 2024, 2025)

# programme key -> (French label, id of its fiche in the catalogue)
PROGRAMMES: dict[str, tuple[str, str]] = {
    "adultes-relais": ("Adultes-relais", "adultes-relais"),
    "fonjep": ("Postes FONJEP", "postes-fonjep"),
}

# short code stored in organisation_funding (24,000 rows) -> programme key
PROGRAMME_CODES: dict[str, str] = {"AR": "adultes-relais", "FJ": "fonjep"}
CODE_OF = {v: k for k, v in PROGRAMME_CODES.items()}

# type key -> French label; always shown as deduced from the name
TYPES: dict[str, str] = {
    "association": "Association",
    "centre-social": "Centre social",
    "ccas": "CCAS ou CIAS",
    "commune": "Commune",
    "intercommunalite": "Intercommunalité",
    "bailleur": "Bailleur social",
    "autre": "Autre",
}
DEDUCED = "déduit du nom"

LICENCE = "Licence Ouverte 2.0"
# adultes-relais 2025: every amount is 7,164 €, the FONJEP unit amount (22,810.61 € a post in 2024)
DOUBTFUL = {("adultes-relais", 2025)}
DOUBTFUL_TEXT = "montant 2025 douteux dans la source (identique au montant unitaire FONJEP)"


def citation(programme: str, year: int | str) -> str:
    """What every figure cites: ANCT, the programme, the year and the licence."""
    return f"ANCT — crédits de la politique de la ville, {PROGRAMMES[programme][0]} {year}, {LICENCE}"


def euros(cents: int) -> str:
    """12 345,67 € with French separators (narrow no-break space for thousands)."""
    whole, rest = divmod(abs(cents), 100)
    text = f"{whole:,}".replace(",", "\u202f") + (f",{rest:02d}" if rest else "")
    return ("-" if cents < 0 else "") + text + "\u00a0€"


def doubtful(programme: str, year: int) -> bool:
    return (programme, year) in DOUBTFUL
