"""Phone numbers and e-mail addresses as typed in the partner form: French formats, clear French messages.

Checked in the form only (what a person types); imported files keep their own, more lenient rules."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.\-/()]")
_FRENCH = re.compile(r"0[1-9]\d{8}")  # 01 23 45 67 89
_INTERNATIONAL = re.compile(r"(\+|00)(33[1-9]\d{8}|[1-9]\d{7,14})")  # +33 1 23 45 67 89, +262 …, 0032 …
_EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[A-Za-z]{2,}")


def phone_problem(phone: str) -> str | None:
    """None when empty or plausible, else what is wrong (French)."""
    text = phone.strip()
    if not text:
        return None
    digits = _SEPARATORS.sub("", text)
    if _FRENCH.fullmatch(digits) or _INTERNATIONAL.fullmatch(digits):
        return None
    return (f"le téléphone « {text} » n'est pas un numéro valide : 10 chiffres commençant par 0 "
            "(ex. 01 23 45 67 89) ou un numéro international (ex. +33 1 23 45 67 89)")


def email_problem(email: str) -> str | None:
    text = email.strip()
    if not text or _EMAIL.fullmatch(text):
        return None
    return f"le courriel « {text} » n'est pas une adresse valide (ex. prenom.nom@mairie-exemple.fr)"


def contact_problems(phone: str, email: str) -> list[str]:
    return [p for p in (phone_problem(phone), email_problem(email)) if p]
