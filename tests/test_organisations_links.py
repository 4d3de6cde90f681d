"""A local partner linked to a catalogue structure: saved in the user's database only (migration 0004), shown on
both fiches, found again by SIRET after a rebuild renamed the structure's fiche, and nothing typed is changed."""

from __future__ import annotations

import sqlite3

import pytest

from qpvdesk.ui.partner_browser import PartnerBrowser
from qpvdesk.userdata import PartnerFields, catalogue_refs, open_user_data
from qpvdesk.userdata.database import current_revision

TREMPLIN = "org-34327898200107"


@pytest.fixture()
def data(tmp_path, real_service):
    with open_user_data(tmp_path / "ud", refs=catalogue_refs(real_service)) as store:
        store.create_partner(
            PartnerFields(
                name="Tremplin (Bourg)",
                kind="association",
                commune="Bourg-en-Bresse",
                contact_name="Mme Martin",
                phone="04 74 00 00 00",
            )
        )
        yield store


def test_link_is_shown_on_both_fiches_and_changes_nothing_typed(data):
    partner = data.list_partners()[0]
    data.link_partner(partner.uid, TREMPLIN, "34327898200107", "ASSOCIATION TREMPLIN")
    assert data.get_partner(partner.uid) == partner  # name, contact, dates: untouched
    local = data.fiche_html(partner.entity_id)
    assert f'href="entity:{TREMPLIN}">ASSOCIATION TREMPLIN</a> (SIRET 34327898200107)' in local
    on_structure = data.organisation_partners_html(TREMPLIN)
    assert "Vos partenaires liés" in on_structure and "Tremplin (Bourg)" in on_structure and "Mme Martin" in on_structure
    data.unlink_partner(partner.uid)
    assert data.partner_link(partner.uid) is None and data.organisation_partners_html(TREMPLIN) == ""
    assert data.get_partner(partner.uid) == partner


def test_a_rebuilt_catalogue_finds_the_structure_again_by_siret_or_says_it_is_gone(data):
    partner = data.list_partners()[0]
    data.link_partner(partner.uid, "org-01-association-tremplin", "34327898200107", "ASSOCIATION TREMPLIN")
    assert f'href="entity:{TREMPLIN}"' in data.fiche_html(partner.entity_id)  # the id changed, the SIRET did not
    assert "Tremplin (Bourg)" in data.organisation_partners_html(TREMPLIN)
    data.link_partner(partner.uid, "org-99-disparue", "", "STRUCTURE DISPARUE")
    html = data.fiche_html(partner.entity_id)
    assert "STRUCTURE DISPARUE" in html and "absente de ce catalogue" in html and "entity:org-99" not in html
    assert data.partner_link(partner.uid).organisation_name == "STRUCTURE DISPARUE"  # the link is kept


def test_the_user_database_has_the_partner_links_table(data):
    from qpvdesk.userdata.database import HEAD_REVISION

    conn = sqlite3.connect(data.path)
    assert current_revision(conn) == HEAD_REVISION  # 0004 made the links table (0005, the team, came after)
    assert {row[1] for row in conn.execute("PRAGMA table_info(local_partner_link)")} >= {"organisation_id", "siret"}
    conn.close()


def test_browser_links_the_selected_local_partner(qtbot, data, real_service):
    browser = PartnerBrowser()
    qtbot.addWidget(browser)
    browser.set_rows(real_service.partners())
    browser.set_user_data(data)
    browser.set_service(real_service)
    qtbot.waitUntil(lambda: browser.model.structure_count() > 0, timeout=30_000)
    partner = data.list_partners()[0]
    assert not browser.link_button.isEnabled()  # nothing selected
    browser.select_entity(partner.entity_id)
    assert browser.link_button.isEnabled()
    chosen = next(r for r in browser.model.all_rows() if r.id == TREMPLIN)
    browser.ask_link = lambda name, linked: chosen
    messages = []
    browser.message.connect(messages.append)
    browser.link_button.click()
    assert data.partner_link(partner.uid).organisation_id == TREMPLIN
    assert messages == ["« Tremplin (Bourg) » relié à la structure « ASSOCIATION TREMPLIN »."]
