"""Who created and last changed a shared record is decided by the team server (migration 0006), on a real
PostgreSQL server: a member sending other names, even in direct SQL, ends with the server's truth; each member's
name is theirs to change only; the local copies show the names the server wrote."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import psycopg
import pytest
from team_support import PASSWORDS, member_data, server_partners

from qpvdesk.team.membership import join, share_note, team_notes
from qpvdesk.team.sync import sync
from qpvdesk.userdata import PartnerFields, location

FORGED = "Alice Martin"  # what bob writes in alice's place


def local_authors(data, uid: str) -> tuple:
    conn = sqlite3.connect(data.folder / location.DB_NAME)
    try:
        return conn.execute("SELECT created_by, updated_by, created_at, updated_at FROM local_partner WHERE uid = ?",
                            (uid,)).fetchone()
    finally:
        conn.close()


def server_row(team, uid: str) -> tuple:
    [row] = team.admin_sql("SELECT created_by, updated_by, created_at, updated_at, phone FROM local_partner "
                           "WHERE uid = %s", (uid,), fetch=True)
    return row


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def test_join_registers_the_members_name_on_the_server(team, alice, bob):
    rows = team.admin_sql("SELECT login, name FROM team_member ORDER BY login", fetch=True)
    assert rows == [("alice", "Alice Martin"), ("bob", "Bob Diallo")]


def test_a_partner_inserted_in_direct_sql_with_someone_elses_name_carries_the_real_authors(team, alice, bob):
    future = iso(datetime.now(timezone.utc) + timedelta(days=400))
    team.member_sql("bob", "INSERT INTO local_partner (uid, name, kind, created_at, updated_at, created_by, updated_by) "
                    "VALUES ('u-bob', 'Faux nez', 'association', %s, %s, %s, %s)", (future, future, FORGED, FORGED))
    created_by, updated_by, created_at, updated_at, _phone = server_row(team, "u-bob")
    assert (created_by, updated_by) == ("Bob Diallo", "Bob Diallo")
    assert created_at < future and updated_at < future  # a date in the future is the server's « now » instead
    assert created_at[:4] == str(datetime.now(timezone.utc).year)


def test_bob_cannot_take_or_back_date_alices_partner_in_direct_sql(team, alice, bob):
    uid = alice.create_partner(PartnerFields(name="Centre social Élan", kind="social-centre", commune="Toulouse")).uid
    sync(alice, PASSWORDS["alice"])
    before = server_row(team, uid)
    # names and creation date only: nothing a user sees as the partner changed, so nothing changes
    team.member_sql("bob", "UPDATE local_partner SET created_by = 'Bob Diallo', updated_by = 'Bob Diallo', "
                    "created_at = '2001-01-01T00:00:00+00:00' WHERE uid = %s", (uid,))
    assert server_row(team, uid) == before
    # a real change, signed with alice's name and dated years back: bob's name, a plausible date
    team.member_sql("bob", "UPDATE local_partner SET phone = '05 61 00 00 00', updated_by = %s, "
                    "updated_at = '2001-01-01T00:00:00+00:00' WHERE uid = %s", (FORGED, uid))
    created_by, updated_by, created_at, updated_at, phone = server_row(team, uid)
    assert (created_by, created_at) == (before[0], before[2]) == ("Alice Martin", before[2])
    assert (updated_by, phone) == ("Bob Diallo", "05 61 00 00 00")
    assert updated_at >= before[3]  # never before alice's change


def set_local_time(data, uid: str, when: str, **also: str) -> None:
    """As if the change had been typed at `when` (a laptop offline then), on the member's own file."""
    conn = sqlite3.connect(data.folder / location.DB_NAME)
    sets = ", ".join(f"{column} = ?" for column in ("updated_at", *also))
    conn.execute(f"UPDATE local_partner SET {sets} WHERE uid = ?", (when, *also.values(), uid))
    conn.commit()
    conn.close()


def test_offline_edits_keep_the_time_they_were_made(team, alice, bob):
    now = datetime.now(timezone.utc)
    made = alice.create_partner(PartnerFields(name="Régie de quartier Nord", kind="association", commune="Toulouse"))
    created = iso(now - timedelta(hours=2))  # typed on a train two hours ago
    set_local_time(alice, made.uid, created, created_at=created)
    sync(alice, PASSWORDS["alice"])
    assert server_row(team, made.uid)[:4] == ("Alice Martin", "Alice Martin", created, created)
    sync(bob, PASSWORDS["bob"])
    typed = iso(now - timedelta(minutes=30))  # bob's laptop was offline half an hour ago
    set_local_time(bob, made.uid, typed, phone="06 00 00 00 00")
    sync(bob, PASSWORDS["bob"])
    assert server_row(team, made.uid)[:4] == ("Alice Martin", "Bob Diallo", created, typed)
    sync(alice, PASSWORDS["alice"])
    assert local_authors(alice, made.uid) == ("Alice Martin", "Bob Diallo", created, typed)


