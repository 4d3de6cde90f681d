"""`qpvdesk team …`: the team database from the command line (same functions as Fichier › Base d'équipe…).

The password is never an option (it would stay in the shell history): it comes from the URL given to `join` or
`init` once, the system keyring, libpq's PGPASSWORD / ~/.pgpass, or a prompt.
"""

from __future__ import annotations

import getpass
import json
import sys

from qpvdesk.errors import TeamError, UserDataError
from qpvdesk.french import plural

EXIT_OK, EXIT_FAIL = 0, 1


def register(sub) -> None:  # noqa: ANN001 - argparse's subparsers
    p = sub.add_parser("team", help="base d'équipe partagée sur un serveur PostgreSQL")
    team = p.add_subparsers(dest="team_command", required=True,
                            metavar="init|add-member|join|status|sync|conflicts|resolve|share-note|leave")
    q = team.add_parser("init", help="(administrateur) crée ou met à jour la base d'équipe et le rôle des membres")
    q.add_argument("url", metavar="ADRESSE", help="postgresql://administrateur@serveur/base[?sslmode=verify-full]")
    q.set_defaults(func=cmd_init)
    q = team.add_parser("add-member", help="(administrateur) crée l'identifiant d'une personne (mot de passe demandé)")
    q.add_argument("url", metavar="ADRESSE")
    q.add_argument("login", metavar="IDENTIFIANT")
    q.set_defaults(func=cmd_add_member)
    q = team.add_parser("join", help="rejoint une base d'équipe (vos données locales restent la copie de travail)")
    q.add_argument("url", metavar="ADRESSE", help="postgresql://identifiant@serveur/base[?sslmode=verify-full]")
    q.add_argument("--name", required=True, metavar="\"Prénom Nom\"", help="votre nom, tel que l'équipe le verra")
    q.add_argument("--share-existing", action="store_true",
                   help="envoie aussi vos partenaires et notes déjà saisis (sans cette option : rapport seulement)")
    q.set_defaults(func=cmd_join)
    q = team.add_parser("status", help="connecté ou hors ligne, modifications en attente, dernière synchronisation")
    q.add_argument("--json", action="store_true")
    q.add_argument("--offline", action="store_true", help="sans essayer de joindre le serveur")
    q.set_defaults(func=cmd_status)
    q = team.add_parser("sync", help="envoie vos modifications en attente puis reçoit celles de l'équipe")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_sync)
    q = team.add_parser("conflicts", help="partenaires modifiés par deux personnes : les deux versions")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_conflicts)
    q = team.add_parser("resolve", help="règle un conflit : garder votre version ou celle de l'équipe")
    q.add_argument("id", type=int, metavar="N")
    q.add_argument("--keep", required=True, choices=("mine", "theirs"))
    q.set_defaults(func=cmd_resolve)
    q = team.add_parser("share-note", help="partage votre note sur une fiche avec l'équipe (ou la rend privée)")
    q.add_argument("entity_id", metavar="FICHE")
    q.add_argument("--private", action="store_true", help="la note redevient privée")
    q.set_defaults(func=cmd_share_note)
    q = team.add_parser("leave", help="quitte la base d'équipe (votre copie locale reste)")
    q.set_defaults(func=cmd_leave)


def _error(message: str) -> int:
    print(f"Erreur : {message}", file=sys.stderr)
    return EXIT_FAIL


def _ask_password(login: str) -> str | None:
    if not sys.stdin.isatty():
        return None
    return getpass.getpass(f"Mot de passe de « {login} » sur le serveur d'équipe : ") or None


def _with_password(action, login: str):  # noqa: ANN001
    """Run action(password): first without (keyring, PGPASSWORD, ~/.pgpass), then, if the server asks for a password
    and someone is at the keyboard, with the typed one."""
    try:
        return action(None)
    except TeamError as exc:
        if exc.offline or "mot de passe" not in str(exc).lower():
            raise
        typed = _ask_password(login)
        if typed is None:
            raise
        return action(typed)


