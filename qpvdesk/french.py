"""Small French wording helpers for counts: « 1 fiche », « 0 fiche », « 3 fiches » instead of « fiche(s) »."""

from __future__ import annotations


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """The count and its noun phrase; French keeps the singular for 0 and 1. The plural defaults to singular + « s »
    (give it for « local » → « locaux », or when every word of the phrase agrees: « note exportée » → « notes exportées »)."""
    return f"{count} {singular if count <= 1 else (plural_form or singular + 's')}"
