"""Turn what a user typed into an entity id: an id, an acronym or an exact name."""

from __future__ import annotations

from qpvdesk.catalogue import Catalogue
from qpvdesk.search import Searcher


def resolve_id(catalogue: Catalogue, wanted: str) -> str | None:
    if catalogue.entity(wanted) is not None:
        return wanted
    lowered = wanted.strip().lower()
    if lowered != wanted and catalogue.entity(lowered) is not None:
        return lowered
    hits = Searcher(catalogue).search(wanted, limit=1).hits
    if hits and hits[0].exact and hits[0].doc_type == "entity":
        return hits[0].id
    return None
