"""packaging/licences.py gathers the licence text of everything the bundle ships (« Aide › Licences »): the
Python distributions, the extras they ask for, and the native libraries a wheel carries inside it."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "packaging"))

from licences import BUNDLED_LICENCES, WHEEL_LIBRARIES, WHEEL_LIBRARY, collect, requirement_closure, wheel_libraries  # noqa: E402


def test_the_team_driver_and_the_keyring_are_followed_through_their_extras():
    names = {dist.metadata["Name"].lower().replace("_", "-") for dist in requirement_closure()}
    assert {"psycopg", "psycopg-binary", "keyring", "pynacl", "sqlalchemy", "alembic"} <= names


def test_every_library_inside_a_wheel_has_a_known_licence_source():
    bundled = [(dist.metadata["Name"], lib) for dist in requirement_closure() for lib in wheel_libraries(dist)]
    assert any(name == "psycopg-binary" and lib.startswith("libpq-") for name, lib in bundled)  # libpq travels inside
    unknown = [lib for _name, lib in bundled if not (WHEEL_LIBRARY.match(lib) and WHEEL_LIBRARY.match(lib).group(1)
                                                      in WHEEL_LIBRARIES)]
    assert unknown == []


def test_the_bundled_libpq_and_openssl_licences_are_shipped(tmp_path):
    index = collect(tmp_path / "licences")
    by_file = {entry["file"]: entry for entry in index}
    assert "psycopg-binary" in " ".join(e["component"] for e in index)
    libpq = by_file["bundled-PostgreSQL-libpq.txt"]
    assert "libpq-" in libpq["component"] and "psycopg-binary" in libpq["component"]
    assert "PostgreSQL" in (tmp_path / "licences" / "bundled-PostgreSQL-libpq.txt").read_text(encoding="utf-8")
    openssl = (tmp_path / "licences" / "bundled-OpenSSL.txt").read_text(encoding="utf-8")
    assert "libssl-" in by_file["bundled-OpenSSL.txt"]["component"] and "Apache License" in openssl
    for entry in index:
        assert (tmp_path / "licences" / entry["file"]).stat().st_size > 200, entry


def test_every_committed_text_is_used_and_windows_names_are_understood():
    committed = {p.name for p in (REPO / "resources" / "licences" / "bundled").iterdir()}
    assert committed == set(WHEEL_LIBRARIES.values()) == set(BUNDLED_LICENCES)
    for name, stem in (("libssl-3-x64-0123abcd4567.dll", "libssl"), ("libpq-0a1b2c3d4e5f.dll", "libpq"),
                       ("libcom_err-55c5739a.so.3.0", "libcom_err")):
        assert WHEEL_LIBRARY.match(name).group(1) == stem
