"""Trust marks travel with the fact: a search snippet or a fiche's Sigles never shows an
unconfirmed or conflicting value as if it were confirmed (people quote both in meetings)."""

import shutil
import sqlite3

import pytest

from qpvdesk.fiche_html import fiche_html
from qpvdesk.textfold import fold, fold_same_length
from qpvdesk.views import EntityDetail, GlossaryView, SourceView

UNCONFIRMED = "[⚠ non-confirmé]"
CONFLICT = "[⚠ sources divergentes]"


@pytest.fixture(scope="module")
def searcher(real_service):
    return real_service.searcher


def _entity_hit(searcher, query, entity_id):
    hits = [h for h in searcher.search(query).hits if h.doc_type == "entity" and h.id == entity_id]
    assert hits, f"{entity_id} not found for {query!r}"
    return hits[0]


# (query, entity, mark): each word appears, in the shipped catalogue, only in a fact of that
# confidence, near the start of its text
MARKED_SNIPPETS = [
    ("échéance", "npnru", UNCONFIRMED),  # « Texte ayant porté l'échéance à 2030 : … »
    ("signification", "qpv-codes", UNCONFIRMED),  # « Sigle « NQPV » : Aucune signification officielle… »
    # the adultes-relais age conflict was settled in December 2026 (26 ans); another conflict stands in
    ("précédent", "entrepreneuriat-quartiers-2030", CONFLICT),  # « Programme précédent « Entrepreneuriat pour tous » : Nombre… »
]


@pytest.mark.parametrize(("query", "entity_id", "mark"), MARKED_SNIPPETS)
def test_snippet_of_a_fact_not_confirmed_shows_its_mark(searcher, query, entity_id, mark):
    hit = _entity_hit(searcher, query, entity_id)
    assert fold(query) in fold(hit.snippet), hit.snippet  # the snippet does show that fact…
    assert mark in hit.snippet, hit.snippet  # …with its mark
    assert hit.snippet.index(mark) < fold_same_length(hit.snippet).index(fold(query))  # before the text it qualifies


def test_snippet_of_a_confirmed_fact_carries_no_mark(searcher):
    # « Pilotage et cible : Piloté par l'ANRU… » is confirmed
    hit = _entity_hit(searcher, "restructuration", "pnru")
    assert "restructuration" in hit.snippet
    assert "⚠" not in hit.snippet, hit.snippet


def test_unconfirmed_glossary_expansion_is_marked_in_results(searcher):
    hit = next(h for h in searcher.search("DALO").hits if h.doc_type == "glossary" and h.id == "DALO")
    assert hit.snippet.startswith(UNCONFIRMED), hit.snippet
    anru = next(h for h in searcher.search("ANRU").hits if h.doc_type == "glossary" and h.id == "ANRU")
    assert "⚠" not in anru.snippet


def test_marks_are_shown_but_neither_indexed_nor_ranked(real_catalogue_path, tmp_path, monkeypatch):
    """« confirmé », « sources », « divergentes » rank as they would without the marks: the marks live
    in what a result shows (search_doc), not in the full-text index nor in the typo vocabulary."""
    from qpvdesk.build import search_index
    from qpvdesk.catalogue import Catalogue
    from qpvdesk.search import Searcher

    unmarked = tmp_path / "sans-marques.sqlite"
    shutil.copy(real_catalogue_path, unmarked)
    monkeypatch.setattr(search_index, "trust_marked", lambda text, confidence: text)
    with sqlite3.connect(unmarked) as conn:
        for table in ("search_doc", "search_fts", "search_exact", "search_term", "search_delete"):
            conn.execute(f"DROP TABLE {table}")
        search_index.build_search_index(conn)
    conn.close()

    def indexed(path):
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            shown = conn.execute("SELECT count(*) FROM search_doc WHERE body LIKE '%[⚠ %' OR summary LIKE '[⚠ %'").fetchone()[0]
            tables = [conn.execute(f"SELECT * FROM {t}").fetchall() for t in
                      ("search_fts_data", "search_fts_docsize", "search_term", "search_delete", "search_exact")]
            return shown, tables
        finally:
            conn.close()

    shown, shipped = indexed(real_catalogue_path)
    assert shown >= 20  # the fiches with a marked fact, and the unconfirmed glossary entries (29 today)
    assert indexed(unmarked) == (0, shipped)
    assert not any(term.startswith("divergent") for (term,) in shipped[2])
    with_marks, without = Searcher(Catalogue(real_catalogue_path)), Searcher(Catalogue(unmarked))
    for query in ("confirmé", "non confirmé", "sources divergentes", "divergentes", "DALO"):
        assert [(h.id, h.score) for h in with_marks.search(query).hits] == [(h.id, h.score) for h in without.search(query).hits]


