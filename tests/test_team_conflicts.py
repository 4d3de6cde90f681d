"""Settling a team conflict field by field on a real PostgreSQL server: the merged partner is queued, sent and
received by the other member; both originals stay in the record with what was chosen; a merged value a typed edit
could not have is refused in French and nothing changes. Also `team conflicts` / `team resolve` from the CLI."""

from __future__ import annotations

import json

import pytest
from team_support import PASSWORDS, member_data

from qpvdesk.cli import main
from qpvdesk.errors import TeamError
from qpvdesk.team.conflicts import JOIN_LINE, parse_choices
from qpvdesk.team.membership import join, status
from qpvdesk.team.sync import list_conflicts, resolve, sync
from qpvdesk.userdata import PartnerFields

BASE = {"name": "Maison des projets", "kind": "association", "commune": "Toulouse"}


@pytest.fixture()
def members(team, tmp_path):
    alice, bob = member_data(tmp_path / "alice"), member_data(tmp_path / "bob")
    join(alice, team.url("alice"), "Alice Martin", password=PASSWORDS["alice"])
    join(bob, team.url("bob"), "Bob Diallo", password=PASSWORDS["bob"])
    yield alice, bob
    alice.close()
    bob.close()


def conflict_between(alice, bob, alice_fields: dict, bob_fields: dict):
    """Alice creates the partner, both receive it, both change it; Alice syncs first, Bob gets the conflict."""
    uid = alice.create_partner(PartnerFields(**BASE, programme_ids=("npnru",))).uid
    sync(alice, PASSWORDS["alice"])
    sync(bob, PASSWORDS["bob"])
    alice.update_partner(uid, PartnerFields(**{**BASE, "programme_ids": ("npnru",), **alice_fields}))
    bob.update_partner(uid, PartnerFields(**{**BASE, "programme_ids": ("npnru",), **bob_fields}))
    assert not sync(alice, PASSWORDS["alice"]).conflicts
    [conflict] = sync(bob, PASSWORDS["bob"]).conflicts
    return uid, conflict


def test_a_field_by_field_merge_is_sent_and_the_other_member_receives_it(members):
    alice, bob = members
    uid, conflict = conflict_between(
        alice, bob,
        {"phone": "01 11 11 11 11", "notes": "Comité le 12.", "programme_ids": ("npnru", "cites-educatives")},
        {"phone": "02 22 22 22 22", "email": "accueil@maison.fr", "notes": "Nouvelle directrice en mars.",
         "programme_ids": ("npnru", "adultes-relais")})
    assert sorted(f for f, _m, _t in conflict.differences()) == ["email", "notes", "phone", "programme_ids"]
    resolve(bob, conflict.id, choices={"phone": "theirs", "email": "mine", "notes": "both", "programme_ids": "both"})
    merged = bob.get_partner(uid)
    assert (merged.phone, merged.email) == ("01 11 11 11 11", "accueil@maison.fr")
    assert merged.notes == ("Nouvelle directrice en mars.\n\n" + JOIN_LINE.format(by="Alice Martin")
                            + "\nComité le 12.")
    assert merged.programme_ids == ("npnru", "adultes-relais", "cites-educatives")
    assert status(bob, probe=False).pending == 1  # queued like any edit
    report = sync(bob, PASSWORDS["bob"])
    assert report.sent_partners == 1 and not report.conflicts  # based on the team's version: no new conflict
    assert sync(alice, PASSWORDS["alice"]).received_partners == 1
    seen = alice.get_partner(uid)
    assert (seen.phone, seen.email, seen.notes, seen.programme_ids) == (
        merged.phone, merged.email, merged.notes, merged.programme_ids)
    # both originals are still in the record, with what was chosen and the result
    [record] = list_conflicts(bob, include_resolved=True)
    assert record.mine["phone"] == "02 22 22 22 22" and record.theirs["phone"] == "01 11 11 11 11"
    assert record.mine["notes"] == "Nouvelle directrice en mars." and record.theirs["notes"] == "Comité le 12."
    assert record.choice["mode"] == "merge" and record.choice["fields"]["email"] == "mine"
    assert record.choice["result"]["notes"] == merged.notes and record.resolved_at
    assert list_conflicts(bob) == []


def test_keeping_the_teams_version_writes_nothing_and_keeping_mine_sends_it(members):
    alice, bob = members
    uid, conflict = conflict_between(alice, bob, {"phone": "01 11 11 11 11"}, {"phone": "02 22 22 22 22"})
    resolve(bob, conflict.id, keep_mine=False)
    assert bob.get_partner(uid).phone == "01 11 11 11 11" and status(bob, probe=False).pending == 0
    assert list_conflicts(bob, include_resolved=True)[0].choice["mode"] == "theirs"
    with pytest.raises(TeamError, match="Aucun conflit n°"):  # settled once only
        resolve(bob, conflict.id, keep_mine=True)


