"""Exchange by file: dry-run report, one-transaction import, duplicates, malformed files of every kind
(rejected or partially imported, line by line, with NO change on rejection), formula injection
neutralised on export, round trips (partners CSV/JSON, favourites, notes)."""

from __future__ import annotations

import codecs
import csv
import json
import time
import zipfile

import pytest
from userdata_fixtures import HEADER, REFS, big_csv, row, snapshot, write_csv

from qpvdesk.userdata import PartnerFields, open_user_data


@pytest.fixture()
def data(tmp_path):
    with open_user_data(tmp_path / "ud", refs=REFS) as ud:
        ud.create_partner(PartnerFields(name="Régie de quartier", kind="association", commune="Toulouse"))
        yield ud


def fresh(tmp_path, name="fresh"):
    return open_user_data(tmp_path / name, refs=REFS)


# --- the report -----------------------------------------------------------------------------


def test_dry_run_report_then_apply_in_one_go(data, tmp_path):
    existing = data.list_partners()[0]
    rows = [row(f"Association {n}") for n in range(12)]
    rows += [row("Régie de quartier", uid=existing.uid, kind="association", commune="Toulouse", notes=f"version {n}",
                 modifie_le=existing.updated_at) for n in range(1)]  # dated: an undated line never replaces a local copy
    rows += [row("REGIE DE QUARTIER ", "toulouse"), row("Association 3")]  # two duplicates (DB, then file)
    rows.insert(6, row("Ville mal tapée", "Toulouze"))  # line 8 (header is line 1)
    path = write_csv(tmp_path / "partenaires.csv", rows)
    before = snapshot(data.path)
    report = data.import_partners(path, dry_run=True)
    assert snapshot(data.path) == before  # a dry run changes nothing
    assert (report.new, report.modified, report.duplicates, report.rejected) == (12, 1, 2, 1)
    assert report.summary() == ("12 nouveaux, 1 modifié, 2 doublons, 1 ligne rejetée : "
                                "ligne 8, commune inconnue « Toulouze » : vouliez-vous dire « Toulouse » ?")
    applied = data.import_partners(path, dry_run=False)
    assert applied.applied and applied.summary() == report.summary()
    assert len(data.list_partners()) == 13
    assert data.get_partner(existing.uid).notes == "version 0"
    again = data.import_partners(path, dry_run=True)  # importing twice adds nothing
    assert (again.new, again.modified) == (0, 0)


def test_duplicate_rules(data, tmp_path):
    original = data.list_partners()[0]
    data.update_partner(original.uid, PartnerFields(name="Régie de quartier", kind="association", commune="Toulouse", phone="05"))
    newer_local = data.get_partner(original.uid)
    old_copy = row("Régie de quartier", uid=original.uid, commune="Toulouse", cree_le=original.created_at,
                   modifie_le="2000-01-01T00:00:00+00:00", telephone="06")
    report = data.import_partners(write_csv(tmp_path / "a.csv", [old_copy]), dry_run=False)
    assert report.duplicates == 1 and "plus récente" in report.issues[0].message
    assert data.get_partner(original.uid) == newer_local  # what the user typed is kept
    data.delete_partner(original.uid)
    report = data.import_partners(write_csv(tmp_path / "b.csv", [row("Régie de quartier", uid=original.uid, commune="Toulouse")]), dry_run=False)
    assert report.modified == 1 and "rétabli" in report.issues[0].message
    assert data.get_partner(original.uid) is not None
    same_name_other_town = row("Régie de quartier", commune="Saint-Denis")
    assert data.import_partners(write_csv(tmp_path / "c.csv", [same_name_other_town])).new == 1


def test_unknown_programme_or_commune_is_kept_with_a_remark(data, tmp_path):
    rows = [row("Maison des projets", programmes="npnru, programme-futur"), row("Mairie", "Mareil-sur-Mauldre")]
    report = data.import_partners(write_csv(tmp_path / "p.csv", rows), dry_run=False)
    assert report.new == 2 and report.rejected == 0
    assert "programme inconnu" in report.issues[0].message and not report.issues[0].rejected
    assert "absente du catalogue" in report.issues[1].message and not report.issues[1].rejected
    [partner] = [p for p in data.list_partners() if p.name == "Maison des projets"]
    assert partner.programme_ids == ("npnru", "programme-futur")


