"""The shipped catalogue: complete, sourced, up to date with resources/, and shown as it should."""

from qpvdesk.build.content.build import build_catalogue, content_hash
from qpvdesk.paths import resources_dir
from qpvdesk.tree import build_tree

FOUNDING_TEXT_IDS = [
    "ministere-ville", "anru", "npnru", "cdc", "bdt", "anah", "pic", "anct",
    "quartiers-productifs", "associations", "civ-2021", "bailleurs-sociaux", "action-logement",
]
SECTION_F_EDGES = 128  # rows of section F of the fact sheet, split one edge per pair


def test_committed_catalogue_is_up_to_date_with_resources(real_service):
    assert real_service.stats().content_hash == content_hash(resources_dir()), (
        "data.sqlite is stale: run `qpvdesk build-data` and commit it"
    )


def _rows_digest(path) -> dict[str, str]:
    """Each table's rows, order-free: two catalogues holding the same data compare equal."""
    import hashlib
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {t: hashlib.sha256("\n".join(sorted(repr(r) for r in conn.execute(f'SELECT * FROM "{t}"'))).encode()).hexdigest()
                for t in sorted(tables)}
    finally:
        conn.close()


def test_build_is_deterministic_and_gives_the_committed_catalogue(tmp_path, real_catalogue_path):
    import os
    import subprocess
    import sys

    first, second = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    # two processes with different hash seeds: set and dict orders differ, the bytes must not
    for seed, target in (("1", first), ("2", second)):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-m", "qpvdesk", "build-data", "--output", str(target)],
                       check=True, capture_output=True, env=env)
    assert first.read_bytes() == second.read_bytes()
    # also catches a change in the build or index code that was not followed by `qpvdesk build-data`
    built, committed = _rows_digest(first), _rows_digest(real_catalogue_path)
    stale = sorted(t for t in built.keys() | committed.keys() if built.get(t) != committed.get(t))
    assert stale == [], f"data.sqlite is stale in {stale}: run `qpvdesk build-data` and commit it"


def test_counts_match_the_fact_sheet(real_service):
    counts = real_service.stats().counts
    assert counts["entities"] >= 70
    assert counts["relations"] == SECTION_F_EDGES
    assert counts["glossary_terms"] == 109  # 102 + 7 added in December 2026 (AAP, ARS, ASV, CRPV, FIPD, FIR, FPH)
    assert counts["facts_without_source"] == 0


def test_every_founding_text_entity_has_a_sourced_fact(real_service):
    for entity_id in FOUNDING_TEXT_IDS:
        detail = real_service.entity(entity_id)
        assert detail is not None, entity_id
        assert detail.summary, entity_id
        assert detail.facts and all(f.sources for f in detail.facts), entity_id


def test_conflicts_carry_both_values_and_their_sources(real_service):
    detail = real_service.entity("qpv-2024")
    conflicts = [f for f in detail.facts if f.confidence == "conflict"]
    assert len(conflicts) == 2
    exits = next(f for f in conflicts if any(s.claim and "45" in s.claim for s in f.sources))
    claims = [s.claim for s in exits.sources if s.claim]
    assert any("40" in c for c in claims)
    assert {s.publisher for s in exits.sources if s.claim} == {"Banque des Territoires — Localtis", "Europe 1"}


def test_gaps_are_marked_unconfirmed_not_guessed(real_service):
    anru = real_service.entity("anru")
    budget = [f for f in anru.facts if "budget" in f.label.lower() or "budget" in f.value.lower()]
    assert budget and all(f.confidence == "unconfirmed" for f in budget)
    dalo = next(t for t in real_service.glossary() if t.acronym == "DALO")
    assert dalo.confidence == "unconfirmed"


def test_relations_are_visible_from_both_sides(real_service):
    anru = {(r.label, r.other_id) for r in real_service.entity("anru").relations}
    npnru = {(r.label, r.other_id) for r in real_service.entity("npnru").relations}
    assert ("pilote", "npnru") in anru
    assert ("piloté par", "anru") in npnru
    cget = {(r.label, r.other_id) for r in real_service.entity("cget").relations}
    assert ("fusionné dans", "anct") in cget


