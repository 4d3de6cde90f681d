"""Team database on a real PostgreSQL server (throwaway cluster, tests/pg_cluster.py): two members share
partners through `team sync`, work offline, and concurrent edits become conflicts that keep both versions."""

from __future__ import annotations

import pytest
from team_support import PASSWORDS, member_data, server_partners

from qpvdesk.errors import TeamError
from qpvdesk.team.membership import join, share_note, status, team_notes
from qpvdesk.team.sync import list_conflicts, resolve, sync
from qpvdesk.userdata import PartnerFields


def test_two_members_see_each_others_partners_with_who_and_when(team, alice, bob):
    made = alice.create_partner(PartnerFields(name="Centre social Élan", kind="social-centre", commune="Toulouse",
                                              programme_ids=("npnru",)))
    report = sync(alice, PASSWORDS["alice"])
    assert report.sent_partners == 1 and not report.conflicts
    report = sync(bob, PASSWORDS["bob"])
    assert report.received_partners == 1
    [seen] = bob.list_partners()
    assert (seen.uid, seen.name, seen.programme_ids) == (made.uid, "Centre social Élan", ("npnru",))
    bob.update_partner(made.uid, PartnerFields(name="Centre social Élan", kind="social-centre", commune="Toulouse",
                                               phone="05 61 00 00 00", programme_ids=("npnru",)))
    sync(bob, PASSWORDS["bob"])
    sync(alice, PASSWORDS["alice"])
    assert alice.get_partner(made.uid).phone == "05 61 00 00 00"
    commune, created_by, updated_by, version, _deleted = server_partners(team)["Centre social Élan"]
    assert (created_by, updated_by) == ("Alice Martin", "Bob Diallo") and version > 0
    assert " par Alice Martin — modifié le " in alice.fiche_html(made.entity_id)  # the fiche says who, and when
    assert alice.fiche_html(made.entity_id).count("par Bob Diallo") == 1  # « modifié le … par Bob Diallo »
    shown = status(alice, PASSWORDS["alice"])
    assert shown.state == "connecté" and shown.pending == 0 and shown.last_sync


def test_a_partner_made_while_the_server_is_stopped_reaches_the_other_member_after(team, alice, bob, pg_cluster):
    pg_cluster.stop()
    try:
        alice.create_partner(PartnerFields(name="Régie de quartier Nord", kind="association", commune="Toulouse"))
        with pytest.raises(TeamError) as caught:
            sync(alice, PASSWORDS["alice"])
        assert caught.value.offline and "hors ligne" in str(caught.value)
        shown = status(alice, PASSWORDS["alice"])
        assert (shown.state, shown.pending) == ("hors ligne", 1)
        assert [p.name for p in alice.search_partners("regie")] == ["Régie de quartier Nord"]  # still works offline
    finally:
        pg_cluster.start()
    assert sync(alice, PASSWORDS["alice"]).sent_partners == 1
    sync(bob, PASSWORDS["bob"])
    assert [p.name for p in bob.list_partners()] == ["Régie de quartier Nord"]


def test_same_partner_changed_by_two_members_is_a_conflict_keeping_both_versions(team, alice, bob):
    made = alice.create_partner(PartnerFields(name="Association Trait d'union", kind="association", commune="Toulouse"))
    sync(alice, PASSWORDS["alice"])
    sync(bob, PASSWORDS["bob"])
    fields = {"name": "Association Trait d'union", "kind": "association", "commune": "Toulouse"}
    alice.update_partner(made.uid, PartnerFields(**fields, phone="01 11 11 11 11"))
    bob.update_partner(made.uid, PartnerFields(**fields, phone="02 22 22 22 22"))
    assert not sync(alice, PASSWORDS["alice"]).conflicts
    report = sync(bob, PASSWORDS["bob"])
    [conflict] = report.conflicts
    assert conflict.mine["phone"] == "02 22 22 22 22" and conflict.theirs["phone"] == "01 11 11 11 11"
    assert conflict.theirs["updated_by"] == "Alice Martin"
    assert [d[0] for d in conflict.differences()] == ["phone"]
    assert bob.get_partner(made.uid).phone == "01 11 11 11 11"  # the team's version, bob's kept in the conflict
    assert [c.id for c in list_conflicts(bob)] == [conflict.id]
    # bob keeps his: sent at the next sync, based on alice's, so no new conflict; alice receives it
    resolve(bob, conflict.id, keep_mine=True)
    assert not sync(bob, PASSWORDS["bob"]).conflicts
    sync(alice, PASSWORDS["alice"])
    assert alice.get_partner(made.uid).phone == "02 22 22 22 22"
    assert list_conflicts(bob) == [] and len(list_conflicts(bob, include_resolved=True)) == 1


