"""What changed between two catalogues: fiches (by entity id) and facts (by fiche and fact label).

Plain read-only SQL on both files (standard library): a diff of today's catalogue takes about a second.
A fiche is "changed" when its name, kind, status, dates or summary moved; facts are compared apart.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from qpvdesk.updates import UpdateRefused


@dataclass
class CatalogueDiff:
    added: list[tuple[str, str]] = field(default_factory=list)  # (id, name)
    removed: list[tuple[str, str]] = field(default_factory=list)
    changed: list[tuple[str, str]] = field(default_factory=list)
    facts_added: list[tuple[str, str, str]] = field(default_factory=list)  # (entity id, fiche name, label)
    facts_removed: list[tuple[str, str, str]] = field(default_factory=list)
    facts_changed: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(self.to_json()["counts"].values())

    def to_json(self) -> dict:
        lists: dict[str, list] = {
            "fiches_added": self.added, "fiches_removed": self.removed, "fiches_changed": self.changed,
            "facts_added": self.facts_added, "facts_removed": self.facts_removed, "facts_changed": self.facts_changed,
        }
        return {
            "counts": {k: len(v) for k, v in lists.items()},
            **{k: [dict(zip(("id", "name", "label"), row)) for row in v] for k, v in lists.items()},
        }

    def summary_lines(self, limit: int = 8) -> list[str]:
        """« Quoi de neuf » in French, each list cut at `limit` names."""
        if self.empty:
            return ["Aucune différence de fiches ni de faits."]
        lines = []
        fiches = ((self.added, "fiche(s) ajoutée(s)"), (self.changed, "fiche(s) modifiée(s)"),
                  (self.removed, "fiche(s) retirée(s)"))
        for fiche_rows, label in fiches:
            if fiche_rows:
                lines.append(f"{len(fiche_rows)} {label} : " + _names([name for _, name in fiche_rows], limit))
        facts = ((self.facts_added, "fait(s) ajouté(s)"), (self.facts_changed, "fait(s) modifié(s)"),
                 (self.facts_removed, "fait(s) retiré(s)"))
        for fact_rows, label in facts:
            if fact_rows:
                lines.append(f"{len(fact_rows)} {label} : " + _names([f"{name} — {fact}" for _, name, fact in fact_rows], limit))
        return lines


def _names(names: list[str], limit: int) -> str:
    shown = " ; ".join(names[:limit])
    return shown + (f" ; … et {len(names) - limit} autre(s)" if len(names) > limit else "") + "."


def _connect(path: Path) -> sqlite3.Connection:
    if not Path(path).is_file():
        raise UpdateRefused(f"Catalogue introuvable : {path}")
    return sqlite3.connect(f"file:{quote(str(Path(path).resolve()))}?mode=ro", uri=True)


def _read(path: Path) -> tuple[dict[str, tuple], dict[tuple[str, str, int], tuple]]:
    try:
        conn = _connect(path)
        try:
            entities = {row[0]: row[1:] for row in conn.execute(
                "SELECT id, name, kind, status, start_date, end_date, summary FROM entity")}
            facts: dict[tuple[str, str, int], tuple] = {}
            seen: Counter = Counter()
            for entity_id, label, value, dates, confidence, note in conn.execute(
                    "SELECT entity_id, label, value, dates, confidence, note FROM fact ORDER BY entity_id, position"):
                seen[(entity_id, label)] += 1  # the same label twice on a fiche: compared in order
                facts[(entity_id, label, seen[(entity_id, label)])] = (value, dates, confidence, note)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise UpdateRefused(f"{Path(path).name} n'est pas un catalogue qpvdesk lisible ({exc}).") from None
    return entities, facts


def diff_catalogues(old: Path, new: Path) -> CatalogueDiff:
    old_entities, old_facts = _read(old)
    new_entities, new_facts = _read(new)
    names = {i: row[0] for i, row in old_entities.items()} | {i: row[0] for i, row in new_entities.items()}
    result = CatalogueDiff()
    for i in sorted(new_entities.keys() - old_entities.keys()):
        result.added.append((i, names[i]))
    for i in sorted(old_entities.keys() - new_entities.keys()):
        result.removed.append((i, names[i]))
    for i in sorted(old_entities.keys() & new_entities.keys()):
        if old_entities[i] != new_entities[i]:
            result.changed.append((i, names[i]))
    gone = old_entities.keys() - new_entities.keys()
    for key in sorted(new_facts.keys() - old_facts.keys()):
        if key[0] in old_entities:  # facts of a new fiche come with it
            result.facts_added.append((key[0], names[key[0]], key[1]))
    for key in sorted(old_facts.keys() - new_facts.keys()):
        if key[0] not in gone:
            result.facts_removed.append((key[0], names[key[0]], key[1]))
    for key in sorted(old_facts.keys() & new_facts.keys()):
        if old_facts[key] != new_facts[key]:
            result.facts_changed.append((key[0], names[key[0]], key[1]))
    return result


def orphaned(entity_ids, catalogue: Path) -> list[str]:
    """Of these ids (notes, favourites), those the catalogue does not hold; locally added partners are never orphaned."""
    try:
        conn = _connect(catalogue)
        try:
            known = {row[0] for row in conn.execute("SELECT id FROM entity")}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise UpdateRefused(f"{Path(catalogue).name} n'est pas un catalogue qpvdesk lisible ({exc}).") from None
    return sorted(i for i in set(entity_ids) if not i.startswith("local:") and i not in known)
