"""Command line: the GUI by default, and the same core functions for scripts and trainers."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from qpvdesk import __version__
from qpvdesk.cli_french import install as install_french_argparse
from qpvdesk.errors import french_reason

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


# French labels of `check`'s counts (the JSON keeps the English keys)
COUNT_LABELS = {
    "entities": "fiches",
    "facts": "faits",
    "sources": "sources",
    "relations": "relations de la section F de la fiche de référence (relations.yaml)",
    "measure_relations": "relations comité interministériel → mesure (relations-mesures-civ.yaml)",
    "territory_relations": "liens territoriaux (sites, communes, QPV)",
    "glossary_terms": "sigles",
    "facts_without_source": "faits sans source",
}


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
    from qpvdesk.organisations.repository import OrganisationRepository  # organisations hook (issue 14)

    organisations = OrganisationRepository(catalogue).stats()
    if organisations:
        report["organisations"] = organisations
    if args.json:
        _print_json(report)
    else:
        print("Catalogue : " + ("sain" if ok else "PROBLÈME"))
        print(f"  intégrité SQLite : {report['integrity']} ; FTS5 : présent")
        for key, value in stats.counts.items():
            print(f"  {COUNT_LABELS.get(key, key)} : {value}")
        from qpvdesk.content.dates import format_partial_date_fr
        from qpvdesk.vocabulary import CONFIDENCES

        confidence = ", ".join(f"{CONFIDENCES.get(k, k)} : {v}" for k, v in stats.facts_by_confidence.items())
        newest = stats.newest_information_date
        print(f"  faits par confiance : {confidence}")
        print(f"  information la plus récente : {format_partial_date_fr(newest) if newest else 'inconnue'}")
        if organisations:
            from qpvdesk.organisations.check_text import check_lines

            print("\n".join(check_lines(organisations)))
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
    from qpvdesk.service import CatalogueService

    result = CatalogueService(catalogue).search(args.text, limit=args.limit)  # the window's search, lookup included
    if args.json:
        _print_json(
            {
                "query": result.query,
                "corrections": result.corrections,
                "notice": result.notice,
                "partial": result.partial,
                "truncated": result.truncated,
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
        for h in result.hits:
            print(f"{h.id}\t{h.group}\t{h.title}")
    return EXIT_OK


def cmd_list(args) -> int:
    from qpvdesk.vocabulary import KINDS

    catalogue = _open_catalogue(args)
    if catalogue is None:
        return EXIT_FAIL
    if args.kind and args.kind not in KINDS:
        known = ", ".join(sorted(KINDS))
        print(f"Erreur : type inconnu « {args.kind} ». Types possibles : {known}.", file=sys.stderr)
        return EXIT_USAGE
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
        print(f"Impossible d'écrire {target} : {french_reason(exc)}", file=sys.stderr)
        return EXIT_FAIL
    print(f"PDF écrit : {target} ({len(parts)} fiche(s), {pages} page(s))")
    return EXIT_OK


# --- local partners (user database, issue 7) ------------------------------------------------


def _open_user_data(args):
    """The user database, checked against the catalogue when it can be opened (else nothing is checked)."""
    from qpvdesk.userdata import catalogue_refs, open_user_data
    from qpvdesk.userdata.messages import UserDataError

    refs = None
    try:
        from qpvdesk.catalogue import Catalogue, CatalogueError
        from qpvdesk.paths import catalogue_path

        catalogue = Catalogue(Path(args.catalogue) if args.catalogue else catalogue_path())
        refs = catalogue_refs(catalogue)
        catalogue.close()
    except CatalogueError as exc:
        print(f"Attention : catalogue indisponible, communes et programmes non vérifiés ({exc})", file=sys.stderr)
    try:
        data = open_user_data(refs=refs)
    except UserDataError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return None
    for message in data.startup.messages:
        print(f"Attention : {message}", file=sys.stderr)
    return data


def cmd_partners_list(args) -> int:
    data = _open_user_data(args)
    if data is None:
        return EXIT_FAIL
    with data:
        partners = data.list_partners()
    if args.json:
        _print_json({"count": len(partners), "partners": [p.to_json() for p in partners]})
    else:
        for p in partners:
            print(f"{p.uid}\t{p.kind_label}\t{p.name}\t{p.commune}")
        print(f"{len(partners)} partenaire(s) local(aux)")
    return EXIT_OK


def cmd_partners_export(args) -> int:
    from qpvdesk.userdata.messages import UserDataError

    data = _open_user_data(args)
    if data is None:
        return EXIT_FAIL
    path = Path(args.file)
    file_format = args.format or ("json" if path.suffix.lower() == ".json" else "csv")
    try:
        with data:
            count = data.export_partners(path, file_format)
    except (UserDataError, OSError) as exc:
        print(f"Erreur : export impossible : {french_reason(exc)}", file=sys.stderr)
        return EXIT_FAIL
    print(f"{count} partenaire(s) local(aux) exporté(s) dans {path} ({file_format.upper()})")
    return EXIT_OK


def cmd_partners_import(args) -> int:
    from qpvdesk.userdata.messages import UserDataError

    data = _open_user_data(args)
    if data is None:
        return EXIT_FAIL
    try:
        with data:
            report = data.import_partners(Path(args.file), dry_run=args.dry_run)
    except UserDataError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return EXIT_FAIL
    for line in report.details():
        print(line, file=sys.stderr)
    if not report.ok:
        print("Rien n'a été modifié.", file=sys.stderr)
        return EXIT_FAIL
    if args.dry_run:
        print(f"Essai (rien n'est modifié) : {report.summary()}")
    else:
        done = "importé" if report.applied else "rien à importer"
        print(f"{done.capitalize()} : {report.summary()}")
    return EXIT_OK


# --- favourites and notes (issue 6, exchanged by file as issue 7 asks) ------------------------


def _personal_exchange(args, what: str) -> int:
    """`qpvdesk favourites|notes export FILE` and `… import FILE [--dry-run]` (JSON files)."""
    data = _open_user_data(args)
    if data is None:
        return EXIT_FAIL
    path = Path(args.file)
    label = "favori(s) exporté(s)" if what == "favourites" else "note(s) exportée(s)"
    try:
        with data:
            if args.exchange_command == "export":
                count = data.export_favourites(path) if what == "favourites" else data.export_notes(path)
                print(f"{count} {label} dans {path}")
                return EXIT_OK
            dry_run = args.dry_run
            report = (data.import_favourites(path, dry_run=dry_run) if what == "favourites"
                      else data.import_notes(path, dry_run=dry_run))
    except Exception as exc:  # noqa: BLE001 - UserDataError (French) or a disk error
        print(f"Erreur : {french_reason(exc)}", file=sys.stderr)
        return EXIT_FAIL
    if report.file_error:
        print(f"{report.summary()}\nRien n'a été modifié.", file=sys.stderr)
        return EXIT_FAIL
    print(("Essai (rien n'est modifié) : " if dry_run else "Importé : ") + report.summary())
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    install_french_argparse()
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
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("search", help="recherche")
    p.add_argument("text", metavar="TEXTE")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=20, metavar="NOMBRE")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("export-pdf", help="exporte une ou plusieurs fiches en PDF (A4)")
    p.add_argument("ids", nargs="+", metavar="ID", help="identifiants (plusieurs : un dossier de formation)")
    p.add_argument("file", metavar="FICHIER.pdf")
    p.set_defaults(func=cmd_export_pdf)

    p = sub.add_parser("list", help="liste les entités")
    p.add_argument("--kind")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("partners", help="partenaires ajoutés localement (vos données)")
    partners = p.add_subparsers(dest="partners_command", required=True, metavar="list|export|import")
    q = partners.add_parser("list", help="liste les partenaires locaux")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_partners_list)
    q = partners.add_parser("export", help="exporte les partenaires locaux (CSV pour Excel, ou JSON)")
    q.add_argument("file")
    q.add_argument("--format", choices=("csv", "json"), help="défaut : d'après l'extension du fichier, sinon csv")
    q.set_defaults(func=cmd_partners_export)
    q = partners.add_parser("import", help="importe un fichier CSV ou JSON de partenaires (rapport d'abord)")
    q.add_argument("file")
    q.add_argument("--dry-run", action="store_true", help="affiche le rapport sans rien modifier")
    q.set_defaults(func=cmd_partners_import)

    for what, help_text, file_help in (("favourites", "vos favoris (fichier JSON à partager)", "favoris.json"),
                                      ("notes", "vos notes personnelles (fichier JSON)", "notes.json")):
        p = sub.add_parser(what, help=help_text)
        exchange = p.add_subparsers(dest="exchange_command", required=True, metavar="export|import")
        q = exchange.add_parser("export", help="écrit le fichier")
        q.add_argument("file", metavar=file_help.upper())
        q.set_defaults(func=lambda args, w=what: _personal_exchange(args, w))
        q = exchange.add_parser("import", help="ajoute le contenu du fichier (rien n'est écrasé)")
        q.add_argument("file", metavar=file_help.upper())
        q.add_argument("--dry-run", action="store_true", help="affiche le rapport sans rien modifier")
        q.set_defaults(func=lambda args, w=what: _personal_exchange(args, w))
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command:
        # subcommand options may also be given before the subcommand
        try:
            return args.func(args)
        except BrokenPipeError:
            # `qpvdesk search … | head`: the reader left; stay quiet (Python's documented recipe)
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_FAIL
    return _start_window(args)


def _start_window(args) -> int:
    from qpvdesk.display_check import display_problem, missing_library_message

    problem = display_problem()
    if problem is not None:
        print(f"Erreur : {problem}", file=sys.stderr)
        return EXIT_FAIL
    try:
        from qpvdesk.ui.app import run_gui
    except ImportError as exc:
        print(f"Erreur : {missing_library_message(exc)}", file=sys.stderr)
        return EXIT_FAIL
    return run_gui(smoke=args.smoke, catalogue=args.catalogue)
