"""Broken content files are refused with file, line and field, and nothing is written."""

from pathlib import Path

import pytest

from qpvdesk.build.content.build import BuildError, build_catalogue


def _build_errors(resources: Path, tmp_path: Path) -> list[str]:
    with pytest.raises(BuildError) as info:
        build_catalogue(resources, tmp_path / "out.sqlite")
    return [str(e) for e in info.value.errors]


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_fact_without_source_is_refused(mini_resources, tmp_path):
    entities = mini_resources / "content" / "entites-mini.yaml"
    _replace(entities, """      sources:
        - ref: https://irev.fr/thematiques/renouvellement-urbain/bilan-quantitatif-du-programme-national-de-renovation-urbaine
          reliability: P
""", "")
    errors = _build_errors(mini_resources, tmp_path)
    assert any("entites-mini.yaml" in e and "aucune source" in e and "« sources »" in e for e in errors), errors


def test_relation_to_unknown_id_names_file_line_and_field(mini_resources, tmp_path):
    relations = mini_resources / "content" / "relations.yaml"
    _replace(relations, "to: pnru", "to: pnru-inconnu")
    line = _line_of(relations, "to: pnru-inconnu")
    errors = _build_errors(mini_resources, tmp_path)
    assert f"relations.yaml, ligne {line}, champ « to » : relation vers un identifiant inconnu « pnru-inconnu »" in errors


def test_duplicate_id_is_refused(mini_resources, tmp_path):
    entities = mini_resources / "content" / "entites-mini.yaml"
    _replace(entities, "- id: pnru", "- id: npnru")
    errors = _build_errors(mini_resources, tmp_path)
    assert any("identifiant en double « npnru »" in e for e in errors), errors


def test_unknown_relation_type_is_refused(mini_resources, tmp_path):
    relations = mini_resources / "content" / "relations.yaml"
    _replace(relations, "type: funds", "type: sponsors")
    errors = _build_errors(mini_resources, tmp_path)
    assert any("« type »" in e and "sponsors" in e for e in errors), errors


def test_malformed_date_is_refused_with_its_line(mini_resources, tmp_path):
    entities = mini_resources / "content" / "entites-mini.yaml"
    _replace(entities, 'date: "2023-10"', 'date: "2023-13"')
    line = _line_of(entities, '"2023-13"')
    errors = _build_errors(mini_resources, tmp_path)
    assert f"entites-mini.yaml, ligne {line}, champ « date » : date mal formée « 2023-13 »" in "\n".join(errors)


def test_acronym_missing_from_glossary_is_refused(mini_resources, tmp_path):
    entities = mini_resources / "content" / "entites-mini.yaml"
    _replace(entities, "Premier financeur du NPNRU.", "Premier financeur du NPNRU et de la ZZTOP.")
    errors = _build_errors(mini_resources, tmp_path)
    assert any("sigle « ZZTOP » absent du glossaire" in e for e in errors), errors


def test_yaml_syntax_error_gives_line(mini_resources, tmp_path):
    relations = mini_resources / "content" / "relations.yaml"
    relations.write_text(relations.read_text(encoding="utf-8") + "- from: [unclosed\n", encoding="utf-8")
    errors = _build_errors(mini_resources, tmp_path)
    assert any(e.startswith("relations.yaml, ligne ") and "syntaxe YAML" in e for e in errors), errors


def test_a_syntax_error_is_not_drowned_in_false_unknown_id_errors(mini_resources, tmp_path):
    entities = mini_resources / "content" / "entites-mini.yaml"
    entities.write_text(entities.read_text(encoding="utf-8") + "- id: [unclosed\n", encoding="utf-8")
    errors = _build_errors(mini_resources, tmp_path)
    assert len(errors) == 1 and "entites-mini.yaml" in errors[0] and "syntaxe YAML" in errors[0], errors


def test_failed_build_leaves_previous_catalogue_untouched(mini_resources, tmp_path):
    target = tmp_path / "data.sqlite"
    build_catalogue(mini_resources, target)
    before = target.read_bytes()
    _replace(mini_resources / "content" / "relations.yaml", "to: etat", "to: nulle-part")
    with pytest.raises(BuildError):
        build_catalogue(mini_resources, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".data-")] == []


def test_reference_sheet_only_sources_unconfirmed_facts(mini_resources, tmp_path):
    entities = mini_resources / "content" / "entites-mini.yaml"
    _replace(entities, "      confidence: unconfirmed\n", "")
    errors = _build_errors(mini_resources, tmp_path)
    assert any("fiche de référence ne peut sourcer qu'un fait non confirmé" in e for e in errors), errors


def test_relation_without_source_is_refused_as_a_relation(mini_resources, tmp_path):
    relations = mini_resources / "content" / "relations.yaml"
    text = relations.read_text(encoding="utf-8")
    start = text.index("  sources:")
    end = text.index("\n- ", start)  # the first relation loses its sources
    relations.write_text(text[:start] + text[end:], encoding="utf-8")
    errors = _build_errors(mini_resources, tmp_path)
    assert any("relations.yaml" in e and "chaque relation doit citer au moins une source" in e for e in errors), errors
