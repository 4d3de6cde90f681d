"""Search forgives accents, case, plurals, acronyms, punctuation and typos; hostile input is harmless."""

import json
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qpvdesk.cli import main
from qpvdesk.search import Searcher, make_snippet, osa_distance

# query -> entity id expected as the first hit (what a person types -> what they want)
TOP_RESULT = [
    ("anru", "anru"),
    ("ANRU", "anru"),
    ("PIC", "pic"),  # acronym -> the plan
    ("plan initiative coproprietes", "pic"),
    ("caisse des depots", "cdc"),  # expansion -> acronym entity
    ("Caisse des Dépôts", "cdc"),
    ("CGET", "cget"),  # former body, whose fiche leads to ANCT
    ("Quartiers-Productifs", "quartiers-productifs"),  # hyphens ignored
    ("quartiers productifs", "quartiers-productifs"),
    ("banque des territoires", "bdt"),
    ("BdT", "bdt"),
    ("renouvelement urbain", "npnru"),  # typo: one letter missing
    ("nouveau programme national de renouvellement urbain", "npnru"),
    ("NPNRU", "npnru"),
    ("emploi franc", "emplois-francs"),  # singular finds plural
    ("cites educatives", "cites-educatives"),  # accents
    ("cité éducative", "cites-educatives"),
    ("loi lamy", "loi-2014-173"),  # alias
    ("loi borloo", "loi-2003-710"),
    ("zone urbaine sensible", "zus"),
    ("P147", "p147"),
    ("epareca", "epareca"),
    ("action logement", "action-logement"),
    ("agence nationale de l'habitat", "anah"),
    ("Anah", "anah"),
    ("contrats de ville", "contrats-de-ville"),
    ("france services", "france-services"),
    ("copropiete degradee", "orcod-in"),  # typo + plural/feminine
]


@pytest.fixture(scope="module")
def searcher(real_service):
    return real_service.searcher


@pytest.mark.parametrize(("query", "expected"), TOP_RESULT)
def test_top_result(searcher, query, expected):
    hits = [h for h in searcher.search(query).hits if h.doc_type == "entity"]
    assert hits, f"no entity for {query!r}"
    assert hits[0].id == expected, [h.id for h in hits[:5]]


def test_prefix_while_typing_finds_renovation_urbaine(searcher):
    ids = [h.id for h in searcher.search("renov").hits]
    assert "anru" in ids[:5] and "pnru" in ids[:5]


def test_plural_query_finds_singular_and_feminine(searcher):
    titles = " ".join(h.title for h in searcher.search("copropriétés dégradées").hits)
    assert "copropriétés dégradées" in titles


def test_typo_is_corrected_through_vocabulary(searcher):
    result = searcher.search("copropiete")
    assert result.corrections == {"copropiete": "copropriete"}
    assert any(h.id == "pic" for h in result.hits)
    two_letters = searcher.search("renouvelemant")
    assert two_letters.corrections.get("renouvelemant") == "renouvellement"


def test_short_words_are_not_corrected(searcher):
    assert searcher.search("zzz").corrections == {}
    assert searcher.search("zzz").hits == []


def test_exact_match_is_flagged_for_enter(searcher):
    top = searcher.search("PIC").hits[0]
    assert top.exact and top.id == "pic"


def test_results_are_grouped_and_glossary_found(searcher):
    hits = searcher.search("ANRU").hits
    groups = {h.group for h in hits}
    assert {"Acteurs", "Glossaire", "Programmes"} <= groups
    assert any(h.doc_type == "glossary" and h.id == "ANRU" for h in hits)


TWINS = """- id: dispositif-ancien
  kind: programme
  name: Dispositif jumeau d'essai
  status: closed
  start: "2004"
  end: "2014"
  summary: Dispositif d'essai pour le classement.
- id: dispositif-actuel
  kind: programme
  name: Dispositif jumeau d'essai
  start: "2015"
  summary: Dispositif d'essai pour le classement, prolongé par un avenant de la convention pluriannuelle.
"""


def test_active_before_closed_at_equal_level(mini_resources, tmp_path):
    """Two fiches matching alike: the one still running comes first, even when the closed one was written first."""
    from qpvdesk.build.content.build import build_catalogue
    from qpvdesk.catalogue import Catalogue

    entities = mini_resources / "content" / "entites-mini.yaml"
    entities.write_text(entities.read_text(encoding="utf-8") + TWINS, encoding="utf-8")
    build_catalogue(mini_resources, tmp_path / "twins.sqlite")
    catalogue = Catalogue(tmp_path / "twins.sqlite")
    try:
        hits = [h for h in Searcher(catalogue).search("dispositif jumeau").hits if h.id.startswith("dispositif-")]
    finally:
        catalogue.close()
    assert [(h.id, h.status) for h in hits] == [("dispositif-actuel", "active"), ("dispositif-ancien", "closed")]


def test_snippet_highlights_matched_words():
    snippet, spans = make_snippet("L'Agence nationale pour la rénovation urbaine finance les projets.", ["renov"])
    assert [snippet[a:b] for a, b in spans] == ["rénovation"]


