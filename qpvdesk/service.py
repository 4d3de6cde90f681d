"""The facade the UI talks to: one object, plain views in and out, no SQL outside the core."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from qpvdesk import __version__
from qpvdesk.answers import answer
from qpvdesk.catalogue import Catalogue
from qpvdesk.dates import format_partial_date_fr
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
        self._territories = None
        self._territories_available: bool | None = None
        # organisations hook (issue 14): funded structures on fiches and in the partner browser
        from qpvdesk.organisations.service import OrganisationService

        self.organisations = OrganisationService(self.catalogue)

    @property
    def territories(self):
        """Browser tree, lookup, map data: imported and opened on first use (a search, the Territoires tab),
        not while the catalogue loads. Two threads asking at once would open two equal repositories: harmless."""
        if self._territories is None:
            from qpvdesk.territories.repository import TerritoryRepository

            self._territories = TerritoryRepository(self.catalogue)
        return self._territories

    def stats(self) -> CatalogueStats:
        if self._stats is None:
            self._stats = self.catalogue.stats()
        return self._stats

    def tree(self) -> list[TreeNode]:
        return build_tree(self.catalogue.list_entities(territories=False), self.catalogue.edges())

    def chronology(self) -> list:
        """« Chronologie »: the dated events of the written fiches (qpvdesk.chronology), earliest first."""
        from qpvdesk.chronology import chronology

        return chronology((e.id for e in self.catalogue.list_entities(territories=False)), self.entity)

    def partners(self) -> list[PartnerRow]:
        return self.catalogue.partners()

    def glossary(self) -> list[GlossaryView]:
        return self.catalogue.glossary()

    def entity(self, entity_id: str) -> EntityDetail | None:
        return self.catalogue.entity(entity_id)

    def names(self) -> dict[str, str]:
        """Every fiche's name by id (titles of notes in search results, of favourites)."""
        return self.catalogue.names()

    # --- territories: the window asks here, never the repository itself ---------------------

    def is_place(self, entity_id: str | None) -> bool:
        """A QPV or commune fiche (those list the user's partners of the place)."""
        return bool(entity_id) and self.territories.is_place(entity_id)  # no fiche: no need to open the territories

    def places(self, entity_id: str):
        """The communes and QPV codes a territory fiche covers (None for another fiche)."""
        return self.territories.places(entity_id)

    def lookup(self, text: str):
        return self.territories.lookup(text)

    def commune(self, entity_id: str):
        """A commune's facts for the map and the fiches (its QPV among them), or None."""
        return self.territories.commune(entity_id)

    def locate(self, entity_id: str):
        """The map rectangle of a fiche's place (None when it has none)."""
        return self.territories.locate(entity_id)

    def territory_tree(self, all_communes: bool = False):
        return self.territories.tree(all_communes)

    def map_data(self):
        return self.territories.map_data()

    def search(self, query: str, limit: int = 50) -> SearchResult:
        """Ranked search; a typed territory code, or a place name the search had to correct, is also
        looked up like in the Territoires tab, so « QP001003 » says the quartier left the list instead
        of listing look-alike codes, and its fiches come first."""
        result = self.searcher.search(query, limit)
        question = result.question
        if question is not None and question.asks_nothing:
            return result  # « qui »: no fiche, and no place starting with those letters either
        result = self._search_places(result, query, limit)
        if question is not None and question.is_question and result.hits and result.hits[0].doc_type == "entity":
            detail = self.entity(result.hits[0].id)
            result.answer = answer(detail, question) if detail else None
        return result

    def _search_places(self, result: SearchResult, query: str, limit: int) -> SearchResult:
        code_like = self.territories.is_code(query)
        # a code; or a corrected word, or words no fiche holds together, whose best answer is a place
        # anyway (or nothing): maybe a commune absent from the data, or a quartier of the 2015 list
        doubtful = (result.corrections or result.partial or not result.hits) and (
            not result.hits or result.hits[0].kind in TERRITORY_KINDS)
        asked = self.territories.is_question(query)  # an address, or « est-ce que … est en QPV ? »
        if not (code_like or doubtful or asked) or len(query.strip()) < 3 or not self._territories_ready():
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

    def fiche_html(
        self, entity_id: str, for_print: bool = False, extra_sections: Sequence[str] = (), closing_sections: Sequence[str] = ()
    ) -> str | None:
        """The fiche; the sections are the user's own (see qpvdesk.fiche_html.fiche_html), given by the caller."""
        detail = self.entity(entity_id)
        if detail is None:
            return None
        lead, extra = self.organisations.fiche_sections(detail)
        return fiche_html(detail, self.footer(), for_print, extra_sections, closing_sections, extra=extra, lead=lead)
