"""Text hygiene for user data: one canonical form for what is stored, and CSV formula neutralisation."""

from __future__ import annotations

import re
from datetime import datetime, timezone

# C0/C1 control characters except tab and newline (they are handled per field kind)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def clean_line(value: str) -> str:
    """A one-line field: controls removed, newlines and tabs become spaces, runs of spaces kept, ends stripped."""
    if value.isprintable():  # the usual case, at C speed
        return value.strip()
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\n", " ").replace("\t", " ")
    return _CONTROL.sub("", value).strip()


def clean_block(value: str) -> str:
    """A multi-line field (notes, address): newlines normalised to \\n, controls removed, ends stripped."""
    if value.isprintable():
        return value.strip()
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value).strip()


def has_binary(value: str) -> bool:
    return "\x00" in value


def neutralise_formula(cell: str) -> str:
    """Excel/LibreOffice run cells starting with = + - @ as formulas: prefix an apostrophe.

    A cell that already starts with an apostrophe followed by a trigger (or another apostrophe)
    is prefixed too, so `restore_formula` gives back exactly the original text.
    """
    if not cell:
        return cell
    if cell[0] in FORMULA_TRIGGERS or (cell[0] == "'" and len(cell) > 1 and cell[1] in (*FORMULA_TRIGGERS, "'")):
        return "'" + cell
    return cell


def restore_formula(cell: str) -> str:
    """Inverse of neutralise_formula, applied on import."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in (*FORMULA_TRIGGERS, "'"):
        return cell[1:]
    return cell


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def parse_iso(value: str) -> str | None:
    """A timestamp from a file, normalised to UTC ISO seconds; None when it is not a date."""
    try:
        stamp = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    if not 1990 <= stamp.year <= 2200:
        return None
    return stamp.astimezone(timezone.utc).isoformat(timespec="seconds")


def french_datetime(value: str) -> str:
    """'2025-03-12T09:32:00+00:00' -> '12/03/2025 à 10:32' in local time (UI and fiche)."""
    try:
        stamp = datetime.fromisoformat(value).astimezone()
    except (ValueError, TypeError):
        return value or ""
    return stamp.strftime("%d/%m/%Y à %H:%M")
