"""Plain-text fiche for the terminal (`qpvdesk show ID`)."""

from __future__ import annotations

from qpvdesk.essentials import dates_to_show, essentials
from qpvdesk.fiche_html import PLACE_KINDS, fact_dates
from qpvdesk.views import EntityDetail
from qpvdesk.vocabulary import CONFIDENCES


def fiche_as_text(detail: EntityDetail) -> str:
    status = "" if detail.kind in PLACE_KINDS else f" — {detail.status_label}"
    lines = [detail.name + (f" ({detail.acronym})" if detail.acronym else ""), f"{detail.kind_label}{status}"]
    found = essentials(detail)
    if found:
        lines += ["", "L'essentiel :"]
        for e in found:
            dates = dates_to_show(e)
            cited = "; ".join(dict.fromkeys(s.publisher for s in e.sources))
            lines.append(f"  {e.label} : {e.value}" + (f" ({dates})" if dates else "") + f" [source : {cited}]")
    if detail.summary:
        lines += ["", detail.summary]
    if detail.attributes:
        lines.append("")
        lines += [f"{label} : {value}" for label, value in detail.attributes]
    for table in detail.tables:
        lines += ["", f"{table.title} :", "  " + " | ".join(table.columns)]
        lines += ["  " + " | ".join(text for text, _link in row) for row in table.rows]
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
