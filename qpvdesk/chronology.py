"""« Chronologie » of the politique de la ville: the dated events the content already holds.

An event is a fiche's own date (a law passed, a programme launched or ended, an agency created or merged,
a geography that starts or is replaced, a comité held) or a dated fact of a comité fiche (« Comité du
14 décembre 1999 »). Each comes with its fiche and the sources that date it; one that no source dates is
left out. Nothing is added that the fiches do not say.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from qpvdesk.views import EntityDetail, SourceView
from qpvdesk.vocabulary import OPEN_DATA_KINDS

# kind -> theme, the filter of the « Chronologie » tab
THEMES: dict[str, str] = {
    "law": "Lois",
    "event": "Comités interministériels",
    "programme": "Programmes et dispositifs",
    "measure": "Programmes et dispositifs",
    "funding": "Programmes et dispositifs",
    "geography": "Géographie prioritaire",
    "agency": "Institutions",
    "state-body": "Institutions",
    "partner": "Institutions",
    "local-actor": "Institutions",
}
THEME_ORDER = ("Lois", "Géographie prioritaire", "Programmes et dispositifs", "Institutions", "Comités interministériels")
_START = {"law": "Loi", "event": "Comité tenu", "geography": "Entrée en vigueur", "programme": "Lancement",
          "measure": "Lancement", "funding": "Création"}
_END = {"closed": "Fin", "merged": "Fusion", "replaced": "Remplacement"}


@dataclass(frozen=True)
class ChronologyEvent:
    date: str  # partial ISO date (AAAA, AAAA-MM or AAAA-MM-JJ)
    title: str
    id: str  # the fiche it opens
    theme: str
    sources: tuple[SourceView, ...]

    def to_json(self) -> dict:
        return {"date": self.date, "title": self.title, "id": self.id, "theme": self.theme,
                "sources": [{"ref": s.ref, "url": s.url, "publisher": s.publisher, "reliability": s.reliability}
                            for s in self.sources]}


def chronology(ids: Iterable[str], entity: Callable[[str], EntityDetail | None]) -> list[ChronologyEvent]:
    """Every dated event of these fiches, earliest first (same date: by title)."""
    events: list[ChronologyEvent] = []
    for entity_id in ids:
        detail = entity(entity_id)
        if detail is not None and detail.kind not in OPEN_DATA_KINDS:
            events += fiche_events(detail)
    return sorted(events, key=lambda e: (e.date, e.title))


def fiche_events(detail: EntityDetail) -> list[ChronologyEvent]:
    theme = THEMES.get(detail.kind, "Institutions")
    found = []
    if detail.start:
        word = _START.get(detail.kind, "Création")
        title = detail.name if detail.kind == "event" else f"{word} : {detail.name}"
        found.append(ChronologyEvent(detail.start, title, detail.id, theme, dating_sources(detail, detail.start)))
    if detail.end and detail.status in _END:
        found.append(ChronologyEvent(detail.end, _end_title(detail), detail.id, theme, _end_sources(detail)))
    if detail.kind == "event" and not detail.start:  # « Comités antérieurs (jalons) »: one event per dated fact
        found += [ChronologyEvent(min(f.dates), f"Comité interministériel : {f.label}", detail.id, theme, f.sources)
                  for f in detail.facts if f.category == "fact" and f.dates]
    return [e for e in found if e.sources]


def _end_title(detail: EntityDetail) -> str:
    successor = {"merged": "merged-into", "replaced": "replaced-by"}.get(detail.status)
    into = [r.other_name for r in detail.relations if r.type == successor and r.direction == "out"]
    if detail.status == "merged" and into:
        return f"Fusion : {detail.name} dans {' et '.join(into)}"
    if detail.status == "replaced" and into:
        return f"Remplacement : {detail.name} par {' et '.join(into)}"
    return f"{_END[detail.status]} : {detail.name}"


def _end_sources(detail: EntityDetail) -> tuple[SourceView, ...]:
    assert detail.end is not None
    successor = [r for r in detail.relations if r.type in ("merged-into", "replaced-by") and r.direction == "out"]
    dated = dating_sources(detail, detail.end, fallback=False)
    return dated or _unique(s for r in successor for s in r.sources) or dating_sources(detail, detail.end)


def dating_sources(detail: EntityDetail, date: str, fallback: bool = True) -> tuple[SourceView, ...]:
    """The sources of the fiche's facts dated in that year; else (fallback) its legal basis or its first fact."""
    year = date[:4]
    dated = [f for f in detail.facts if any(d[:4] == year for d in f.dates)]
    if dated:
        return _unique(s for f in dated[:2] for s in f.sources)
    if not fallback:
        return ()
    basis = [r for r in detail.relations if r.type == "legal-basis" and r.direction == "in"]
    if basis:
        return _unique(s for r in basis for s in r.sources)
    facts = [f for f in detail.facts if f.category == "fact"]
    return facts[0].sources if facts else ()


def _unique(sources: Iterable[SourceView]) -> tuple[SourceView, ...]:
    seen: dict[str, SourceView] = {}
    for s in sources:
        seen.setdefault(s.ref, s)
    return tuple(seen.values())
