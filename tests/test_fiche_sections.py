"""The user's own sections are placed in a fiche by the core (no Qt): their partners of a place before the sources,
their note on paper after the sources and before the footer."""

from qpvdesk.userdata.fiche import local_partner_html
from qpvdesk.userdata.views import LocalPartner

MINE = "<h2>Vos partenaires locaux</h2><p>Régie de quartier</p>"
NOTE = "<h2>Mes notes (personnelles)</h2><p>Relancer le syndic</p>"


def test_catalogue_fiche_places_the_user_sections_around_the_sources(real_service):
    html = real_service.fiche_html("anru", extra_sections=[MINE], closing_sections=[NOTE])
    assert html.index("Faits clés") < html.index(MINE) < html.index("<h2>Sources</h2>") < html.index(NOTE) < html.index("<hr/>")
    assert real_service.fiche_html("anru") == real_service.fiche_html("anru", extra_sections=(), closing_sections=())


def test_printed_fiche_keeps_the_note_before_the_footer_and_no_links(real_service):
    html = real_service.fiche_html("anru", for_print=True, closing_sections=[NOTE])
    assert html.index("<h2>Sources</h2>") < html.index(NOTE) < html.index("<hr/>")
    assert "<a href=" not in html


def test_local_partner_fiche_puts_the_note_before_its_footer():
    partner = LocalPartner(name="Centre social Élan", kind="social-centre", uid="u1", created_at="2026-01-02T10:00:00+00:00",
                           updated_at="2026-01-02T10:00:00+00:00")
    html = local_partner_html(partner, for_print=True, closing_sections=[NOTE])
    assert html.index(NOTE) < html.index("<hr/>") and html.index("Centre social Élan") < html.index(NOTE)
