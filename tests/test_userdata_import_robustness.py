"""Imports that used to crash, refuse for a false reason or cut silently (reliability audit, December 2026):
Excel's extra or blank columns, long notes, huge JSON numbers, lone surrogates, UTF-16 without BOM,
row limits checked while reading, streamed JSON, favourites/notes limits, progress and cancellation."""

from __future__ import annotations

import json

import pytest
from userdata_fixtures import REFS, big_csv, snapshot

from qpvdesk.userdata import PartnerFields, open_user_data
from qpvdesk.userdata.views import MAX_NOTES


@pytest.fixture()
def data(tmp_path):
    with open_user_data(tmp_path / "ud", refs=REFS) as ud:
        yield ud


def both(data, path, method="import_partners"):
    """The dry run, then the real import: they must tell the same story."""
    before = snapshot(data.path)
    dry = getattr(data, method)(path, dry_run=True)
    assert snapshot(data.path) == before
    return dry, getattr(data, method)(path, dry_run=False)


# --- Excel CSV -------------------------------------------------------------------------------


@pytest.mark.parametrize(("header", "cells", "listed"), [
    ("nom;commune;Département;Observations", "Asso X;Toulouse;31;rien", "Département, Observations"),
    ("nom;commune;;", "Asso X;Toulouse;;", "colonne 3 sans titre, colonne 4 sans titre"),
])
def test_unknown_and_blank_columns_are_ignored_and_listed(data, tmp_path, header, cells, listed):
    path = tmp_path / "excel.csv"
    path.write_text(f"{header}\n{cells}\n", encoding="cp1252")
    dry, real = both(data, path)
    assert dry.ok and real.ok, real.file_error
    assert (dry.new, real.new) == (1, 1)
    assert f"colonnes ignorées (inconnues) : {listed}" in real.warnings
    assert data.list_partners()[0].name == "Asso X"


def test_a_known_column_twice_is_still_refused(data, tmp_path):
    path = tmp_path / "double.csv"
    path.write_text("nom;commune;;Nom\nA;Toulouse;;B\n", encoding="utf-8")
    assert "colonne présente deux fois : Nom" in data.import_partners(path).file_error


# --- notes: one length limit, nothing cut silently -------------------------------------------


def _notes_file(path, notes):
    path.write_text(json.dumps({"notes": [{"entity_id": i, "text": t} for i, t in notes]}), encoding="utf-8")
    return path


def test_a_merged_note_over_the_limit_is_shortened_and_reported(data, tmp_path):
    data.set_note("anru", "A" * 15_000)
    dry, real = both(data, _notes_file(tmp_path / "n.json", [("anru", "B" * 10_000)]), "import_notes")
    assert dry.shortened == real.shortened
    [(entity_id, dropped)] = real.shortened
    kept = data.get_note("anru").text
    assert entity_id == "anru" and len(kept) == MAX_NOTES
    assert dropped == 10_000 - kept.count("B")
    assert "1 note raccourcie" in real.summary() and "« anru »" in real.summary()


def test_a_new_note_over_the_limit_obeys_the_same_limit(data, tmp_path):
    dry, real = both(data, _notes_file(tmp_path / "n.json", [("npnru", "H" * 40_000)]), "import_notes")
    assert dry.shortened == real.shortened == (("npnru", 40_000 - MAX_NOTES),)
    assert len(data.get_note("npnru").text) == MAX_NOTES
    data.set_note("npnru", data.get_note("npnru").text)  # the note stays editable


def test_a_giant_element_is_refused_before_it_fills_memory(data, tmp_path, monkeypatch):
    from qpvdesk.userdata import filereading

    monkeypatch.setattr(filereading, "MAX_ELEMENT_CHARS", 1000)
    path = _notes_file(tmp_path / "h.json", [("anru", "court"), ("npnru", "H" * 5000)])
    assert "élément démesuré vers la ligne 1" in data.import_notes(path).file_error
    assert data.list_notes() == []


def test_notes_within_the_limit_are_not_reported_as_shortened(data, tmp_path):
    report = data.import_notes(_notes_file(tmp_path / "n.json", [("anru", "court")]))
    assert report.shortened == () and "raccourcie" not in report.summary()


# --- JSON values Python or SQLite cannot take ------------------------------------------------


def test_huge_json_integer_rejects_that_element_only_in_dry_run_and_import(data, tmp_path):
    path = tmp_path / "b.json"
    path.write_text('{"partners":[{"name":"x","phone":' + "9" * 5000 + '},{"name":"y"}]}', encoding="utf-8")
    dry, real = both(data, path)
    assert (dry.new, dry.rejected) == (real.new, real.rejected) == (1, 1)
    [issue] = [i for i in real.issues if i.rejected]
    assert issue.line == 1 and "téléphone" in issue.message and "trop long" in issue.message


def test_lone_surrogate_rejects_that_element_with_its_field_and_the_dry_run_agrees(data, tmp_path):
    path = tmp_path / "s.json"
    path.write_text('{"partners":[{"name":"bad \\ud800 name"},{"name":"ok \\ud83d\\ude00"}]}', encoding="utf-8")
    dry, real = both(data, path)
    assert (dry.new, dry.rejected) == (real.new, real.rejected) == (1, 1)
    assert "champ « name » : caractère invalide" in real.summary() and "\\ud800" in real.summary()
    assert "nom est obligatoire" not in real.summary()  # only the real problem is named
    assert [p.name for p in data.list_partners()] == ["ok 😀"]  # a real surrogate pair is a character