def test_notes_are_private_unless_shared_and_favourites_are_never_sent(team, alice, bob):
    alice.set_note("npnru", "Comité le 12 : à préparer")
    alice.set_note("anru", "Piste de financement confidentielle")
    alice.add_favourite("anct")
    share_note(alice, "npnru")
    sync(alice, PASSWORDS["alice"])
    assert sync(bob, PASSWORDS["bob"]).changed_notes == 1
    assert [(n["entity_id"], n["text"], n["author"]) for n in team_notes(bob)] == [
        ("npnru", "Comité le 12 : à préparer", "Alice Martin")]
    assert team.admin_sql("SELECT count(*) FROM favourite", fetch=True) == [(0,)]
    quiet = sync(bob, PASSWORDS["bob"])  # nothing new: the window has nothing to redraw
    assert quiet.received_notes == 1 and quiet.changed_notes == 0
    share_note(alice, "npnru", shared=False)
    sync(alice, PASSWORDS["alice"])
    assert sync(bob, PASSWORDS["bob"]).changed_notes == 1  # withdrawn
    assert team_notes(bob) == []


def test_hostile_values_stay_data(team, alice, bob):
    hostile = "Robert'); DROP TABLE local_partner;-- \" %s {name} $$ \\x00"
    alice.create_partner(PartnerFields(name=hostile, kind="association", commune="Toulouse", notes=hostile))
    alice.set_note("npnru", hostile)
    share_note(alice, "npnru")
    sync(alice, PASSWORDS["alice"])
    sync(bob, PASSWORDS["bob"])
    [partner] = bob.list_partners()
    assert partner.name == alice.list_partners()[0].name and "DROP TABLE" in partner.name
    assert team_notes(bob)[0]["text"] == alice.get_note("npnru").text


def test_a_big_first_share_goes_in_several_batches_and_arrives_whole(team, alice, bob, monkeypatch):
    from qpvdesk.team import sync as sync_module

    monkeypatch.setattr(sync_module, "SEND_BATCH", 4)
    monkeypatch.setattr(sync_module, "RECEIVE_BATCH", 6)
    for n in range(23):
        alice.create_partner(PartnerFields(name=f"Association {n:02d}", kind="association", commune="Toulouse"))
    assert sync(alice, PASSWORDS["alice"]).sent_partners == 23
    assert len(set(v[3] for v in server_partners(team).values())) == 6  # six server transactions
    assert sync(bob, PASSWORDS["bob"]).received_partners == 23
    assert sorted(p.name for p in bob.list_partners()) == [f"Association {n:02d}" for n in range(23)]
    monkeypatch.setattr(sync_module, "RECEIVE_BATCH", 2)  # versions of 4 partners: each taken whole
    carol = member_data(alice.folder.parent / "carol")
    join(carol, team.url("bob"), "Bob Diallo, second poste", password=PASSWORDS["bob"])
    assert sync(carol, PASSWORDS["bob"]).received_partners == 23
    carol.close()


def test_a_partners_link_to_a_funded_structure_is_shared_with_it(team, alice, bob):
    """Issue 21: « local partners (and their links to catalogue organisations) are the team's »."""
    uid = alice.create_partner(PartnerFields(name="Régie Nord", kind="association", commune="Lille")).uid
    sync(alice, PASSWORDS["alice"])
    sync(bob, PASSWORDS["bob"])
    assert bob.partner_link(uid) is None
    alice.link_partner(uid, "org-12345678900011", "12345678900011", "Régie de quartier Nord (FONJEP)")
    assert alice.team.status(probe=False).pending == 1  # linking is a change of the shared partner: queued
    assert sync(alice, PASSWORDS["alice"]).sent_partners == 1
    assert sync(bob, PASSWORDS["bob"]).received_partners == 1
    link = bob.partner_link(uid)
    assert (link.organisation_id, link.siret, link.organisation_name) == (
        "org-12345678900011", "12345678900011", "Régie de quartier Nord (FONJEP)")
    assert server_partners(team)["Régie Nord"][2] == "Alice Martin"  # the server names who linked it

    bob.unlink_partner(uid)
    sync(bob, PASSWORDS["bob"])
    sync(alice, PASSWORDS["alice"])
    assert alice.partner_link(uid) is None


def test_two_members_linking_one_partner_differently_is_a_conflict_with_both_links(team, alice, bob):
    uid = alice.create_partner(PartnerFields(name="Régie Sud", kind="association", commune="Lille")).uid
    sync(alice, PASSWORDS["alice"])
    sync(bob, PASSWORDS["bob"])
    alice.link_partner(uid, "org-11111111100011", "11111111100011", "Structure A")
    bob.link_partner(uid, "org-22222222200022", "22222222200022", "Structure B")
    sync(alice, PASSWORDS["alice"])
    [conflict] = sync(bob, PASSWORDS["bob"]).conflicts
    assert [f for f, _m, _t in conflict.differences()] == ["link"]
    assert bob.partner_link(uid).organisation_name == "Structure A"  # the team's version is in place
    resolve(bob, conflict.id, keep_mine=True)
    assert bob.partner_link(uid).organisation_name == "Structure B"
    sync(bob, PASSWORDS["bob"])
    sync(alice, PASSWORDS["alice"])
    assert alice.partner_link(uid).organisation_name == "Structure B"