def test_an_edit_made_after_the_conflict_and_replaced_by_the_settlement_stays_in_the_record(members):
    alice, bob = members
    uid, conflict = conflict_between(alice, bob, {"phone": "01 11 11 11 11"}, {"phone": "02 22 22 22 22"})
    bob.update_partner(uid, PartnerFields(**{**BASE, "programme_ids": ("npnru",), "phone": "01 11 11 11 11",
                                             "address": "3 rue du Marché"}))  # typed while the conflict waits
    resolve(bob, conflict.id, keep_mine=True)
    assert bob.get_partner(uid).address == BASE.get("address", "")  # the settlement wrote « mine » as shown
    [record] = list_conflicts(bob, include_resolved=True)
    assert record.choice["replaced_local_edit"] == {"address": "3 rue du Marché"}  # not lost


def test_a_merged_value_a_typed_edit_could_not_have_is_refused_in_french_and_nothing_changes(members):
    alice, bob = members
    long_note = "Compte rendu détaillé. " * 500  # 11 500 characters each: joined, over the 20 000 of a note
    uid, conflict = conflict_between(alice, bob, {"phone": "01 11 11 11 11", "notes": long_note},
                                     {"phone": "02 22 22 22 22", "notes": long_note.upper()})
    with pytest.raises(TeamError) as caught:
        resolve(bob, conflict.id, choices={"notes": "both", "phone": "mine"})
    assert "Fusion refusée (rien n'a été modifié)" in str(caught.value) and "« notes » trop long" in str(caught.value)
    assert bob.get_partner(uid).phone == "01 11 11 11 11" and status(bob, probe=False).pending == 0
    assert [c.id for c in list_conflicts(bob)] == [conflict.id]
    resolve(bob, conflict.id, keep_mine=False)


def test_only_problems_the_member_brings_refuse_a_merge(members):
    """Values written past the form's checks (an import, another client): taking such a value of one's own is
    refused like a typed edit; the team's, already in place, is not the member's doing and does not block."""
    alice, bob = members
    uid, conflict = conflict_between(alice, bob, {"phone": "pas un numéro"},
                                     {"phone": "02 22 22 22 22", "email": "pas-une-adresse", "notes": "Accueil 9h."})
    with pytest.raises(TeamError, match="le courriel « pas-une-adresse » n'est pas une adresse valide"):
        resolve(bob, conflict.id, choices={"email": "mine", "notes": "mine"})
    assert bob.get_partner(uid).notes == "" and [c.id for c in list_conflicts(bob)] == [conflict.id]
    resolve(bob, conflict.id, choices={"phone": "theirs", "notes": "mine"})
    partner = bob.get_partner(uid)
    assert (partner.phone, partner.email, partner.notes) == ("pas un numéro", "", "Accueil 9h.")


def test_a_newer_team_version_received_before_settling_is_not_overwritten_unseen(members):
    alice, bob = members
    uid, conflict = conflict_between(alice, bob, {"phone": "01 11 11 11 11"}, {"phone": "02 22 22 22 22"})
    alice.update_partner(uid, PartnerFields(**BASE, programme_ids=("npnru",), phone="01 11 11 11 11",
                                            website="https://maison.example.fr"))
    sync(alice, PASSWORDS["alice"])
    assert sync(bob, PASSWORDS["bob"]).received_partners == 1  # alice's newer version, while the conflict waits
    resolve(bob, conflict.id, keep_mine=True)
    [again] = sync(bob, PASSWORDS["bob"]).conflicts  # a new conflict: the newer version is shown, not dropped
    assert again.theirs["website"] == "https://maison.example.fr" and again.mine["phone"] == "02 22 22 22 22"
    assert [d[0] for d in again.differences()] == ["phone", "website"]


def test_a_partner_deleted_by_the_other_member_can_be_kept_with_ones_changes(members):
    alice, bob = members
    uid = alice.create_partner(PartnerFields(**BASE)).uid
    sync(alice, PASSWORDS["alice"])
    sync(bob, PASSWORDS["bob"])
    alice.delete_partner(uid)
    bob.update_partner(uid, PartnerFields(**BASE, phone="02 22 22 22 22"))
    sync(alice, PASSWORDS["alice"])
    [conflict] = sync(bob, PASSWORDS["bob"]).conflicts
    assert sorted(f for f, _m, _t in conflict.differences()) == ["deleted_at", "phone"]
    assert bob.get_partner(uid) is None  # the team's version: deleted
    resolve(bob, conflict.id, choices=parse_choices(conflict, {"suppression": "mienne", "telephone": "mienne"}))
    assert bob.get_partner(uid).phone == "02 22 22 22 22"
    sync(bob, PASSWORDS["bob"])
    sync(alice, PASSWORDS["alice"])
    assert alice.get_partner(uid).phone == "02 22 22 22 22"  # back for everyone, with bob's change


