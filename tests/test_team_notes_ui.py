"""Shared notes in the window (issue 21): « Partagée avec l'équipe » under the note once a team is joined, the other
members' shared notes on the fiche (catalogue fiche and local partner) and in the search box, never on paper nor
on a projector. The two members sync through a real PostgreSQL server (tests/pg_cluster.py)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from sqlalchemy import select
from team_support import PASSWORDS, member_data

from qpvdesk.team.membership import join, team_notes
from qpvdesk.team.sync import OUTBOX, sync
from qpvdesk.userdata import PartnerFields
from qpvdesk.userdata.fiche import team_notes_html
from qpvdesk.userdata.hits import TEAM_NOTES_GROUP, team_note_hits

HOSTILE = "<script>alert('x')</script><b>gras</b> & <a href=\"entity:anru\">lien</a>"
FRENCH_DATE = re.compile(r"le \d{2}/\d{2}/\d{4} à \d{2}:\d{2}")


@pytest.fixture(autouse=True)
def restore_app_font(qapp):
    """Projector mode enlarges the application's font and changes its palette: the next test files get them back."""
    from PySide6.QtGui import QFont

    font, palette = QFont(qapp.font()), qapp.palette()
    yield
    qapp.setFont(font)
    qapp.setPalette(palette)


def queued_notes(data) -> list[str]:  # noqa: ANN001
    with data._read() as s:
        return list(s.scalars(select(OUTBOX.c.key).where(OUTBOX.c.kind == "note")))


# --- core: the section and the hits, no server ----------------------------------------------------------------


def test_team_notes_section_says_who_and_when_and_keeps_a_hostile_note_as_text():
    html = team_notes_html([{"author": "Alice <Martin>", "updated_at": "2026-12-04T09:30:00+00:00", "text": HOSTILE},
                            {"author": "Bob", "updated_at": "2026-12-05T10:00:00+00:00", "text": "Ligne 1\nLigne 2"}])
    assert "Notes partagées par l'équipe (2)</h2>" in html
    assert "<script>" not in html and "<b>gras</b>" not in html and 'href="entity:anru"' not in html
    assert "&lt;script&gt;" in html and "Alice &lt;Martin&gt;" in html
    assert html.index("Bob") < html.index("Alice")  # the most recent first
    assert "Ligne 1<br/>Ligne 2" in html and FRENCH_DATE.search(html)
    assert team_notes_html([]) == ""


def test_team_note_hits_find_text_or_author_accents_forgiven_and_say_whose():
    notes = [{"entity_id": "npnru", "author": "Zoé Durand", "updated_at": "2026-12-04T09:00:00+00:00",
              "text": "Comité de pilotage le 12 : réunion à l'Hôtel de ville"}]
    names = {"npnru": "Nouveau programme national"}.get
    [hit] = team_note_hits(notes, names, "hotel comite")
    assert (hit.id, hit.group) == ("npnru", TEAM_NOTES_GROUP)
    assert hit.title == "Note de l'équipe · Zoé Durand — Nouveau programme national"
    assert "Hôtel" in hit.snippet and hit.highlights
    assert [h.id for h in team_note_hits(notes, names, "zoe")] == ["npnru"]  # found by its author too
    assert team_note_hits(notes, names, "budget") == [] and team_note_hits(notes, names, "  ") == []


def test_saving_a_note_private_again_never_leaves_its_new_text_shared(tmp_path):
    data = member_data(tmp_path / "solo")
    try:
        team = data.team
        team.save_note("npnru", "Réunion publique le 3", shared=True)
        assert team.note_shared("npnru") and queued_notes(data) == ["npnru"]  # queued for the next sync
        seen = []
        original = data.set_note

        def spy(entity_id, text):  # noqa: ANN001, ANN202 - what a sync could read while the text is written
            seen.append(team.note_shared(entity_id))
            return original(entity_id, text)

        data.set_note = spy
        team.save_note("npnru", "Piste confidentielle", shared=False)
        assert seen == [False] and not team.note_shared("npnru")
        assert data.get_note("npnru").text == "Piste confidentielle"
        data.set_note = original
        assert team.save_note("anru", "", shared=True) is None and not team.note_shared("anru")  # nothing to share
    finally:
        data.close()


# --- the window ---------------------------------------------------------------------------------------------------


def test_no_sharing_checkbox_when_not_in_a_team(loaded_window, real_catalogue_path):
    window = loaded_window(real_catalogue_path, with_user_data=True)
    window.open_entity("npnru")
    editor = window.personal.notes
    assert editor.isEnabled() and not editor.share_box.isVisible() and not editor.share_hint.isVisible()
    assert "restent sur cet ordinateur" in editor.edit.placeholderText() and not editor.team_link.isVisible()
    assert "Notes partagées par l'équipe" not in window.detail.toPlainText()


def joined_window(loaded_window, real_catalogue_path, team, login: str, name: str):  # noqa: ANN001, ANN201
    window = loaded_window(real_catalogue_path, with_user_data=True)
    join(window.user_data, team.url(login), name, password=PASSWORDS[login])
    window._team_changed()  # what Fichier › « Base d'équipe… » calls once joined
    return window


