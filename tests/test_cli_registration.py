"""The CLI's registration point: a verb family added to VERB_FAMILIES is parsed and run like the built-in ones."""

from __future__ import annotations

import argparse

import qpvdesk.cli as cli


def test_a_new_verb_family_registers_with_one_line(monkeypatch, capsys):
    def register(sub: argparse._SubParsersAction) -> None:
        p = sub.add_parser("bonjour", help="dit bonjour")
        p.add_argument("name")
        p.set_defaults(func=lambda args: print(f"Bonjour {args.name}") or cli.EXIT_OK)

    monkeypatch.setattr(cli, "VERB_FAMILIES", [*cli.VERB_FAMILIES, register])
    assert cli.main(["bonjour", "Cités"]) == 0
    assert capsys.readouterr().out == "Bonjour Cités\n"


def test_every_built_in_verb_is_listed_in_the_help(capsys):
    try:
        cli.main(["--help"])
    except SystemExit:
        pass
    out = capsys.readouterr().out
    for verb in ("build-data", "check", "show", "search", "export-pdf", "list", "partners", "favourites", "notes"):
        assert verb in out