def test_a_member_changes_only_their_own_name(team, alice, bob):
    assert team.member_sql("bob", "UPDATE team_member SET name = 'Bob' WHERE login = 'alice'") == 0
    with pytest.raises(psycopg.errors.InsufficientPrivilege):  # row-level security
        team.member_sql("bob", "INSERT INTO team_member VALUES ('carol', 'Alice Martin', 'x')")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):  # no DELETE right at all
        team.member_sql("bob", "DELETE FROM team_member WHERE login = 'alice'")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):  # as the team role, bob is still bob
        with psycopg.connect(host=str(team.cluster.folder), port=team.cluster.port, user="bob",
                             password=PASSWORDS["bob"], dbname=team.database, autocommit=True) as conn:
            conn.execute("SET ROLE qpvdesk_membre")
            conn.execute("INSERT INTO team_member VALUES ('qpvdesk_membre', 'Alice Martin', 'x')")
    assert team.member_sql("bob", "UPDATE team_member SET name = 'Bob D.' WHERE login = 'bob'") == 1
    assert team.admin_sql("SELECT login, name FROM team_member ORDER BY 1", fetch=True) == [
        ("alice", "Alice Martin"), ("bob", "Bob D.")]


def test_two_members_see_the_names_the_server_wrote_on_their_fiches(team, alice, bob):
    # the server's list says who alice is; her local setting (« Alice Martin ») is not what gets stamped
    team.member_sql("alice", "UPDATE team_member SET name = 'Alice Martin-Durand' WHERE login = 'alice'")
    made = alice.create_partner(PartnerFields(name="Maison des habitants", kind="association", commune="Toulouse"))
    sync(alice, PASSWORDS["alice"])
    assert local_authors(alice, made.uid)[:2] == ("Alice Martin-Durand", "Alice Martin-Durand")
    sync(bob, PASSWORDS["bob"])
    bob.update_partner(made.uid, PartnerFields(name="Maison des habitants", kind="association", commune="Toulouse",
                                               phone="05 00 00 00 01"))
    sync(bob, PASSWORDS["bob"])
    sync(alice, PASSWORDS["alice"])
    for data in (alice, bob):
        assert local_authors(data, made.uid)[:2] == ("Alice Martin-Durand", "Bob Diallo")
        page = data.fiche_html(made.entity_id)
        assert " par Alice Martin-Durand — modifié le " in page and page.count("par Bob Diallo") == 1


def test_a_shared_notes_author_is_the_server_list_name(team, alice, bob):
    team.admin_sql("UPDATE team_member SET name = 'Alice M.' WHERE login = 'alice'")
    alice.set_note("npnru", "Comité le 12")
    share_note(alice, "npnru")
    sync(alice, PASSWORDS["alice"])
    team.member_sql("alice", "UPDATE team_note SET author = %s, created_at = '2001-01-01' WHERE owner = 'alice'",
                    ("Bob Diallo",))
    sync(bob, PASSWORDS["bob"])
    [note] = team_notes(bob)
    assert note["author"] == "Alice M." and note["created_at"] != "2001-01-01"


HOSTILE = [
    "Robert'); DROP TABLE team_member;-- \"O'Brien\" $$ %s {name}",
    "<script>alert('x')</script> <b>Zoé</b> & Cie",
    "🧑‍🤝‍🧑" * 4 + "🏘️" * 50,  # 120 characters (code points), several per glyph
]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_member_name_stays_data_end_to_end(team, tmp_path, alice, name):
    assert len(name) <= 120  # what `team join` accepts
    carol = member_data(tmp_path / "carol")
    join(carol, team.url("bob"), name, password=PASSWORDS["bob"])
    made = carol.create_partner(PartnerFields(name="Atelier santé ville", kind="association", commune="Toulouse"))
    sync(carol, PASSWORDS["bob"])
    sync(alice, PASSWORDS["alice"])
    assert server_partners(team)["Atelier santé ville"][1:3] == (name, name)
    assert local_authors(alice, made.uid)[:2] == (name, name)
    page = alice.fiche_html(made.entity_id)
    assert "<script>" not in page and "<b>Zoé" not in page
    from html import escape
    assert f"par {escape(name)}" in page
    assert team.admin_sql("SELECT count(*) FROM team_member", fetch=True) == [(2,)]  # nothing was dropped
    carol.close()
