"""Partial ISO dates used throughout the content: AAAA, AAAA-MM or AAAA-MM-JJ."""

from __future__ import annotations

import datetime as dt
import re

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

MONTHS_FR = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)


def is_valid_partial_date(text: str) -> bool:
    match = _PARTIAL.match(text)
    if not match:
        return False
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is not None and not 1 <= month <= 12:
        return False
    if day is not None:
        try:
            dt.date(year, month, day)  # type: ignore[arg-type]
        except ValueError:
            return False
    return True


def format_partial_date_fr(text: str) -> str:
    """'2014-02-21' -> '21 février 2014'; '2025-11' -> 'novembre 2025'; '2024' -> '2024'."""
    match = _PARTIAL.match(text)
    if not match:
        return text
    year, month, day = match.groups()
    if month is None:
        return year
    month_name = MONTHS_FR[int(month) - 1]
    if day is None:
        return f"{month_name} {year}"
    day_text = "1er" if int(day) == 1 else str(int(day))
    return f"{day_text} {month_name} {year}"
