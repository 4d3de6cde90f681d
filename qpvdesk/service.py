"""The facade the UI talks to: one object, plain views in and out, no SQL outside the core."""

from __future__ import annotations

from pathlib import Path

from qpvdesk import __version__
from qpvdesk.catalogue import Catalogue
from qpvdesk.content.dates import format_partial_date_fr
from qpvdesk.fiche_html import fiche_html
from qpvdesk.search import Searcher, SearchResult, osa_distance
from qpvdesk.textfold import words
from qpvdesk.tree import build_tree
from qpvdesk.views import CatalogueStats, EntityDetail, GlossaryView, PartnerRow, SearchHit, TreeNode
from qpvdesk.vocabulary import TERRITORY_KINDS


class CatalogueService:
    def __init__(self, path: Path | Catalogue) -> None:
        self.catalogue = path if isinstance(path, Catalogue) else Catalogue(path)
        self.searcher = Searcher(self.catalogue)
        self._stats: CatalogueStats | None = None
        # territories hook (issue 4): browser tree, lookup, map data
        from qpvdesk.territories.repository import TerritoryRepository

        self.territories = TerritoryRepository(self.catalogue)
        self._territories_available: bool | None = None
        # organisations hook (issue 14): funded structures on fiches and in the partner browser
        from qpvdesk.organisations.service import OrganisationService

        self.organisations = OrganisationService(self.catalogue)

    def stats(self) -> CatalogueStats:
        if self._stats is None:
            self._stats = self.catalogue.stats()
        return self._stats

    def tree(self) -> list[TreeNode]:
        return build_tree(self.catalogue.list_entities(territories=False), self.catalogue.edges())

    def partners(self) -> list[PartnerRow]:
        return self.catalogue.partners()

    def glossary(self) -> list[GlossaryView]:
        return self.catalogue.glossary()

    def entity(self, entity_id: str) -> EntityDetail | None:
        return self.catalogue.entity(entity_id)

    def search(self, query: str, limit: int = 50) -> SearchResult:
        """Ranked search; a typed territory code, or a place name the search had to correct, is also
        looked up like in the Territoires tab, so « QP001003 » says the quartier left the list instead
        of listing look-alike codes, and its fiches come first."""
        result = self.searcher.search(query, limit)
        code_like = self.territories.is_code(query)
        # a code; or a corrected word, or words no fiche holds together, whose best answer is a place
        # anyway (or nothing): maybe a commune absent from the data, or a quartier of the 2015 list
        doubtful = (result.corrections or result.partial or not result.hits) and (
            not result.hits or result.hits[0].kind in TERRITORY_KINDS)
        if not (code_like or doubtful) or len(query.strip()) < 3 or not self._territories_ready():
            return result
        found = self.territories.lookup(query)
        if not found.found and not code_like:
            if result.corrections:
                # « Toulouze »: the place as corrected comes first; « Giverny » (read « givry », two letters
                # apart) is no commune of the data, and the notice says so
                corrected = " ".join(result.corrections.get(w, w) for w in words(query))
                again = self.territories.lookup(corrected)
                if again.found:
                    self._put_first(result, again, limit)
                elif any(osa_distance(w, c) > 1 for w, c in result.corrections.items()):
                    result.notice = found.message
            return result
        result.notice = found.message
        if found.found:
            self._put_first(result, found, limit)
            result.corrections = {}  # the place was found as typed
        elif code_like and not query.strip().isdigit():
            result.hits, result.corrections = [], {}  # no look-alike QPV codes: the notice says what is known
        return result

    @staticmethod
    def _put_first(result: SearchResult, found, limit: int) -> None:
        """The lookup's places on top of the ranked hits, in the lookup's order."""
        by_id = {h.id: h for h in result.hits}
        first = [by_id.get(m.entity_id) or SearchHit("entity", m.entity_id, m.kind, "Territoires", m.label, "active",
                                                    0.0, True, found.message, ()) for m in found.matches]
        chosen = {h.id for h in first}
        result.hits = (first + [h for h in result.hits if h.id not in chosen])[:max(limit, len(first))]

    def _territories_ready(self) -> bool:
        if self._territories_available is None:
            self._territories_available = self.territories.available()
        return self._territories_available

    def footer(self) -> str:
        newest = self.stats().newest_information_date
        date = format_partial_date_fr(newest) if newest else "inconnue"
        return f"qpvdesk {__version__} — catalogue à jour de l'information la plus récente : {date}."

    def fiche_html(self, entity_id: str, for_print: bool = False) -> str | None:
        detail = self.entity(entity_id)
        if detail is None:
            return None
        lead, extra = self.organisations.fiche_sections(detail)
        return fiche_html(detail, self.footer(), for_print=for_print, extra=extra, lead=lead)
