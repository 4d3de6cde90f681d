"""Plain-text fiche for the terminal (`qpvdesk show ID`)."""

from __future__ import annotations

from qpvdesk.fiche_html import fact_dates
from qpvdesk.views import EntityDetail
from qpvdesk.vocabulary import CONFIDENCES


def fiche_as_text(detail: EntityDetail) -> str:
    lines = [detail.name + (f" ({detail.acronym})" if detail.acronym else ""), f"{detail.kind_label} — {detail.status_label}"]
    if detail.summary:
        lines += ["", detail.summary]
    if detail.attributes:
        lines.append("")
        lines += [f"{label} : {value}" for label, value in detail.attributes]
    for fact in detail.facts:
        mark = "" if fact.confidence == "confirmed" else f" [{CONFIDENCES[fact.confidence].upper()}]"
        lines += ["", f"• {fact.label}{mark} : {fact.value}", f"  date : {fact_dates(fact)}"]
        for s in fact.sources:
            claim = f" « {s.claim} »" if s.claim else ""
            lines.append(f"  source ({s.reliability}){claim} : {s.publisher} — {s.url or s.ref}")
    if detail.relations:
        lines += ["", "Relations :"]
        lines += [f"  {r.label} : {r.other_name} ({r.other_id})" + (f" — {r.note}" if r.note else "") for r in detail.relations]
    return "\n".join(lines)
