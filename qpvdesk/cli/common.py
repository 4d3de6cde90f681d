"""What every verb shares: exit codes, JSON output, opening the catalogue and the user database with French errors."""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: the parser must load neither SQLAlchemy nor Qt
    from qpvdesk.catalogue import Catalogue
    from qpvdesk.userdata.store import UserData

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

Verb = Callable[[argparse.Namespace], int]


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def catalogue_file(args: argparse.Namespace) -> Path:
    from qpvdesk.paths import catalogue_path

    return Path(args.catalogue) if args.catalogue else catalogue_path()


def reads_catalogue(verb: Verb) -> Verb:
    """A verb reading the catalogue: a damaged page met on the way is a French error, not a traceback."""

    @functools.wraps(verb)
    def run(args: argparse.Namespace) -> int:
        from qpvdesk.catalogue import READ_ERRORS, damaged

        try:
            return verb(args)
        except READ_ERRORS as exc:
            print(f"Erreur : {damaged(catalogue_file(args), exc)}", file=sys.stderr)
            return EXIT_FAIL

    return run


def with_catalogue(verb: Callable[[argparse.Namespace, Catalogue], int]) -> Verb:
    """A verb given the open catalogue (`verb(args, catalogue)`); a missing or unreadable one is a French error."""

    @reads_catalogue
    @functools.wraps(verb)
    def run(args: argparse.Namespace) -> int:
        from qpvdesk.catalogue import Catalogue, CatalogueError

        try:
            catalogue = Catalogue(catalogue_file(args))
        except CatalogueError as exc:
            print(f"Erreur : {exc}", file=sys.stderr)
            return EXIT_FAIL
        return verb(args, catalogue)

    return run


def open_user_data(args: argparse.Namespace) -> UserData | None:
    """The user database, checked against the catalogue when it can be opened (else nothing is checked)."""
    from qpvdesk.catalogue import READ_ERRORS, Catalogue, CatalogueError, damaged
    from qpvdesk.userdata import catalogue_refs
    from qpvdesk.userdata import open_user_data as open_data
    from qpvdesk.userdata.messages import UserDataError

    # your own data stays reachable whatever state the catalogue is in: only the checks against it are lost
    refs = None
    path = catalogue_file(args)
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
        data = open_data(refs=refs)
    except UserDataError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return None
    for message in data.startup.messages + ([data.startup.read_only] if data.startup.read_only else []):
        print(f"Attention : {message}", file=sys.stderr)
    return data


def with_user_data(verb: Callable[..., int]) -> Callable[..., int]:
    """A verb on your own data: `verb(args, data, *extra, **named)` runs with the user database open and closes it after.

    Opening warns in French about a catalogue it cannot check against, and fails in French (exit 1) when the
    database itself cannot be opened: the verb is then not run.
    """

    @functools.wraps(verb)
    def run(args: argparse.Namespace, *extra: Any, **named: Any) -> int:
        data = open_user_data(args)
        if data is None:
            return EXIT_FAIL
        with data:
            return verb(args, data, *extra, **named)

    return run


def at_least_one(value: str) -> int:
    """--limit: a whole number of results, 1 or more (0 or -1 used to print hits all the same)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"valeur invalide : nombre entier attendu, pas « {value} »") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"au moins 1 résultat, pas {number}")
    return number
