"""The « Chronologie » page shown in the fiche panel: one line per dated event, linked to its fiche, with its
numbered sources; theme links at the top filter it (view:chronologie:<theme key>)."""

from __future__ import annotations

from html import escape

from qpvdesk.chronology import THEME_ORDER, ChronologyEvent
from qpvdesk.dates import format_partial_date_fr
from qpvdesk.fiche_html import SourceNumbers, sources_html

THEME_KEYS = {"lois": "Lois", "geographie": "Géographie prioritaire", "programmes": "Programmes et dispositifs",
              "institutions": "Institutions", "comites": "Comités interministériels"}
assert set(THEME_KEYS.values()) == set(THEME_ORDER)


def chronology_html(events: list[ChronologyEvent], theme_key: str = "") -> str:
    theme = THEME_KEYS.get(theme_key, "")
    shown = [e for e in events if not theme or e.theme == theme]
    links = ['<b>Tous</b>' if not theme else '<a href="view:chronologie">Tous</a>']
    for key, label in THEME_KEYS.items():
        links.append(f"<b>{escape(label)}</b>" if key == theme_key else f'<a href="view:chronologie:{key}">{escape(label)}</a>')
    numbers = SourceNumbers()
    rows = []
    for e in shown:
        refs = " ".join(f'<a href="#src-{numbers.number(s)}">[{numbers.number(s)}]</a>' for s in e.sources)
        rows.append(
            f'<tr><td valign="top" style="white-space:nowrap"><b>{escape(format_partial_date_fr(e.date))}</b></td>'
            f'<td valign="top"><a href="entity:{escape(e.id)}">{escape(e.title)}</a> <small>{refs}</small></td></tr>'
        )
    first, last = (shown[0].date[:4], shown[-1].date[:4]) if shown else ("", "")
    span = f" de {first} à {last}" if shown else ""
    return (
        "<h1>Chronologie de la politique de la ville</h1>"
        f"<p>{len(shown)} événements datés{span}, tirés des fiches (lois, comités interministériels, programmes "
        "lancés et arrêtés, géographies prioritaires, institutions créées et fusionnées). Cliquez sur un événement "
        "pour ouvrir sa fiche.</p>"
        f"<p>Thème : {' · '.join(links)}</p>"
        f'<table width="100%" cellpadding="4" cellspacing="0">{"".join(rows)}</table>'
        + ("<h2>Sources</h2>" + sources_html(numbers) if numbers.order else "")
    )
