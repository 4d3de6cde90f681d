"""`qpvdesk catalogue …`: signed catalogue updates by file (issue 16 §3), for publishers and users."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

EXIT_OK, EXIT_FAIL = 0, 1


def _out(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _fail(message: str) -> int:
    print(f"Erreur : {message}", file=sys.stderr)
    return EXIT_FAIL


def cmd_keygen(args) -> int:
    from qpvdesk.updates import UpdateRefused
    from qpvdesk.updates.keys import key_id, keygen, load_public_key

    try:
        private, public = keygen(Path(args.prefix), args.name or Path(args.prefix).name)
    except (UpdateRefused, OSError) as exc:
        return _fail(str(exc))
    key = load_public_key(public)
    print(f"Clé privée : {private} (gardez-la secrète et sauvegardée : elle seule signe vos catalogues)")
    print(f"Clé publique : {public} (à donner aux utilisateurs ; identifiant {key_id(key.raw)})")
    return EXIT_OK


def cmd_pack(args) -> int:
    from qpvdesk.updates import UpdateRefused
    from qpvdesk.updates.install import shipped_catalogue
    from qpvdesk.updates.package import pack

    source = Path(args.source or args.catalogue or shipped_catalogue())
    try:
        manifest = pack(Path(args.out), Path(args.key), source, args.version)
    except UpdateRefused as exc:
        return _fail(str(exc))
    except OSError as exc:
        from qpvdesk.errors import french_reason

        return _fail(f"paquet non écrit : {french_reason(exc)}")
    print(f"Paquet écrit : {args.out} (version {manifest['version']}, {manifest['counts']['entities']} fiches, "
          f"information la plus récente {manifest['newest_information_date']}, signé par {manifest['signer_name']})")
    return EXIT_OK


def cmd_trust(args) -> int:
    from qpvdesk.updates import UpdateRefused
    from qpvdesk.updates.keys import trust

    try:
        key, added = trust(Path(args.file))
    except (UpdateRefused, OSError) as exc:
        return _fail(str(exc))
    if added:
        print(f"Clé ajoutée : « {key.name} » ({key.key_id}). Les catalogues qu'elle signe pourront être installés.")
    else:
        print(f"Cette clé est déjà de confiance : « {key.name} » ({key.key_id}, {key.origin}).")
    return EXIT_OK


def _user_entity_ids() -> tuple[list[str], list[str]]:
    """Ids of the user's notes and favourites, only if the user database already exists (never created here)."""
    from qpvdesk.userdata import location, open_user_data

    if not (location.user_dir() / location.DB_NAME).is_file():
        return [], []
    try:
        with open_user_data(backup=False) as data:
            return [n.entity_id for n in data.list_notes()], [f.entity_id for f in data.list_favourites()]
    except Exception as exc:  # noqa: BLE001 - the update does not need them; say so
        print(f"Attention : vos notes n'ont pas pu être lues ({exc}).", file=sys.stderr)
        return [], []


def cmd_install(args) -> int:
    from qpvdesk.updates import UpdateRefused
    from qpvdesk.updates.install import install
    from qpvdesk.updates.whatsnew import inspector, manifest_lines

    notes, favourites = _user_entity_ids()
    try:
        report = install(Path(args.file), dry_run=args.dry_run, inspect=inspector(notes, favourites))
    except UpdateRefused as exc:
        return _fail(str(exc))
    except OSError as exc:
        from qpvdesk.errors import french_reason

        return _fail(f"installation impossible, rien n'a été modifié : {french_reason(exc)}")
    package = report.package
    if args.json:
        _out({"installed": not args.dry_run, "manifest": package.manifest, "signer": package.signer.name,
              "path": str(report.installed_path) if report.installed_path else None, "whats_new": report.details.to_json()})
        return EXIT_OK
    print("Essai (rien n'est modifié) : le paquet est valide." if args.dry_run else "Catalogue installé.")
    print("\n".join(manifest_lines(package.manifest, package.signer.name, package.signer.origin)))
    print("Quoi de neuf :")
    print("\n".join(f"  {line}" for line in report.details.lines()))
    for warning in report.warnings:
        print(f"Attention : {warning}", file=sys.stderr)
    if not args.dry_run:
        print("Il est utilisé dès la prochaine ouverture de qpvdesk. "
              "Pour revenir au catalogue livré : qpvdesk catalogue rollback")
    return EXIT_OK


def cmd_status(args) -> int:
    from qpvdesk.updates.install import status
    from qpvdesk.updates.whatsnew import status_lines

    current = status()
    if args.json:
        _out(current)
    else:
        print("\n".join(status_lines(current)))
    return EXIT_OK


