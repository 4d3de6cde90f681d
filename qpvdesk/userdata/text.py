"""Text hygiene for user data: one canonical form for what is stored, and CSV formula neutralisation."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

# C0/C1 control characters except tab and newline (they are handled per field kind)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# half of a UTF-16 pair with no other half (a command-line argument in another encoding, a paste cut in the middle of
# an emoji): no file, database or server can store it, so it becomes the replacement character « \ufffd »
_SURROGATE = re.compile("[\ud800-\udfff]")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def clean_line(value: str) -> str:
    """A one-line field: controls removed, newlines and tabs become spaces, runs of spaces kept, ends stripped."""
    if value.isprintable():  # the usual case, at C speed
        return value.strip()
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\n", " ").replace("\t", " ")
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", value)).strip()


def clean_block(value: str) -> str:
    """A multi-line field (notes, address): newlines normalised to \\n, controls removed, ends stripped."""
    if value.isprintable():
        return value.strip()
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", value)).strip()


def has_binary(value: str) -> bool:
    return "\x00" in value


def lone_surrogate(value: str) -> int | None:
    """The code of a lone UTF-16 surrogate (JSON « \\ud800 ») in value, else None: SQLite cannot store it."""
    if value.isascii():
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return ord(value[exc.start])
    return None


def server_refuses(value: object) -> str | None:
    """What in `value` the team's PostgreSQL server cannot store (French), else None. Every entry point cleans it
    away (clean_line, clean_block, the importers' checks); only a file changed outside qpvdesk can still hold it."""
    if not isinstance(value, str):
        return None
    if "\x00" in value:
        return "caractère nul (\\x00)"
    if (code := lone_surrogate(value)) is not None:
        return f"caractère invalide (moitié isolée d'une paire UTF-16, « \\u{code:04x} »)"
    return None


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


# dd/mm/yyyy, dd/mm/yyyy hh:mm or dd/mm/yyyy hh:mm:ss: what LibreOffice/Excel (French locale) write back
# when they have recognised an exported ISO timestamp as a date
_FRENCH_STAMP = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*", re.ASCII)
_ISO_TIME = re.compile(r"[^T ]+[T ]\s*(\d{2}):?(\d{2})?:?(\d{2})?", re.ASCII)
SECOND, MINUTE, HOUR, DAY = (timedelta(seconds=1), timedelta(minutes=1), timedelta(hours=1), timedelta(days=1))


def parse_timestamp(value: object) -> tuple[datetime, timedelta] | None:
    """A timestamp from a file: (aware UTC datetime, precision), or None when it is not a usable date.

    Accepts ISO 8601 (what the app writes) and the French spreadsheet forms dd/mm/yyyy[ hh:mm[:ss]].
    A value without offset is read as UTC, like the naive ISO values always were: the app stores UTC,
    and a spreadsheet that rewrites an exported « 2025-03-12T09:32:00+00:00 » keeps its UTC clock digits.
    The precision says what the text could not tell (« 12/03/2025 09:32 » is any second of that minute).
    Never raises: impossible dates (31/02/2026, 25:00), years outside 1990-2200 and any other text give None.
    """
    if not isinstance(value, str):
        return None
    try:
        french = _FRENCH_STAMP.fullmatch(value)
        if french:
            day, month, year, hour, minute, second = french.groups()
            stamp = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
                             tzinfo=timezone.utc)
            precision = SECOND if second else MINUTE if minute else DAY
        else:
            text = value.strip()
            stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
            time = _ISO_TIME.match(text)
            precision = DAY if time is None else SECOND if time.group(3) else MINUTE if time.group(2) else HOUR
    except (ValueError, OverflowError):
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    if not 1990 <= stamp.year <= 2200:
        return None
    try:
        return stamp.astimezone(timezone.utc).replace(microsecond=0), precision
    except OverflowError:
        return None


def parse_iso(value: str) -> str | None:
    """A timestamp from a file, normalised to UTC ISO seconds; None when it is not a date (see parse_timestamp)."""
    parsed = parse_timestamp(value)
    return None if parsed is None else parsed[0].isoformat(timespec="seconds")


def french_datetime(value: str) -> str:
    """'2025-03-12T09:32:00+00:00' -> '12/03/2025 à 10:32' in local time (UI and fiche)."""
    try:
        stamp = datetime.fromisoformat(value).astimezone()
    except (ValueError, TypeError):
        return value or ""
    return stamp.strftime("%d/%m/%Y à %H:%M")
