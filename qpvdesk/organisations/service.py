"""The organisations' part of the facade: HTML sections of fiches, browser rows, check figures."""

from __future__ import annotations

from qpvdesk.organisations import fiche
from qpvdesk.organisations.repository import OrganisationRepository
from qpvdesk.organisations.views import BrowserData, OrganisationRow
from qpvdesk.organisations.vocabulary import PROGRAMMES
from qpvdesk.views import EntityDetail

PLACE_KINDS = ("site", "commune", "qpv", "departement", "region")
PROGRAMME_FICHES = {fiche_id: programme for programme, (_label, fiche_id) in PROGRAMMES.items()}


class OrganisationService:
    def __init__(self, catalogue) -> None:  # qpvdesk.catalogue.Catalogue
        self.repository = OrganisationRepository(catalogue)

    def fiche_sections(self, detail: EntityDetail) -> tuple[str, str]:
        """What organisations add to a fiche, as (lead, extra) HTML: an organisation's chart of posts per year
        (lead) and its places; a place's funded structures; a programme's national totals."""
        if not self.repository.available():
            return "", ""
        if detail.kind == "organisation":
            info = self.repository.organisation(detail.id)
            return (fiche.posts_chart(info), fiche.organisation_html(info)) if info else ("", "")
        if detail.kind in PLACE_KINDS:
            how, found = self.repository.funded_here(detail.id, detail.kind)
            return "", fiche.funded_here_html(how, found)
        programme = PROGRAMME_FICHES.get(detail.id)
        if programme:
            years = self.repository.totals().get(programme, {})
            return "", fiche.programme_html(programme, years, self.repository.organisations_of(programme))
        return "", ""

    def rows(self) -> list[OrganisationRow]:
        return self.repository.rows()

    def browser_data(self) -> BrowserData:
        """Everything the partner browser needs about the structures (run it on a worker thread)."""
        if not self.repository.available():
            return BrowserData((), {}, {}, ())
        (deps, regions), places = self.repository.places()
        return BrowserData(tuple(self.repository.rows()), deps, regions, tuple(places))
