"""Hypothesis fuzzes the importers: any bytes, any CSV-ish text, any JSON value. An importer never
crashes; a rejected file changes nothing; whatever is imported is what the report announced."""

from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from userdata_fixtures import HEADER, REFS, csv_text, snapshot

from qpvdesk.userdata import PartnerFields, open_user_data
from qpvdesk.userdata.text import clean_block, clean_line, neutralise_formula, restore_formula

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    with open_user_data(tmp_path_factory.mktemp("fuzz") / "ud", refs=REFS) as ud:
        ud.create_partner(PartnerFields(name="Déjà là", commune="Toulouse"))
        yield ud


def check_import(data, path):
    before = snapshot(data.path)
    count_before = data.count_partners()
    preview = data.import_partners(path, dry_run=True)
    assert snapshot(data.path) == before
    report = data.import_partners(path, dry_run=False)
    if not report.ok:
        assert report.file_error and not report.applied
        assert snapshot(data.path) == before
    else:
        assert (report.new, report.modified, report.rejected) == (preview.new, preview.modified, preview.rejected)
        assert report.new + report.modified + report.duplicates + report.rejected == report.rows
        assert data.count_partners() == count_before + report.new
        assert all(i.message for i in report.issues)
    conn = sqlite3.connect(data.path)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    conn.close()
    return report


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from([".csv", ".json"]))
def test_any_bytes(data, tmp_path_factory, payload, suffix):
    path = tmp_path_factory.mktemp("b") / f"f{suffix}"
    path.write_bytes(payload)
    check_import(data, path)


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@FUZZ
@given(
    st.lists(st.sampled_from(HEADER + ["inconnue", "NOM", "Téléphone"]), min_size=1, max_size=8),
    st.lists(st.lists(cells, max_size=9), max_size=8),
    st.sampled_from([";", ",", "\t"]),
)
def test_csv_like_text(data, tmp_path_factory, header, rows, sep):
    path = tmp_path_factory.mktemp("c") / "f.csv"
    try:
        text = csv_text(rows, header, sep)
    except Exception:  # noqa: BLE001 - csv cannot write some inputs; nothing to test then
        return
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    check_import(data, path)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(["name", "nom", "commune", "kind", "uid", "programme_ids", "x"]), children, max_size=5),
    max_leaves=20,
)


@FUZZ
@given(json_values)
def test_json_values(data, tmp_path_factory, value):
    path = tmp_path_factory.mktemp("j") / "f.json"
    path.write_text(json.dumps({"partners": value} if isinstance(value, list) else value), encoding="utf-8")
    check_import(data, path)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({
    "name": st.text(min_size=1, max_size=40), "notes": st.text(max_size=60), "phone": st.text(max_size=15),
    "address": st.text(max_size=40), "kind": st.sampled_from(["association", "company", "Bailleur social", ""]),
}), min_size=1, max_size=5), st.sampled_from(["csv", "json"]))
def test_export_import_round_trip(tmp_path_factory, partners, file_format):
    folder = tmp_path_factory.mktemp("rt")
    with open_user_data(folder / "a") as first:
        for fields in partners:
            try:
                first.create_partner(PartnerFields(**fields))
            except Exception:  # noqa: BLE001 - empty or invalid names are refused, that is tested elsewhere
                pass
        expected = first.list_partners()
        first.export_partners(folder / f"x.{file_format}")
    with open_user_data(folder / "b") as second:
        report = second.import_partners(folder / f"x.{file_format}", dry_run=False)
        assert second.list_partners() == expected, report.details()


@given(st.text())
def test_formula_neutralisation_round_trips(text):
    assert restore_formula(neutralise_formula(text)) == text
    assert neutralise_formula(text)[:1] not in ("=", "+", "-", "@", "\t", "\r")


@given(st.text())
def test_cleaning_is_stable(text):
    assert clean_line(clean_line(text)) == clean_line(text)
    assert clean_block(clean_block(text)) == clean_block(text)
    assert "\n" not in clean_line(text)
