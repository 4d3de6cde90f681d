"""Command-line text in and out: arguments holding bytes that are not UTF-8, and output that must never fail.

A Linux shell hands Python whatever bytes were typed (`qpvdesk show $'Cit\\xe9s'` from a Latin-1 script):
Python keeps the bad bytes as lone surrogates, which SQLite refuses (UnicodeEncodeError) and which a
strict UTF-8 terminal cannot print.
"""

from __future__ import annotations

import codecs
import io
import sys

# Arguments that are text looked up in the catalogue, or names stored and shown to others (`team join --name`):
# file paths are left as given (the system reads them back)
TEXT_ARGUMENTS = ("id", "ids", "text", "kind", "name")


def _undo_surrogates(value: str) -> str:
    """Bytes that were not UTF-8 in an argument (Python keeps them as lone surrogates, which SQLite refuses)
    are read as Windows-1252, the likeliest other encoding of a French terminal or script: « Cit\\xe9s » → « Cités »."""
    return "".join(_one_byte_as_cp1252(ch) if _is_escaped_byte(ch) else ch for ch in value)


def _is_escaped_byte(ch: str) -> bool:
    return "\udc80" <= ch <= "\udcff"


def _one_byte_as_cp1252(ch: str) -> str:
    return bytes([ord(ch) - 0xDC00]).decode("cp1252", "replace")


def clean_text_arguments(args) -> None:
    for name in TEXT_ARGUMENTS:
        value = getattr(args, name, None)
        if isinstance(value, str):
            setattr(args, name, _undo_surrogates(value))
        elif isinstance(value, list):
            setattr(args, name, [_undo_surrogates(v) for v in value])


def never_fail_on_output() -> None:
    """A message quoting an odd file name must still print: its odd bytes are shown as the shell writes them."""
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper):  # None in a windowed .exe, or replaced by a tool
            continue
        try:
            stream.reconfigure(errors="qpvdesk-safe")
        except ValueError:  # closed
            pass


def _safe_encode_error(exc: UnicodeError) -> tuple[str, int]:
    """`\\xe9` for a byte that was not UTF-8 (as in the shell's $'…'), `\\ud800` for any other lone surrogate."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    escaped = (f"\\x{ord(ch) - 0xDC00:02x}" if _is_escaped_byte(ch) else f"\\u{ord(ch):04x}" for ch in bad)
    return "".join(escaped), exc.end


codecs.register_error("qpvdesk-safe", _safe_encode_error)
