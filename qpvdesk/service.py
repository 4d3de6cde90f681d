"""The facade the UI talks to: one object, plain views in and out, no SQL outside the core."""

from __future__ import annotations

from pathlib import Path

from qpvdesk import __version__
from qpvdesk.catalogue import Catalogue
from qpvdesk.content.dates import format_partial_date_fr
from qpvdesk.fiche_html import fiche_html
from qpvdesk.search import Searcher, SearchResult
from qpvdesk.tree import build_tree
from qpvdesk.views import CatalogueStats, EntityDetail, GlossaryView, PartnerRow, TreeNode


class CatalogueService:
    def __init__(self, path: Path) -> None:
        self.catalogue = Catalogue(path)
        self.searcher = Searcher(self.catalogue)
        self._stats: CatalogueStats | None = None
        # territories hook (issue 4): browser tree, lookup, map data
        from qpvdesk.territories.repository import TerritoryRepository

        self.territories = TerritoryRepository(self.catalogue)

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
        return self.searcher.search(query, limit)

    def footer(self) -> str:
        newest = self.stats().newest_information_date
        date = format_partial_date_fr(newest) if newest else "inconnue"
        return f"qpvdesk {__version__} — catalogue à jour de l'information la plus récente : {date}."

    def fiche_html(self, entity_id: str, for_print: bool = False) -> str | None:
        detail = self.entity(entity_id)
        if detail is None:
            return None
        return fiche_html(detail, self.footer(), for_print=for_print)
