"""Fichier › « Base d'équipe… » against a real PostgreSQL server: join, state (connecté / hors ligne, changes
waiting, last sync), sync, and a conflict shown side by side and settled from the window."""

from __future__ import annotations

from team_support import PASSWORDS, member_data

from qpvdesk.team.membership import join
from qpvdesk.team.sync import sync
from qpvdesk.ui.team_dialog import TeamDialog
from qpvdesk.userdata import PartnerFields


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
    assert "Alice Martin" in dialog.conflict_panel.list.item(0).text() and "Alice Martin" in dialog.conflict_panel.who.text()
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


def test_a_conflict_is_settled_field_by_field_with_the_result_shown_first(qtbot, team, tmp_path):
    alice = member_data(tmp_path / "alice")
    join(alice, team.url("alice"), "Alice Martin", password=PASSWORDS["alice"])
    bob = member_data(tmp_path / "bob")
    join(bob, team.url("bob"), "Bob Diallo", password=PASSWORDS["bob"])
    base = {"name": "Maison des projets", "kind": "association", "commune": "Toulouse"}
    uid = alice.create_partner(PartnerFields(**base)).uid
    sync(alice, PASSWORDS["alice"])
    sync(bob, PASSWORDS["bob"])
    alice.update_partner(uid, PartnerFields(**base, phone="01 01 01 01 01", notes="Comité le 12.",
                                            website="https://alice.example.fr"))
    bob.update_partner(uid, PartnerFields(**base, phone="02 02 02 02 02", notes="Fermé en août.",
                                          email="pas-une-adresse", website="https://bob.example.fr"))
    sync(alice, PASSWORDS["alice"])
    assert sync(bob, PASSWORDS["bob"]).conflicts

    dialog = TeamDialog(bob)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot, dialog)
    panel = dialog.conflict_panel
    rows = {panel.table.item(r, 0).text(): r for r in range(panel.table.rowCount())}
    assert set(rows) == {"Téléphone", "Courriel", "Site web", "Notes"}
    assert panel.choice_box(rows["Notes"]).count() == 3 and panel.choice_box(rows["Téléphone"]).count() == 2
    result = {name: panel.table.item(r, 4).text() for name, r in rows.items()}
    assert result["Téléphone"] == "01 01 01 01 01"  # before any choice: the team's version, which is in place

    # keyboard: the row, then M (mine) / D (both); the result column follows before anything is written
    panel.table.setFocus()
    panel.table.setCurrentCell(rows["Téléphone"], 0)
    qtbot.keyClick(panel.table, "m")
    panel.table.setCurrentCell(rows["Notes"], 0)
    qtbot.keyClick(panel.table, "d")
    assert panel.table.item(rows["Téléphone"], 4).text() == "02 02 02 02 02"
    notes = panel.table.item(rows["Notes"], 4).text()
    assert notes.startswith("Fermé en août.") and "version de Alice Martin" in notes and notes.endswith("Comité le 12.")
    assert bob.get_partner(uid).phone == "01 01 01 01 01"  # nothing written yet
    # taking one's own invalid e-mail is refused before applying: the reason shown, « Fusionner » off
    panel.choose(rows["Courriel"], "mine")
    assert "pas-une-adresse" in panel.problems.text() and not panel.merge.isEnabled()
    panel.choose(rows["Courriel"], "theirs")
    assert panel.problems.text() == "" and panel.merge.isEnabled()
    panel.merge.click()
    qtbot.waitUntil(lambda: not dialog.conflicts and not dialog.busy, timeout=30_000)
    assert "Aucun conflit à régler" in panel.summary.text() and not panel.table.isVisibleTo(dialog)
    partner = bob.get_partner(uid)
    assert (partner.phone, partner.email, partner.website) == ("02 02 02 02 02", "", "https://alice.example.fr")
    assert partner.notes == notes and "1 modification en attente" in dialog.state_label.text()
    dialog.close()
    alice.close()
    bob.close()


def test_tab_reaches_the_choices_of_the_conflict_table(qtbot):
    from PySide6.QtCore import Qt

    from qpvdesk.team.sync import Conflict
    from qpvdesk.ui.team_conflicts import ConflictPanel

    class Team:  # the panel only previews through the team object
        def preview_resolution(self, conflict, choices):
            from qpvdesk.team.conflict_choices import MINE

            class Shown:
                ok, problems = True, []
                result = {f: (conflict.mine if c == MINE else conflict.theirs)[f] for f, c in choices.items()}
            return Shown()

    conflict = Conflict(7, "uid", {"name": "A", "phone": "01 01 01 01 01", "notes": "x"},
                        {"name": "A", "phone": "02 02 02 02 02", "notes": "y", "updated_by": "Alice Martin"},
                        "2026-12-04T21:00:00Z")
    panel = ConflictPanel(Team())
    qtbot.addWidget(panel)
    panel.show_conflicts([conflict])
    panel.show()
    panel.table.setFocus()
    qtbot.waitUntil(panel.table.hasFocus)
    qtbot.keyClick(panel.table, Qt.Key.Key_Tab)
    assert panel.focusWidget() is panel.choice_box(0)
    qtbot.keyClick(panel.choice_box(0), Qt.Key.Key_Tab)
    assert panel.focusWidget() is panel.choice_box(1)


def status_of(data):
    from qpvdesk.team.membership import status

    return status(data, probe=False)
