"""Importing partners: the file's modification date decides between the file and the local copy, and a
line whose date is missing, unreadable or too vague never replaces a different local copy (the user's
own edit would be lost): it is rejected as a conflict, naming its line. parse_iso reads the French
spreadsheet forms (dd/mm/yyyy hh:mm) that LibreOffice/Excel write back, and never raises."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from userdata_fixtures import REFS, row, snapshot, write_csv

from qpvdesk.userdata import PartnerFields, open_user_data
from qpvdesk.userdata.text import parse_iso

UID = "6f1c2a3e-8b4d-4c5e-9f60-718293a4b5c6"
SEEDED = "2024-03-12T09:32:47+00:00"  # the local copy's date (set through an import: deterministic)


@pytest.fixture()
def data(tmp_path):
    with open_user_data(tmp_path / "ud", refs=REFS) as ud:
        seed = tmp_path / "seed.json"
        seed.write_text(json.dumps({"partners": [{
            "uid": UID, "name": "Régie de quartier", "kind": "association", "commune": "Toulouse", "phone": "05 00 00 00 00",
            "created_at": "2024-01-01T08:00:00+00:00", "updated_at": SEEDED,
        }]}), encoding="utf-8")
        assert ud.import_partners(seed, dry_run=False).new == 1
        assert ud.get_partner(UID).updated_at == SEEDED
        yield ud


def file_line(modifie_le: str, phone: str = "06 11 11 11 11") -> list[str]:
    """The same partner as in the database, with another phone number."""
    return row("Régie de quartier", uid=UID, kind="association", telephone=phone, modifie_le=modifie_le)


def import_both_ways(data, path):
    """Dry run then apply: same counts, and the report of the applied import."""
    preview = data.import_partners(path, dry_run=True)
    report = data.import_partners(path, dry_run=False)
    assert (report.new, report.modified, report.duplicates, report.rejected) == (
        preview.new, preview.modified, preview.duplicates, preview.rejected)
    assert report.new + report.modified + report.duplicates + report.rejected == report.rows
    return report


# --- parse_iso -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-03-12T09:32:00+00:00", "2025-03-12T09:32:00+00:00"),  # what the app writes: unchanged behaviour
    ("2025-03-12T10:32:00+01:00", "2025-03-12T09:32:00+00:00"),
    ("2025-03-12T09:32:00Z", "2025-03-12T09:32:00+00:00"),
    ("2025-03-12T09:32:00", "2025-03-12T09:32:00+00:00"),  # naive ISO is read as UTC, as before
    ("12/03/2025 09:32", "2025-03-12T09:32:00+00:00"),  # …and so is the naive French form (same digits, same instant)
    (" 12/03/2025 09:32:15 ", "2025-03-12T09:32:15+00:00"),
    ("12/03/2025", "2025-03-12T00:00:00+00:00"),
    ("1/3/2025 9:05", "2025-03-01T09:05:00+00:00"),  # day first (French), unpadded as Excel may write it
])
def test_parse_iso_reads_iso_and_french_spreadsheet_forms(text, expected):
    assert parse_iso(text) == expected


@pytest.mark.parametrize("text", [
    "", "   ", "hier", "31/02/2026", "29/02/2025", "12/13/2026", "00/03/2026", "12/03/2026 24:00", "12/03/2026 09:60",
    "12/03/26", "12/03/2026 à 09:32", "12-03-2026", "12/03/1850", "2026-02-31T10:00:00", "45731,396",
    "１２/０３/２０２６",  # full-width digits: not what a spreadsheet writes
])
def test_parse_iso_rejects_what_is_not_a_usable_date(text):
    assert parse_iso(text) is None


SPARSE = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SPARSE
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
       | st.from_regex(r"\A\s*\d{1,3}/\d{1,3}/\d{1,5}( \d{1,3}:\d{1,3}(:\d{1,3})?)?\s*\Z"))
def test_parse_iso_never_raises_and_is_stable(text):
    result = parse_iso(text)
    assert result is None or parse_iso(result) == result


@SPARSE
@given(st.integers(0, 40), st.integers(0, 14), st.integers(1980, 2210), st.integers(0, 25), st.integers(0, 61))
def test_parse_iso_french_form_is_exactly_the_calendar(day, month, year, hour, minute):
    try:
        expected = datetime(year, month, day, hour, minute, tzinfo=timezone.utc)
    except ValueError:
        expected = None
    if expected is not None and not 1990 <= year <= 2200:
        expected = None
    result = parse_iso(f"{day:02d}/{month:02d}/{year} {hour:02d}:{minute:02d}")
    assert result == (expected.isoformat() if expected else None)


# --- the importer ------------------------------------------------------------------------------


@pytest.mark.parametrize(("modifie_le", "shown"), [
    ("", "absente"),
    ("hier soir", "« hier soir » illisible"),
    ("31/02/2026 10:00", "« 31/02/2026 10:00 » illisible"),
])
def test_undated_line_never_replaces_a_newer_local_edit(data, tmp_path, modifie_le, shown):
    mine = data.update_partner(UID, PartnerFields(name="Régie de quartier", kind="association", commune="Toulouse",
                                                 phone="05 99 99 99 99", notes="ma modification"))
    path = write_csv(tmp_path / "f.csv", [row("Nouvelle association", uid="0d8f1e2a-3b4c-4d5e-8f70-8192a3b4c5d6"),
                                          file_line(modifie_le), row("Autre association")])
    before = snapshot(data.path)
    preview = data.import_partners(path, dry_run=True)
    assert snapshot(data.path) == before
    report = import_both_ways(data, path)
    assert (report.new, report.modified, report.duplicates, report.rejected) == (2, 0, 0, 1)  # new partners still come in
    assert data.get_partner(UID) == mine  # the user's own edit survives
    [conflict] = [i for i in report.issues if i.rejected]
    assert conflict.line == 3 and "conflit" in conflict.message and shown in conflict.message
    assert "votre version, différente, est conservée" in conflict.message
    assert f"1 ligne rejetée : ligne 3, conflit : date de modification {shown}" in report.summary()
    assert any(d.startswith("Ligne 3 (rejetée) : conflit") for d in report.details())
    assert preview.summary() == report.summary()
    assert {p.name for p in data.list_partners()} == {"Régie de quartier", "Nouvelle association", "Autre association"}


def test_undated_json_line_is_a_conflict_too(data, tmp_path):
    path = tmp_path / "f.json"
    path.write_text(json.dumps({"partners": [
        {"uid": UID, "name": "Régie de quartier", "kind": "association", "commune": "Toulouse", "phone": "06"},
        {"uid": UID.replace("6f", "7f", 1), "name": "Nouvelle", "commune": "Toulouse"},  # unknown uid, no date: new
    ]}), encoding="utf-8")
    report = import_both_ways(data, path)
    assert (report.new, report.modified, report.rejected) == (1, 0, 1)
    assert "élément n° 1, conflit : date de modification absente" in report.summary()  # JSON: the n-th partner
    assert data.get_partner(UID).phone == "05 00 00 00 00" and data.get_partner(UID).updated_at == SEEDED
    assert data.get_partner(UID.replace("6f", "7f", 1)) is not None


def test_undated_line_identical_to_the_local_copy_is_a_plain_duplicate(data, tmp_path):
    path = write_csv(tmp_path / "f.csv", [file_line("", phone="05 00 00 00 00")])
    report = import_both_ways(data, path)
    assert (report.duplicates, report.rejected) == (1, 0) and "identique" in report.issues[0].message


def test_newer_french_date_replaces_the_local_copy(data, tmp_path):
    report = import_both_ways(data, write_csv(tmp_path / "f.csv", [file_line("13/03/2024 08:00")]))
    assert (report.modified, report.rejected, report.duplicates) == (1, 0, 0)
    partner = data.get_partner(UID)
    assert partner.phone == "06 11 11 11 11" and partner.updated_at == "2024-03-13T08:00:00+00:00"


def test_older_french_date_keeps_the_local_copy(data, tmp_path):
    before = snapshot(data.path)
    report = import_both_ways(data, write_csv(tmp_path / "f.csv", [file_line("12/03/2024 09:31")]))
    assert (report.modified, report.rejected, report.duplicates) == (0, 0, 1)
    assert "plus récente" in report.issues[0].message
    assert snapshot(data.path) == before


def test_spreadsheet_rounding_to_the_minute_does_not_lose_the_file_edits(data, tmp_path):
    """Excel writes the exported 2024-03-12T09:32:47+00:00 back as « 12/03/2024 09:32 »: the line is not older than
    the local copy (same minute), so what was typed in the spreadsheet is imported, as with the intact ISO date."""
    report = import_both_ways(data, write_csv(tmp_path / "f.csv", [file_line("12/03/2024 09:32")]))
    assert report.modified == 1 and data.get_partner(UID).phone == "06 11 11 11 11"


@pytest.mark.parametrize(("modifie_le", "outcome"), [
    ("11/03/2024", "duplicate"),  # the day before the local edit: the local copy is newer
    ("12/03/2024", "conflict"),  # the same day, no time: cannot tell
    ("13/03/2024", "modified"),
    ("2024-03-12", "conflict"),  # the ISO date without time is just as vague
])
def test_date_without_time(data, tmp_path, modifie_le, outcome):
    report = import_both_ways(data, write_csv(tmp_path / "f.csv", [file_line(modifie_le)]))
    counts = {"duplicate": report.duplicates, "conflict": report.rejected, "modified": report.modified}
    assert counts == {k: int(k == outcome) for k in counts}
    if outcome == "conflict":
        assert f"ligne 2, conflit : date de modification « {modifie_le} » sans heure précise" in report.summary()
    assert (data.get_partner(UID).phone == "06 11 11 11 11") == (outcome == "modified")


def test_new_partner_keeps_its_french_dates(data, tmp_path):
    uid = "0d8f1e2a-3b4c-4d5e-8f70-8192a3b4c5d6"
    path = write_csv(tmp_path / "f.csv", [row("Nouvelle", uid=uid, cree_le="01/02/2024 10:00", modifie_le="05/02/2024 11:30:05")])
    assert import_both_ways(data, path).new == 1
    partner = data.get_partner(uid)
    assert (partner.created_at, partner.updated_at) == ("2024-02-01T10:00:00+00:00", "2024-02-05T11:30:05+00:00")
