"""The catalogue verbs: check, show, search, export-pdf, list (the window's functions, for scripts and trainers)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from qpvdesk.cli.common import (
    EXIT_FAIL,
    EXIT_OK,
    EXIT_USAGE,
    at_least_one,
    catalogue_file,
    print_json,
    reads_catalogue,
    with_catalogue,
)
from qpvdesk.errors import french_reason
from qpvdesk.french import plural

if TYPE_CHECKING:
    from qpvdesk.catalogue import Catalogue


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="vérifie le catalogue (intégrité, FTS5, comptes)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("show", help="affiche une fiche")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("search", help="recherche")
    p.add_argument("text", metavar="TEXTE")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=at_least_one, default=20, metavar="NOMBRE", help="nombre de résultats (1 ou plus)")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("export-pdf", help="exporte une ou plusieurs fiches en PDF (A4)")
    p.add_argument("ids", nargs="+", metavar="ID", help="identifiants (plusieurs : un dossier de formation)")
    p.add_argument("file", metavar="FICHIER.pdf")
    p.add_argument("--titre", help="titre de la page de garde du dossier (par défaut : « Dossier de formation »)")
    p.set_defaults(func=cmd_export_pdf)

    p = sub.add_parser("list", help="liste les entités")
    p.add_argument("--kind")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)


# French labels of `check`'s counts (the JSON keeps the English keys)
COUNT_LABELS = {
    "entities": "fiches",
    "facts": "faits",
    "sources": "sources",
    "relations": "relations de la section F de la fiche de référence (relations.yaml)",
    "measure_relations": "relations comité interministériel → mesure (relations-mesures-civ.yaml)",
    "instrument_relations": "relations des instruments du quotidien (relations-dispositifs.yaml)",
    "funding_relations": "financements chiffrés repris des faits (relations-financements.yaml)",
    "territory_relations": "liens territoriaux (sites, communes, QPV)",
    "glossary_terms": "sigles",
    "facts_without_source": "faits sans source",
}


@reads_catalogue
def cmd_check(args: argparse.Namespace) -> int:
    from qpvdesk.catalogue import READ_ERRORS, Catalogue, CatalogueError, damage_reason, fts5_available

    if not fts5_available():
        print("Erreur : SQLite sans FTS5 (recherche plein texte indisponible).", file=sys.stderr)
        return EXIT_FAIL
    try:
        catalogue = Catalogue(catalogue_file(args))
    except CatalogueError as exc:  # missing, truncated, not a catalogue: still a verdict
        return _report_damaged_check(args, str(exc))
    damage = catalogue.damage()
    try:
        stats = catalogue.stats() if damage is None else None
    except READ_ERRORS as exc:  # a damage that reading every row did not meet: still a verdict, not a crash
        damage = damage_reason(exc)
        stats = None
    if stats is None:
        return _report_damaged_check(args, f"intégrité SQLite : endommagé ({damage})")
    ok = stats.counts["facts_without_source"] == 0 and stats.counts["entities"] > 0
    report = {
        "ok": ok,
        "integrity": "ok",
        "fts5": True,
        "counts": stats.counts,
        "kinds": stats.kinds,
        "facts_by_confidence": stats.facts_by_confidence,
        "sources_by_reliability": stats.sources_by_reliability,
        "newest_information_date": stats.newest_information_date,
        "datasets": len(stats.datasets),
    }
    from qpvdesk.organisations.repository import OrganisationRepository  # the funded structures (issue 14)

    organisations = OrganisationRepository(catalogue).stats()
    if organisations:
        report["organisations"] = organisations
    if args.json:
        print_json(report)
    else:
        print("Catalogue : " + ("sain" if ok else "PROBLÈME"))
        print(f"  intégrité SQLite : {report['integrity']} ; FTS5 : présent")
        for key, value in stats.counts.items():
            print(f"  {COUNT_LABELS.get(key, key)} : {value}")
        from qpvdesk.dates import format_partial_date_fr
        from qpvdesk.vocabulary import CONFIDENCES

        confidence = ", ".join(f"{CONFIDENCES.get(k, k)} : {v}" for k, v in stats.facts_by_confidence.items())
        newest = stats.newest_information_date
        print(f"  faits par confiance : {confidence}")
        print(f"  information la plus récente : {format_partial_date_fr(newest) if newest else 'inconnue'}")
        if organisations:
            from qpvdesk.organisations.check_text import check_lines

            print("\n".join(check_lines(organisations)))
    return EXIT_OK if ok else EXIT_FAIL


def _report_damaged_check(args: argparse.Namespace, problem: str) -> int:
    """`check` on a file it cannot trust: the verdict and what is wrong, no counts."""
    from qpvdesk.catalogue import REINSTALL

    if REINSTALL not in problem:
        problem = f"{problem}\n{REINSTALL}"
    if args.json:
        print_json({"ok": False, "integrity": "corrupt", "fts5": True, "problem": problem})
    else:
        print("Catalogue : PROBLÈME")
        for line in problem.splitlines():
            print(f"  {line}")
    return EXIT_FAIL


@with_catalogue
def cmd_show(args: argparse.Namespace, catalogue: Catalogue) -> int:
    from qpvdesk.resolve import resolve_id

    entity_id = resolve_id(catalogue, args.id)
    detail = catalogue.entity(entity_id) if entity_id else None
    if detail is None:
        print(f"Aucune fiche pour « {args.id} ».", file=sys.stderr)
        return EXIT_FAIL
    if args.json:
        from qpvdesk.essentials import essentials_json

        print_json({**detail.to_json(), "essentials": essentials_json(detail)})
    else:
        from qpvdesk.fiche_text import fiche_as_text

        print(fiche_as_text(detail))
    return EXIT_OK


@with_catalogue
def cmd_search(args: argparse.Namespace, catalogue: Catalogue) -> int:
    from qpvdesk.service import CatalogueService

    result = CatalogueService(catalogue).search(args.text, limit=args.limit)  # the window's search, lookup included
    if args.json:
        print_json(
            {
                "query": result.query,
                "corrections": result.corrections,
                "notice": result.notice,
                "partial": result.partial,
                "truncated": result.truncated,
                "answer": result.answer.to_json() if result.answer else None,
                "more_places": result.more_places,
                "hits": [
                    {"id": h.id, "type": h.doc_type, "kind": h.kind, "group": h.group, "name": h.title,
                     "status": h.status, "exact": h.exact, "score": round(h.score, 4), "snippet": h.snippet}
                    for h in result.hits
                ],
            }
        )
    else:
        if result.notice:
            print(result.notice)
        if result.corrections:
            print("Recherche corrigée : " + ", ".join(f"{k} → {v}" for k, v in result.corrections.items()))
        if result.partial:
            print("Aucune fiche du catalogue ne contient tous les mots : résultats partiels.")
        if not result.hits:
            print("Aucun résultat.")
        if result.answer:
            from qpvdesk.answers import answer_lines

            print("\n".join(answer_lines(result.answer)))
        for h in result.hits:
            print(f"{h.id}\t{h.group}\t{h.title}")
        if result.more_places:
            print(f"… et {result.more_places} autres lieux dont le nom commence seulement par les mots cherchés.")
    return EXIT_OK


@with_catalogue
def cmd_list(args: argparse.Namespace, catalogue: Catalogue) -> int:
    from qpvdesk.vocabulary import KINDS

    if args.kind and args.kind not in KINDS:
        known = ", ".join(sorted(KINDS))
        print(f"Erreur : type inconnu « {args.kind} ». Types possibles : {known}.", file=sys.stderr)
        return EXIT_USAGE
    entities = catalogue.list_entities(args.kind)
    if args.json:
        print_json({"count": len(entities), "entities": [asdict(e) for e in entities]})
    else:
        for e in entities:
            print(f"{e.id}\t{e.kind}\t{e.name}")
        print(plural(len(entities), "entité"))
    return EXIT_OK


@with_catalogue
def cmd_export_pdf(args: argparse.Namespace, catalogue: Catalogue) -> int:
    from qpvdesk.resolve import resolve_id
    from qpvdesk.service import CatalogueService

    service = CatalogueService(catalogue.path)
    parts, names = [], []
    for wanted in args.ids:
        entity_id = resolve_id(catalogue, wanted)
        html = service.fiche_html(entity_id, for_print=True) if entity_id else None
        if html is None:
            print(f"Aucune fiche pour « {wanted} » : rien n'a été écrit.", file=sys.stderr)
            return EXIT_FAIL
        parts.append(html)
        names.append(service.names().get(entity_id or "", entity_id or wanted))
    from qpvdesk.ui.fiche_export import export_pdf_headless

    pack = None
    if len(parts) > 1 or args.titre:  # a training pack: cover, contents, numbered pages
        from qpvdesk.ui.training_pack import pack_for

        pack = pack_for(names, parts, args.titre, service)
    target = Path(args.file)
    try:
        pages = export_pdf_headless(parts, target, pack)
    except OSError as exc:
        print(f"Impossible d'écrire {target} : {french_reason(exc)}", file=sys.stderr)
        return EXIT_FAIL
    print(f"PDF écrit : {target} ({plural(len(parts), 'fiche')}, {plural(pages, 'page')})")
    return EXIT_OK