# --- malformed files: rejected, nothing changes ----------------------------------------------


def _xlsx(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>" * 50)
    return path


BAD_FILES = {
    "binary-png": lambda p: p.with_suffix(".csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
    "xlsx-renamed": lambda p: _xlsx(p.with_suffix(".csv")),
    "utf16-without-bom-cut": lambda p: p.with_suffix(".csv").write_bytes("nom;commune\nÉlan;Toulouse\n".encode("utf-16-le")[:-1]),
    "undecodable": lambda p: p.with_suffix(".csv").write_bytes(b"nom;commune\n\x81\x8d\x8f\x90\x9d;Toulouse\n"),
    "no-known-column": lambda p: p.with_suffix(".csv").write_text("a;b;c\n1;2;3\n", encoding="utf-8"),
    "missing-name-column": lambda p: p.with_suffix(".csv").write_text("type;commune\nAssociation;Toulouse\n", encoding="utf-8"),
    "header-only": lambda p: p.with_suffix(".csv").write_text(";".join(HEADER) + "\n", encoding="utf-8"),
    "empty": lambda p: p.with_suffix(".csv").write_bytes(b""),
    "unclosed-quote": lambda p: p.with_suffix(".csv").write_text('nom;commune\n"Élan;Toulouse\nAutre;Toulouse\n', encoding="utf-8"),
    "duplicate-column": lambda p: p.with_suffix(".csv").write_text("nom;commune;nom\nA;Toulouse;B\n", encoding="utf-8"),
    "truncated-json": lambda p: p.with_suffix(".json").write_text('{"partners": [{"name": "Élan", "commune": "Toul', encoding="utf-8"),
    "json-wrong-shape": lambda p: p.with_suffix(".json").write_text('{"partenaires": 3}', encoding="utf-8"),
    "json-binary": lambda p: p.with_suffix(".json").write_bytes(b"\x00\x01\x02{}"),
    "json-deep-nesting": lambda p: p.with_suffix(".json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8"),
    "wrong-extension": lambda p: p.with_suffix(".xls").write_text("nom\nA\n", encoding="utf-8"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_malformed_file_is_rejected_and_nothing_changes(data, tmp_path, kind):
    BAD_FILES[kind](tmp_path / "bad")
    [path] = [p for p in tmp_path.iterdir() if p.name.startswith("bad")]
    before = snapshot(data.path)
    for dry_run in (True, False):
        report = data.import_partners(path, dry_run=dry_run)
        assert not report.ok and report.file_error, kind
        assert report.summary().startswith("Fichier refusé : ")
        assert not report.applied
    assert snapshot(data.path) == before


def test_missing_file(data, tmp_path):
    assert "introuvable" in data.import_partners(tmp_path / "absent.csv").file_error


def test_wrong_separator_rows_are_rejected_line_by_line(data, tmp_path):
    """A ';' header with ',' rows: every row has the wrong number of columns."""
    path = tmp_path / "mixed.csv"
    path.write_text("nom;commune;type\nÉlan,Toulouse,Association\nRégie,Toulouse,Association\n", encoding="utf-8")
    before = snapshot(data.path)
    report = data.import_partners(path, dry_run=False)
    assert report.ok and report.rejected == 2 and report.new == 0 and not report.applied
    assert [i.line for i in report.issues] == [2, 3]
    assert "1 colonne(s) au lieu de 3" in report.issues[0].message
    assert snapshot(data.path) == before


def test_comma_separated_file_is_read_with_a_warning(data, tmp_path):
    path = write_csv(tmp_path / "virgules.csv", [row("Élan", "Toulouse"), row("Gym, danse et quartiers", "Toulouse")], sep=",")
    report = data.import_partners(path, dry_run=False)
    assert report.new == 2 and any("séparateur « , »" in w for w in report.warnings)


def test_windows_1252_file_from_excel_is_read_with_a_warning(data, tmp_path):
    path = write_csv(tmp_path / "excel.csv", [row("Maison de l'Économie", "Évry-Courcouronnes")], encoding="cp1252")
    report = data.import_partners(path, dry_run=False)
    assert report.new == 1 and any("Windows-1252" in w for w in report.warnings)
    assert any(p.name == "Maison de l'Économie" for p in data.list_partners())


def test_partial_import_reports_each_bad_line(data, tmp_path):
    rows = [row("Bon 1"), row(""), row("Bon 2", kind="Licorne"), row("X" * 400), row("Bon 3", "Toulouze"), row("Bon 4")]
    path = write_csv(tmp_path / "partiel.csv", rows)
    before_count = len(data.list_partners())
    report = data.import_partners(path, dry_run=False)
    assert (report.new, report.rejected) == (2, 4)
    messages = {i.line: i.message for i in report.issues if i.rejected}
    assert "nom est obligatoire" in messages[3]
    assert "type inconnu « Licorne »" in messages[4]
    assert "nom trop long" in messages[5]
    assert "commune inconnue « Toulouze »" in messages[6]
    assert len(data.list_partners()) == before_count + 2
    assert "4 lignes rejetées : ligne 3, le nom est obligatoire ; ligne 4" in report.summary()


def test_json_lines_of_the_wrong_type_are_rejected(data, tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"partners": [{"name": "Bon"}, "pas un objet", {"name": ["liste"]}, {"name": "Ok", "phone": 612}]}), encoding="utf-8")
    report = data.import_partners(path, dry_run=False)
    assert (report.new, report.rejected) == (2, 2)
    assert [i.line for i in report.issues if i.rejected] == [2, 3]


def test_hundred_thousand_rows_import_in_one_transaction(tmp_path):
    path = big_csv(tmp_path / "gros.csv", 100_000)
    with fresh(tmp_path) as data:
        started = time.perf_counter()
        preview = data.import_partners(path, dry_run=True)
        dry = time.perf_counter() - started
        assert preview.new == 100_000 and data.count_partners() == 0
        started = time.perf_counter()
        report = data.import_partners(path, dry_run=False)
        applied = time.perf_counter() - started
        assert report.applied and report.new == 100_000 and report.rejected == 0
        assert data.count_partners() == 100_000
        assert len(data.search_partners("association n°99999")) == 1
        print(f"\n100 000 lignes : essai {dry:.1f} s, import {applied:.1f} s ({path.stat().st_size // 1024} Ko)")


def test_too_many_rows_rejected(tmp_path, monkeypatch):
    from qpvdesk.userdata import exchange

    monkeypatch.setattr(exchange, "MAX_ROWS", 50)
    with fresh(tmp_path) as data:
        report = data.import_partners(big_csv(tmp_path / "trop.csv", 51))
        assert "trop de lignes (plus de 50, le maximum)" in report.file_error


# --- export ------------------------------------------------------------------------------------


INJECTIONS = ['=HYPERLINK("http://evil.example","clic")', "+33 1 23 45 67 89", "-2+3", "@SUM(A1:A2)", "\tTab", "'=déjà échappé", "''double"]


def test_formula_injection_is_neutralised_on_export_and_round_trips(tmp_path):
    with fresh(tmp_path, "a") as data:
        for n, text in enumerate(INJECTIONS):
            data.create_partner(PartnerFields(name=f"P{n} {text}".strip() if n else text, phone=text, notes=text, contact_name=text))
        expected = data.list_partners()
        path = tmp_path / "export.csv"
        data.export_partners(path)
    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    cells = [cell for record in csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";") for cell in record]
    assert not any(cell[:1] in ("=", "+", "-", "@", "\t") for cell in cells)
    assert "'=HYPERLINK(\"http://evil.example\",\"clic\")" in cells and "'+33 1 23 45 67 89" in cells
    with fresh(tmp_path, "b") as other:
        report = other.import_partners(path, dry_run=False)
        assert report.new == len(INJECTIONS) and report.rejected == 0
        assert other.list_partners() == expected  # the apostrophe is removed on the way back


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_export_import_round_trip_gives_identical_partners(tmp_path, file_format):
    with fresh(tmp_path, "a") as data:
        data.create_partner(PartnerFields(name="Centre social Élan", kind="social-centre", commune="Évry-Courcouronnes", qpv_code="qn09301m",
                                          programme_ids=("npnru", "cites-educatives"), contact_name="Mme Durand", phone="01 60 00 00 00",
                                          email="a@b.fr", address="1 place des Droits\n91000 Évry", website="https://elan.example",
                                          notes='Notes ; "guillemets" ; emoji 🌳 ; עברית\nsur deux lignes'))
        data.create_partner(PartnerFields(name="Régie ; quartier", kind="association", commune="Toulouse"))
        removed = data.create_partner(PartnerFields(name="Supprimé", commune="Toulouse"))
        data.delete_partner(removed.uid)
        expected = data.list_partners()
        path = tmp_path / f"export.{file_format}"
        assert data.export_partners(path) == 2
    with fresh(tmp_path, "b") as other:
        assert other.import_partners(path, dry_run=False).new == 2
        assert other.list_partners() == expected
        assert other.import_partners(path, dry_run=True).duplicates == 2


def test_favourites_round_trip_reports_unknown_ids(tmp_path):
    with fresh(tmp_path, "a") as data:
        local = data.create_partner(PartnerFields(name="Élan"))
        for entity_id in ("anru", "npnru", "entite-disparue", local.entity_id):
            data.add_favourite(entity_id)
        path = tmp_path / "favoris.json"
        assert data.export_favourites(path, names={"anru": "ANRU"}) == 4
    with fresh(tmp_path, "b") as other:
        other.add_favourite("anct")
        report = other.import_favourites(path)
        assert report.added == ("anru", "npnru", "entite-disparue", local.entity_id)
        assert set(report.unknown) == {"entite-disparue", local.entity_id}  # reported…
        assert [f.entity_id for f in other.list_favourites()] == ["anct", "anru", "npnru", "entite-disparue", local.entity_id]  # …not dropped
        assert "2 identifiants inconnus" in report.summary()
        assert other.import_favourites(path).already == report.added
        bad = tmp_path / "bad.json"
        bad.write_text('{"favourites": [1, 2', encoding="utf-8")
        before = other.list_favourites()
        assert "JSON illisible" in other.import_favourites(bad).file_error
        assert other.list_favourites() == before


def test_notes_round_trip_never_overwrites(tmp_path):
    with fresh(tmp_path, "a") as data:
        data.set_note("npnru", "Comité en mars")
        data.set_note("anru", "Contact : M. Martin")
        path = tmp_path / "notes.json"
        assert data.export_notes(path) == 2
    with fresh(tmp_path, "b") as other:
        other.set_note("npnru", "Ma propre note")
        report = other.import_notes(path)
        assert (report.added, report.merged, report.unchanged) == (1, 1, 0)
        merged = other.get_note("npnru").text
        assert merged.startswith("Ma propre note") and "Note importée le" in merged and merged.endswith("Comité en mars")
        assert other.import_notes(path).unchanged == 2
        assert other.get_note("anru").text == "Contact : M. Martin"


def test_broken_files_are_explained_in_french_without_the_parser_s_english(data, tmp_path):
    truncated = tmp_path / "tronque.json"
    truncated.write_text('{"partners": [{"name": "Régie"', encoding="utf-8")
    error = data.import_partners(truncated).file_error
    assert "JSON illisible ou tronqué (ligne 1" in error and "Expecting" not in error
    unclosed = tmp_path / "guillemet.csv"
    unclosed.write_bytes("nom;commune\n\"Régie;Toulouse\n".encode())
    assert data.import_partners(unclosed).file_error == "ligne 2 illisible (guillemet non fermé, caractère nul ou champ démesuré ?)"


def test_notes_or_favourites_from_a_csv_ask_for_the_json_file(data, tmp_path):
    wrong = tmp_path / "notes.csv"
    wrong.write_text("entity_id;text\npic;x\n", encoding="utf-8")
    assert data.import_notes(wrong).file_error == "fichier .json attendu (exporté par qpvdesk), pas « .csv »"
