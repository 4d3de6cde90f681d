"""Command line: the GUI by default, and the same core functions for scripts and trainers.

Where a new verb goes: a module of this package with a `register(sub)` function that adds its sub-parser(s) and
sets `func` (a function `args -> exit code`), then one entry in VERB_FAMILIES below. The verb modules import
neither Qt nor SQLAlchemy at the top (the parser is built before every command): import them inside the verb.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from qpvdesk import __version__
from qpvdesk.cli import build_data, catalogue_updates, catalogue_verbs, fiches, partners, personal, team
from qpvdesk.cli.argparse_fr import install as install_french_argparse
from qpvdesk.cli.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE
from qpvdesk.cli.text import clean_text_arguments, never_fail_on_output
from qpvdesk.errors import french_reason

__all__ = ["EXIT_FAIL", "EXIT_OK", "EXIT_USAGE", "VERB_FAMILIES", "build_parser", "main"]

# Each family adds its verbs to `qpvdesk --help`, in this order. A new family: one line here.
VERB_FAMILIES: list[Callable[[argparse._SubParsersAction], None]] = [
    build_data.register,  # build-data
    catalogue_verbs.register,  # check, show, search, export-pdf, list
    fiches.register,  # export-diagram, chronology
    partners.register,  # partners list|export|import
    personal.register,  # favourites|notes export|import
    catalogue_updates.register,  # catalogue keygen|pack|trust|install|status|rollback|diff (signed files)
    team.register,  # team init|add-member|join|status|sync|conflicts|resolve|share-note|leave (PostgreSQL)
]


def build_parser() -> argparse.ArgumentParser:
    install_french_argparse()
    parser = argparse.ArgumentParser(prog="qpvdesk", description="Explorateur hors ligne de la politique de la ville.")
    parser.add_argument("--version", action="version", version=f"qpvdesk {__version__}", help="affiche la version et quitte")
    parser.add_argument("--smoke", action="store_true", help="ouvre la fenêtre, attend le chargement, quitte (test)")
    parser.add_argument("--catalogue", help="chemin d'un autre data.sqlite")
    sub = parser.add_subparsers(dest="command")
    for register in VERB_FAMILIES:
        register(sub)
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


def _start_window(args: argparse.Namespace) -> int:
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