def cmd_rollback(args) -> int:
    from qpvdesk.updates.install import rollback

    try:
        manifest = rollback()
    except OSError as exc:
        from qpvdesk.errors import french_reason

        return _fail(f"retour impossible : {french_reason(exc)}")
    if manifest is None:
        print("Aucune mise à jour installée : le catalogue livré avec l'application est déjà utilisé.")
    else:
        print(f"Mise à jour {manifest.get('version', '')} retirée : le catalogue livré avec l'application est utilisé "
              "dès la prochaine ouverture.".replace("  ", " "))
    return EXIT_OK


def _readable_catalogue(path: Path, scratch: Path) -> Path:
    """A .qpvcat is verified (signature, hashes) and expanded first; a .sqlite is used as is."""
    from qpvdesk.updates.package import MAGIC, extract, verify_header

    with open(path, "rb") as f:
        if f.read(len(MAGIC)) != MAGIC:
            return path
    package, offset = verify_header(path)
    target = scratch / f"{len(list(scratch.iterdir()))}.sqlite"
    extract(package, offset, target)
    return target


def cmd_diff(args) -> int:
    from qpvdesk.updates import UpdateRefused
    from qpvdesk.updates.diff import diff_catalogues

    try:
        with tempfile.TemporaryDirectory(prefix="qpvdesk-diff-") as scratch:
            old = _readable_catalogue(Path(args.old), Path(scratch))
            new = _readable_catalogue(Path(args.new), Path(scratch))
            result = diff_catalogues(old, new)
    except UpdateRefused as exc:
        return _fail(str(exc))
    except OSError as exc:
        from qpvdesk.errors import french_reason

        return _fail(french_reason(exc))
    if args.json:
        _out(result.to_json())
    else:
        print("\n".join(result.summary_lines(limit=args.limit)))
    return EXIT_OK


def register(sub) -> None:
    """Add `catalogue` and its verbs to the main parser's subcommands (called from cli.build_parser)."""
    p = sub.add_parser("catalogue", help="mises à jour du catalogue par fichier signé (.qpvcat)")
    verbs = p.add_subparsers(dest="catalogue_command", required=True,
                             metavar="status|install|rollback|diff|trust|keygen|pack")
    q = verbs.add_parser("status", help="quel catalogue est utilisé (livré ou installé), version, dates, signataire")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_status)
    q = verbs.add_parser("install", help="installe un catalogue signé (.qpvcat) pour cet utilisateur")
    q.add_argument("file", metavar="FICHIER.qpvcat")
    q.add_argument("--dry-run", action="store_true", help="vérifie et montre les nouveautés sans rien modifier")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_install)
    q = verbs.add_parser("rollback", help="revient au catalogue livré avec l'application")
    q.set_defaults(func=cmd_rollback)
    q = verbs.add_parser("diff", help="fiches et faits ajoutés, modifiés, retirés entre deux catalogues (.sqlite ou .qpvcat)")
    q.add_argument("old", metavar="ANCIEN")
    q.add_argument("new", metavar="NOUVEAU")
    q.add_argument("--json", action="store_true")
    q.add_argument("--limit", type=int, default=20, metavar="NOMBRE", help="noms montrés par liste (défaut 20)")
    q.set_defaults(func=cmd_diff)
    q = verbs.add_parser("trust", help="fait confiance à la clé publique d'un éditeur (pour vous seul)")
    q.add_argument("file", metavar="FICHIER.pub")
    q.set_defaults(func=cmd_trust)
    q = verbs.add_parser("keygen", help="éditeurs : crée une paire de clés Ed25519 (PREFIXE.key, PREFIXE.pub)")
    q.add_argument("prefix", metavar="PREFIXE")
    q.add_argument("--name", help="nom de l'éditeur montré aux utilisateurs (défaut : PREFIXE)")
    q.set_defaults(func=cmd_keygen)
    q = verbs.add_parser("pack", help="éditeurs : écrit un paquet signé du catalogue")
    q.add_argument("out", metavar="SORTIE.qpvcat")
    q.add_argument("--key", required=True, metavar="PREFIXE.key")
    q.add_argument("--version", metavar="V", help="nombres séparés par des points (défaut : AAAA.MM.JJ.HHMM)")
    q.add_argument("--catalogue", dest="source", metavar="CHEMIN", help="catalogue à empaqueter (défaut : data.sqlite livré)")
    q.set_defaults(func=cmd_pack)