def _paths(nodes, prefix=()):
    for node in nodes:
        yield (*prefix, node.id)
        yield from _paths(node.children, (*prefix, node.id))


def test_tree_reads_state_ministry_agency_programme(real_service):
    paths = set(_paths(real_service.tree()))
    assert ("etat", "ministere-ville", "anru", "npnru") in paths
    assert any(p[-2:] == ("anah", "pic") for p in paths)
    # a co-piloted programme appears under each of its pilots
    parents = {p[-2] for p in paths if p[-1] == "cites-educatives" and len(p) > 1}
    assert {"education-nationale", "communes"} <= parents


def test_tree_survives_cycles():
    from qpvdesk.views import EntitySummary

    entities = [EntitySummary("etat", "state-body", "État", None, "active"),
                EntitySummary("a", "agency", "A", None, "active"), EntitySummary("b", "agency", "B", None, "active")]
    edges = [("a", "part-of", "etat"), ("a", "supervises", "b"), ("b", "supervises", "a")]
    tree = build_tree(entities, edges)
    assert tree[0].children[0].id == "a"
    assert tree[0].children[0].children[0].id == "b"
    assert tree[0].children[0].children[0].children == []


def test_fiche_shows_trust_marks_in_words(real_service):
    html = real_service.fiche_html("pnru")
    assert "dispositif clos" in html
    assert "sources divergentes" in html
    anru = real_service.fiche_html("anru")
    assert "non confirmé" in anru
    secondary = next(
        e.id for e in real_service.catalogue.list_entities()
        if any(s.reliability == "S" and f.confidence == "confirmed" for f in real_service.entity(e.id).facts for s in f.sources)
    )
    assert "⚠ source secondaire" in real_service.fiche_html(secondary)


# --- the measures of the three CIVs (issue 3), counted apart from section F ------------------------------

CIV_IDS = ("civ-2021", "civ-2023", "civ-2025")
CIV_MEASURE_RELATIONS = 23  # 22 new measure fiches + civ-2023 → adultes-relais (relations-mesures-civ.yaml)


def _civ_measures(real_service):
    return [e for e in real_service.catalogue.list_entities(kind="measure") if e.id.startswith(tuple(f"{c}-" for c in CIV_IDS))]


def test_each_civ_measure_has_a_sourced_fact_and_is_decided_by_its_civ(real_service):
    measures = _civ_measures(real_service)
    assert len(measures) == 22
    for m in measures:
        detail = real_service.entity(m.id)
        assert detail.summary and detail.facts, m.id
        assert all(f.sources and (f.dates or f.date_note) for f in detail.facts), m.id
        civ = m.id[: len("civ-2021")]
        deciders = [r for r in detail.relations if r.type == "decides" and r.direction == "in"]
        assert [r.other_id for r in deciders] == [civ], m.id
        assert deciders[0].sources, m.id


def test_civ_measure_facts_copy_the_source_date_and_confidence_of_a_civ_fact(real_service):
    civ_facts = {
        c: {(tuple(s.ref for s in f.sources), f.dates, f.confidence) for f in real_service.entity(c).facts}
        for c in CIV_IDS
    }
    for m in _civ_measures(real_service):
        civ = m.id[: len("civ-2021")]
        for f in real_service.entity(m.id).facts:
            assert (tuple(s.ref for s in f.sources), f.dates, f.confidence) in civ_facts[civ], (m.id, f.label)


def test_civ_measures_do_not_duplicate_the_existing_decides_links(real_service):
    edges = real_service.catalogue.edges()
    assert len(edges) == len(set(edges))
    decided = {(s, t) for s, kind, t in edges if kind == "decides"}
    for civ, programme in [("civ-2021", "npnru"), ("civ-2021", "quartiers-ete"), ("civ-2023", "cites-educatives"),
                           ("civ-2025", "france-services"), ("civ-2025", "tfpb-abattement")]:
        assert (civ, programme) in decided  # section F keeps them; no measure fiche was made for them
    assert ("civ-2023", "adultes-relais") in decided


