"""One HTML rendering of a fiche, used by the detail panel, printing and PDF export.

Only the subset of HTML/CSS that QTextDocument understands is used. Trust marks are
words, not colours alone: « non confirmé », « sources divergentes », « dispositif clos » — on
facts and on the expansions listed under Sigles alike.
Links: entity:<id> navigates, #src-<n> jumps to the numbered source list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from qpvdesk.dates import format_partial_date_fr
from qpvdesk.essentials import dates_to_show, essentials
from qpvdesk.fact_groups import group_facts
from qpvdesk.textfold import fold
from qpvdesk.views import EntityDetail, Essential, FactView, GlossaryView, SourceView
from qpvdesk.vocabulary import RELIABILITIES, TERRITORY_KINDS

PLACE_KINDS = ("region", "departement", "commune", "organisation")  # no « en vigueur » / « clos » badge
BADGE = '<span style="background-color:{bg}; color:#000000; font-weight:bold">&nbsp;{text}&nbsp;</span>'


def badge(text: str, bg: str = "#e5e7eb") -> str:
    return BADGE.format(bg=bg, text=escape(text))


def status_badge(detail: EntityDetail) -> str:
    if detail.status == "active":
        return badge("en vigueur", "#d1fae5")
    if detail.status in ("held", "announced"):  # neither running nor over: a neutral badge
        return badge(detail.status_label, "#e0e7ff")
    label = "dispositif clos" if detail.status == "closed" else detail.status_label
    return badge(label, "#fecaca")


def fact_dates(fact: FactView) -> str:
    parts = [format_partial_date_fr(d) for d in fact.dates]
    text = " / ".join(parts)
    if fact.date_note:
        text = f"{text} ({fact.date_note})" if text else fact.date_note
    return text or "date non précisée"


class _SourceNumbers:
    """Numbers sources in order of first citation, for [n] marks and the footer list."""

    def __init__(self) -> None:
        self.order: list[SourceView] = []
        self.index: dict[str, int] = {}

    def number(self, source: SourceView) -> int:
        if source.ref not in self.index:
            self.order.append(source)
            self.index[source.ref] = len(self.order)
        return self.index[source.ref]

    def marks(self, sources: tuple[SourceView, ...]) -> str:
        out = []
        for s in sources:
            n = self.number(s)
            caution = " ⚠ source secondaire" if s.reliability == "S" else ""
            dated = f", {format_partial_date_fr(s.date)}" if s.date else ""
            out.append(f'<a href="#src-{n}">[{n}]</a> {escape(s.publisher)} ({s.reliability}{dated}){caution}')
        return " · ".join(out)


def _fact_html(fact: FactView, numbers: _SourceNumbers) -> str:
    lines = [f"<p><b>{escape(fact.label)}</b>{_confidence_badge(fact.confidence)}<br/>{escape(fact.value)}"]
    if fact.confidence == "conflict":
        claims = []
        for s in fact.sources:
            if s.claim:
                n = numbers.number(s)
                claims.append(
                    f'<li>« {escape(s.claim)} » selon {escape(s.publisher)} <a href="#src-{n}">[{n}]</a> ({s.reliability})</li>'
                )
        lines.append("<ul>" + "".join(claims) + "</ul>")
    if fact.note:
        lines.append(f"<br/><i>Remarque : {escape(fact.note)}</i>")
    lines.append(
        f"<br/><small>Date : {escape(fact_dates(fact))} — Source{'s' if len(fact.sources) > 1 else ''} : "
        f"{numbers.marks(fact.sources)}</small></p>"
    )
    return "".join(lines)


def _confidence_badge(confidence: str) -> str:
    """The mark of a fact or a glossary expansion that is not confirmed (« confirmé »: none)."""
    if confidence == "unconfirmed":
        return " " + badge("⚠ non confirmé", "#fde68a")
    if confidence == "conflict":
        return " " + badge("⚠ sources divergentes", "#fdba74")
    return ""


def _essentials_html(lines: tuple[Essential, ...], numbers: _SourceNumbers) -> str:
    """« L'essentiel »: a framed card on top, large enough to read on a projector; each value with its
    dates and [n] marks to the numbered sources."""
    if not lines:
        return ""
    rows = []
    for line in lines:
        dates = dates_to_show(line)
        refs = " ".join(f'<a href="#src-{numbers.number(s)}">[{numbers.number(s)}]</a>' for s in line.sources)
        meta = " — ".join(x for x in (escape(dates), refs) if x)
        rows.append(
            f'<tr><td valign="top" width="22%"><b>{escape(line.label)}</b></td>'
            # one funder (or pilot…) per line: readable from the back of a room
            f'<td valign="top">{escape(line.value).replace(" ; ", "<br/>")} <small>{meta}</small></td></tr>'
        )
    return (
        # no background colour: the card must stay readable in the projector's dark, high-contrast theme
        '<a name="essentiel"></a><table width="100%" cellpadding="5" cellspacing="0" border="1" '
        'style="border-color:#64748b; border-style:solid">'
        '<tr><td colspan="2" style="font-size:large"><b>L’essentiel</b></td></tr>'
        + "".join(rows) + "</table>"
    )


def _term_html(term: GlossaryView, numbers: _SourceNumbers) -> str:
    note = f" <i>— {escape(term.note)}</i>" if term.note and term.confidence != "confirmed" else ""
    sources = f" <small>— {numbers.marks(term.sources)}</small>" if term.sources else ""
    return f"<li><b>{escape(term.acronym)}</b> : {escape(term.expansion)}{_confidence_badge(term.confidence)}{note}{sources}</li>"


def _relations_html(detail: EntityDetail, numbers: _SourceNumbers) -> str:
    groups: dict[str, list[str]] = {}
    for rel in detail.relations:
        note = f" — {escape(rel.note)}" if rel.note else ""
        refs = " ".join(f'<a href="#src-{numbers.number(s)}">[{numbers.number(s)}]</a>' for s in rel.sources)
        groups.setdefault(rel.label, []).append(
            f'<a href="entity:{escape(rel.other_id)}">{escape(rel.other_name)}</a>{note} <small>{refs}</small>'
        )
    if not groups:
        return ""
    items = "".join(f"<li><b>{escape(label.capitalize())}</b> : {_shorten(links)}</li>" for label, links in groups.items())
    return f"<ul>{items}</ul>"


def _place_table_html(table) -> str:
    """A territory table (a commune's QPV): a real table, not a run-on paragraph, with links."""
    def cell(text: str, link: str | None) -> str:
        return f'<a href="entity:{escape(link)}">{escape(text)}</a>' if link else escape(text)
    head = "".join(f'<th align="left">{escape(c)}</th>' for c in table.columns)
    body = "".join("<tr>" + "".join(f"<td>{cell(t, link)}</td>" for t, link in row) + "</tr>" for row in table.rows)
    return f'<h2>{escape(table.title)}</h2><table border="1" cellspacing="0" cellpadding="3"><tr>{head}</tr>{body}</table>'


MAX_LINKS_PER_GROUP = 30


def _shorten(links: list[str]) -> str:
    """A programme can have thousands of sites: show the first ones and say how many more."""
    if len(links) <= MAX_LINKS_PER_GROUP:
        return " ; ".join(links)
    rest = len(links) - MAX_LINKS_PER_GROUP
    more = f"{rest:,}".replace(",", "\u202f")
    return " ; ".join(links[:MAX_LINKS_PER_GROUP]) + f" ; <i>… et {more} autres (voir l'onglet Territoires et la carte)</i>"


def _sources_html(numbers: _SourceNumbers, compact: bool = False) -> str:
    items = []
    for n, s in enumerate(numbers.order, start=1):
        title = escape(s.title or s.publisher)
        reliability = RELIABILITIES.get(s.reliability, s.reliability)
        location = escape(s.url or s.ref)
        publisher = f" — {escape(s.publisher)}" if s.title else ""
        if compact:  # on paper: one line per source, so a fiche stays within one or two pages
            items.append(f"[{n}] {title}{publisher} ({s.reliability}) — {location}<br/>")
            continue
        link = f'<a href="source:{escape(s.url)}">{title}</a>' if s.url else title
        items.append(
            f'<p><a name="src-{n}"></a>[{n}] {link}{publisher} — <i>{s.reliability} : {escape(reliability)}</i>'
            f"<br/><small>{location}</small></p>"
        )
    if not items:
        return ""
    if compact:
        legend = "Fiabilité : O officielle, P presse ou source professionnelle, S secondaire (à vérifier)."
        return f"<p><small>{''.join(items)}<i>{legend}</i></small></p>"
    return "".join(items)


# shared with the other pages that cite sources the same way (chronology_html)
SourceNumbers = _SourceNumbers
sources_html = _sources_html

LONG_FICHE = 8  # facts and relations: more than a screen, so the fiche gets a contents list


class _Contents:
    """Headings with anchors, and the « Sommaire » that links to them (the anchor sits before the heading,
    so « <h2>Sources</h2> » stays whole for readers of the HTML)."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, str, int]] = []

    def heading(self, title: str, level: int = 2) -> str:
        anchor = "sec-" + re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")
        self.entries.append((anchor, title, level))
        return f'<a name="{anchor}"></a><h{level}>{escape(title)}</h{level}>'

    def html(self) -> str:
        out, open_sub = [], False
        for anchor, title, level in self.entries:
            link = f'<a href="#{anchor}">{escape(title)}</a>'
            if level == 3 and not open_sub:
                out.append("<ul>")
                open_sub = True
            elif level == 2 and open_sub:
                out.append("</ul></li>")
                open_sub = False
            elif level == 2 and out:
                out.append("</li>")
            out.append(f"<li>{link}</li>" if level == 3 else f"<li>{link}")
        out.append("</ul></li>" if open_sub else "</li>")
        return '<a name="sommaire"></a><p><b>Sommaire</b></p><ul>' + "".join(out) + "</ul>"


_LINK = re.compile(r'<a href="[^"]*">(.*?)</a>', re.DOTALL)


def fiche_html(
    detail: EntityDetail,
    footer: str = "",
    for_print: bool = False,
    extra_sections: Sequence[str] = (),
    closing_sections: Sequence[str] = (),
    extra: str = "",
    lead: str = "",
) -> str:
    """The fiche as HTML. `lead` comes right after the fiche lines (an organisation's chart of posts per year);
    `extra`, the catalogue's added sections (« Structures financées ici », national totals), before the relations;
    `extra_sections` (HTML: e.g. the user's own partners of a place) before the sources; `closing_sections`
    (e.g. the user's note on a printed fiche) after them, before the footer."""
    numbers = _SourceNumbers()
    head = escape(detail.name) + (f" ({escape(detail.acronym)})" if detail.acronym else "")
    period = ""
    if detail.status == "held" and detail.start:
        period = f" — le {escape(format_partial_date_fr(detail.start))}"
    elif detail.start or detail.end:
        start = format_partial_date_fr(detail.start) if detail.start else "?"
        period = f" — {escape(start)} → {escape(format_partial_date_fr(detail.end)) if detail.end else 'aujourd’hui'}"
    parts = [
        f"<h1>{head}</h1>",
        # a commune or a région is neither "en vigueur" nor "clos": no status badge for places
        f"<p>{escape(detail.kind_label)}" + ("" if detail.kind in PLACE_KINDS else f" · {status_badge(detail)}{period}") + "</p>",
    ]
    if not for_print and detail.kind not in TERRITORY_KINDS and detail.relations:
        parts.append('<p><a href="view:schema">Schéma des acteurs</a> (qui pilote, finance, met en œuvre)</p>')
    parts.append(_essentials_html(essentials(detail), numbers))
    if detail.summary:
        parts.append(f"<p>{escape(detail.summary)}</p>")
    if detail.attributes:
        rows = "".join(f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in detail.attributes)
        parts.append(f'<table cellpadding="3">{rows}</table>')
    parts += [_place_table_html(t) for t in detail.tables]
    parts.append(lead)
    names = [f for f in detail.facts if f.category == "name"]
    facts = [f for f in detail.facts if f.category != "name"]
    contents_at = len(parts)
    toc = _Contents()
    if facts:
        title = toc.heading("Faits clés")  # before its sub-headings, for the order of the contents list
        parts.append(title + "".join(
            toc.heading(group, 3) + "".join(_fact_html(f, numbers) for f in in_group)
            for group, in_group in group_facts(facts)
        ))
    if names:
        parts.append(toc.heading("Noms successifs") + "".join(_fact_html(f, numbers) for f in names))
    parts.append(extra)
    relations = _relations_html(detail, numbers)
    if relations:
        parts.append(toc.heading("Relations") + relations)
    if detail.glossary:
        parts.append(toc.heading("Sigles") + "<ul>" + "".join(_term_html(t, numbers) for t in detail.glossary) + "</ul>")
    parts.extend(extra_sections)
    sources = _sources_html(numbers, compact=for_print)
    if sources:
        parts.append(toc.heading("Sources") + sources)
    if not for_print and len(detail.facts) + len(detail.relations) >= LONG_FICHE:
        parts.insert(contents_at, toc.html())
    parts.extend(closing_sections)
    if footer:
        parts.append(f"<hr/><p><small>{escape(footer)}</small></p>")
    html = "\n".join(p for p in parts if p)
    # on paper, links are plain text (the [n] marks and the source list stay)
    return _LINK.sub(r"\1", html) if for_print else html
