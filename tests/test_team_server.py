"""`team init` on a real PostgreSQL server: the user database's own Alembic migrations build the same schema there,
and the member role has only what a member needs; row-level security protects private notes whatever SQL a
member sends."""

from __future__ import annotations

import psycopg
import pytest
from team_support import PASSWORDS

from qpvdesk.errors import TeamError
from qpvdesk.team.server import engine_for, init_server
from qpvdesk.userdata.database import HEAD_REVISION, alembic_config


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
    # the server's authorship rules (migration 0006) cannot be switched off or replaced by a member
    "ALTER TABLE local_partner DISABLE TRIGGER team_partner_authors",
    "DROP TRIGGER team_note_author ON team_note",
    "ALTER TABLE team_member DISABLE ROW LEVEL SECURITY",
    "DELETE FROM team_member",
    "CREATE OR REPLACE FUNCTION qpvdesk_stamp(value text) RETURNS timestamptz LANGUAGE sql AS $$ SELECT now() $$",
])
def test_the_member_role_has_least_privilege(team, statement):
    with pytest.raises((psycopg.errors.InsufficientPrivilege, psycopg.errors.UndefinedTable)):
        team.member_sql("bob", statement)


def test_member_passwords_are_checked_by_the_server(team):
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(host=str(team.cluster.folder), user="bob", password=PASSWORDS["alice"], dbname=team.database)


def server_at(pg_cluster, database: str, revision: str) -> str:
    """A team server as an older qpvdesk's `team init` left it: schema at `revision`, member role and grants of
    that time, alice and bob as members. Returns its admin URL."""
    from alembic import command

    from qpvdesk.team.server import MEMBER_GRANTS, add_member

    url = pg_cluster.new_database(database)
    engine = engine_for(url)
    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    engine.dispose()
    pg_cluster.sql("DO $$ BEGIN CREATE ROLE qpvdesk_membre NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    for grant in MEMBER_GRANTS:
        if "team_member" not in grant:  # revision 0006's
            pg_cluster.sql(grant.format(role="qpvdesk_membre"), database)
    for login, password in PASSWORDS.items():
        add_member(url, login, password)
    return url


def test_a_0005_team_server_is_refused_by_the_client_then_upgraded_by_init_with_its_data(pg_cluster, tmp_path):
    from team_support import member_data

    from qpvdesk.team import settings as team_settings
    from qpvdesk.team.membership import status
    from qpvdesk.team.settings import TeamSettings
    from qpvdesk.team.sync import sync
    from qpvdesk.userdata import PartnerFields

    url = server_at(pg_cluster, "equipe0005", "0005")
    # what 0005 clients wrote: their own names, computed by the app
    pg_cluster.sql("INSERT INTO local_partner (uid, name, kind, created_at, updated_at, created_by, updated_by, "
                   "version) VALUES ('u1', 'Régie Élan', 'association', '2026-01-05T10:00:00+00:00', "
                   "'2026-02-01T09:30:00+00:00', 'Bob Diallo', 'Bob Diallo', 1)", "equipe0005")
    pg_cluster.sql("UPDATE team_clock SET seq = 1", "equipe0005")
    member_url = pg_cluster.url(user="alice", password=None, database="equipe0005")
    data = member_data(tmp_path / "alice")  # alice joined when the server and her qpvdesk were at 0005
    team_settings.save(data, TeamSettings(url=member_url, name="Alice Martin", login="alice", joined_at="x"))
    made = data.create_partner(PartnerFields(name="Centre social Nord", kind="social-centre", commune="Toulouse"))
    with pytest.raises(TeamError, match="version plus ancienne") as caught:
        sync(data, PASSWORDS["alice"])
    assert "team init" in str(caught.value) and "Rien n'a été écrit" in str(caught.value)
    rows = "SELECT uid, created_by, updated_by, created_at, updated_at, version FROM local_partner ORDER BY uid"
    with psycopg.connect(host=str(pg_cluster.folder), user="qpvadmin", password="admin", dbname="equipe0005") as conn:
        before = conn.execute(rows).fetchall()
    assert [r[0] for r in before] == ["u1"] and status(data, probe=False).pending == 1

    assert init_server(url) == ("0005", HEAD_REVISION)
    with psycopg.connect(host=str(pg_cluster.folder), user="qpvadmin", password="admin", dbname="equipe0005") as conn:
        assert conn.execute(rows).fetchall() == before  # the team's data as it was
    assert sync(data, PASSWORDS["alice"]).received_partners == 1
    with psycopg.connect(host=str(pg_cluster.folder), user="qpvadmin", password="admin", dbname="equipe0005") as conn:
        after = {r[0]: r[1:3] for r in conn.execute(rows)}
        members = conn.execute("SELECT login, name FROM team_member").fetchall()
    # alice joined before the list existed: her first sync after the upgrade put her name in it
    assert after == {"u1": ("Bob Diallo", "Bob Diallo"), made.uid: ("Alice Martin", "Alice Martin")}
    assert members == [("alice", "Alice Martin")] and status(data, probe=False).pending == 0
    data.close()
