"""Names of funded organisations: a readable form and a conservative matching key.

The grants platform types names in capitals, with abbreviations (« ASSOC », « ASS. », « CTRE »). The readable
form only expands abbreviations that cannot mean anything else; the source spelling is always kept beside it.
The key forgives case, accents, punctuation and those same abbreviations — nothing else: two names that differ
by a word or a letter are two organisations.
"""

from __future__ import annotations

import re

from qpvdesk.textfold import words

# abbreviation as typed -> readable word; only forms that stand for nothing else in these files
_READABLE = [
    (re.compile(r"(?<![\w.])ASSOC\b\.?", re.IGNORECASE), "Association"),
    (re.compile(r"(?<![\w.])ASS\.(?=\s*\w)", re.IGNORECASE), "Association "),
    (re.compile(r"^ASSO\s", re.IGNORECASE), "Association "),
    (re.compile(r"(?<![\w.])CTRE\b\.?", re.IGNORECASE), "Centre"),
]
# folded word of the key -> normalised word
_KEY_WORDS = {"ass": "association", "asso": "association", "assoc": "association", "ctre": "centre"}
# words that say what kind of body it is, not which one: a key made only of these is too generic to match on
_GENERIC = frozenset(
    [
        "association",
        "centre",
        "social",
        "sociale",
        "socio",
        "culturel",
        "culturelle",
        "socioculturel",
        "csc",
        "cs",
        "maison",
        "quartier",
        "quartiers",
        "ville",
        "commune",
        "ccas",
        "cias",
        "mairie",
        "de",
        "des",
        "du",
        "la",
        "le",
        "les",
        "l",
        "d",
        "et",
        "en",
        "au",
        "aux",
        "pour",
        "the",
        "espace",
        "animation",
        "jeunes",
        "jeunesse",
        "mjc",
        "regie",
        "club",
        "amicale",
        "comite",
    ]
)


def readable_name(source: str) -> str:
    """« ASSOC AGABE CENTRE SOCIAL » -> « ASSOCIATION AGABE CENTRE SOCIAL »; « Ass. Tremplin » -> « Association Tremplin ».
    The expanded word takes the case of the name: capitals in a name typed in capitals."""
    upper = source == source.upper()
    text = source
    for pattern, replacement in _READABLE:
        text = pattern.sub(replacement.upper() if upper else replacement, text)
    return " ".join(text.split())


def name_key(source: str) -> str:
    """Folded words, abbreviations normalised: « Ass. du Centre social » == « ASSOCIATION DU CENTRE SOCIAL »."""
    return " ".join(_KEY_WORDS.get(w, w) for w in words(source))


def is_generic(key: str) -> bool:
    """« CENTRE SOCIAL », « ASSOCIATION DE QUARTIER »: say nothing of which organisation it is."""
    return all(w in _GENERIC for w in key.split())
