"""« Mots courants »: the words field staff type lead to the right fiche, and a wrong id stops the build."""

from pathlib import Path

import pytest

from qpvdesk.build.content.build import BuildError, build_catalogue


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("subvention", "subventions-politique-de-la-ville"),
        ("Dauphin", "subventions-politique-de-la-ville"),
        ("prévention de la délinquance", "fipd"),
        ("appel à projets", "subventions-politique-de-la-ville"),
        ("rénovation urbaine", "pnru"),
        ("renouvellement urbain", "npnru"),
        ("copro", "pic"),
        ("médiateurs", "adultes-relais"),
    ],
)
def test_an_everyday_word_leads_to_its_fiche(real_service, query, expected):
    hits = real_service.search(query).hits
    assert hits[0].id == expected, [h.id for h in hits[:5]]
    assert hits[0].exact  # Enter opens it


def test_everyday_words_are_not_shown_as_names(real_service):
    detail = real_service.entity("p147")
    assert "subvention" not in [a.casefold() for a in detail.aliases]


def test_an_unknown_fiche_id_names_file_and_line(mini_resources: Path, tmp_path: Path):
    words_file = mini_resources / "content" / "mots-courants.yaml"
    words_file.write_text('# essai\n- mots: ["subvention"]\n  fiches: [fiche-qui-n-existe-pas]\n', encoding="utf-8")
    with pytest.raises(BuildError) as info:
        build_catalogue(mini_resources, tmp_path / "out.sqlite")
    errors = [str(e) for e in info.value.errors]
    assert any("mots-courants.yaml, ligne 3" in e and "fiche-qui-n-existe-pas" in e for e in errors), errors
    assert not (tmp_path / "out.sqlite").exists()
