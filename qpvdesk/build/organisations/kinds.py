"""The type of an organisation, deduced from its name (and shown as deduced: the source gives no type)."""

from __future__ import annotations

import re

# (type key, pattern on the name key), first match wins: a CCAS before the commune its name contains,
# an association running a centre social is a centre social, a bailleur only when nothing says association
_RULES = [
    ("ccas", r"\b(ccas|cias)\b|centre (communal|intercommunal) d action sociale"),
    (
        "intercommunalite",
        r"^(communaute (d agglomeration|de communes|urbaine)|metropole|etablissement public territorial"
        r"|syndicat intercommunal)\b|\b(agglomeration|agglo)\b|^(ca|cc|cu|ept)\s",
    ),
    ("commune", r"^(commune|ville|mairie)( de| d| du| des)?\s|^mairie$"),
    ("centre-social", r"\bcentres? (social|sociale|sociaux|socio ?culturel)\b|\bcsc\b|\bespace social\b"),
    ("association", r"\bassociation\b|\bamicale\b|\bligue\b|\bfederation\b|\bclub\b|\bcomite\b|\bmjc\b|\bregie de quartier\b"),
    ("bailleur", r"\b(oph|opac|hlm|habitat|logement|logements|logis|immobiliere|sa d hlm)\b"),
]
_COMPILED = [(kind, re.compile(pattern)) for kind, pattern in _RULES]


def deduce_type(key: str) -> str:
    """The type key (see organisations.vocabulary.TYPES) for a name key built by names.name_key."""
    for kind, pattern in _COMPILED:
        if pattern.search(key):
            return kind
    return "autre"
