"""Closed vocabularies of the catalogue: entity kinds, statuses, relation types,
confidence levels and source reliability, with their French labels.

Content files use the English keys; the UI shows the French labels.
"""

from __future__ import annotations

# kind key -> (French singular label, French group label used in search results)
KINDS: dict[str, tuple[str, str]] = {
    "state-body": ("Instance de l'État", "Acteurs"),
    "agency": ("Agence ou opérateur", "Acteurs"),
    "partner": ("Partenaire", "Acteurs"),
    "local-actor": ("Acteur local", "Acteurs"),
    "programme": ("Programme ou dispositif", "Programmes"),
    "measure": ("Mesure ou instrument", "Programmes"),
    "funding": ("Financement", "Programmes"),
    "law": ("Texte de loi", "Programmes"),
    "event": ("Comité interministériel", "Programmes"),
    "geography": ("Géographie prioritaire", "Territoires"),
    # territories (imported from open data, see qpvdesk/territories)
    "region": ("Région", "Territoires"),
    "departement": ("Département", "Territoires"),
    "commune": ("Commune", "Territoires"),
    "qpv": ("Quartier prioritaire (QPV)", "Territoires"),
    "site": ("Site d'un programme", "Territoires"),
    # organisations funded for adultes-relais and FONJEP posts (open data, see qpvdesk/organisations)
    "organisation": ("Structure", "Structures financées"),
}

# kinds imported from open data (qpvdesk/territories), as opposed to the written content
TERRITORY_KINDS: tuple[str, ...] = ("region", "departement", "commune", "qpv", "site")
# every kind imported from open data by the thousand: ranked after the written fiches, kept out of the tree
OPEN_DATA_KINDS: tuple[str, ...] = (*TERRITORY_KINDS, "organisation")

STATUSES: dict[str, str] = {
    "active": "en vigueur",
    "closed": "dispositif clos",
    "replaced": "remplacé",
    "merged": "fusionné",
    "held": "comité tenu",  # a past meeting (CIV): neither "en vigueur" nor "clos"
    "announced": "mesure annoncée",  # a CIV decision: no source says whether it is running or over
}

# relation key -> (French label from the source's side, French label from the target's side)
RELATION_TYPES: dict[str, tuple[str, str]] = {
    "pilots": ("pilote", "piloté par"),
    "co-pilots": ("copilote", "copiloté par"),
    "funds": ("finance", "financé par"),
    "co-funds": ("cofinance", "cofinancé par"),
    "supervises": ("exerce la tutelle de", "sous la tutelle de"),
    "part-of": ("fait partie de", "comprend"),
    "merged-into": ("fusionné dans", "a absorbé"),
    "replaced-by": ("remplacé par", "remplace"),
    "implements": ("met en œuvre", "mis en œuvre par"),
    "partners-with": ("partenaire de", "a pour partenaire"),
    "signs": ("signataire de", "signé par"),
    "benefits": ("bénéficiaire de", "bénéficie à"),
    "decides": ("décide", "décidé par"),
    "legal-basis": ("base légale de", "fondé sur"),
    "applies-to": ("s'applique à", "concerné par"),
    "sits-on-board-of": ("siège au conseil d'administration de", "a à son conseil d'administration"),
}

CONFIDENCES: dict[str, str] = {
    "confirmed": "confirmé",
    "unconfirmed": "non confirmé",
    "conflict": "sources divergentes",
}

# confidence -> mark shown before the text in results: the detail panel's badge words, bracketed
# because a snippet runs the lines of a body together. « non-confirmé » takes a hyphen: a snippet
# may start at any space, and one starting at « confirmé] » would say the opposite.
TRUST_MARKS: dict[str, str] = {
    "unconfirmed": "[⚠ " + CONFIDENCES["unconfirmed"].replace("non ", "non-", 1) + "]",
    "conflict": "[⚠ " + CONFIDENCES["conflict"] + "]",
}

RELIABILITIES: dict[str, str] = {
    "O": "source officielle",
    "P": "presse ou source professionnelle",
    "S": "source secondaire — à vérifier",
}

# The team's own fact sheet: the only "source" allowed for a gap ("not found in the
# consulted sources"), and only on an unconfirmed fact.
REFERENCE_SHEET_REF = "fiche-de-reference"