def test_section_f_and_civ_measure_relations_are_counted_apart(real_service, real_catalogue_path):
    import sqlite3

    counts = real_service.stats().counts
    assert counts["relations"] == SECTION_F_EDGES
    assert counts["measure_relations"] == CIV_MEASURE_RELATIONS
    conn = sqlite3.connect(f"file:{real_catalogue_path}?mode=ro", uri=True)
    try:
        total = conn.execute("SELECT count(*) FROM relation").fetchone()[0]
        measure_rows = conn.execute(
            "SELECT r.source_id, r.type, e.kind FROM relation r JOIN entity e ON e.id = r.target_id "
            "WHERE r.origin LIKE 'relations-mesures-civ.yaml:%'"
        ).fetchall()
    finally:
        conn.close()
    # every relation is in exactly one count: a new relations-*.yaml file must get its own line in the stats
    written = counts["relations"] + counts["measure_relations"] + counts["instrument_relations"] + counts["funding_relations"]
    assert written + counts["territory_relations"] == total
    assert {(src in CIV_IDS, rel_type, kind) for src, rel_type, kind in measure_rows} == {(True, "decides", "measure")}


def test_check_and_about_page_show_both_relation_counts_in_french(capsys, real_catalogue_path, real_service):
    from qpvdesk.about_html import about_data_html
    from qpvdesk.cli import main

    assert main(["--catalogue", str(real_catalogue_path), "check"]) == 0
    out = capsys.readouterr().out
    assert f"relations de la section F de la fiche de référence (relations.yaml) : {SECTION_F_EDGES}" in out
    assert f"relations comité interministériel → mesure (relations-mesures-civ.yaml) : {CIV_MEASURE_RELATIONS}" in out
    html = about_data_html(real_service.stats())
    assert f"{SECTION_F_EDGES} relations entre acteurs et programmes" in html
    assert f"{CIV_MEASURE_RELATIONS} décisions des comités interministériels vers leurs mesures" in html


def test_relations_star_files_are_read_as_relations_after_relations_yaml(mini_resources, tmp_path):
    from qpvdesk.catalogue import Catalogue

    (mini_resources / "content" / "relations-mesures-civ.yaml").write_text(
        "- from: anru\n  type: pilots\n  to: npnru\n  note: copie de test\n"
        "  sources: [{ref: 'https://anru.fr/fre/Programmes/Nouveau-Programme-National-de-Renouvellement-Urbain',"
        " reliability: O}]\n",
        encoding="utf-8",
    )
    target = tmp_path / "data.sqlite"
    build_catalogue(mini_resources, target)
    catalogue = Catalogue(target)
    try:
        counts = catalogue.stats().counts
        edges = catalogue.edges()
    finally:
        catalogue.close()
    section_f = (mini_resources / "content" / "relations.yaml").read_text(encoding="utf-8").count("- from:")
    assert (counts["relations"], counts["measure_relations"]) == (section_f, 1)
    assert len(edges) == section_f + 1 and edges[-1] == ("anru", "pilots", "npnru")  # read after relations.yaml


def test_civ_measures_sit_under_their_comite_and_say_announced_not_running(real_service):
    def find(nodes, entity_id, parent=None):
        for n in nodes:
            if n.id == entity_id:
                return parent
            found = find(n.children, entity_id, n.id)
            if found:
                return found
        return None

    tree = real_service.tree()
    assert find(tree, "civ-2021-conseillers-pole-emploi") == "civ-2021"
    assert find(tree, "civ-2025-creches") == "civ-2025"
    assert find(tree, "qrr") != "civ-2021"  # a measure with a life of its own stays among the programmes
    html = real_service.fiche_html("civ-2023-quartiers-resilients")
    assert "mesure annoncée" in html and "en vigueur" not in html
