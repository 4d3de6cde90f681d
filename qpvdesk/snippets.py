"""The piece of a text a search result shows: a window around the first matched word, matches spanned.

Shared by the catalogue's search (qpvdesk.search) and the user's own notes (qpvdesk.userdata.hits); no database.
"""

from __future__ import annotations

import re

from qpvdesk.textfold import fold_same_length
from qpvdesk.vocabulary import TRUST_MARKS

SNIPPET_CHARS = 160
_TRUST_MARK = re.compile("|".join(re.escape(m) for m in TRUST_MARKS.values()))  # at a fact's start


def make_snippet(source: str, prefixes: list[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A window of the text around the first matched word, with matched-word spans.

    The text's lines are facts: the window never starts in the fact before the match (its tail would
    show without that fact's trust mark), and a fact marked « [⚠ non-confirmé] » keeps its mark in
    front of the window even when the match lies deep in it.
    """
    lines = [" ".join(line.split()) for line in source.split("\n")]
    lines = [line for line in lines if line]
    source = " ".join(lines)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in prefixes) + r")\w*") if prefixes else None
    folded = fold_same_length(source)
    marks = [m.span() for m in _TRUST_MARK.finditer(source)]
    matches = [m.span() for m in pattern.finditer(folded)] if pattern else []
    # « confirmé » typed must point at the fact that says it, not at the words of a mark
    matches = [(a, b) for a, b in matches if not any(ma <= a < mb for ma, mb in marks)]
    if not matches:
        return (source[:SNIPPET_CHARS] + ("…" if len(source) > SNIPPET_CHARS else "")), ()
    first = matches[0][0]
    line_start = 0
    for line in lines:
        if first <= line_start + len(line):
            break
        line_start += len(line) + 1
    start = max(line_start, first - SNIPPET_CHARS // 3)
    if start > line_start:
        space = source.rfind(" ", line_start, start)
        start = space + 1 if space >= 0 else start
    mark = _TRUST_MARK.match(source, line_start)
    if mark and start <= mark.end():
        start = line_start  # the whole mark, not a piece of it
    lead = f"{mark.group()} …" if mark and start > line_start else ("…" if start else "")
    end = min(len(source), start + SNIPPET_CHARS)
    snippet = lead + source[start:end] + ("…" if end < len(source) else "")
    offset = len(lead) - start
    spans = tuple((a + offset, b + offset) for a, b in matches if a >= start and b <= end)
    return snippet, spans
