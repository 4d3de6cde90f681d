"""`qpvdesk partners list|export|import`: the local partners of your own database (issue 7)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from qpvdesk.cli.common import EXIT_FAIL, EXIT_OK, print_json, with_user_data
from qpvdesk.errors import french_reason
from qpvdesk.french import plural

if TYPE_CHECKING:
    from qpvdesk.userdata.store import UserData


def register(sub: argparse._SubParsersAction) -> None:
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


@with_user_data
def cmd_partners_list(args: argparse.Namespace, data: UserData) -> int:
    partners = data.list_partners()
    if args.json:
        print_json({"count": len(partners), "partners": [p.to_json() for p in partners]})
    else:
        for p in partners:
            print(f"{p.uid}\t{p.kind_label}\t{p.name}\t{p.commune}")
        print(plural(len(partners), "partenaire local", "partenaires locaux"))
    return EXIT_OK


def cmd_partners_export(args: argparse.Namespace) -> int:
    from qpvdesk.userdata.messages import Msg

    path = Path(args.file)
    file_format = args.format or {".json": "json", ".csv": "csv", ".txt": "csv"}.get(path.suffix.lower())
    if file_format is None:  # e.g. « x.xlsx »: CSV bytes under that name would not open in Excel
        print(f"Erreur : export impossible : {Msg.EXPORT_FORMAT.format(suffix=path.suffix or 'sans extension')}",
              file=sys.stderr)
        return EXIT_FAIL
    return _export_partners(args, path, file_format)  # the format is checked before the database is opened


@with_user_data
def _export_partners(args: argparse.Namespace, data: UserData, path: Path, file_format: str) -> int:
    from qpvdesk.userdata.exchange import MAX_ROWS
    from qpvdesk.userdata.messages import Msg, UserDataError

    try:
        count = data.export_partners(path, file_format)
    except (UserDataError, OSError) as exc:
        print(f"Erreur : export impossible : {french_reason(exc)}", file=sys.stderr)
        return EXIT_FAIL
    print(f"{plural(count, 'partenaire local exporté', 'partenaires locaux exportés')} dans {path} ({file_format.upper()})")
    if count > MAX_ROWS:
        print(f"Attention : {Msg.EXPORT_OVER_IMPORT_LIMIT.format(limit=MAX_ROWS)}", file=sys.stderr)
    return EXIT_OK


@with_user_data
def cmd_partners_import(args: argparse.Namespace, data: UserData) -> int:
    from qpvdesk.userdata.messages import UserDataError

    try:
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
