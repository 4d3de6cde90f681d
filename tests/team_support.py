"""Shared helpers of the tests/test_team_*.py files (not a test module): a fresh team database per test on the
session's throwaway PostgreSQL cluster, two members (alice, bob), and their local user databases."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import psycopg
from userdata_fixtures import REFS

from qpvdesk.team.server import add_member, init_server
from qpvdesk.userdata import open_user_data

PASSWORDS = {"alice": "mot-de-passe-alice", "bob": "l'autre:mot%de passe"}
_numbers = itertools.count(1)


@dataclass
class Team:
    cluster: object  # pg_cluster.Cluster
    database: str
    admin_url: str

    def url(self, login: str) -> str:
        return self.cluster.url(user=login, password=None, database=self.database)

    def member_sql(self, login: str, statement: str, params: tuple = (), fetch: bool = False):
        """Direct SQL as a member's role, past the application: what the server allows."""
        with psycopg.connect(host=str(self.cluster.folder), port=self.cluster.port, user=login,
                             password=PASSWORDS[login], dbname=self.database, autocommit=True) as conn:
            cursor = conn.execute(statement, params)
            return cursor.fetchall() if fetch else cursor.rowcount

    def admin_sql(self, statement: str, params: tuple = (), fetch: bool = False):
        with psycopg.connect(host=str(self.cluster.folder), port=self.cluster.port, user="qpvadmin", password="admin",
                             dbname=self.database, autocommit=True) as conn:
            cursor = conn.execute(statement, params)
            return cursor.fetchall() if fetch else cursor.rowcount


def new_team(cluster) -> Team:  # noqa: ANN001
    name = f"equipe{next(_numbers)}"
    admin_url = cluster.new_database(name)
    init_server(admin_url)
    for login, password in PASSWORDS.items():
        add_member(admin_url, login, password)
    return Team(cluster, name, admin_url)


def member_data(folder: Path):
    return open_user_data(folder, refs=REFS, backup=False)


def server_partners(team: Team) -> dict[str, tuple]:
    rows = team.admin_sql("SELECT name, commune, created_by, updated_by, version, deleted_at FROM local_partner",
                          fetch=True)
    return {r[0]: r[1:] for r in rows}
