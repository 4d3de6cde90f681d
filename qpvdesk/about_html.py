"""HTML pages about the catalogue itself: the welcome page and « À propos des données »."""

from __future__ import annotations

from html import escape

from qpvdesk.dates import format_partial_date_fr
from qpvdesk.textfold import fold
from qpvdesk.views import CatalogueStats
from qpvdesk.vocabulary import CONFIDENCES, KINDS, RELIABILITIES

# the relations written in resources/content (the territory links from open data are counted apart)
WRITTEN_RELATIONS = ("relations", "measure_relations", "instrument_relations", "funding_relations")


def _n(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")  # French thousands separator (narrow no-break space)


def welcome_html(stats: CatalogueStats) -> str:
    c = stats.counts
    newest = format_partial_date_fr(stats.newest_information_date) if stats.newest_information_date else "inconnue"
    return (
        "<h1>Bienvenue dans qpvdesk</h1>"
        "<p>Le paysage de la politique de la ville, hors ligne : l'État et son ministère, les agences "
        "(ANRU, ANAH, ANCT), leurs programmes, les partenaires qui les financent et les portent.</p>"
        f"<p><b>{_n(c['entities'])}</b> fiches · <b>{_n(c['facts'])}</b> faits sourcés · "
        f"<b>{_n(sum(c.get(k, 0) for k in WRITTEN_RELATIONS))}</b> relations · <b>{_n(c['glossary_terms'])}</b> sigles.<br/>"
        f"Information la plus récente du catalogue : <b>{escape(newest)}</b>.</p>"
        "<h2>Pour commencer</h2><ul>"
        "<li>Tapez dans la recherche (Ctrl+K ou Ctrl+F) : un sigle (PIC), un nom, même sans accents, ou une question "
        "(« qui finance le NPNRU ? ») ; les flèches choisissent, Entrée ouvre, Échap ferme la liste.</li>"
        "<li>Parcourez l'arbre « Qui fait quoi » à gauche, ou son schéma (menu Navigation).</li>"
        '<li>La <a href="view:chronologie">chronologie de la politique de la ville</a> (Ctrl+Maj+H) : lois, '
        "programmes, géographies prioritaires, institutions.</li>"
        "<li>Chaque fait indique sa source, sa date et sa fiabilité ; les éléments non confirmés "
        "ou contradictoires sont signalés en toutes lettres.</li></ul>"
    )


def about_data_html(stats: CatalogueStats) -> str:
    c = stats.counts
    newest = format_partial_date_fr(stats.newest_information_date) if stats.newest_information_date else "inconnue"
    labels = sorted(((KINDS.get(k, (k,))[0], v) for k, v in stats.kinds.items()), key=lambda kv: fold(kv[0]))
    kinds = "".join(f"<li>{escape(label)} : {_n(v)}</li>" for label, v in labels)
    reliab = "".join(
        f"<li>{k} — {escape(RELIABILITIES.get(k, k))} : {_n(v)}</li>" for k, v in stats.sources_by_reliability.items()
    )
    conf = "".join(f"<li>{escape(CONFIDENCES.get(k, k))} : {_n(v)}</li>" for k, v in stats.facts_by_confidence.items())
    datasets = "".join(
        f"<li><b>{escape(d['title'])}</b> — producteur : {escape(d['producer'])} — date : {escape(d['date'])} — "
        f"licence : {escape(d['licence'])}"  # the producer is cited, never the repository a copy came from
        + (f"<br/><i>{escape(d['note'])}</i>" if d.get("note") else "")
        + "</li>"
        for d in stats.datasets
    )
    return (
        "<h1>À propos des données</h1>"
        f"<p>Information la plus récente : <b>{escape(newest)}</b>. Les sources ont été consultées jusqu'au "
        "4 décembre 2026 ; noms de ministères, budgets et effectifs changent souvent : vérifiez avant de citer.</p>"
        f"<h2>Contenu</h2><ul><li>{_n(c['entities'])} fiches</li><li>{_n(c['facts'])} faits, tous sourcés "
        f"({_n(c['facts_without_source'])} sans source)</li><li>{_n(c['relations'])} relations entre acteurs et programmes, "
        f"{_n(c.get('measure_relations', 0))} décisions des comités interministériels vers leurs mesures, "
        f"{_n(c.get('instrument_relations', 0))} relations des instruments du quotidien (fonds, plateformes, réseaux), "
        f"{_n(c.get('funding_relations', 0))} financements chiffrés repris des faits, "
        f"{_n(c.get('territory_relations', 0))} liens territoriaux (sites, communes, QPV)</li>"
        f"<li>{_n(c['sources'])} sources distinctes</li><li>{_n(c['glossary_terms'])} sigles</li></ul>"
        f"<h2>Fiches par type</h2><ul>{kinds}</ul>"
        f"<h2>Faits par niveau de confiance</h2><ul>{conf}</ul>"
        f"<h2>Sources par fiabilité</h2><ul>{reliab}</ul>"
        "<h2>Jeux de données ouverts</h2>"
        + (
            f"<ul>{datasets}</ul><p><small>Provenance exacte de chaque copie (dépôt, version, contrôles) : "
            "resources/data/SOURCES.md, livré avec l'application.</small></p>"
            if datasets
            else "<p>Aucun jeu de données territorial importé dans ce catalogue.</p>"
        )
        + "<h2>Licences</h2><p>Textes rédigés par l'équipe qpvdesk à partir des sources citées. Données "
        "territoriales : Licence Ouverte / Open Licence 2.0 (Etalab), producteurs cités ci-dessus.</p>"
        f"<p><small>Version du générateur : {escape(stats.builder_version)} — empreinte du contenu : "
        f"{escape(stats.content_hash[:12])}</small></p>"
    )