def test_in_a_team_the_checkbox_shares_the_note_at_the_next_sync(qtbot, loaded_window, real_catalogue_path, team, bob):
    window = joined_window(loaded_window, real_catalogue_path, team, "alice", "Alice Martin")
    alice = window.user_data
    window.open_entity("npnru")
    editor = window.personal.notes
    box = editor.share_box
    assert box.isVisible() and editor.share_hint.isVisible() and not box.isChecked()  # private unless asked
    assert box.accessibleName() == "Note partagée avec l'équipe" and box.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert "aucun autre membre" in editor.share_hint.text() and "privée" in box.accessibleDescription() and "serveur de l'équipe" in editor.title.text()
    editor.edit.setPlainText("Comité de pilotage le 12 : à préparer avec la préfecture")
    qtbot.waitUntil(lambda: editor.status.text().startswith("Enregistré"), timeout=5000)
    assert not alice.team.note_shared("npnru")
    assert box.text() == "Partagée avec l'é&quipe"  # Alt+Q, no other mnemonic of the window
    labels = [w.text() for w in window.findChildren(QWidget) if isinstance(w, (QAbstractButton, QLabel))]
    labels += [a.text() for a in window.findChildren(QAction)]
    assert [t for t in labels if "&q" in t.lower().replace("&&", "")] == [box.text()]
    with qtbot.waitSignal(window.personal.note_saver.finished, timeout=5000):
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Space)  # keyboard: Tab to it, Space
    assert box.isChecked() and "membres de votre équipe la lisent" in editor.share_hint.text()
    assert alice.team.note_shared("npnru") and queued_notes(alice) == ["npnru"]
    editor.edit.moveCursor(editor.edit.textCursor().MoveOperation.End)
    editor.edit.insertPlainText(" (salle 2)")  # typing…
    window._team_changed()  # …when an automatic sync received something: her typing is left alone
    assert editor.edit.textCursor().position() == len(editor.edit.toPlainText()) and editor.edit.document().isUndoAvailable()
    window.open_entity("anru")
    editor.edit.setPlainText("Piste de financement confidentielle")  # never ticked: stays private
    window.open_entity("npnru")
    assert box.isChecked()  # shown again as shared
    qtbot.waitUntil(lambda: window.personal.note_saver.unsaved_text("anru") is None, timeout=5000)
    sync(alice, PASSWORDS["alice"])
    sync(bob, PASSWORDS["bob"])
    assert [(n["entity_id"], n["author"]) for n in team_notes(bob)] == [("npnru", "Alice Martin")]

    with qtbot.waitSignal(window.personal.note_saver.finished, timeout=5000):
        box.click()  # private again
    assert not alice.team.note_shared("npnru")
    sync(alice, PASSWORDS["alice"])
    sync(bob, PASSWORDS["bob"])
    assert team_notes(bob) == []


def test_the_other_members_shared_notes_show_on_the_fiche_in_search_not_on_paper_nor_projector(
        qtbot, loaded_window, real_catalogue_path, team, tmp_path):
    alice = member_data(tmp_path / "alice")
    join(alice, team.url("alice"), "Alice Martin", password=PASSWORDS["alice"])
    partner = alice.create_partner(PartnerFields(name="Régie de quartier Izards", kind="association", commune="Toulouse"))
    for entity_id, text, shared in (("npnru", "Comité de pilotage le 12 : convention Zéphyr à signer", True),
                                    ("anru", "Piste de financement confidentielle", False),
                                    ("pic", HOSTILE, True),
                                    (partner.entity_id, "Contact : la directrice, le mardi", True)):
        alice.team.save_note(entity_id, text, shared)
    sync(alice, PASSWORDS["alice"])
    alice.close()

    window = joined_window(loaded_window, real_catalogue_path, team, "bob", "Bob Diallo")
    window.open_entity("npnru")
    assert "Notes partagées par l'équipe" not in window.detail.toPlainText()  # nothing received yet
    sync(window.user_data, PASSWORDS["bob"])
    window._team_changed()  # what the automatic sync calls when something arrived
    page = window.detail.toPlainText()  # the fiche on screen was shown again with the note
    assert "Notes partagées par l'équipe (1)" in page and "Alice Martin" in page and FRENCH_DATE.search(page)
    assert "convention Zéphyr à signer" in page
    assert page.index("Notes partagées par l'équipe") > page.index("Sources")  # closes the fiche
    editor = window.personal.notes
    assert not editor.share_box.isChecked() and editor.edit.toPlainText() == ""  # her note is not bob's
    assert editor.team_link.isVisible() and "1 note de l'équipe" in editor.team_link.text()
    window.detail.verticalScrollBar().setValue(0)
    editor.team_link.linkActivated.emit("#")  # « voir en fin de fiche »
    assert window.detail.verticalScrollBar().value() > 0

    window.open_entity("anru")
    assert "confidentielle" not in window.detail.toPlainText()  # her private note never reaches bob
    assert not editor.team_link.isVisible()
    window.open_entity("pic")
    assert "<script>alert('x')</script>" in window.detail.toPlainText()  # shown as text, not run or rendered
    assert "<script" not in window.detail.toHtml()
    window.open_entity(partner.entity_id)  # the shared partner's fiche carries its shared note too
    assert "Régie de quartier Izards" in window.detail.toPlainText()
    assert "la directrice, le mardi" in window.detail.toPlainText()

    with qtbot.waitSignal(window.search_controller.results_ready, timeout=5000) as blocker:
        window.search_edit.setText("zephyr")
    [hit] = [h for h in blocker.args[0].hits if h.group == TEAM_NOTES_GROUP]
    assert hit.id == "npnru" and hit.title.startswith("Note de l'équipe · Alice Martin — ")

    assert "Notes partagées" not in window._printable("npnru")  # paper: the catalogue and your own note only
    assert "convention Zéphyr" not in window._printable("npnru")

    window.open_entity("npnru")
    window.projector_action.trigger()
    assert "Notes partagées par l'équipe" not in window.detail.toPlainText()
    assert "Alice Martin" not in window.detail.toPlainText()
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=5000) as blocker:
        window.search_edit.setText("comite zephyr")
    assert [h for h in blocker.args[0].hits if h.group == TEAM_NOTES_GROUP] == []
    window.projector_action.trigger()
    assert "Notes partagées par l'équipe" in window.detail.toPlainText()
