"""`qpvdesk build-data`: compile resources/ into data.sqlite (from the project's sources only)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from qpvdesk.cli.common import EXIT_FAIL, EXIT_OK
from qpvdesk.errors import french_reason
from qpvdesk.french import plural


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build-data", help="compile resources/ en data.sqlite")
    p.add_argument("--dry-run", action="store_true", help="valide le contenu sans rien écrire")
    p.add_argument("--resources", help="dossier resources/ à compiler")
    p.add_argument("--output", help="fichier à écrire (défaut : data.sqlite du dépôt)")
    p.set_defaults(func=cmd_build_data)


def cmd_build_data(args: argparse.Namespace) -> int:
    try:
        from qpvdesk.build.content.build import build_catalogue, load_checked_content
    except ImportError as exc:
        if exc.name == "yaml":  # the sources installed without the « build » extra
            print("Erreur : PyYAML, qui lit resources/content/*.yaml, n'est pas installé ; installez le groupe "
                  "« build » : pip install -e \".[build]\". Rien n'a été construit.", file=sys.stderr)
            return EXIT_FAIL
        # the installed app leaves the build out (build.spec, BUILD_ONLY)
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