def test_mark_survives_a_match_deep_in_a_long_fact(searcher):
    # npnru, unconfirmed: « Investissements générés (…) : Les 14 Md€ … au moins 13 Md€ d'investissements indirects… »
    hit = _entity_hit(searcher, "indirects", "npnru")
    assert "indirects" in hit.snippet
    assert UNCONFIRMED in hit.snippet, hit.snippet


def test_snippet_does_not_show_the_unmarked_tail_of_the_fact_above(searcher):
    # npnru: « Avancement en mai 2025 : … » (confirmed) follows a long unconfirmed fact
    hit = _entity_hit(searcher, "avancement", "npnru")
    before = hit.snippet[: fold_same_length(hit.snippet).index("avancement")]
    assert before.strip(" …") == "" or UNCONFIRMED in before, hit.snippet


# --- fiche: the Sigles section -------------------------------------------------------------

def _detail_with_terms(*terms: GlossaryView) -> EntityDetail:
    return EntityDetail(
        id="qpv-2024", kind="geography", kind_label="Géographie prioritaire", name="Quartiers prioritaires 2024",
        acronym="QPV", aliases=(), status="active", status_label="en vigueur", start=None, end=None, summary="",
        facts=(), relations=(), glossary=terms,
    )


def _term(acronym: str, expansion: str, confidence: str) -> GlossaryView:
    source = SourceView("fiche-de-reference", None, None, "Fiche de référence", "S")
    return GlossaryView(1, acronym, (), expansion, "", "qpv-2024", confidence, None, (source,))


def _sigles(html: str) -> str:
    return html.split("<h2>Sigles</h2>", 1)[1].split("<h2>", 1)[0]


@pytest.mark.parametrize("for_print", [False, True], ids=["screen", "print"])
def test_fiche_sigles_mark_an_unconfirmed_expansion(for_print):
    detail = _detail_with_terms(
        _term("QPV", "Quartier prioritaire de la politique de la ville", "confirmed"),
        _term("NQPV", "Nouveau quartier prioritaire", "unconfirmed"),
    )
    sigles = _sigles(fiche_html(detail, for_print=for_print))
    confirmed, unconfirmed = sigles.split("<li>")[1:3]
    assert "Nouveau quartier prioritaire" in unconfirmed and "⚠ non confirmé" in unconfirmed
    assert "Quartier prioritaire de la politique" in confirmed and "non confirmé" not in confirmed
    # each expansion cites its source, numbered like the facts' sources
    assert "[1]" in confirmed and "Fiche de référence (S)" in confirmed


def test_fiche_sigles_of_the_shipped_catalogue_match_the_glossary(real_service):
    """Every entity's Sigles: a term is marked exactly when its expansion is not confirmed."""
    checked = 0
    for term in real_service.glossary():
        if not term.entity_id:
            continue
        sigles = _sigles(real_service.fiche_html(term.entity_id))
        item = next(li for li in sigles.split("<li>")[1:] if f"<b>{term.acronym}</b>" in li)
        assert ("⚠ non confirmé" in item) == (term.confidence != "confirmed"), item
        checked += 1
    assert checked > 20


def test_words_of_a_mark_are_not_taken_for_the_match():
    from qpvdesk.search import make_snippet

    body = ("[⚠ non-confirmé] Budget de fonctionnement : non trouvé dans les sources consultées.\n"
            "Création : décret confirmé par le Conseil d'État en 2004.")
    snippet, spans = make_snippet(body, ["confirme"])
    assert [snippet[a:b] for a, b in spans] == ["confirmé"]
    assert "Conseil d'État" in snippet  # the window is on the fact that says it
    assert all(not snippet[a - 5:b].startswith("[⚠ n") for a, b in spans)