@pytest.mark.parametrize(("method", "content", "expected"), [
    ("import_notes", '{"notes":[{"entity_id":"anru","text":"a"},{"entity_id":"anru","text":"a\\udfff"}]}',
     "n.json, élément 2 : champ « text » : caractère invalide"),
    ("import_notes", '{"notes":[{"entity_id":' + "9" * 5000 + ',"text":"a"}]}', "n.json, élément 1 : le fichier doit"),
    ("import_favourites", '{"favourites":["anru","\\ud800"]}', "n.json, élément 2 : champ « id » : caractère invalide"),
    ("import_favourites", '{"favourites":[' + "9" * 5000 + "]}", "n.json, élément 1 : le fichier doit"),
])
def test_notes_and_favourites_say_what_is_wrong_and_where(data, tmp_path, method, content, expected):
    path = tmp_path / "n.json"
    path.write_text(content, encoding="utf-8")
    dry, real = both(data, path, method)
    assert dry.file_error == real.file_error and expected in real.summary()
    assert data.list_notes() == [] and data.list_favourites() == []


# --- encodings, limits while reading, streaming ----------------------------------------------


def test_utf16_without_bom_is_read_with_a_warning(data, tmp_path):
    path = tmp_path / "u.csv"
    path.write_bytes("nom;commune\nÉlan;Toulouse\n".encode("utf-16-le"))
    report = data.import_partners(path, dry_run=False)
    assert report.new == 1 and any("UTF-16 sans BOM" in w for w in report.warnings)
    assert data.list_partners()[0].name == "Élan"


def test_the_row_limit_stops_reading_before_the_rest_of_the_file(data, tmp_path, monkeypatch):
    from qpvdesk.userdata import exchange

    monkeypatch.setattr(exchange, "MAX_ROWS", 50)
    path = big_csv(tmp_path / "trop.csv", 60)
    with path.open("a", encoding="utf-8") as out:
        out.write('"guillemet jamais fermé;Toulouse\n' + "x\n" * 1000)  # never reached: the limit comes first
    assert "trop de lignes (plus de 50" in data.import_partners(path).file_error
    elements = tmp_path / "trop.json"
    elements.write_text('{"partners": [' + '{"name": "a"},' * 51 + "tronqué", encoding="utf-8")
    assert "trop de lignes (plus de 50" in data.import_partners(elements).file_error


def test_json_export_streams_back_in_even_read_in_tiny_pieces(tmp_path, monkeypatch):
    from qpvdesk.userdata import filereading

    monkeypatch.setattr(filereading, "_CHUNK", 7)  # every value, number and escape cut across reads
    with open_user_data(tmp_path / "a", refs=REFS) as data:
        for n in range(30):
            data.create_partner(PartnerFields(name=f"Élan « {n} » 😀", phone=str(10**n), notes="ligne\nsuivante \\ \"q\""))
        expected = data.list_partners()
        data.export_partners(tmp_path / "p.json")
    with open_user_data(tmp_path / "b", refs=REFS) as other:
        assert other.import_partners(tmp_path / "p.json", dry_run=False).new == 30
        assert other.list_partners() == expected


def test_truncated_json_is_still_told_with_its_position(data, tmp_path, monkeypatch):
    from qpvdesk.userdata import filereading

    monkeypatch.setattr(filereading, "_CHUNK", 5)
    path = tmp_path / "t.json"
    path.write_text('{"partners": [\n{"name": "Élan"},\n{"name": "Toul', encoding="utf-8")
    assert "JSON illisible ou tronqué (ligne 3" in data.import_partners(path).file_error


def test_favourites_have_a_limit(data, tmp_path, monkeypatch):
    from qpvdesk.userdata import personal_import

    monkeypatch.setattr(personal_import, "MAX_FAVOURITES_IMPORT", 5)
    path = tmp_path / "f.json"
    path.write_text(json.dumps({"favourites": [f"id{n}" for n in range(6)]}), encoding="utf-8")
    assert "trop d'éléments (plus de 5" in data.import_favourites(path).file_error
    assert data.list_favourites() == []


# --- notes in batches, progress and cancel ---------------------------------------------------


def test_notes_import_reports_progress_and_a_cancel_changes_nothing(data, tmp_path, monkeypatch):
    from qpvdesk.userdata import personal_import

    monkeypatch.setattr(personal_import, "BATCH", 10)
    data.set_note("anru", "déjà là")
    path = _notes_file(tmp_path / "n.json", [(f"x{n}", f"note {n}") for n in range(35)] + [("anru", "ajout")])
    before = snapshot(data.path)
    cancelled = data.import_notes(path, progress=lambda done, total: done < 20)
    assert "annulé" in cancelled.file_error and snapshot(data.path) == before
    seen = []
    report = data.import_notes(path, progress=lambda done, total: seen.append((done, total)))
    assert (report.added, report.merged) == (35, 1)
    assert seen[-1] == (36, 36) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert "ajout" in data.get_note("anru").text and data.get_note("x34").text == "note 34"


@pytest.mark.parametrize("count", [0, 1, 3])
def test_streamed_json_export_is_byte_identical_to_the_document_form(tmp_path, monkeypatch, count):
    from qpvdesk.userdata import exchange

    monkeypatch.setattr(exchange, "now_iso", lambda: "2026-12-04T10:00:00+00:00")
    with open_user_data(tmp_path / "a", refs=REFS) as data:
        for n in range(count):
            data.create_partner(PartnerFields(name=f"Élan {n}\nbis", programme_ids=("npnru", "cites-educatives")[: n],
                                              notes='"guillemets" \\ et\nlignes'))
        partners = data.list_partners()
    streamed, whole = tmp_path / "s.json", tmp_path / "w.json"
    exchange.write_partners_json(streamed, partners)
    exchange.write_json(whole, exchange.partners_document(partners))
    assert streamed.read_bytes() == whole.read_bytes()