def _open():
    from qpvdesk.userdata import open_user_data

    return open_user_data()


def cmd_init(args) -> int:
    from qpvdesk.team.server import init_server, parse_url

    login = parse_url(args.url).username or ""
    try:
        before, after = _with_password(lambda pw: init_server(args.url, pw), login)
    except TeamError as exc:
        return _error(str(exc))
    if before == after:
        print(f"Base d'équipe déjà à jour (version {after}) ; droits du rôle des membres vérifiés.")
    else:
        print(f"Base d'équipe {'créée' if before is None else f'mise à jour depuis la version {before}'} "
              f"(version {after}) ; rôle des membres : qpvdesk_membre.")
    return EXIT_OK


def cmd_add_member(args) -> int:
    from qpvdesk.team.server import add_member, parse_url

    if sys.stdin.isatty():
        secret = getpass.getpass(f"Mot de passe à donner à « {args.login} » : ")
        if secret != getpass.getpass("Le même, une seconde fois : "):
            return _error("les deux mots de passe diffèrent : rien n'a été créé.")
    else:
        secret = sys.stdin.readline().rstrip("\n")
    if len(secret) < 8:
        return _error("mot de passe trop court (8 caractères au moins) : rien n'a été créé.")
    try:
        _with_password(lambda pw: add_member(args.url, args.login, secret, pw), parse_url(args.url).username or "")
    except TeamError as exc:
        return _error(str(exc))
    print(f"Identifiant « {args.login} » prêt : la personne lance « qpvdesk team join » avec son adresse.")
    return EXIT_OK


def cmd_join(args) -> int:
    from qpvdesk.team.membership import join
    from qpvdesk.team.server import parse_url

    try:
        login = parse_url(args.url).username or ""
        with _open() as data:
            report = _with_password(lambda pw: join(data, args.url, args.name, pw, args.share_existing), login)
    except (TeamError, UserDataError) as exc:
        return _error(str(exc))
    print(f"Base d'équipe rejointe : {report.url} (identifiant {report.login}).")
    print(f"Vos données locales : {plural(report.local_partners, 'partenaire', 'partenaires')}.")
    if report.duplicates:
        print(f"Déjà dans la base d'équipe (même nom et commune, rien n'est écrasé) : {', '.join(report.duplicates[:20])}"
              + (" …" if len(report.duplicates) > 20 else ""))
    if args.share_existing:
        print(f"{plural(report.queued, 'élément mis', 'éléments mis')} en attente d'envoi : « qpvdesk team sync ».")
    elif report.local_partners:
        print("Rien n'est envoyé de vos données déjà saisies ; pour les partager : relancez avec --share-existing.")
    print("Mot de passe gardé dans le trousseau du système." if report.password_kept
          else "Mot de passe non enregistré : il sera demandé à chaque synchronisation.")
    return EXIT_OK


def cmd_status(args) -> int:
    from qpvdesk.team.membership import status

    try:
        with _open() as data:
            shown = status(data, probe=not args.offline)
    except UserDataError as exc:
        return _error(str(exc))
    if args.json:
        print(json.dumps(shown.to_json(), ensure_ascii=False, indent=2))
        return EXIT_OK
    if not shown.joined:
        print("Pas de base d'équipe : « qpvdesk team join ADRESSE --name \"Prénom Nom\" ».")
        return EXIT_OK
    print(f"Base d'équipe : {shown.url} — {shown.name} ({shown.login})")
    print(f"État : {shown.state}" + (f" — {shown.problem}" if shown.problem else ""))
    print(f"{plural(shown.pending, 'modification', 'modifications')} en attente d'envoi")
    print(f"Dernière synchronisation : {shown.last_sync or 'jamais'}")
    if shown.conflicts:
        print(f"{plural(shown.conflicts, 'conflit', 'conflits')} à régler : « qpvdesk team conflicts ».")
    return EXIT_OK


