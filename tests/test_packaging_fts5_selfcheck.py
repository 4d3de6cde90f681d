"""Startup self-check: an SQLite without FTS5 gives a clear French message and a non-zero exit, never a traceback.

Old Linux build bases can ship an SQLite without FTS5 (peers-and-demands.md §5.4); the check runs at start (the
Catalogue refuses to open) and in `qpvdesk check`. The frozen app's own SQLite is checked by
tests/test_packaging_bundle.py (`check` inside the bundle).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from qpvdesk import catalogue as catalogue_module
from qpvdesk.cli import main


class NoFts5Connection(sqlite3.Connection):
    """An SQLite connection that behaves like a library built without FTS5."""

    def execute(self, sql, *args):
        if "fts5" in sql.lower():
            raise sqlite3.OperationalError("no such module: fts5")
        return super().execute(sql, *args)


@pytest.fixture()
def sqlite_without_fts5(monkeypatch):
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):
        kwargs.setdefault("factory", NoFts5Connection)
        return real_connect(*args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)


def test_detection_of_a_sqlite_without_fts5(sqlite_without_fts5):
    assert catalogue_module.fts5_available() is False


def test_detection_of_this_machine_sqlite():
    assert catalogue_module.fts5_available() is True


def test_check_command_explains_in_french(sqlite_without_fts5, capsys, mini_catalogue_path):
    code = main(["--catalogue", str(mini_catalogue_path), "check"])
    err = capsys.readouterr().err
    assert code != 0
    assert "FTS5" in err and "Erreur" in err and "recherche plein texte" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("argv", [["search", "anru"], ["show", "anru"], ["list"]])
def test_other_commands_refuse_in_french(sqlite_without_fts5, capsys, mini_catalogue_path, argv):
    code = main(["--catalogue", str(mini_catalogue_path), *argv])
    err = capsys.readouterr().err
    assert code != 0
    assert "recherche plein texte (FTS5)" in err
    assert "Traceback" not in err


def test_catalogue_error_is_french(monkeypatch, mini_catalogue_path):
    monkeypatch.setattr(catalogue_module, "fts5_available", lambda: False)
    with pytest.raises(catalogue_module.CatalogueError, match="ne gère pas la recherche plein texte"):
        catalogue_module.Catalogue(mini_catalogue_path)


def test_window_start_without_fts5_reports_in_french(mini_catalogue_path, tmp_path):
    """The GUI path (`--smoke`): the window opens, the loading fails, a French message, exit 1, no traceback."""
    code = textwrap.dedent(
        """
        import sqlite3, sys

        class NoFts5(sqlite3.Connection):
            def execute(self, sql, *args):
                if "fts5" in sql.lower():
                    raise sqlite3.OperationalError("no such module: fts5")
                return super().execute(sql, *args)

        _connect = sqlite3.connect
        sqlite3.connect = lambda *a, **k: _connect(*a, **{"factory": NoFts5, **k})
        from qpvdesk.cli import main
        sys.exit(main(["--catalogue", sys.argv[1], "--smoke"]))
        """
    )
    env_extra = {"QT_QPA_PLATFORM": "offscreen", "QPVDESK_USER_DIR": str(tmp_path / "user")}
    result = subprocess.run(
        [sys.executable, "-c", code, str(mini_catalogue_path)],
        capture_output=True, text=True, timeout=60, env={**os.environ, **env_extra},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "recherche plein texte (FTS5)" in result.stderr
    assert "Traceback" not in result.stderr
