"""Command line: the GUI by default, and the same core functions for scripts and trainers."""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from qpvdesk import __version__
from qpvdesk.cli_french import install as install_french_argparse
from qpvdesk.cli_text import clean_text_arguments, never_fail_on_output
from qpvdesk.errors import french_reason
from qpvdesk.french import plural

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _catalogue_file(args) -> Path:
    from qpvdesk.paths import catalogue_path

    return Path(args.catalogue) if args.catalogue else catalogue_path()


def _open_catalogue(args):
    from qpvdesk.catalogue import Catalogue, CatalogueError

    try:
        return Catalogue(_catalogue_file(args))
    except CatalogueError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return None


def _reads_catalogue(verb):
    """A verb reading the catalogue: a damaged page met on the way is a French error, not a traceback."""

    @functools.wraps(verb)
    def run(args) -> int:
        from qpvdesk.catalogue import READ_ERRORS, damaged

        try:
            return verb(args)
        except READ_ERRORS as exc:
            print(f"Erreur : {damaged(_catalogue_file(args), exc)}", file=sys.stderr)
            return EXIT_FAIL

    return run


def cmd_build_data(args) -> int:
    try:
        from qpvdesk.build.content.build import build_catalogue, load_checked_content
    except ImportError:  # the installed app leaves the build out (build.spec, BUILD_ONLY)
        print("Erreur : la construction du catalogue n'est pas incluse dans l'application installée ; lancez "
              "« python -m qpvdesk build-data » depuis les sources du projet.", file=sys.stderr)
        return EXIT_FAIL
    from qpvdesk.errors import BuildError
    from qpvdesk.paths import bundle_dir, resources_dir

    resources = Path(args.resources) if args.resources else resources_dir()
    output = Path(args.output) if args.output else bundle_dir() / "data.sqlite"
    problem = None if args.dry_run else _unwritable_output(output)
    if problem:
        print(f"Erreur : impossible d'écrire le catalogue {output} : {problem}. Rien n'a été construit.", file=sys.stderr)
        return EXIT_FAIL
    try:
        if args.dry_run:
            content = load_checked_content(resources)
            print(f"Contenu valide : {len(content.entities)} entités, {len(content.relations)} relations, "
                  f"{len(content.glossary)} sigles.")
            return EXIT_OK
        report = build_catalogue(resources, output)
    except OSError as exc:  # full disk, rights removed during the build…: the old catalogue stays as it was
        print(f"Erreur : impossible d'écrire le catalogue {output} : {french_reason(exc)}. "
              "Le catalogue existant n'a pas été modifié.", file=sys.stderr)
        return EXIT_FAIL
    except BuildError as exc:
        for error in exc.errors:
            print(f"Erreur : {error}", file=sys.stderr)
        print(f"{plural(len(exc.errors), 'erreur')} : le catalogue n'a pas été modifié.", file=sys.stderr)
        return EXIT_FAIL
    counts = ", ".join(f"{k} {v}" for k, v in report.counts.items())
    print(f"Catalogue écrit : {report.path} ({counts})")
    return EXIT_OK


def _unwritable_output(output: Path) -> str | None:
    """Why the build could not write `output`, found before spending seconds on the build (None: try it)."""
    if output.is_dir():
        return "c'est un dossier, pas un fichier"
    if output.parent.is_dir() and not os.access(output.parent, os.W_OK):
        return "accès refusé (droits insuffisants)"
    return None  # a missing folder is created by the build; one that cannot be is an OSError, caught there


# French labels of `check`'s counts (the JSON keeps the English keys)
COUNT_LABELS = {
    "entities": "fiches",
    "facts": "faits",
    "sources": "sources",
    "relations": "relations de la section F de la fiche de référence (relations.yaml)",
    "measure_relations": "relations comité interministériel → mesure (relations-mesures-civ.yaml)",
    "instrument_relations": "relations des instruments du quotidien (relations-dispositifs.yaml)",
    "territory_relations": "liens territoriaux (sites, communes, QPV)",
    "glossary_terms": "sigles",
    "facts_without_source": "faits sans source",
}


@_reads_catalogue
def cmd_check(args) -> int:
    from qpvdesk.catalogue import READ_ERRORS, Catalogue, CatalogueError, damage_reason, fts5_available

    if not fts5_available():
        print("Erreur : SQLite sans FTS5 (recherche plein texte indisponible).", file=sys.stderr)
        return EXIT_FAIL
    try:
        catalogue = Catalogue(_catalogue_file(args))
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
    if args.json:
        _print_json(report)
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
    return EXIT_OK if ok else EXIT_FAIL


def _report_damaged_check(args, problem: str) -> int:
    """`check` on a file it cannot trust: the verdict and what is wrong, no counts."""
    from qpvdesk.catalogue import REINSTALL

    if REINSTALL not in problem:
        problem = f"{problem}\n{REINSTALL}"
    if args.json:
        _print_json({"ok": False, "integrity": "corrupt", "fts5": True, "problem": problem})
    else:
        print("Catalogue : PROBLÈME")
        for line in problem.splitlines():
            print(f"  {line}")
    return EXIT_FAIL


