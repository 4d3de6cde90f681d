"""`qpvdesk favourites|notes export|import`: your favourites and notes, exchanged as JSON files (issues 6 and 7)."""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from qpvdesk.cli.common import EXIT_FAIL, EXIT_OK, with_user_data
from qpvdesk.errors import french_reason
from qpvdesk.french import plural

if TYPE_CHECKING:
    from qpvdesk.userdata.store import UserData


def register(sub: argparse._SubParsersAction) -> None:
    for what, help_text, file_help in (("favourites", "vos favoris (fichier JSON à partager)", "favoris.json"),
                                      ("notes", "vos notes personnelles (fichier JSON)", "notes.json")):
        p = sub.add_parser(what, help=help_text)
        verbs = p.add_subparsers(dest="exchange_command", required=True, metavar="export|import")
        verb = functools.partial(exchange, what=what)
        q = verbs.add_parser("export", help="écrit le fichier")
        q.add_argument("file", metavar=file_help.upper())
        q.set_defaults(func=verb)
        q = verbs.add_parser("import", help="ajoute le contenu du fichier (rien n'est écrasé)")
        q.add_argument("file", metavar=file_help.upper())
        q.add_argument("--dry-run", action="store_true", help="affiche le rapport sans rien modifier")
        q.set_defaults(func=verb)


@with_user_data
def exchange(args: argparse.Namespace, data: UserData, what: str) -> int:
    """`qpvdesk favourites|notes export FILE` and `… import FILE [--dry-run]` (JSON files)."""
    path = Path(args.file)
    one, many = ("favori exporté", "favoris exportés") if what == "favourites" else ("note exportée", "notes exportées")
    dry_run = getattr(args, "dry_run", False)
    try:
        if args.exchange_command == "export":
            count = data.export_favourites(path) if what == "favourites" else data.export_notes(path)
            print(f"{plural(count, one, many)} dans {path}")
            return EXIT_OK
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
