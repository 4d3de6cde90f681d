"""Sources a professional can show: deny-listed hosts are refused, secondary-only facts are flagged."""

import logging
import shutil
from pathlib import Path

import pytest

from qpvdesk.build.content.build import BuildError, build_catalogue
from qpvdesk.build.content.reader import read_content
from qpvdesk.build.content.source_hosts import DENY_LIST_FILE, denied_citations, host_of, read_deny_list
from qpvdesk.cli import main

REPO = Path(__file__).resolve().parent.parent
REAL_CONTENT = REPO / "resources" / "content"
# the hosts named by the December 2026 review (issue 16): staging, scraper, spam and mirror hosts
REVIEWED_HOSTS = {
    "testing.lemoniteur.fr", "burolevnews.pages.dev", "cau.mastertrac.com", "finances.myspotvip.com",
    "franco.wiki", "beverlysbanks.s3.amazonaws.com", "lvc-news.jdth.atolcd.dev", "staging.libe.io",
}
TUTELLE_REF = "https://www.doctrine.fr/l/texts/decrets/JORFTEXT000000244572"


def _deny(resources: Path, text: str) -> None:
    (resources / "content" / DENY_LIST_FILE).write_text(text, encoding="utf-8")


def _cite(resources: Path, url: str) -> int:
    """Make the mini content cite url instead of the ANRU tutelle decree; return the line of the citation."""
    path = resources / "content" / "entites-mini.yaml"
    text = path.read_text(encoding="utf-8")
    assert TUTELLE_REF in text
    path.write_text(text.replace(TUTELLE_REF, url, 1), encoding="utf-8")
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if url in line)


def test_the_real_content_cites_no_deny_listed_host():
    deny_list, errors = read_deny_list(REAL_CONTENT)
    assert errors == []
    assert REVIEWED_HOSTS <= {d.host for d in deny_list}
    assert all(d.reason for d in deny_list)
    content = read_content(REAL_CONTENT)
    assert content.errors == []
    assert [str(e) for e in denied_citations(content, deny_list)] == []
    cited = {host_of(s.ref) for e in content.entities for f in e.facts for s in f.sources}
    assert not cited & REVIEWED_HOSTS


def test_build_refuses_a_deny_listed_citation_with_file_line_host_and_reason(mini_resources, tmp_path):
    _deny(mini_resources, "- host: testing.lemoniteur.fr\n  reason: serveur de test du Moniteur\n")
    line = _cite(mini_resources, "https://www.testing.lemoniteur.fr/article/les-2-3-du-npnru-sont-engages.2339557")
    target = tmp_path / "out.sqlite"
    with pytest.raises(BuildError) as info:
        build_catalogue(mini_resources, target)
    messages = [str(e) for e in info.value.errors]
    assert messages == [
        (f"entites-mini.yaml, ligne {line}, champ « ref » : source refusée : l'hôte « testing.lemoniteur.fr » "
        f"figure dans {DENY_LIST_FILE} (serveur de test du Moniteur) ; citez une source primaire ou reconnue")
    ]
    assert not target.exists()


def test_a_sub_domain_is_refused_but_the_parent_host_stays_allowed(mini_resources, tmp_path):
    _deny(mini_resources, "- host: franco.wiki\n  reason: copie non officielle de Wikipédia\n"
                          "- host: testing.lemoniteur.fr\n  reason: serveur de test\n")
    _cite(mini_resources, "https://fr.franco.wiki/fr/Conseil_national_des_villes.html")
    with pytest.raises(BuildError) as info:
        build_catalogue(mini_resources, tmp_path / "refused.sqlite")
    assert "« fr.franco.wiki »" in str(info.value.errors[0])

    other = tmp_path / "other"
    other.mkdir()
    resources = other / "resources"
    shutil.copytree(mini_resources, resources)
    path = resources / "content" / "entites-mini.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "https://fr.franco.wiki/fr/Conseil_national_des_villes.html",
        "https://www.lemoniteur.fr/article/les-2-3-du-npnru-sont-engages.2339557"), encoding="utf-8")
    build_catalogue(resources, tmp_path / "allowed.sqlite")  # lemoniteur.fr itself is not refused
    assert (tmp_path / "allowed.sqlite").is_file()


def test_the_cli_says_why_in_french_and_changes_nothing(mini_resources, tmp_path, capsys):
    _deny(mini_resources, "- host: cau.mastertrac.com\n  reason: page de spam\n")
    _cite(mini_resources, "http://cau.mastertrac.com/journal/2kokba.php?a=anct")
    target = tmp_path / "data.sqlite"
    code = main(["build-data", "--resources", str(mini_resources), "--output", str(target)])
    err = capsys.readouterr().err
    assert code != 0
    assert "« cau.mastertrac.com »" in err and "page de spam" in err and "entites-mini.yaml, ligne" in err
    assert "le catalogue n'a pas été modifié" in err
    assert not target.exists()


def test_a_deny_list_entry_without_reason_is_reported_with_its_line(mini_resources, tmp_path):
    _deny(mini_resources, "- host: franco.wiki\n  reason: copie de Wikipédia\n- host: staging.libe.io\n")
    with pytest.raises(BuildError) as info:
        build_catalogue(mini_resources, tmp_path / "out.sqlite")
    assert [str(e) for e in info.value.errors] == [
        (f"{DENY_LIST_FILE}, ligne 3, champ « reason » : raison manquante pour l'hôte « staging.libe.io » : "
        "dites pourquoi il est refusé")
    ]


def test_a_fact_resting_only_on_secondary_sources_is_built_with_a_warning(mini_resources, tmp_path, caplog):
    path = mini_resources / "content" / "entites-mini.yaml"
    text = path.read_text(encoding="utf-8")
    old = f"        - ref: {TUTELLE_REF}\n          reliability: O\n"
    assert old in text
    path.write_text(text.replace(old, "        - ref: https://www.wikiwand.com/fr/ANRU\n          reliability: S\n"),
                    encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="qpvdesk.build.content.source_hosts"):
        build_catalogue(mini_resources, tmp_path / "out.sqlite")
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1
    assert "« Tutelle de l'ANRU »" in warnings[0] and "« ministere-ville »" in warnings[0]
    assert "ne cite que des sources secondaires (S)" in warnings[0]
    assert (tmp_path / "out.sqlite").is_file()  # a warning, not a refusal


def test_reference_sheet_placeholders_do_not_warn(mini_resources, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="qpvdesk.build.content.source_hosts"):
        build_catalogue(mini_resources, tmp_path / "out.sqlite")
    assert caplog.records == []  # the mini content's only S source is a « non trouvé » placeholder
