"""Joining from the window when this copy already holds partners (issue 21, « Migration from solo use »): the report
first (duplicates recognised, nothing overwritten), then the member's choice; what was not shared at join can be
shared later from the same dialog. Against a real PostgreSQL."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox
from team_support import PASSWORDS, member_data, server_partners

from qpvdesk.team.membership import join
from qpvdesk.team.sync import sync
from qpvdesk.ui.team_dialog import TeamDialog
from qpvdesk.userdata import PartnerFields


def button(box: QMessageBox, text: str):
    return next(b for b in box.buttons() if b.text() == text)


def test_joining_with_local_partners_asks_with_the_report_then_shares_later_on_request(qtbot, team, tmp_path):
    alice = member_data(tmp_path / "alice")
    join(alice, team.url("alice"), "Alice Martin", password=PASSWORDS["alice"])
    alice.create_partner(PartnerFields(name="Centre social Nord", kind="social-centre", commune="Toulouse"))
    sync(alice, PASSWORDS["alice"])

    bob = member_data(tmp_path / "bob")
    bob.create_partner(PartnerFields(name="CENTRE SOCIAL - Nord", kind="social-centre", commune="toulouse"))
    bob.create_partner(PartnerFields(name="Régie de quartier Ouest", kind="association", commune="Toulouse"))
    bob.set_note("npnru", "Réunion le 12")
    dialog = TeamDialog(bob)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.busy and dialog.status is not None, timeout=30_000)
    dialog.url_edit.setText(team.url("bob"))
    dialog.name_edit.setText("Bob Diallo")
    dialog.password_edit.setText(PASSWORDS["bob"])
    dialog.join_button.click()
    qtbot.waitUntil(lambda: getattr(dialog, "share_question", None) is not None and dialog.share_question.isVisible(),
                    timeout=30_000)
    text = dialog.share_question.text()
    assert "2 partenaires et 1 note" in text and "« CENTRE SOCIAL - Nord »" in text and "Rien n'est écrasé" in text
    assert not bob.team.status(probe=False).joined  # asked before anything is written
    button(dialog.share_question, "Rejoindre sans partager").click()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.status.joined, timeout=30_000)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)
    assert set(server_partners(team)) == {"Centre social Nord"}  # bob's were not sent
    assert dialog.share_button.isVisibleTo(dialog) and "2 partenaires saisis avant de rejoindre" in dialog.state_label.text()

    dialog.share_button.click()
    qtbot.waitUntil(lambda: dialog.share_question.isVisible(), timeout=30_000)
    assert "2 partenaires" in dialog.share_question.text()
    button(dialog.share_question, "Partager").click()
    qtbot.waitUntil(lambda: "Régie de quartier Ouest" in server_partners(team), timeout=30_000)
    qtbot.waitUntil(lambda: not dialog.busy and not dialog.share_button.isVisibleTo(dialog), timeout=30_000)
    # both look-alikes are kept, nothing overwritten
    assert set(server_partners(team)) == {"Centre social Nord", "CENTRE SOCIAL - Nord", "Régie de quartier Ouest"}
    dialog.close()
    alice.close()
    bob.close()


def test_joining_with_nothing_local_asks_nothing(qtbot, team, tmp_path):
    carol = member_data(tmp_path / "carol")
    dialog = TeamDialog(carol)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.busy and dialog.status is not None, timeout=30_000)
    dialog.url_edit.setText(team.url("alice"))
    dialog.name_edit.setText("Carol")
    dialog.password_edit.setText(PASSWORDS["alice"])
    dialog.join_button.click()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.status.joined, timeout=30_000)
    assert getattr(dialog, "share_question", None) is None and not dialog.share_button.isVisibleTo(dialog)
    dialog.close()
    carol.close()
