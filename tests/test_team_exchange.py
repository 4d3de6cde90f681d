"""The CSV/JSON exchange in team mode, on a real PostgreSQL server (throwaway cluster, tests/team_support.py): an
import reaches the other member at the next `team sync`, with the same dry-run report as in solo use (duplicates
recognised, nothing overwritten); an export holds the partners received from the others; an import made while the
server is stopped reaches the other member once it is back (a typed partner in the same situation:
tests/test_team_sync.py)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from team_support import PASSWORDS, server_partners
from userdata_fixtures import REFS, row, write_csv

from qpvdesk.errors import TeamError
from qpvdesk.team.membership import status, team_notes
from qpvdesk.team.sync import sync
from qpvdesk.userdata import PartnerFields, open_user_data


def solo_twin(member, folder: Path):  # noqa: ANN001
    """A user database outside any team holding exactly the member's partners (same ids and dates), through the
    member's own JSON export: where the solo dry-run report is made."""
    member.export_partners(folder.with_suffix(".json"))
    twin = open_user_data(folder, refs=REFS, backup=False)
    assert twin.import_partners(folder.with_suffix(".json"), dry_run=False).new == member.count_partners()
    return twin


@pytest.fixture()
def regie(alice, bob):
    """A partner bob typed and shared, that alice received: the one an import must not overwrite."""
    made = bob.create_partner(PartnerFields(name="Régie de quartier", kind="association", commune="Toulouse",
                                            phone="05 61 00 00 00", programme_ids=("npnru",)))
    sync(bob, PASSWORDS["bob"])
    assert sync(alice, PASSWORDS["alice"]).received_partners == 1
    return made


def excel_rows(regie) -> list[list[str]]:  # noqa: ANN001
    return [
        row("Maison de l'Économie", "Évry-Courcouronnes", programmes="npnru, cites-educatives",
            notes="Référente : Mme Durand\nmardi « matin »"),
        row("Association Trait d'union", "Toulouse", telephone="05 61 11 11 11"),
        row("REGIE DE QUARTIER ", "toulouse", telephone="06 66 66 66 66"),  # same name and commune: duplicate
        row("Régie de quartier", "Toulouse", uid=regie.uid, telephone="07 77 77 77 77",  # an older copy of it
            modifie_le="01/01/2020 10:00"),
        row("Ville mal tapée", "Toulouze"),  # rejected, in French, the others go on
        row("Association Trait d'union", "Toulouse"),  # twice in the file
    ]


def test_a_csv_import_from_excel_reports_as_in_solo_use_and_reaches_the_other_member(team, alice, bob, regie,
                                                                                      tmp_path):
    path = write_csv(tmp_path / "partenaires excel.csv", excel_rows(regie), encoding="cp1252")
    with solo_twin(alice, tmp_path / "solo") as solo:
        expected = solo.import_partners(path, dry_run=True)
    dry = alice.import_partners(path, dry_run=True)
    assert dry == expected  # the same report, line by line, as without a team
    assert (dry.new, dry.modified, dry.duplicates, dry.rejected) == (2, 0, 3, 1)
    assert any("Windows-1252" in w for w in dry.warnings)
    assert status(alice, probe=False).pending == 0  # a dry run queues nothing
    applied = alice.import_partners(path, dry_run=False)
    assert applied.summary() == dry.summary() and applied.applied
    assert status(alice, probe=False).pending == 2  # only what the import wrote

    report = sync(alice, PASSWORDS["alice"])
    assert (report.sent_partners, report.conflicts) == (2, [])
    assert sync(bob, PASSWORDS["bob"]).received_partners == 2
    seen = {p.name: p for p in bob.list_partners()}
    assert set(seen) == {"Régie de quartier", "Maison de l'Économie", "Association Trait d'union"}
    assert seen["Maison de l'Économie"].programme_ids == ("npnru", "cites-educatives")
    assert seen["Maison de l'Économie"].notes == "Référente : Mme Durand\nmardi « matin »"
    assert seen["Régie de quartier"].phone == "05 61 00 00 00"  # nothing overwritten, here, at alice's, on the server
    assert alice.get_partner(regie.uid).phone == "05 61 00 00 00"
    _commune, created_by, updated_by, _version, _deleted = server_partners(team)["Association Trait d'union"]
    assert (created_by, updated_by) == ("Alice Martin", "Alice Martin")
    assert server_partners(team)["Régie de quartier"][1:3] == ("Bob Diallo", "Bob Diallo")


