"""What the user database needs to know about the catalogue, without importing the catalogue ORM.

The caller builds a CatalogueRefs from the catalogue's entity summaries (plain DTOs) and hands
it to UserData; tests build one by hand. Every check answers True (known), False (unknown) or
None (the catalogue holds no such things, so nothing can be checked: the value is accepted).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from qpvdesk.textfold import fold

PROGRAMME_KINDS = ("programme", "measure", "funding")  # the kinds a partner "takes part in" (as in catalogue.partners)
_INSEE = re.compile(r"(?<![0-9a-z])(\d[\dab]\d{3})(?![0-9a-z])")


@lru_cache(maxsize=4096)
def _key(value: str) -> str:
    return " ".join(fold(value).replace("-", " ").replace("'", " ").split())


def _one_deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class CatalogueRefs:
    def __init__(
        self,
        programmes: Mapping[str, str] | None = None,
        communes: Iterable[str] = (),
        qpvs: Iterable[str] = (),
        entity_ids: Iterable[str] = (),
    ) -> None:
        self.programmes = dict(programmes or {})  # id -> French name
        communes = [c for c in communes if c]
        self._communes = {_key(c) for c in communes}
        # names (not ids nor INSEE codes) for typo suggestions
        self._commune_names = {
            _key(c): c for c in communes if not _INSEE.fullmatch(fold(c)) and not fold(c).startswith("commune-")
        }
        self._deletions: dict[str, str] | None = None
        self._qpvs = {_key(q) for q in qpvs if q}
        self._entities = set(entity_ids) | set(self.programmes)

    @classmethod
    def from_entities(cls, entities: Iterable) -> CatalogueRefs:
        """From EntitySummary-like objects (id, kind, name, acronym)."""
        programmes: dict[str, str] = {}
        communes: list[str] = []
        qpvs: list[str] = []
        ids: list[str] = []
        for e in entities:
            ids.append(e.id)
            if e.kind in PROGRAMME_KINDS:
                programmes[e.id] = e.name
            elif e.kind == "commune":
                communes += [e.id, e.name, *_INSEE.findall(fold(e.id))]
            elif e.kind == "qpv":
                qpvs += [e.id, e.name, *(a for a in [getattr(e, "acronym", None)] if a)]
        return cls(programmes, communes, qpvs, ids)

    @classmethod
    def from_catalogue(cls, catalogue) -> CatalogueRefs:  # noqa: ANN001 - qpvdesk.catalogue.Catalogue
        return cls.from_entities(catalogue.reference_rows())

    def entity_exists(self, entity_id: str) -> bool:
        return entity_id in self._entities

    def programme_known(self, programme_id: str) -> bool | None:
        return (programme_id in self.programmes) if self.programmes else None

    def programme_name(self, programme_id: str) -> str:
        return self.programmes.get(programme_id, programme_id)

    def commune_known(self, value: str) -> bool | None:
        return (_key(value) in self._communes) if self._communes else None

    def commune_suggestion(self, value: str) -> str | None:
        """A known commune one typo away ('Toulouze' -> 'Toulouse'), else None."""
        key = _key(value)
        if len(key) < 5 or key in self._communes:
            return None
        if self._deletions is None:
            self._deletions = {}
            for name_key, name in self._commune_names.items():
                if len(name_key) >= 5:
                    for variant in {name_key, *_one_deletions(name_key)}:
                        self._deletions.setdefault(variant, name)
        for variant in (key, *_one_deletions(key)):
            if variant in self._deletions:
                return self._deletions[variant]
        return None

    def qpv_known(self, value: str) -> bool | None:
        return (_key(value) in self._qpvs) if self._qpvs else None


NO_REFS = CatalogueRefs()  # checks nothing (no catalogue at hand: CLI without catalogue, tests)
