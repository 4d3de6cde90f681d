"""What an organisation's fiche says, and the « Structures financées ici » of places and programmes.

Every figure carries its citation (ANCT, programme, year, Licence Ouverte 2.0). The 2025 adultes-relais amounts
are shown only with the warning that they look wrong, and never enter a total.
"""

from __future__ import annotations

from html import escape

from qpvdesk.organisations.views import FundedHere, OrganisationInfo
from qpvdesk.organisations.vocabulary import (
    DEDUCED,
    DOUBTFUL_TEXT,
    LICENCE,
    PROGRAMMES,
    TYPES,
    YEARS,
    citation,
    doubtful,
    euros,
)
from qpvdesk.views import FactView, SourceView

MAX_LINKS = 60
BAR = "█"
BAR_WIDTH = 12  # characters: fits a narrow detail panel without wrapping
SOURCE_LINE = (
    f"Source : ANCT — crédits de la politique de la ville (postes d'adultes-relais et postes FONJEP), fichiers "
    f"annuels 2020 à 2025, {LICENCE}. L'année et le programme de chaque chiffre sont indiqués à côté de lui."
)
IDENTITY_TEXT = {
    "siret": "par le SIRET donné par l'ANCT (adultes-relais)",
    "siret+name": "par le SIRET (adultes-relais) ; postes FONJEP rattachés par le nom : même nom, seul SIRET de ce nom "
    "dans le département",
    "name": "par le nom, dans le département (la source ne donne pas de SIRET pour les postes FONJEP) : deux noms "
    "seulement proches restent deux fiches",
}