def cmd_sync(args) -> int:
    from qpvdesk.team import settings as team_settings
    from qpvdesk.team.membership import status
    from qpvdesk.team.sync import sync

    try:
        with _open() as data:
            setup = team_settings.load(data)
            try:
                report = _with_password(lambda pw: sync(data, pw), setup.login if setup else "")
            except TeamError as exc:
                pending = status(data, probe=False).pending
                return _error(f"{exc} {plural(pending, 'modification', 'modifications')} en attente, gardées ici.")
    except UserDataError as exc:
        return _error(str(exc))
    if args.json:
        print(json.dumps({"envoyés": {"partenaires": report.sent_partners, "notes": report.sent_notes},
                          "reçus": {"partenaires": report.received_partners, "notes_partagées": report.received_notes},
                          "version": report.version, "conflits": [c.to_json() for c in report.conflicts],
                          "non_envoyés": report.not_sent},
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"Envoyés : {plural(report.sent_partners, 'partenaire', 'partenaires')}, "
          f"{plural(report.sent_notes, 'note', 'notes')}. "
          f"Reçus : {plural(report.received_partners, 'partenaire', 'partenaires')} ; "
          f"{plural(report.received_notes, 'note partagée', 'notes partagées')} de l'équipe.")
    for conflict in report.conflicts:
        _print_conflict(conflict)
    for message in report.not_sent:
        print(message)
    return EXIT_OK


def _print_conflict(conflict) -> None:  # noqa: ANN001
    print(f"Conflit n° {conflict.id} : « {conflict.name} » modifié aussi par {conflict.theirs.get('updated_by') or '?'} "
          f"— la version de l'équipe est en place, la vôtre est gardée :")
    for name, mine, theirs in conflict.differences():
        print(f"  {name} : vous « {mine} » / équipe « {theirs} »")
    print(f"  pour garder la vôtre : qpvdesk team resolve {conflict.id} --keep mine")


def cmd_conflicts(args) -> int:
    from qpvdesk.team.sync import list_conflicts

    try:
        with _open() as data:
            conflicts = list_conflicts(data)
    except UserDataError as exc:
        return _error(str(exc))
    if args.json:
        print(json.dumps([c.to_json() for c in conflicts], ensure_ascii=False, indent=2))
        return EXIT_OK
    for conflict in conflicts:
        _print_conflict(conflict)
    print(plural(len(conflicts), "conflit", "conflits") + " à régler")
    return EXIT_OK


def cmd_resolve(args) -> int:
    from qpvdesk.team.sync import resolve

    try:
        with _open() as data:
            conflict = resolve(data, args.id, keep_mine=args.keep == "mine")
    except UserDataError as exc:
        return _error(str(exc))
    kept = "votre version, envoyée à la prochaine synchronisation" if args.keep == "mine" else "la version de l'équipe"
    print(f"Conflit n° {conflict.id} réglé (« {conflict.name} ») : {kept}.")
    return EXIT_OK


def cmd_share_note(args) -> int:
    from qpvdesk.team.membership import share_note

    try:
        with _open() as data:
            share_note(data, args.entity_id, shared=not args.private)
    except UserDataError as exc:
        return _error(str(exc))
    print("Note redevenue privée." if args.private else "Note partagée avec l'équipe (envoyée à la prochaine synchronisation).")
    return EXIT_OK


def cmd_leave(args) -> int:
    from qpvdesk.team.membership import leave

    try:
        with _open() as data:
            left = leave(data)
    except UserDataError as exc:
        return _error(str(exc))
    if left is None:
        print("Vous n'aviez pas rejoint de base d'équipe.")
        return EXIT_OK
    print("Base d'équipe quittée : vos partenaires et vos notes restent sur ce poste."
          + (f" {plural(left, 'modification non envoyée reste', 'modifications non envoyées restent')} ici seulement."
             if left else ""))
    return EXIT_OK