@_reads_catalogue
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


@_reads_catalogue
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


@_reads_catalogue
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
        print(plural(len(entities), "entité"))
    return EXIT_OK


@_reads_catalogue
def cmd_export_pdf(args) -> int:
    catalogue = _open_catalogue(args)
    if catalogue is None:
        return EXIT_FAIL
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
        names.append(service.names().get(entity_id, entity_id))
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


# --- local partners (user database, issue 7) ------------------------------------------------


def _open_user_data(args):
    """The user database, checked against the catalogue when it can be opened (else nothing is checked)."""
    from qpvdesk.catalogue import READ_ERRORS, Catalogue, CatalogueError, damaged
    from qpvdesk.userdata import catalogue_refs, open_user_data
    from qpvdesk.userdata.messages import UserDataError

    # your own data stays reachable whatever state the catalogue is in: only the checks against it are lost
    refs = None
    path = _catalogue_file(args)
    try:
        catalogue = Catalogue(path)
        try:
            refs = catalogue_refs(catalogue)
        finally:
            catalogue.close()
    except READ_ERRORS as exc:
        print(f"Attention : catalogue indisponible, communes et programmes non vérifiés ({damaged(path, exc)})",
              file=sys.stderr)
    except CatalogueError as exc:
        print(f"Attention : catalogue indisponible, communes et programmes non vérifiés ({exc})", file=sys.stderr)
    try:
        data = open_user_data(refs=refs)
    except UserDataError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return None
    for message in data.startup.messages + ([data.startup.read_only] if data.startup.read_only else []):
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
        print(plural(len(partners), "partenaire local", "partenaires locaux"))
    return EXIT_OK


def cmd_partners_export(args) -> int:
    from qpvdesk.userdata.exchange import MAX_ROWS
    from qpvdesk.userdata.messages import Msg, UserDataError

    path = Path(args.file)
    file_format = args.format or {".json": "json", ".csv": "csv", ".txt": "csv"}.get(path.suffix.lower())
    if file_format is None:  # e.g. « x.xlsx »: CSV bytes under that name would not open in Excel
        print(f"Erreur : export impossible : {Msg.EXPORT_FORMAT.format(suffix=path.suffix or 'sans extension')}",
              file=sys.stderr)
        return EXIT_FAIL
    data = _open_user_data(args)
    if data is None:
        return EXIT_FAIL
    try:
        with data:
            count = data.export_partners(path, file_format)
    except (UserDataError, OSError) as exc:
        print(f"Erreur : export impossible : {french_reason(exc)}", file=sys.stderr)
        return EXIT_FAIL
    print(f"{plural(count, 'partenaire local exporté', 'partenaires locaux exportés')} dans {path} ({file_format.upper()})")
    if count > MAX_ROWS:
        print(f"Attention : {Msg.EXPORT_OVER_IMPORT_LIMIT.format(limit=MAX_ROWS)}", file=sys.stderr)
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
    one, many = ("favori exporté", "favoris exportés") if what == "favourites" else ("note exportée", "notes exportées")
    try:
        with data:
            if args.exchange_command == "export":
                count = data.export_favourites(path) if what == "favourites" else data.export_notes(path)
                print(f"{plural(count, one, many)} dans {path}")
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


def _at_least_one(value: str) -> int:
    """--limit: a whole number of results, 1 or more (0 or -1 used to print hits all the same)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"valeur invalide : nombre entier attendu, pas « {value} »") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"au moins 1 résultat, pas {number}")
    return number


def build_parser() -> argparse.ArgumentParser:
    install_french_argparse()
    parser = argparse.ArgumentParser(prog="qpvdesk", description="Explorateur hors ligne de la politique de la ville.")
    parser.add_argument("--version", action="version", version=f"qpvdesk {__version__}", help="affiche la version et quitte")
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
    p.add_argument("--limit", type=_at_least_one, default=20, metavar="NOMBRE", help="nombre de résultats (1 ou plus)")
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
    never_fail_on_output()
    parser = build_parser()
    args = parser.parse_args(argv)
    clean_text_arguments(args)
    if args.command:
        # subcommand options may also be given before the subcommand
        try:
            return args.func(args)
        except BrokenPipeError:
            # `qpvdesk search … | head`: the reader left; stay quiet (Python's documented recipe)
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_FAIL
        except Exception as exc:  # last resort: one French line, never a traceback
            if os.environ.get("QPVDESK_DEBUG"):
                raise
            print(f"Erreur : {french_reason(exc)} : commande interrompue. "
                  "Pour le détail technique, relancez-la avec QPVDESK_DEBUG=1.", file=sys.stderr)
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