def test_a_json_import_reports_as_in_solo_use_and_its_newer_version_reaches_the_other_member(team, alice, bob, regie,
                                                                                             tmp_path):
    # a colleague outside the team sends her file: her own copy of the régie, changed since, and two others
    with open_user_data(tmp_path / "carol", refs=REFS, backup=False) as carol:
        bob.export_partners(tmp_path / "de bob.json")
        carol.import_partners(tmp_path / "de bob.json", dry_run=False)
        carol.update_partner(regie.uid, PartnerFields(name="Régie de quartier", kind="association", commune="Toulouse",
                                                      phone="05 61 22 22 22", programme_ids=("npnru",)))
        carol.create_partner(PartnerFields(name="Centre social Lilas", kind="social-centre", commune="Saint-Denis"))
        carol.create_partner(PartnerFields(name="RÉGIE DE QUARTIER", kind="association", commune="toulouse",
                                           notes="sa propre fiche, sans identifiant commun"))
        carol.export_partners(tmp_path / "de carol.json")
    path = tmp_path / "de carol.json"
    with solo_twin(alice, tmp_path / "solo") as solo:
        expected = solo.import_partners(path, dry_run=True)
    dry = alice.import_partners(path, dry_run=True)
    assert dry == expected
    assert (dry.new, dry.modified, dry.duplicates, dry.rejected) == (1, 1, 1, 0)
    alice.import_partners(path, dry_run=False)
    assert sync(alice, PASSWORDS["alice"]).sent_partners == 2
    assert sync(bob, PASSWORDS["bob"]).received_partners == 2
    assert bob.get_partner(regie.uid).phone == "05 61 22 22 22"  # the newer version, as an import in solo use
    assert sorted(p.name for p in bob.list_partners()) == ["Centre social Lilas", "Régie de quartier"]
    assert server_partners(team)["Régie de quartier"][1:3] == ("Bob Diallo", "Alice Martin")


def test_an_export_in_team_mode_holds_the_partners_received_from_the_others(team, alice, bob, regie, tmp_path):
    alice.import_partners(write_csv(tmp_path / "a.csv", excel_rows(regie)[:2]), dry_run=False)
    sync(alice, PASSWORDS["alice"])
    sync(bob, PASSWORDS["bob"])
    assert bob.export_partners(tmp_path / "equipe.csv") == 3
    with open(tmp_path / "equipe.csv", encoding="utf-8-sig", newline="") as f:
        lines = list(csv.DictReader(f, delimiter=";"))
    assert {r["identifiant"]: r["nom"] for r in lines} == {p.uid: p.name for p in alice.list_partners()}
    assert bob.export_partners(tmp_path / "equipe.json") == 3
    exported = json.loads((tmp_path / "equipe.json").read_text(encoding="utf-8"))["partners"]
    assert sorted(p["name"] for p in exported) == ["Association Trait d'union", "Maison de l'Économie",
                                                   "Régie de quartier"]
    # whoever receives the file outside the team gets the same partners, same ids and dates
    with open_user_data(tmp_path / "hors equipe", refs=REFS, backup=False) as other:
        assert other.import_partners(tmp_path / "equipe.json", dry_run=False).new == 3
        assert other.list_partners() == bob.list_partners()


def test_an_import_made_while_the_server_is_stopped_reaches_the_other_member_when_it_is_back(team, alice, bob, regie,
                                                                                             pg_cluster, tmp_path):
    path = write_csv(tmp_path / "hors ligne.csv", excel_rows(regie), encoding="cp1252")
    pg_cluster.stop()
    try:
        assert alice.import_partners(path, dry_run=False).new == 2  # the import itself needs no server
        with pytest.raises(TeamError) as caught:
            sync(alice, PASSWORDS["alice"])
        assert caught.value.offline and "hors ligne" in str(caught.value)
        shown = status(alice, PASSWORDS["alice"])
        assert (shown.state, shown.pending) == ("hors ligne", 2)
        assert [p.name for p in alice.search_partners("economie")] == ["Maison de l'Économie"]
    finally:
        pg_cluster.start()
    assert sync(alice, PASSWORDS["alice"]).sent_partners == 2
    assert sync(bob, PASSWORDS["bob"]).received_partners == 2
    assert sorted(p.name for p in bob.list_partners()) == ["Association Trait d'union", "Maison de l'Économie",
                                                           "Régie de quartier"]
    assert bob.get_partner(regie.uid).phone == "05 61 00 00 00"


def test_notes_imported_in_team_mode_stay_private_until_shared(team, alice, bob, tmp_path):
    path = tmp_path / "notes.json"
    path.write_text(json.dumps({"notes": [{"entity_id": "npnru", "text": "Comité le 12"},
                                          {"entity_id": "anru", "text": "Piste confidentielle"}]}), encoding="utf-8")
    assert alice.import_notes(path).added == 2
    sync(alice, PASSWORDS["alice"])
    sync(bob, PASSWORDS["bob"])
    assert team_notes(bob) == []
    assert sorted(team.admin_sql("SELECT owner, entity_id, shared FROM team_note", fetch=True)) == [
        ("alice", "anru", 0), ("alice", "npnru", 0)]