def test_unknown_field_or_choice_lists_what_is_allowed(members):
    alice, bob = members
    _uid, conflict = conflict_between(alice, bob, {"phone": "01 11 11 11 11"}, {"phone": "02 22 22 22 22",
                                                                              "notes": "Ouvert le samedi."})
    assert parse_choices(conflict, {"Téléphone": "Équipe", "notes": "les deux"}) == {"phone": "theirs",
                                                                                   "notes": "both"}
    with pytest.raises(TeamError, match="champ « fax » inconnu .* les champs qui diffèrent sont telephone, notes"):
        parse_choices(conflict, {"fax": "mienne"})
    with pytest.raises(TeamError, match="choix « les-deux » inconnu pour le champ « telephone » : mienne ou equipe"):
        parse_choices(conflict, {"telephone": "les-deux"})


def test_cli_shows_conflicts_side_by_side_and_settles_field_by_field(members, monkeypatch, capsys, tmp_path):
    alice, bob = members
    uid, conflict = conflict_between(alice, bob, {"phone": "01 11 11 11 11", "notes": "Comité le 12."},
                                     {"phone": "02 22 22 22 22", "notes": "Fermé en août."})
    bob.close()
    monkeypatch.setenv("QPVDESK_USER_DIR", str(tmp_path / "bob"))
    monkeypatch.setenv("PGPASSWORD", PASSWORDS["bob"])

    def run(*argv):
        code = main(["team", *argv])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, _ = run("conflicts")
    assert code == 0 and f"Conflit n° {conflict.id} : « Maison des projets »" in out
    assert "votre version" in out and "version de l'équipe" in out and "Alice Martin" in out
    [line] = [ln for ln in out.splitlines() if ln.strip().startswith("telephone")]
    assert "02 22 22 22 22" in line and "01 11 11 11 11" in line  # side by side, on the field's line
    assert f"qpvdesk team resolve {conflict.id} --champ telephone=mienne" in out
    [shown] = json.loads(run("conflicts", "--json")[1])
    assert {c["champ"] for c in shown["champs"]} == {"phone", "notes"} and shown["par"] == "Alice Martin"

    code, _out, err = run("resolve", str(conflict.id), "--champ", "fax=mienne")
    assert code == 1 and "champ « fax » inconnu" in err and "telephone, notes" in err and "Traceback" not in err
    code, _out, err = run("resolve", str(conflict.id), "--champ", "telephone=peut-etre")
    assert code == 1 and "mienne ou equipe" in err
    code, _out, err = run("resolve", str(conflict.id))
    assert code == 1 and "--garder" in err and "--champ" in err
    code, _out, err = run("resolve", str(conflict.id), "--garder", "la-sienne")
    assert code == 1 and "mienne ou equipe" in err
    with member_data(tmp_path / "bob") as data:
        assert data.get_partner(uid).phone == "01 11 11 11 11" and list_conflicts(data)  # nothing changed

    code, out, _ = run("resolve", str(conflict.id), "--champ", "telephone=mienne", "--champ", "notes=les-deux")
    assert code == 0 and "réglé" in out and "prochaine synchronisation" in out
    with member_data(tmp_path / "bob") as data:
        partner = data.get_partner(uid)
        assert partner.phone == "02 22 22 22 22" and partner.notes.startswith("Fermé en août.")
        assert partner.notes.endswith("Comité le 12.") and not list_conflicts(data)
    assert "Envoyés : 1 partenaire" in run("sync")[1]
    sync(alice, PASSWORDS["alice"])
    assert alice.get_partner(uid).phone == "02 22 22 22 22"


def test_cli_sync_lists_a_new_conflict_with_the_commands_to_settle_it(members, monkeypatch, capsys, tmp_path):
    alice, bob = members
    uid = alice.create_partner(PartnerFields(**BASE)).uid
    sync(alice, PASSWORDS["alice"])
    sync(bob, PASSWORDS["bob"])
    alice.update_partner(uid, PartnerFields(**BASE, website="https://alice.example.fr"))
    bob.update_partner(uid, PartnerFields(**BASE, website="https://bob.example.fr"))
    sync(alice, PASSWORDS["alice"])
    bob.close()
    monkeypatch.setenv("QPVDESK_USER_DIR", str(tmp_path / "bob"))
    monkeypatch.setenv("PGPASSWORD", PASSWORDS["bob"])
    assert main(["team", "sync"]) == 0
    out = capsys.readouterr().out
    assert "Conflit n° 1 : « Maison des projets » modifié aussi par Alice Martin" in out
    assert "https://bob.example.fr" in out and "https://alice.example.fr" in out
    assert "qpvdesk team resolve 1 --garder mienne" in out and "--champ site-web=mienne" in out
    assert main(["team", "resolve", "1", "--garder", "équipe"]) == 0
    assert "version de l'équipe" in capsys.readouterr().out
