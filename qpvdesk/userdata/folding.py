"""Folded text stored beside user rows, so search and duplicate matching forgive accents and case.

Used by the repository on every write and by migration 0002 to backfill older rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from qpvdesk.textfold import fold
from qpvdesk.userdata.views import PARTNER_TYPES

_WORDS = re.compile(r"[^\W_]+")


def _squash(text: str) -> str:
    return " ".join(fold(text).split())


def _words_only(text: str) -> str:
    # hyphens, apostrophes and punctuation separate words: « Évry-Courcouronnes » = « evry courcouronnes »
    return " ".join(_WORDS.findall(fold(text)))


def match_key(name: str, commune: str) -> str:
    """Duplicate key: folded words of name and commune ("Centre social Élan ;", "Évry-Courcouronnes" ->
    "centre social elan|evry courcouronnes"). Migration 0003 recomputes it for older rows."""
    return f"{_words_only(name)}|{_words_only(commune)}"


def partner_search_text(row: Mapping) -> str:
    kind = row.get("kind") or ""
    programmes: Iterable[str] = row.get("programme_ids") or ()
    parts = [
        row.get("name") or "", PARTNER_TYPES.get(kind, kind), row.get("commune") or "", row.get("qpv_code") or "",
        row.get("contact_name") or "", row.get("email") or "", row.get("address") or "", row.get("website") or "",
        row.get("notes") or "", " ".join(programmes),
    ]
    return _squash(" ".join(parts))


def note_search_text(text: str) -> str:
    return _squash(text)


def query_words(text: str) -> list[str]:
    return [w for w in _squash(text).split() if w][:12]
