"""The facts of a fiche under headings (Rôle, Financement, Calendrier, Résultats, Mesures, Historique).

Deterministic, from the fact's label alone: the keyword found earliest in the label decides (the longer
one on a tie, so « Mission de préfiguration » is history, « Missions » a role). A label with no keyword
is about the role. Groups keep the fiche's own order of facts and come in the order of GROUPS.
"""

from __future__ import annotations

import re

from qpvdesk.textfold import fold
from qpvdesk.views import FactView

ROLE = "Rôle"
_KEYWORDS: dict[str, tuple[str, ...]] = {
    ROLE: ("base legale", "mission", "definition", "principe", "objet", "gouvernance", "partenaires", "composition",
           "cadre", "competence", "fonctionnement", "statut", "pilotage"),
    "Financement": ("budget", "financ", "montant", "enveloppe", "credit", "contribution", "cout", "rallonge",
                    "relevement", "dotation", "moyens", "execution", "fonds", "aide", "investissement", "loi de finances"),
    "Calendrier": ("calendrier", "periode", "lancement", "creation", "date", "echeance", "report", "prolong", "proroga",
                   "fin des", "fin du", "dissolution", "deploiement", "generalisation", "extension", "annonce",
                   "decision", "palier", "programmation", "experimentation"),
    "Résultats": ("avancement", "bilan", "resultat", "evaluation", "effet", "nombre", "effectif", "sites", "quartiers",
                  "objectif", "population", "laureat", "operations engagees", "logements", "chiffres"),
    "Mesures": ("mesure", "liste complete des"),
    "Historique": ("histor", "origine", "fusion", "successeur", "precedent", "ancien", "changement de nom", "rapport",
                   "mission de prefiguration", "remplace", "comite du", "premieres"),
}
GROUPS: tuple[str, ...] = (ROLE, "Financement", "Calendrier", "Résultats", "Mesures", "Historique")
_PATTERNS = {group: re.compile(r"\b(" + "|".join(map(re.escape, words)) + ")") for group, words in _KEYWORDS.items()}


def heading_of(label: str) -> str:
    folded = fold(label)
    best: tuple[int, int, str] | None = None
    for group, pattern in _PATTERNS.items():
        for found in pattern.finditer(folded):
            key = (found.start(), -len(found.group(0)), group)
            if best is None or key < best:
                best = key
    return best[2] if best else ROLE


def group_facts(facts: tuple[FactView, ...] | list[FactView]) -> list[tuple[str, list[FactView]]]:
    """(heading, facts) in GROUPS order, empty headings left out."""
    grouped: dict[str, list[FactView]] = {g: [] for g in GROUPS}
    for fact in facts:
        grouped[heading_of(fact.label)].append(fact)
    return [(g, grouped[g]) for g in GROUPS if grouped[g]]
