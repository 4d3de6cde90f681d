"""Fichier › « Base d'équipe… » against a real PostgreSQL server: join, state (connecté / hors ligne, changes
waiting, last sync), sync, and a conflict shown side by side and settled from the window."""

from __future__ import annotations

import pytest
from team_support import PASSWORDS, member_data, new_team

from qpvdesk.team.membership import join
from qpvdesk.team.sync import sync
from qpvdesk.ui.team_dialog import TeamDialog
from qpvdesk.userdata import PartnerFields


@pytest.fixture()
def team(pg_cluster):
    return new_team(pg_cluster)


def wait_idle(qtbot, dialog: TeamDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy and dialog.status is not None, timeout=30_000)


def test_join_sync_offline_state_and_conflict_from_the_window(qtbot, team, pg_cluster, tmp_path):
    alice = member_data(tmp_path / "alice")
    join(alice, team.url("alice"), "Alice Martin", password=PASSWORDS["alice"])
    uid = alice.create_partner(PartnerFields(name="Maison des projets", kind="association", commune="Toulouse")).uid
    sync(alice, PASSWORDS["alice"])

    bob = member_data(tmp_path / "bob")
    changed = []
    dialog = TeamDialog(bob)
    dialog.data_changed.connect(lambda: changed.append(1))
    qtbot.addWidget(dialog)
    wait_idle(qtbot, dialog)
    assert dialog.join_form.isVisibleTo(dialog) and "Pas de base d'équipe" in dialog.state_label.text()
    dialog.url_edit.setText(team.url("bob"))
    dialog.name_edit.setText("Bob Diallo")
    dialog.password_edit.setText(PASSWORDS["bob"])
    dialog.join_button.click()
    qtbot.waitUntil(lambda: bool(changed) and not dialog.busy and dialog.status.joined, timeout=30_000)
    wait_idle(qtbot, dialog)
    assert [p.name for p in bob.list_partners()] == ["Maison des projets"]
    text = dialog.state_label.text()
    assert "0 modification en attente" in text and "jamais" not in text

    for data, phone in ((alice, "01 01 01 01 01"), (bob, "02 02 02 02 02")):
        data.update_partner(uid, PartnerFields(name="Maison des projets", kind="association", commune="Toulouse",
                                               phone=phone))
    sync(alice, PASSWORDS["alice"])
    pg_cluster.stop()
    try:
        dialog.refresh(probe=True)
        wait_idle(qtbot, dialog)
        assert "hors ligne" in dialog.state_label.text() and "1 modification en attente" in dialog.state_label.text()
    finally:
        pg_cluster.start()
    dialog.sync_button.click()
    qtbot.waitUntil(lambda: bool(dialog.conflicts) and not dialog.busy, timeout=30_000)
    cells = [[dialog.conflict_table.item(r, c).text() for c in range(3)] for r in range(dialog.conflict_table.rowCount())]
    assert cells == [["Téléphone", "02 02 02 02 02", "01 01 01 01 01"]]
    assert "Alice Martin" in dialog.conflict_label.text()
    dialog.keep_mine.click()
    qtbot.waitUntil(lambda: not dialog.conflicts and not dialog.busy, timeout=30_000)
    assert bob.get_partner(uid).phone == "02 02 02 02 02" and "1 modification en attente" in dialog.state_label.text()
    dialog.close()
    alice.close()
    bob.close()


def test_changes_made_offline_leave_by_themselves_once_the_server_is_back(qtbot, team, pg_cluster, tmp_path,
                                                                          monkeypatch):
    from qpvdesk.ui.team_dialog import TeamAutoSync

    alice = member_data(tmp_path / "alice")
    join(alice, team.url("alice"), "Alice Martin", password=PASSWORDS["alice"])
    bob = member_data(tmp_path / "bob")
    join(bob, team.url("bob"), "Bob Diallo", password=PASSWORDS["bob"])
    monkeypatch.setenv("PGPASSWORD", PASSWORDS["bob"])  # what the session or the keyring would give
    auto = TeamAutoSync(bob)
    auto.timer.stop()  # the test ticks instead of waiting three minutes
    pg_cluster.stop()
    try:
        bob.create_partner(PartnerFields(name="Régie de quartier Ouest", kind="association", commune="Toulouse"))
        auto.tick()
        qtbot.waitUntil(lambda: not auto.running, timeout=30_000)
        assert "hors ligne" in status_of(bob).last_error and status_of(bob).pending == 1
    finally:
        pg_cluster.start()
    auto.tick()
    qtbot.waitUntil(lambda: not auto.running, timeout=30_000)
    assert status_of(bob).pending == 0 and status_of(bob).last_error is None

    monkeypatch.setenv("PGPASSWORD", PASSWORDS["alice"])
    alice_auto = TeamAutoSync(alice)
    alice_auto.timer.stop()
    with qtbot.waitSignal(alice_auto.changed, timeout=30_000):  # the window refreshes its partners on this
        alice_auto.tick()
    assert [p.name for p in alice.list_partners()] == ["Régie de quartier Ouest"]
    alice.close()
    bob.close()


def status_of(data):
    from qpvdesk.team.membership import status

    return status(data, probe=False)
