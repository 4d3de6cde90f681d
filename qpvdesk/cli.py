"""Command line: the GUI by default, and the same core functions for scripts and trainers."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from qpvdesk import __version__

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _open_catalogue(args):
    from qpvdesk.catalogue import Catalogue, CatalogueError
    from qpvdesk.paths import catalogue_path

    path = Path(args.catalogue) if args.catalogue else catalogue_path()
    try:
        return Catalogue(path)
    except CatalogueError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return None


def cmd_build_data(args) -> int:
    from qpvdesk.content.build import BuildError, build_catalogue, load_checked_content
    from qpvdesk.paths import bundle_dir, resources_dir

    resources = Path(args.resources) if args.resources else resources_dir()
    try:
        if args.dry_run:
            content = load_checked_content(resources)
            print(f"Contenu valide : {len(content.entities)} entités, {len(content.relations)} relations, "
                  f"{len(content.glossary)} sigles.")
            return EXIT_OK
        report = build_catalogue(resources, Path(args.output) if args.output else bundle_dir() / "data.sqlite")
    except BuildError as exc:
        for error in exc.errors:
            print(f"Erreur : {error}", file=sys.stderr)
        print(f"{len(exc.errors)} erreur(s) : le catalogue n'a pas été modifié.", file=sys.stderr)
        return EXIT_FAIL
    counts = ", ".join(f"{k} {v}" for k, v in report.counts.items())
    print(f"Catalogue écrit : {report.path} ({counts})")
    return EXIT_OK


def cmd_check(args) -> int:
    from qpvdesk.catalogue import fts5_available

    ok = True
    if not fts5_available():
        print("Erreur : SQLite sans FTS5 (recherche plein texte indisponible).", file=sys.stderr)
        return EXIT_FAIL
    catalogue = _open_catalogue(args)
    if catalogue is None:
        return EXIT_FAIL
    integrity = catalogue.integrity_ok()
    stats = catalogue.stats()
    ok = integrity and stats.counts["facts_without_source"] == 0 and stats.counts["entities"] > 0
    report = {
        "ok": ok,
        "integrity": "ok" if integrity else "corrupt",
        "fts5": True,
        "counts": stats.counts,
        "kinds": stats.kinds,
        "facts_by_confidence": stats.facts_by_confidence,
        "sources_by_reliability": stats.sources_by_reliability,
        "newest_information_date": stats.newest_information_date,
        "datasets": len(stats.datasets),
    }
    if args.json:
        _print_json(report)
    else:
        print("Catalogue : " + ("sain" if ok else "PROBLÈME"))
        print(f"  intégrité SQLite : {report['integrity']} ; FTS5 : présent")
        for key, value in stats.counts.items():
            print(f"  {key} : {value}")
        print(f"  faits par confiance : {stats.facts_by_confidence}")
        print(f"  information la plus récente : {stats.newest_information_date}")
    return EXIT_OK if ok else EXIT_FAIL


def cmd_show(args) -> int:
    catalogue = _open_catalogue(args)
    if catalogue is None:
        return EXIT_FAIL
    from qpvdesk.resolve import resolve_id

    entity_id = resolve_id(catalogue, args.id)
    detail = catalogue.entity(entity_id) if entity_id else None
    if detail is None:
        print(f"Aucune fiche pour « {args.id} ».", file=sys.stderr)
        return EXIT_FAIL
    if args.json:
        _print_json(detail.to_json())
    else:
        from qpvdesk.fiche_text import fiche_as_text

        print(fiche_as_text(detail))
    return EXIT_OK


def cmd_search(args) -> int:
    catalogue = _open_catalogue(args)
    if catalogue is None:
        return EXIT_FAIL
    from qpvdesk.search import Searcher

    result = Searcher(catalogue).search(args.text, limit=args.limit)
    if args.json:
        _print_json(
            {
                "query": result.query,
                "corrections": result.corrections,
                "truncated": result.truncated,
                "hits": [
                    {"id": h.id, "type": h.doc_type, "kind": h.kind, "group": h.group, "name": h.title,
                     "status": h.status, "exact": h.exact, "score": round(h.score, 4), "snippet": h.snippet}
                    for h in result.hits
                ],
            }
        )
    else:
        if result.corrections:
            print("Recherche corrigée : " + ", ".join(f"{k} → {v}" for k, v in result.corrections.items()))
        if not result.hits:
            print("Aucun résultat.")
        for h in result.hits:
            print(f"{h.id}\t{h.group}\t{h.title}")
    return EXIT_OK


def cmd_list(args) -> int:
    catalogue = _open_catalogue(args)
    if catalogue is None:
        return EXIT_FAIL
    entities = catalogue.list_entities(args.kind)
    if args.json:
        _print_json({"count": len(entities), "entities": [asdict(e) for e in entities]})
    else:
        for e in entities:
            print(f"{e.id}\t{e.kind}\t{e.name}")
        print(f"{len(entities)} entité(s)")
    return EXIT_OK


def cmd_export_pdf(args) -> int:
    catalogue = _open_catalogue(args)
    if catalogue is None:
        return EXIT_FAIL
    from qpvdesk.resolve import resolve_id
    from qpvdesk.service import CatalogueService

    service = CatalogueService(catalogue.path)
    parts = []
    for wanted in args.ids:
        entity_id = resolve_id(catalogue, wanted)
        html = service.fiche_html(entity_id, for_print=True) if entity_id else None
        if html is None:
            print(f"Aucune fiche pour « {wanted} » : rien n'a été écrit.", file=sys.stderr)
            return EXIT_FAIL
        parts.append(html)
    from qpvdesk.ui.fiche_export import export_pdf_headless

    target = Path(args.file)
    try:
        pages = export_pdf_headless(parts, target)
    except OSError as exc:
        print(f"Impossible d'écrire {target} : {exc}", file=sys.stderr)
        return EXIT_FAIL
    if not target.is_file() or target.stat().st_size == 0:
        print(f"Impossible d'écrire {target} (dossier protégé en écriture ?)", file=sys.stderr)
        return EXIT_FAIL
    print(f"PDF écrit : {target} ({len(parts)} fiche(s), {pages} page(s))")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qpvdesk", description="Explorateur hors ligne de la politique de la ville.")
    parser.add_argument("--version", action="version", version=f"qpvdesk {__version__}")
    parser.add_argument("--smoke", action="store_true", help="ouvre la fenêtre, attend le chargement, quitte (test)")
    parser.add_argument("--catalogue", help="chemin d'un autre data.sqlite")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("build-data", help="compile resources/ en data.sqlite")
    p.add_argument("--dry-run", action="store_true", help="valide le contenu sans rien écrire")
    p.add_argument("--resources", help="dossier resources/ à compiler")
    p.add_argument("--output", help="fichier à écrire (défaut : data.sqlite du dépôt)")
    p.set_defaults(func=cmd_build_data)

    p = sub.add_parser("check", help="vérifie le catalogue (intégrité, FTS5, comptes)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("show", help="affiche une fiche")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("search", help="recherche")
    p.add_argument("text")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=20)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("export-pdf", help="exporte une ou plusieurs fiches en PDF (A4)")
    p.add_argument("ids", nargs="+", metavar="ID", help="identifiants (plusieurs : un dossier de formation)")
    p.add_argument("file", metavar="FICHIER.pdf")
    p.set_defaults(func=cmd_export_pdf)

    p = sub.add_parser("list", help="liste les entités")
    p.add_argument("--kind")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command:
        # subcommand options may also be given before the subcommand
        return args.func(args)
    from qpvdesk.ui.app import run_gui

    return run_gui(smoke=args.smoke, catalogue=args.catalogue)
