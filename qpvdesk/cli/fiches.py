"""Command-line verbs about fiches as wholes: `export-diagram` (« Schéma ») and `chronology` (« Chronologie »)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qpvdesk.cli.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE, print_json, with_catalogue
from qpvdesk.errors import french_reason


def cmd_export_diagram(args: argparse.Namespace) -> int:
    target = Path(args.file)
    if target.suffix.lower() not in (".svg", ".png", ".pdf"):
        print(f"Erreur : format inconnu « {target.suffix or '(aucune extension)'} » pour {target} : "
              "choisissez un nom en .svg, .png ou .pdf.", file=sys.stderr)
        return EXIT_USAGE
    return _export_diagram(args)


@with_catalogue
def _export_diagram(args: argparse.Namespace, catalogue) -> int:
    from qpvdesk.diagram import WHOLE_TREE_ID, around, whole_tree
    from qpvdesk.resolve import resolve_id
    from qpvdesk.service import CatalogueService

    target = Path(args.file)

    service = CatalogueService(catalogue)
    if args.id == WHOLE_TREE_ID:
        diagram = whole_tree(service.tree()[:2])  # the State and the agencies: the first two groups of the tree
    else:
        entity_id = resolve_id(catalogue, args.id)
        detail = service.entity(entity_id) if entity_id else None
        if detail is None:
            print(f"Aucune fiche pour « {args.id} » : rien n'a été écrit. "
                  f"(« {WHOLE_TREE_ID} » : le schéma de l'État et de ses agences.)", file=sys.stderr)
            return EXIT_FAIL
        diagram = around(detail)
    if target.suffix.lower() == ".svg":
        from qpvdesk.diagram_svg import diagram_svg
        from qpvdesk.filewrite import naming_target, real_target

        try:
            with naming_target(target):
                real_target(target).write_text(diagram_svg(diagram), encoding="utf-8")
        except OSError as exc:
            print(f"Impossible d'écrire {target} : {french_reason(exc)}", file=sys.stderr)
            return EXIT_FAIL
    else:
        from qpvdesk.ui.diagram_export import export_diagram_headless

        try:
            export_diagram_headless(diagram, target)
        except OSError as exc:
            print(f"Impossible d'écrire {target} : {french_reason(exc)}", file=sys.stderr)
            return EXIT_FAIL
    boxes = sum(1 for n in diagram.nodes if n.entity_id)
    print(f"Schéma écrit : {target} ({boxes} fiches, {len(diagram.edges)} flèches)")
    return EXIT_OK


def cmd_chronology(args: argparse.Namespace) -> int:
    from qpvdesk.chronology import THEME_ORDER

    if args.theme and args.theme not in THEME_ORDER:
        print(f"Erreur : thème inconnu « {args.theme} ». Thèmes possibles : {', '.join(THEME_ORDER)}.", file=sys.stderr)
        return EXIT_USAGE
    return _chronology(args)


@with_catalogue
def _chronology(args: argparse.Namespace, catalogue) -> int:
    from qpvdesk.dates import format_partial_date_fr
    from qpvdesk.service import CatalogueService

    events = [e for e in CatalogueService(catalogue).chronology() if not args.theme or e.theme == args.theme]
    if args.json:
        print_json({"count": len(events), "events": [e.to_json() for e in events]})
        return EXIT_OK
    for e in events:
        cited = "; ".join(dict.fromkeys(s.publisher for s in e.sources))
        print(f"{format_partial_date_fr(e.date)}\t{e.title} ({e.id}) [source : {cited}]")
    print(f"{len(events)} événements datés.")
    return EXIT_OK


def register(sub) -> None:
    """export-diagram, chronology."""
    p = sub.add_parser("export-diagram", help="écrit le schéma des acteurs d'une fiche (SVG, PNG ou PDF)")
    p.add_argument("id", metavar="ID", help="identifiant d'une fiche, ou « qui-fait-quoi » (l'État et ses agences)")
    p.add_argument("file", metavar="FICHIER.svg|png|pdf")
    p.set_defaults(func=cmd_export_diagram)

    p = sub.add_parser("chronology", help="chronologie de la politique de la ville (lois, programmes, géographies…)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--theme", metavar="THÈME", help="Lois, Géographie prioritaire, Programmes et dispositifs, "
                   "Institutions ou Comités interministériels")
    p.set_defaults(func=cmd_chronology)

