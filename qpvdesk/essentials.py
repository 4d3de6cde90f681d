"""« L'essentiel »: the five to eight lines that answer first, on top of a fiche.

Taken from the fiche's own view (its dates, relations and facts), never computed: an amount is the
note of a « finance » relation or the value of a fact, with the sources that give it. A line with
no source is not shown. Two funders given the same amount in one breath (USH and the bailleurs
sociaux, « montant donné une seule fois ») make one line marked « à ne pas additionner ».
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from qpvdesk.chronology import dating_sources
from qpvdesk.dates import format_partial_date_fr
from qpvdesk.views import EntityDetail, Essential, FactView, RelationView, SourceView
from qpvdesk.vocabulary import OPEN_DATA_KINDS

MAX_LINES = 8
MAX_NAMES = 5  # an actor that funds forty things: the first ones, then « et n autres »
MAX_VALUE = 170
NOT_TO_ADD = "à ne pas additionner"

# relation types -> (label when the others point at this fiche, label when this fiche points at them)
_ROLES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("pilots", "co-pilots"), "Piloté par", "Pilote"),
    (("supervises",), "Sous la tutelle de", "Tutelle de"),
    (("funds", "co-funds"), "Financé par", "Finance"),
    (("implements",), "Mis en œuvre par", "Met en œuvre"),
    (("decides",), "Décidé par", "Décide"),
    (("legal-basis",), "Fondé sur", "Base légale de"),
)
# further links, shown only while the card has room (a short fiche: who it replaced, what it is part of…)
_MORE_ROLES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("replaced-by",), "Remplace", "Remplacé par"),
    (("merged-into",), "A absorbé", "Fusionné dans"),
    (("part-of",), "Comprend", "Fait partie de"),
    (("partners-with",), "Partenaires", "Partenaire de"),
    (("signs",), "Signé par", "Signataire de"),
)
# fact labels that hold a key figure (budget, sites, quartiers, posts…)
_FIGURE_WORDS = re.compile(
    r"budget|montant|enveloppe|crédit|financement|coût|effectif|poste|site|quartier|nombre|bilan|objectif|dotation",
    re.IGNORECASE,
)
# a count or an amount (« 1 609 quartiers », « 8,4 Md€ », « 30 % »), not a year
_FIGURE = re.compile(r"(?<![\d°-])\d{1,3}(?:[\u00a0\u202f .]\d{3})*(?:,\d+)?\s?(?:%|Md€|M€|k€|€|[a-zà-ÿ]{3,})", re.IGNORECASE)


_AMOUNT = re.compile(r"\d(?:[\d\u00a0\u202f .,]*\d)?\s?(?:%|Md€|M€|k€|€)")


def has_essentials(detail: EntityDetail) -> bool:
    return detail.kind not in OPEN_DATA_KINDS  # places and funded structures have their own lines


def essentials(detail: EntityDetail) -> tuple[Essential, ...]:
    """The lines of « L'essentiel » for an actor, programme, measure, law or event fiche (none for places)."""
    if not has_essentials(detail):
        return ()
    main: list[Essential | None] = [_nature(detail)]
    for types, incoming, outgoing in _ROLES:
        main.append(_role_line(detail, types, "in", incoming))
        main.append(_role_line(detail, types, "out", outgoing))
    latest = _latest_fact(detail.facts)
    figures = [_figure_line(f) for f in _key_figures(detail.facts, exclude=latest)]
    last = [Essential("Dernier événement", _fact_text(latest), latest.dates, latest.sources)] if latest else []
    more = [_role_line(detail, types, d, label) for types, incoming, outgoing in _MORE_ROLES
            for d, label in (("in", incoming), ("out", outgoing))]
    kept_main = _sourced(main)
    room = MAX_LINES - len(last) - len(figures[:1])  # the latest event and one figure always fit
    kept_main, figures = kept_main[:room], _sourced(figures)
    extra = _sourced(more)[: max(0, MAX_LINES - len(kept_main) - len(figures) - len(last))]
    figures = figures[: MAX_LINES - len(kept_main) - len(extra) - len(last)]
    return tuple(kept_main + extra + figures + last)


def _sourced(lines: Sequence[Essential | None]) -> list[Essential]:
    return [line for line in lines if line is not None and line.sources]


def essentials_json(detail: EntityDetail) -> list[dict]:
    return [
        {"label": e.label, "value": e.value, "dates": list(e.dates),
         "sources": [{"ref": s.ref, "url": s.url, "publisher": s.publisher, "reliability": s.reliability,
                      "date": s.date} for s in e.sources]}
        for e in essentials(detail)
    ]


def _nature(detail: EntityDetail) -> Essential | None:
    period = ""
    if detail.status == "held" and detail.start:
        period = f", le {format_partial_date_fr(detail.start)}"
    elif detail.start and detail.end:
        period = f", {format_partial_date_fr(detail.start)} → {format_partial_date_fr(detail.end)}"
    elif detail.start:
        period = f", depuis {format_partial_date_fr(detail.start)}"
    elif detail.end:
        period = f", jusqu'à {format_partial_date_fr(detail.end)}"
    value = f"{detail.kind_label} · {detail.status_label}{period}"
    dates = tuple(d for d in (detail.start, detail.end) if d)
    return Essential("Nature et statut", value, dates, _dating_sources(detail))


