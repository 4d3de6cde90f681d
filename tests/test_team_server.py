"""`team init` on a real PostgreSQL server: the user database's own Alembic migrations build the same schema there,
and the member role has only what a member needs; row-level security protects private notes whatever SQL a
member sends."""

from __future__ import annotations

import psycopg
import pytest
from team_support import PASSWORDS, new_team

from qpvdesk.errors import TeamError
from qpvdesk.team.server import engine_for, init_server
from qpvdesk.userdata.database import HEAD_REVISION, alembic_config


@pytest.fixture()
def team(pg_cluster):
    return new_team(pg_cluster)


def test_postgresql_schema_built_by_the_migrations_matches_the_orm_classes(team):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from qpvdesk.userdata.schema import UserBase

    engine = engine_for(team.admin_url)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), UserBase.metadata) == []
    engine.dispose()
    assert team.admin_sql("SELECT version_num FROM alembic_version", fetch=True) == [(HEAD_REVISION,)]


def test_an_older_team_schema_with_data_is_upgraded_in_place_and_init_can_run_again(pg_cluster):
    from alembic import command

    url = pg_cluster.new_database("ancienne")
    engine = engine_for(url)
    with engine.begin() as conn:  # what a first version of the team server would hold
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    engine.dispose()
    pg_cluster.sql("INSERT INTO local_partner (uid, name, kind, created_at, updated_at, commune) VALUES "
                   "('u1', 'Régie Élan', 'association', '2025-01-01', '2025-01-01', 'Évry-Courcouronnes')", "ancienne")
    assert init_server(url) == ("0001", HEAD_REVISION)
    assert init_server(url) == (HEAD_REVISION, HEAD_REVISION)  # nothing to do, no error
    with psycopg.connect(host=str(pg_cluster.folder), user="qpvadmin", password="admin", dbname="ancienne") as conn:
        row = conn.execute("SELECT match_key, version, created_by FROM local_partner").fetchone()
    assert row == ("regie elan|evry courcouronnes", 0, "")  # 0002/0003 backfilled the duplicate key on PostgreSQL too


def test_init_refuses_a_schema_from_a_newer_qpvdesk(team):
    team.admin_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(TeamError, match="plus récente"):
        init_server(team.admin_url)


def test_a_member_cannot_read_change_or_delete_another_members_private_note_even_in_sql(team):
    team.member_sql("alice", "INSERT INTO team_note (owner, entity_id, text, shared, created_at, updated_at) "
                    "VALUES ('alice', 'anru', 'privée', 0, 'x', 'x'), ('alice', 'npnru', 'partagée', 1, 'x', 'x')")
    assert team.member_sql("bob", "SELECT entity_id FROM team_note", fetch=True) == [("npnru",)]
    assert team.member_sql("bob", "UPDATE team_note SET text = 'effacé' WHERE owner = 'alice'") == 0
    assert team.member_sql("bob", "DELETE FROM team_note WHERE owner = 'alice'") == 0
    with pytest.raises(psycopg.errors.InsufficientPrivilege):  # row-level security: not as someone else
        team.member_sql("bob", "INSERT INTO team_note (owner, entity_id, text, created_at, updated_at) "
                        "VALUES ('alice', 'anct', 'faux', 'x', 'x')")
    assert team.admin_sql("SELECT entity_id, text FROM team_note ORDER BY 1", fetch=True) == [
        ("anru", "privée"), ("npnru", "partagée")]
    assert team.member_sql("alice", "UPDATE team_note SET text = 'revue' WHERE entity_id = 'anru'") == 1


@pytest.mark.parametrize("statement", [
    "DELETE FROM local_partner",
    "SELECT * FROM favourite",
    "SELECT * FROM setting",
    "UPDATE alembic_version SET version_num = '0001'",
    "CREATE TABLE piege (x int)",
    "ALTER TABLE team_note DISABLE ROW LEVEL SECURITY",
])
def test_the_member_role_has_least_privilege(team, statement):
    with pytest.raises((psycopg.errors.InsufficientPrivilege, psycopg.errors.UndefinedTable)):
        team.member_sql("bob", statement)


def test_member_passwords_are_checked_by_the_server(team):
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(host=str(team.cluster.folder), user="bob", password=PASSWORDS["alice"], dbname=team.database)