def _int(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def _n(value: int, word: str) -> str:
    return f"{value} {word}{'s' if value > 1 else ''}"


def _by_programme_year(info: OrganisationInfo) -> dict[tuple[str, int], list[int]]:
    cells: dict[tuple[str, int], list[int]] = {}
    for f in info.funding:
        cell = cells.setdefault((f.programme, f.year), [0, 0])
        cell[0] += f.posts
        cell[1] += f.amount_cents
    return cells


def attributes(info: OrganisationInfo) -> tuple[tuple[str, str], ...]:
    """(label, value) lines: who it is (the figures are facts, see facts())."""
    rows = [
        ("Type", f"{TYPES[info.type]} ({DEDUCED})"),
        ("Nom dans la source", " / ".join(info.source_names)),
        ("SIRET", info.siret or "non fourni par la source (postes FONJEP)"),
        ("Identification", IDENTITY_TEXT[info.identity]),
        ("Départements des postes", ", ".join(f"{d.name} ({d.code})" for d in info.departements) or "non indiqué par la source"),
    ]
    if info.contrats:
        rows.append(("Contrats de ville", " ; ".join(f"{c.name} ({c.code})" for c in info.contrats)))
    if info.unknown_contrats:
        rows.append(("Codes de contrat inconnus des données", ", ".join(info.unknown_contrats)))
    return tuple(rows)


def facts(info: OrganisationInfo, sources: dict[tuple[str, int], SourceView]) -> tuple[FactView, ...]:
    """Posts and amount per programme and year, each citing ANCT's file of that year (Licence Ouverte 2.0).
    The 2025 adultes-relais amount is marked « non confirmé » with the reason, and left out of the total."""
    cells = _by_programme_year(info)
    out = []
    for programme in PROGRAMMES:
        years = [y for y in YEARS if (programme, y) in cells]
        for year in years:
            posts, cents = cells[(programme, year)]
            contrats = sorted({c for f in info.funding if f.programme == programme and f.year == year for c in f.cv_codes})
            where = f" ; contrat(s) de ville {', '.join(contrats)}" if contrats else " ; sans contrat de ville dans la source"
            cited = tuple(s for s in (sources.get((programme, year)),) if s)
            odd = doubtful(programme, year)
            amount = f"{DOUBTFUL_TEXT} : {euros(cents)}" if odd else f"montant {euros(cents)}"
            out.append(
                FactView(
                    f"{PROGRAMMES[programme][0]} {year}",
                    f"{_n(posts, 'poste')} ; {amount}{where}",
                    (str(year),),
                    None,
                    "unconfirmed" if odd else "confirmed",
                    "Les postes sont comptés ; le montant n'entre dans aucun total." if odd else None,
                    "fact",
                    cited,
                )
            )
        counted = [y for y in years if not doubtful(programme, y)]
        if len(counted) > 1:
            total = sum(cells[(programme, y)][1] for y in counted)
            left = " (2025 exclu : montant douteux dans la source)" if any(doubtful(programme, y) for y in years) else ""
            out.append(
                FactView(
                    f"{PROGRAMMES[programme][0]}, total {counted[0]}–{counted[-1]}",
                    f"{euros(total)}{left}",
                    (str(counted[0]), str(counted[-1])),
                    "somme des montants annuels",
                    "confirmed",
                    None,
                    "fact",
                    tuple(sources[(programme, y)] for y in counted if (programme, y) in sources),
                )
            )
    return tuple(out)


def posts_chart(info: OrganisationInfo) -> str:
    """Posts per year 2020–2025 as a bar table (QTextDocument draws it on screen and on paper)."""
    cells = _by_programme_year(info)
    totals = {y: sum(cells.get((p, y), [0])[0] for p in PROGRAMMES) for y in YEARS}
    peak = max(totals.values()) or 1
    lines = []
    for year in YEARS:
        parts = [f"{cells[(p, year)][0]} {PROGRAMMES[p][0].replace('Postes ', '')}" for p in PROGRAMMES if (p, year) in cells]
        bar = BAR * max(1, round(BAR_WIDTH * totals[year] / peak)) if totals[year] else ""
        lines.append(
            f'<tr><td>{year}</td><td nowrap style="color:#1d4ed8">{bar}</td><td align="right"><b>{totals[year]}</b></td>'
            f"<td>{escape(' + '.join(parts)) or '—'}</td></tr>"
        )
    return (
        "<h2>Postes financés par année</h2>"
        '<table cellpadding="2"><tr><th>Année</th><th></th><th>Postes</th><th>Détail</th></tr>' + "".join(lines) + "</table>"
        f"<p><small>{escape(SOURCE_LINE)}</small></p>"
    )


def _links(links: list[tuple[str, str]], more_hint: str) -> str:
    shown = [f'<a href="entity:{escape(i)}">{escape(n)}</a>' for i, n in links[:MAX_LINKS]]
    rest = len(links) - MAX_LINKS
    return " ; ".join(shown) + (f" ; <i>… et {rest} autres ({escape(more_hint)})</i>" if rest > 0 else "")


def organisation_html(info: OrganisationInfo) -> str:
    parts = []
    if info.contrats:
        parts.append(
            "<h2>Contrats de ville</h2><p>" + _links([(c.entity_id, f"{c.name} ({c.code})") for c in info.contrats], "") + "</p>"
        )
    if info.communes:
        parts.append(
            f"<h2>Communes de ces contrats de ville ({len(info.communes)})</h2><p>"
            + _links([(c.entity_id, c.name) for c in info.communes], "voir les fiches des contrats")
            + "</p>"
            "<p><small>Communes couvertes par les contrats de ville des postes : la structure n'y intervient pas "
            "forcément partout.</small></p>"
        )
    if info.departements:
        parts.append(
            "<h2>Départements</h2><p>" + _links([(d.entity_id, f"{d.name} ({d.code})") for d in info.departements], "") + "</p>"
        )
    return "".join(parts)


def funded_here_html(how: str, found: list[FundedHere]) -> str:
    """« Structures financées ici »: counts first, then the organisations, most posts first."""
    if not found:
        return ""
    last = max(y for f in found for (_p, y) in f.posts)
    counts = []
    for programme, (label, _id) in PROGRAMMES.items():
        orgs = [f for f in found if any(p == programme for p, _y in f.posts)]
        posts = sum(f.posts.get((programme, last), 0) for f in found)
        if orgs:
            counts.append(
                f"{label} : {_n(len(orgs), 'structure')} en 2020–{last}, {_n(posts, 'poste')} en {last} "
                f"({escape(citation(programme, last))})"
            )
    ranked = sorted(
        found, key=lambda f: (-sum(v for (p, y), v in f.posts.items() if y == last), -sum(f.posts.values()), f.name.casefold())
    )
    items = []
    for f in ranked[:MAX_LINKS]:
        here = sum(v for (p, y), v in f.posts.items() if y == last)
        programmes = ", ".join(PROGRAMMES[p][0] for p in PROGRAMMES if any(q == p for q, _y in f.posts))
        items.append(
            f'<li><a href="entity:{escape(f.entity_id)}">{escape(f.name)}</a> — {escape(TYPES[f.type])} '
            f"({DEDUCED}) ; {escape(programmes)} ; {_n(here, 'poste')} en {last}</li>"
        )
    rest = len(ranked) - MAX_LINKS
    more = (
        f"<p><i>… et {rest} autres : la liste complète, triable et filtrable, est dans l'onglet Partenaires.</i></p>"
        if rest > 0
        else ""
    )
    return (
        f"<h2>Structures financées ici ({len(found)})</h2>"
        f"<p>{'<br/>'.join(counts)}</p><p><small>{escape(how[0].upper() + how[1:])}.</small></p>"
        f"<ul>{''.join(items)}</ul>{more}"
    )


def programme_html(programme: str, years: dict[int, tuple[int, int, int]], organisations: int) -> str:
    """National totals per year on the Adultes-relais and FONJEP fiches."""
    if not years:
        return ""
    rows = []
    for year in sorted(years):
        posts, cents, orgs = years[year]
        amount = f"{DOUBTFUL_TEXT} : {euros(cents)}" if doubtful(programme, year) else euros(cents)
        rows.append(
            f'<tr><td>{year}</td><td align="right">{_int(posts)}</td><td align="right">{_int(orgs)}</td>'
            f"<td>{escape(amount)}</td></tr>"
        )
    return (
        f"<h2>Postes financés par l'État, {min(years)}–{max(years)}</h2>"
        f"<p>{_int(organisations)} structures différentes sur la période.</p>"
        + '<table cellpadding="3"><tr><th>Année</th><th>Postes</th><th>Structures</th><th>Montant (somme des postes)</th></tr>'
        + "".join(rows)
        + "</table>"
        f"<p><small>Source : ANCT — crédits de la politique de la ville, {escape(PROGRAMMES[programme][0])}, "
        f"fichiers {min(years)} "
        f"à {max(years)}, {LICENCE}. Voir l'onglet Partenaires pour la liste des structures.</small></p>"
    )