def _dating_sources(detail: EntityDetail) -> tuple[SourceView, ...]:
    """The sources that date the fiche (its facts of its start year…), as the « Chronologie » cites them."""
    return dating_sources(detail, detail.start or detail.end or "")


def _role_line(detail: EntityDetail, types: tuple[str, ...], direction: str, label: str) -> Essential | None:
    # sites and communes (« Cité éducative Allonnes ») are the Territoires tab's: the card names actors
    rels = [r for r in detail.relations if r.type in types and r.direction == direction and r.other_kind not in OPEN_DATA_KINDS]
    if not rels:
        return None
    rels.sort(key=lambda r: r.type.startswith("co-"))  # stable: funders before co-funders, else the content's order
    groups = _same_amount_groups(rels) if "funds" in types else [[r] for r in rels]
    parts: list[str] = []
    dates: list[str] = []
    sources: list[SourceView] = []
    for group in groups[:MAX_NAMES]:
        own = sorted({s.date for r in group for s in r.sources if s.date})
        # each amount with the date its source gives it: « État : 1,2 Md€ engagés (novembre 2025) »
        when = ", ".join(format_partial_date_fr(d) for d in own) if group[0].note else ""
        parts.append(_names_with_note(group, when))
        for r in group:
            sources += r.sources
        dates += own
    rest = sum(len(g) for g in groups[MAX_NAMES:])
    if rest:
        parts.append(f"et {rest} autre{'s' if rest > 1 else ''} (voir Relations)")
    return Essential(label, " ; ".join(parts), tuple(sorted(set(dates))), _unique(sources))


def _same_amount_groups(rels: list[RelationView]) -> list[list[RelationView]]:
    """Funders that a source gives one amount for, together (same note, an amount in it), in a group."""
    groups: dict[str, list[RelationView]] = {}
    order: list[list[RelationView]] = []
    for r in rels:
        key = r.note or ""
        if key and _FIGURE.search(key) and key in groups:
            groups[key].append(r)
            continue
        group = [r]
        order.append(group)
        if key:
            groups[key] = group
    return order


def _names_with_note(group: list[RelationView], when: str = "") -> str:
    names = " et ".join(r.other_name for r in group)
    co = " (cofinanceur)" if all(r.type == "co-funds" for r in group) else ""
    note = group[0].note
    if len(group) > 1:  # the note's own explanation (« montant donné une seule fois … ») becomes the shorter mark
        amount = re.sub(r"\s*\(.*\)\s*$", "", note or "")
        dated = f", {when}" if when else ""
        both = "eux deux" if len(group) == 2 else "eux tous"
        return f"{names}{co} : {amount} à {both} (un seul montant, {NOT_TO_ADD}{dated})"
    if not note:
        return f"{names}{co}"
    return f"{names}{co} : {note}" + (f" ({when})" if when else "")


def dates_to_show(line: Essential) -> str:
    """The line's dates, unless its value already says them all (« depuis 2014 », « 8,4 Md€ (décembre 2024) »)."""
    shown = [format_partial_date_fr(d) for d in line.dates]
    return "" if all(d in line.value for d in shown) else " / ".join(shown)


def _latest_fact(facts: Iterable[FactView]) -> FactView | None:
    dated = [f for f in facts if f.category == "fact" and f.dates]
    if not dated:
        return None
    confirmed = [f for f in dated if f.confidence == "confirmed"] or dated
    return max(confirmed, key=lambda f: max(f.dates))  # first of the fiche's order on a tie


def _key_figures(facts: Iterable[FactView], exclude: FactView | None) -> list[FactView]:
    """Up to two facts holding a figure, the most recent first: under a budget / sites / quartiers / posts label
    first, then any fact whose value gives an amount or a share (« 20 M€ », « 30 % »)."""
    candidates = [f for f in facts if f is not exclude and f.category == "fact" and f.confidence == "confirmed"
                  and _FIGURE.search(f.value)]
    labelled = [f for f in candidates if _FIGURE_WORDS.search(f.label)]
    amounts = [f for f in candidates if f not in labelled and _AMOUNT.search(f.value)]
    for group in (labelled, amounts):
        group.sort(key=lambda f: max(f.dates, default=""), reverse=True)
    return (labelled + amounts)[:2]


def _figure_line(fact: FactView) -> Essential:
    return Essential("Chiffre clé", _fact_text(fact), fact.dates, fact.sources)


def _fact_text(fact: FactView) -> str:
    value = " ".join(fact.value.split())
    if len(value) > MAX_VALUE:
        value = value[: MAX_VALUE - 1].rsplit(" ", 1)[0] + "…"
    mark = " (non confirmé)" if fact.confidence == "unconfirmed" else ""
    return f"{fact.label} : {value}{mark}"


def _unique(sources: Iterable[SourceView]) -> tuple[SourceView, ...]:
    seen: dict[tuple[str, str | None], SourceView] = {}
    for s in sources:
        seen.setdefault((s.ref, s.date), s)
    return tuple(seen.values())
