"""`qpvdesk team …`: the team database from the command line (same functions as Fichier › Base d'équipe…).

The password is never an option (it would stay in the shell history): it comes from the URL given to `join` or
`init` once, the system keyring, libpq's PGPASSWORD / ~/.pgpass, or a prompt.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from qpvdesk.errors import TeamError, UserDataError
from qpvdesk.french import plural

EXIT_OK, EXIT_FAIL = 0, 1


def register(sub) -> None:  # noqa: ANN001 - argparse's subparsers
    p = sub.add_parser("team", help="base d'équipe partagée sur un serveur PostgreSQL")
    team = p.add_subparsers(dest="team_command", required=True,
                            metavar="init|add-member|join|share-existing|status|sync|conflicts|resolve|share-note|leave")
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
    q.add_argument("--dry-run", action="store_true", help="rapport seulement : rien n'est écrit, ni ici ni sur le serveur")
    q.set_defaults(func=cmd_join)
    q = team.add_parser("share-existing", help="partage les partenaires et notes saisis avant de rejoindre l'équipe")
    q.add_argument("--dry-run", action="store_true", help="rapport seulement : rien n'est mis en attente d'envoi")
    q.set_defaults(func=cmd_share_existing)
    q = team.add_parser("status", help="connecté ou hors ligne, modifications en attente, dernière synchronisation")
    q.add_argument("--json", action="store_true")
    q.add_argument("--offline", action="store_true", help="sans essayer de joindre le serveur")
    q.set_defaults(func=cmd_status)
    q = team.add_parser("sync", help="envoie vos modifications en attente puis reçoit celles de l'équipe")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_sync)
    q = team.add_parser("conflicts", help="partenaires modifiés par deux personnes : les deux versions")
    q.add_argument("--json", action="store_true")
    q.add_argument("--tous", action="store_true", help="aussi les conflits déjà réglés (les deux versions et le choix)")
    q.set_defaults(func=cmd_conflicts)
    q = team.add_parser("resolve", help="règle un conflit : garder votre version, celle de l'équipe, ou champ par champ")
    q.add_argument("id", type=int, metavar="N", help="numéro du conflit (« qpvdesk team conflicts »)")
    q.add_argument("--garder", metavar="mienne|equipe", help="garde une version entière (l'autre reste dans le conflit)")
    q.add_argument("--champ", action="append", default=[], metavar="CHAMP=mienne|equipe|les-deux",
                   help="choix pour un champ (répétable) ; les-deux : notes, adresse, programmes ; "
                        "un champ non cité garde la version de l'équipe")
    q.add_argument("--keep", choices=("mine", "theirs"), help=argparse.SUPPRESS)  # the first spelling, still taken
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
            report = _with_password(
                lambda pw: join(data, args.url, args.name, pw, args.share_existing, dry_run=args.dry_run), login)
    except (TeamError, UserDataError) as exc:
        return _error(str(exc))
    if report.dry_run:
        print(f"Essai : la base d'équipe {report.url} répond (identifiant {report.login}) ; rien n'a été écrit.")
    else:
        print(f"Base d'équipe rejointe : {report.url} (identifiant {report.login}).")
    _print_local(report.local_partners, report.local_notes, report.duplicates)
    if args.share_existing and not report.dry_run:
        print(f"{plural(report.queued, 'élément mis', 'éléments mis')} en attente d'envoi : « qpvdesk team sync ».")
    elif report.local_partners or report.local_notes:
        print("Rien n'est envoyé de vos données déjà saisies ; pour les partager : "
              + ("relancez avec --share-existing." if report.dry_run else "« qpvdesk team share-existing »."))
    if report.dry_run:
        return EXIT_OK
    print("Mot de passe gardé dans le trousseau du système." if report.password_kept
          else "Mot de passe non enregistré : il sera demandé à chaque synchronisation.")
    return EXIT_OK


def _print_local(partners: int, notes: int, duplicates: list[str]) -> None:
    print(f"Vos données déjà saisies : {plural(partners, 'partenaire', 'partenaires')}, "
          f"{plural(notes, 'note', 'notes')} (les notes restent privées sauf si vous les partagez une à une).")
    if duplicates:
        print(f"Déjà dans la base d'équipe (même nom et commune, rien n'est écrasé) : {', '.join(duplicates[:20])}"
              + (" …" if len(duplicates) > 20 else ""))


def cmd_share_existing(args) -> int:
    from qpvdesk.team import settings as team_settings
    from qpvdesk.team.solo_data import share_existing

    try:
        with _open() as data:
            setup = team_settings.load(data)
            found = _with_password(lambda pw: share_existing(data, pw, dry_run=args.dry_run),
                                   setup.login if setup else "")
    except (TeamError, UserDataError) as exc:
        return _error(str(exc))
    _print_local(len(found.partners), len(found.notes), found.duplicates)
    if args.dry_run:
        print("Essai : rien n'a été mis en attente d'envoi.")
    elif found.queued:
        print(f"{plural(found.queued, 'élément mis', 'éléments mis')} en attente d'envoi : « qpvdesk team sync ».")
    else:
        print("Rien à partager : tout ce que vous avez saisi est déjà dans la base d'équipe.")
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
    if shown.unsent_partners:
        print(f"{plural(shown.unsent_partners, 'partenaire saisi', 'partenaires saisis')} avant de rejoindre, non "
              "partagé(s) : « qpvdesk team share-existing --dry-run » pour le rapport.")
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
                waiting = plural(pending, "modification en attente, gardée", "modifications en attente, gardées")
                return _error(f"{exc} {waiting} ici.")
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
    from qpvdesk.team.conflicts import JOINABLE, field_name, shown_value, who_and_when

    mine_when, theirs_when = who_and_when(conflict)
    print(f"Conflit n° {conflict.id} : « {conflict.name} » modifié aussi par {conflict.theirs.get('updated_by') or '?'} "
          "— la version de l'équipe est en place, la vôtre est gardée.")
    print(f"  votre version : {mine_when} ; version de l'équipe : {theirs_when}")
    if conflict.resolved_at:
        mode = (conflict.choice or {}).get("mode", "theirs")
        said = {"theirs": "version de l'équipe gardée", "mine": "votre version gardée", "merge": "fusion"}.get(mode, mode)
        print(f"  réglé le {conflict.resolved_at} : {said}")
    rows = [(field_name(f), shown_value(f, m), shown_value(f, t)) for f, m, t in conflict.differences()]
    for line in _side_by_side([("champ", "votre version", "version de l'équipe"), *rows]):
        print("  " + line)
    fields = [f for f, _m, _t in conflict.differences()]
    print(f"  pour régler : qpvdesk team resolve {conflict.id} --garder mienne   (ou --garder equipe)")
    if fields:
        joinable = [field_name(f) for f in fields if f in JOINABLE]
        print(f"  ou champ par champ : qpvdesk team resolve {conflict.id} "
              + " ".join(f"--champ {field_name(f)}=mienne" for f in fields)
              + ("   (à la place de mienne : equipe, ou les-deux pour " + ", ".join(joinable) + ")" if joinable
                 else "   (à la place de mienne : equipe)"))


def _side_by_side(rows: list[tuple[str, str, str]]) -> list[str]:
    """Three columns, long or multi-line values wrapped inside their own column (a terminal of any width)."""
    import shutil
    import textwrap

    first = max(len(r[0]) for r in rows)
    width = max(20, (shutil.get_terminal_size((100, 24)).columns - first - 8) // 2)

    def cell(text: str) -> list[str]:
        lines = [w for part in (text or "(vide)").split("\n") for w in (textwrap.wrap(part, width) or [""])]
        return lines or [""]

    out = []
    for number, (name, mine, theirs) in enumerate(rows):
        left, right = cell(mine), cell(theirs)
        for k in range(max(len(left), len(right))):
            out.append(f"{name if k == 0 else '':<{first}} │ {left[k] if k < len(left) else '':<{width}} │ "
                       f"{right[k] if k < len(right) else ''}".rstrip())
        if number == 0:
            out.append("─" * first + "─┼─" + "─" * width + "─┼─" + "─" * width)
    return out


def cmd_conflicts(args) -> int:
    from qpvdesk.team.sync import list_conflicts

    try:
        with _open() as data:
            conflicts = list_conflicts(data, include_resolved=args.tous)
    except UserDataError as exc:
        return _error(str(exc))
    if args.json:
        print(json.dumps([c.to_json() for c in conflicts], ensure_ascii=False, indent=2))
        return EXIT_OK
    for conflict in conflicts:
        _print_conflict(conflict)
        print()
    print(plural(len(conflicts), "conflit", "conflits") + " à régler")
    return EXIT_OK


def cmd_resolve(args) -> int:
    from qpvdesk.team.conflicts import MINE, THEIRS, field_name, open_conflict, parse_choices, whole
    from qpvdesk.team.sync import resolve

    keep = {"mine": "mienne", "theirs": "equipe"}.get(args.keep or "", args.garder)
    if bool(keep) == bool(args.champ):
        return _error("indiquez soit --garder mienne|equipe, soit un ou plusieurs --champ CHAMP=mienne|equipe|les-deux "
                      "(« qpvdesk team conflicts » montre les champs). Rien n'a été modifié.")
    pairs = {}
    for given in args.champ:
        name, sep, choice = given.partition("=")
        if not sep:
            return _error(f"« {given} » : écrivez CHAMP=mienne, CHAMP=equipe ou CHAMP=les-deux. Rien n'a été modifié.")
        pairs[name.strip()] = choice.strip()
    picked = {"mienne": MINE, "equipe": THEIRS, "équipe": THEIRS}.get(keep.strip().lower()) if keep else None
    if keep and picked is None:
        return _error(f"--garder « {keep} » inconnu : mienne ou equipe. Rien n'a été modifié.")
    try:
        with _open() as data:
            conflict = open_conflict(data, args.id)
            if picked:
                choices = whole(conflict, picked)
            else:
                choices = parse_choices(conflict, pairs)
            settled = resolve(data, args.id, choices=choices)
    except (TeamError, UserDataError) as exc:
        return _error(str(exc))
    choice = settled.choice or {"mode": "theirs", "fields": {}}
    rest = [field_name(f) for f, _m, _t in settled.differences() if f not in choice["fields"]]
    print(f"Conflit n° {settled.id} réglé (« {settled.name} ») : " + _kept(choice, field_name)
          + (f" Gardé(s) de la version de l'équipe : {', '.join(rest)}." if rest else ""))
    if choice.get("replaced_local_edit"):
        fields = ", ".join(field_name(f) for f in choice["replaced_local_edit"])
        print(f"Attention : votre modification faite depuis le conflit ({fields}) est remplacée ; elle reste écrite "
              "dans le conflit (« qpvdesk team conflicts --json --tous »).")
    return EXIT_OK


def _kept(choice: dict, field_name) -> str:  # noqa: ANN001
    if choice["mode"] == "theirs":
        return "la version de l'équipe est gardée (rien à envoyer)."
    said = {"mine": "la vôtre", "theirs": "celle de l'équipe", "both": "les deux"}
    if choice["mode"] == "mine":
        return "votre version, envoyée à la prochaine synchronisation."
    return ("fusion (" + ", ".join(f"{field_name(f)} : {said[c]}" for f, c in choice["fields"].items())
            + "), envoyée à la prochaine synchronisation.")


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
