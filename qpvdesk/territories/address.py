"""Address questions: « 12 rue de la Paix 95300 Pontoise », « est-ce que Grand Mirail est en QPV ? ».

The app cannot tell whether a street address lies inside a QPV (simplified perimeters, no street
data): it says so, answers with what it knows (the commune and its QPV) and names the official
address check for when a network is at hand.
"""

from __future__ import annotations

import re

from qpvdesk.textfold import fold

OFFICIAL_CHECK = ("Vérification officielle d'une adresse : sig.ville.gouv.fr, « Recherche par adresse » "
                  "(avec une connexion réseau).")
CANNOT = ("L'application ne peut pas dire si une adresse précise est dans un QPV : ses périmètres sont simplifiés et "
          "elle n'a pas de données de rues.")
_STREET = re.compile(
    r"\b(rue|avenue|av|bd|boulevard|allee|allees|chemin|place|impasse|route|quai|cours|square|residence|chaussee|"
    r"passage|sentier|lotissement|lieu-dit|faubourg|rond-point|esplanade|promenade)\b")
_NUMBER = re.compile(r"^\s*\d+\s*(bis|ter|quater|[a-d])?\b")
_QUESTION = re.compile(r"^(est[- ]ce qu[e']?\s*|est[- ]ce\s+)|"
                       r"(\s*(est|sont|se trouve|se situe)\s+(bien\s+)?(en|dans un|dans une|dans le)\s+"
                       r"(qpv|quartier prioritaire)s?\s*\??\s*$)|(\s*en\s+qpv\s*\??\s*$)")
_POSTCODE = re.compile(r"\b(\d{5})\b")


def question_place(text: str) -> str | None:
    """The place part of an address or « est-ce en QPV » question, or None if it is not one."""
    folded = fold(" ".join(text.split()))
    asked = bool(re.search(r"\b(qpv|quartier prioritaire)s?\b", folded)) and (
        folded.startswith(("est-ce", "est ce")) or folded.rstrip().endswith("?")
    )
    street = bool(_STREET.search(folded)) and bool(_NUMBER.match(folded) or _POSTCODE.search(folded))
    if not (asked or street):
        return None
    place = _QUESTION.sub(" ", folded).strip(" ?,;")
    return place or None


def is_street_address(text: str) -> bool:
    return bool(_STREET.search(fold(text)))


def postcode_in(text: str) -> str | None:
    m = _POSTCODE.search(text)
    return m.group(1) if m else None


def trailing_names(place: str) -> list[str]:
    """Candidate commune names: the last words first (« 12 rue x 95300 pontoise » → « pontoise »), longest first."""
    after = _POSTCODE.split(place)[-1].strip(" ,")
    words = [w for w in re.split(r"[\s,]+", after or place) if w]
    return [" ".join(words[-n:]) for n in range(min(5, len(words)), 0, -1)]
