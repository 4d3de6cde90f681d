"""The fiche of a local partner (detail panel, print, PDF), in the same HTML subset as qpvdesk/fiche_html.py.

It says in words that the partner was added locally and is not part of the sourced catalogue.
Programme links (entity:<id>) open the catalogue's fiches; a website is shown as text (offline).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from qpvdesk.fiche_html import badge
from qpvdesk.userdata.refs import NO_REFS, CatalogueRefs
from qpvdesk.userdata.text import french_datetime
from qpvdesk.userdata.views import LocalPartner

_LINK = re.compile(r'<a href="[^"]*">(.*?)</a>', re.DOTALL)


def _multiline(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


def _link_html(linked) -> str:
    link, resolved = linked
    siret = f" (SIRET {escape(link.siret)})" if link.siret else ""
    if resolved:
        return (f'<p><b>Structure financée liée</b> : <a href="entity:{escape(resolved)}">{escape(link.organisation_name)}</a>'
                f"{siret} — ses postes financés par l'État sont sur sa fiche.</p>")
    return (f"<p><b>Structure financée liée</b> : {escape(link.organisation_name)}{siret} — <i>absente de ce catalogue "
            "(lien gardé tel que vous l'avez fait)</i>.</p>")


def linked_partners_html(partners: list[LocalPartner]) -> str:
    """The user's partners linked to a catalogue structure, on its fiche (screen only)."""
    if not partners:
        return ""
    items = "".join(
        f'<li><a href="entity:{escape(p.entity_id)}">{escape(p.name)}</a>'
        + "".join(f" — {escape(v)}" for v in (p.contact_name, p.phone, p.email) if v) + "</li>" for p in partners)
    return ("<h2>Vos partenaires liés</h2><p><i>Saisis sur ce poste (pas dans le catalogue sourcé).</i></p>"
            f"<ul>{items}</ul>")


def local_partner_html(
    partner: LocalPartner,
    refs: CatalogueRefs = NO_REFS,
    for_print: bool = False,
    closing_sections: Sequence[str] = (),
    linked=None,
    authors: tuple[str, str] = ("", ""),
) -> str:
    """A local partner's fiche; `closing_sections` (the user's note on paper) go before the footer; `linked`:
    (PartnerLink, the structure's id in this catalogue or None) when the partner is linked to one; `authors`: who
    created and last changed it, for a partner shared with a team (qpvdesk/team)."""
    parts = [
        f"<h1>{escape(partner.name)}</h1>",
        f"<p>{escape(partner.kind_label)} · {badge('ajouté localement', '#dbeafe')}</p>",
        "<p><i>Partenaire saisi sur ce poste (ou importé d'un collègue) : il ne fait pas partie du catalogue sourcé.</i></p>",
    ]
    rows = []
    if partner.commune:
        rows.append(("Commune", escape(partner.commune)))
    if partner.qpv_code:
        rows.append(("Quartier prioritaire (QPV)", escape(partner.qpv_code)))
    for label, value in (("Contact", partner.contact_name), ("Téléphone", partner.phone), ("Courriel", partner.email),
                         ("Site web", partner.website)):
        if value:
            rows.append((label, escape(value)))
    if partner.address:
        rows.append(("Adresse", _multiline(partner.address)))
    if rows:
        parts.append(
            '<table cellpadding="3">' + "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows) + "</table>"
        )
    if partner.programme_ids:
        items = []
        for pid in partner.programme_ids:
            if refs.programme_known(pid) is False:
                items.append(f"<li>{escape(pid)} — <i>programme inconnu du catalogue</i></li>")
            else:
                items.append(f'<li><a href="entity:{escape(pid)}">{escape(refs.programme_name(pid))}</a></li>')
        parts.append("<h2>Programmes</h2><ul>" + "".join(items) + "</ul>")
    if linked:
        parts.append(_link_html(linked))
    if partner.notes:
        parts.append(f"<h2>Notes</h2><p>{_multiline(partner.notes)}</p>")
    parts.extend(closing_sections)
    created_by, updated_by = (f" par {escape(name)}" if name else "" for name in authors)
    parts.append(
        f"<hr/><p><small>Ajouté le {escape(french_datetime(partner.created_at))}{created_by} — modifié le "
        f"{escape(french_datetime(partner.updated_at))}{updated_by}</small></p>"  # no technical id: it means nothing to a user
    )
    html = "\n".join(parts)
    return _LINK.sub(r"\1", html) if for_print else html


def territory_partners_html(partners: list[LocalPartner], places) -> str:
    """« Vos partenaires locaux » on a QPV or commune fiche: the user's own partners of that place,
    said to be theirs (not sourced), those of the quartier first. `places`: territories.views.Places."""
    if not partners:
        return ""
    own = places.own_qpv

    def item(p: LocalPartner) -> str:
        details = " — ".join(
            escape(v) for v in (p.kind_label, p.qpv_code if p.qpv_code != own else "", p.contact_name, p.phone) if v
        )
        return f'<li><a href="entity:{escape(p.entity_id)}">{escape(p.name)}</a> — {details}</li>'

    if own:
        several = len(places.communes) > 2  # names and INSEE codes: more than one commune
        groups = [
            ("Dans ce quartier", [p for p in partners if p.qpv_code == own]),
            ("Ailleurs dans ses communes" if several else "Ailleurs dans la commune", [p for p in partners if p.qpv_code != own]),
        ]
    else:
        groups = [("Dans la commune", partners)]
    body = "".join(f"<p><b>{title}</b></p><ul>{''.join(item(p) for p in found)}</ul>" for title, found in groups if found)
    homonym = (
        (
            "<p><small>Une autre commune porte le même nom : un partenaire saisi avec le seul nom de la commune, sans "
            "code QPV ni code INSEE, peut être de l'autre.</small></p>"
        )
        if places.homonym
        else ""
    )
    return (
        f"<h2>Vos partenaires locaux ({len(partners)})</h2>"
        "<p><i>Ajoutés sur ce poste : ils ne font pas partie du catalogue sourcé.</i></p>" + body + homonym
    )


TEAM_NOTES_TITLE = "Notes partagées par l'équipe"
TEAM_NOTES_ANCHOR = "notes-equipe"  # the notes pane's « voir en fin de fiche » scrolls there


def team_notes_html(notes: Sequence[dict]) -> str:
    """The other members' shared notes on a fiche (screen only): author, date, text — each as received at the
    last sync, escaped (a hostile note stays text). "" when there are none."""
    if not notes:
        return ""
    items = "".join(
        f"<p><b>{escape(n.get('author') or 'Un membre de l’équipe')}</b> — le "
        f"{escape(french_datetime(n.get('updated_at') or ''))}<br/>{_multiline(n.get('text') or '')}</p>"
        for n in sorted(notes, key=lambda n: n.get("updated_at") or "", reverse=True)
    )
    heading = f'<h2><a name="{TEAM_NOTES_ANCHOR}"></a>{TEAM_NOTES_TITLE} ({len(notes)})</h2>'
    return (heading + "<p><i>Écrites par d'autres membres de votre équipe et reçues à la dernière synchronisation : "
            "elles ne font pas partie du catalogue sourcé.</i></p>" + items)
