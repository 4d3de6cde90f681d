"""The user's own partners and notes take the place their name deserves among the catalogue's results."""

from qpvdesk.userdata.hits import merge_hits, partner_hits
from qpvdesk.userdata.views import LocalPartner
from qpvdesk.views import SearchHit


def catalogue_hit(entity_id: str, title: str, exact: bool = False) -> SearchHit:
    return SearchHit("entity", entity_id, "qpv", "Territoires", title, "active", 0.0, exact, "", ())


def note_hit(entity_id: str) -> SearchHit:
    return SearchHit("entity", entity_id, "note", "Mes notes", f"Note — {entity_id}", "active", 0.0, False, "", ())


def test_a_partner_named_exactly_as_typed_comes_first(real_service):
    partner = LocalPartner(name="Régie des Izards", kind="association", commune="Toulouse", uid="u1")
    catalogue = real_service.search("Régie des Izards").hits
    merged = merge_hits(catalogue, partner_hits([partner], "Régie des Izards"), "Régie des Izards")
    assert merged[0].id == "local:u1"  # Enter opens it
    assert [h.id for h in merged[1:]] == [h.id for h in catalogue]  # the catalogue's own order is kept


def test_a_partner_whose_name_holds_every_word_comes_before_the_catalogue_names():
    # « solidarite »: the user's own « Pontoise Solidarité Quartiers » is what Enter should open, not the DSU entry
    catalogue = [catalogue_hit("qn03110m", "Izards - 3 Cocus - La Vache"), catalogue_hit("pic", "Plan Initiative Copropriétés")]
    partners = partner_hits([LocalPartner(name="Centre social des Izards", kind="social-centre", uid="u2"),
                             LocalPartner(name="Association Trois Cocus", kind="association", notes="près des Izards", uid="u3")],
                            "izards")
    merged = merge_hits(catalogue, partners + [note_hit("anru")], "izards")
    assert [h.id for h in merged] == ["local:u2", "qn03110m", "pic", "local:u3", "anru"]


def test_solidarite_opens_the_users_own_partner(real_service):
    partner = LocalPartner(name="Pontoise Solidarité Quartiers", kind="association", commune="Pontoise", uid="u5")
    catalogue = real_service.search("solidarite").hits
    merged = merge_hits(catalogue, partner_hits([partner], "solidarite"), "solidarite")
    assert merged[0].id == "local:u5"


def test_an_exact_catalogue_answer_stays_before_an_exact_local_one():
    catalogue = [catalogue_hit("anru", "ANRU", exact=True), catalogue_hit("npnru", "Nouveau programme")]
    partners = partner_hits([LocalPartner(name="ANRU", kind="other", uid="u4")], "ANRU")
    assert [h.id for h in merge_hits(catalogue, partners, "ANRU")] == ["anru", "local:u4", "npnru"]