def test_osa_distance():
    assert osa_distance("renouvelement", "renouvellement") == 1
    assert osa_distance("copropiete", "copropriete") == 1
    assert osa_distance("ab", "ba") == 1
    assert osa_distance("kitten", "sitting") == 3


HOSTILE = [
    '"', "'", "*", "-", "^", "NEAR(", "AND OR NOT", "((", ")", '"unbalanced', "a" * 10_000, "🏘️🏙️",
    "\x00", "\u202eعربي", "'; DROP TABLE entity; --", "name:anru", "anru*", "-anru", "{anru}", "NEAR(a b, 3)",
    "\\", "%", "_", "\n\t", "   ",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_strings_never_raise(searcher, query):
    result = searcher.search(query)
    assert isinstance(result.hits, list)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300) | st.text(alphabet=string.printable + "«»éèàç€", max_size=80))
def test_search_core_accepts_any_text(searcher, query):
    result = searcher.search(query, limit=5)
    assert len(result.hits) <= 5


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=60))
def test_cli_search_accepts_any_text(capsys, real_catalogue_path, query):
    # "--" ends the options, as in any command line, so a query may start with "-"
    code = main(["--catalogue", str(real_catalogue_path), "search", "--json", "--limit", "3", "--", query])
    out = capsys.readouterr().out
    assert code == 0
    assert isinstance(json.loads(out)["hits"], list)


def test_folding_character_by_character_equals_folding_the_whole_text():
    """fold() goes through a per-character table: it must give what NFKD + casefold of the whole text gives."""
    import random
    import unicodedata

    from qpvdesk.textfold import _LIGATURES, fold

    def reference(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
        return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()

    samples = ["Rénovation Œuvre", "ÉLAN", "Straße", "e\u0301cole", "n°12 « Les Lilas »", "Ǆemal", "ﬁlm", "Ⅻ",
               "ΣΟΦΟΣ", "Île-de-France’s", "\u00a0x\u202fy", "ÅÄÖ ąęł ø", "한국어", "a\u0327\u0301\u0316b"]
    rnd = random.Random(3)
    pool = [chr(c) for c in range(0x20, 0x3000)] + ["\u0301", "\u0327\u0301", "\uac00", "\ufb01"]
    samples += ["".join(rnd.choice(pool) for _ in range(rnd.randint(0, 16))) for _ in range(5000)]
    assert [fold(s) for s in samples] == [reference(s) for s in samples]


# --- codes and places typed in the main search (issue 4 lookups, same answers as the Territoires tab) ---


def test_a_2015_code_that_left_the_list_says_so_instead_of_showing_look_alike_codes(real_service):
    result = real_service.search("QP001003")
    assert "sorti de la géographie prioritaire" in result.notice
    assert result.corrections == {}
    assert [h.id for h in result.hits] == ["commune-01354"]  # its commune, nothing else


def test_an_unknown_qpv_code_is_not_corrected_into_another_neighbourhood(real_service):
    result = real_service.search("QN01304M")
    assert result.hits == [] and result.corrections == {}
    assert "Aucun QPV de la liste 2024 n'a le code QN01304M" in result.notice


def test_a_known_code_opens_first_and_a_year_is_not_taken_for_a_code(real_service):
    assert real_service.search("qn 03107m").hits[0].id == "qn03107m"
    assert real_service.search("2024").hits  # « 2024 » is a year in texts, not a place code


def test_small_words_do_not_lead_a_multi_word_search(real_service):
    ids = [h.id for h in real_service.search("Régie des Izards").hits[:5]]
    assert "ministere-ville" not in ids
    assert {"qn03110m", "cite-educative-122"} & set(ids)


def test_cli_search_prints_the_territory_notice(real_catalogue_path, capsys):
    assert main(["--catalogue", str(real_catalogue_path), "search", "QP001003", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "sorti de la géographie prioritaire" in data["notice"]


def test_a_name_after_an_article_is_an_exact_answer_but_not_a_commune(real_service):
    assert real_service.search("l'ANRU").hits[0].id == "anru"
    assert real_service.search("le NPNRU").hits[0].id == "npnru"
    assert real_service.search("la ville").hits[0].id != "commune-67507"  # Villé is not what « la ville » means


def test_a_2015_quartier_found_by_its_name_says_what_became_of_it(real_service):
    result = real_service.search("Palais des Expositions")
    assert "QP006015" in result.notice and "sorti de la géographie prioritaire" in result.notice
    assert result.hits[0].id == "commune-06088"  # Nice
    lookup = real_service.territories.lookup("palais des expositions")  # the Territoires tab says the same
    assert lookup.message == result.notice


def test_a_postcode_is_not_taken_for_a_commune_without_qpv(real_service):
    result = real_service.search("93200")  # Saint-Denis's postcode; its INSEE code is 93066
    assert "code postal" in result.notice
    assert "n'a ni QPV" not in result.notice  # it must not say Saint-Denis has no QPV


def test_a_code_pasted_with_invisible_characters_is_still_a_code(real_service):
    assert real_service.search("QN\u00a003107M\u200e").hits[0].id == "qn03107m"


def test_a_typo_in_a_place_name_puts_the_place_first_without_saying_it_is_absent(real_service):
    result = real_service.search("Toulouze")
    assert result.hits[0].id == "commune-31555" and result.notice == ""
