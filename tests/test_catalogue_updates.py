# ruff: noqa: F811 - the fixtures imported from catupdate_fixtures are named as test arguments
"""Issue 16 §3: signed catalogue updates by file, from the command line (keygen → trust → pack → install →
status → rollback), and every refusal (damaged, unsigned, unknown key, other schema, older) changing nothing."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import struct
import zlib
from pathlib import Path

import pytest
from catupdate_fixtures import derived_catalogue, publisher, shipped  # noqa: F401 - fixtures
from readonly_folder import running_as_root

from qpvdesk.cli import main
from qpvdesk.paths import catalogue_path
from qpvdesk.userdata.location import user_dir


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` with its SHA-256: what "nothing changed" is checked against."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def refused(capsys, path: Path, fragment: str) -> str:
    before, state = tree(user_dir()), catalogue_path()
    assert main(["catalogue", "install", str(path)]) == 1
    err = capsys.readouterr().err
    assert fragment in err, err
    assert "Traceback" not in err
    assert tree(user_dir()) == before and catalogue_path() == state  # nothing changed
    return err


def test_keygen_trust_pack_install_status_rollback(publisher, shipped, capsys, tmp_path):
    assert stat.S_IMODE(os.stat(publisher.key).st_mode) == 0o600
    shipped_bytes = shipped.read_bytes()
    package = publisher("maj.qpvcat", "2026.12.1")
    capsys.readouterr()
    assert main(["catalogue", "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["in_use"] == "shipped"

    assert main(["catalogue", "install", str(package)]) == 0
    out = capsys.readouterr().out
    assert "Catalogue installé." in out and "Signé par : Réseau des formateurs" in out
    assert "1 fiche(s) ajoutée(s) : Quartiers fertiles." in out
    assert "1 fiche(s) retirée(s) : Programme national de rénovation urbaine." in out
    assert "1 fait(s) modifié(s) : Ministère chargé de la ville — Tutelle de l'ANRU." in out

    assert main(["catalogue", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["in_use"] == "installed" and status["version"] == "2026.12.1"
    assert status["newest_information_date"] == "2026-12-01" and status["signer"]["name"] == "Réseau des formateurs"
    assert Path(status["path"]).parent == user_dir() / "catalogue"
    # used from then on: every command opens the installed catalogue; the shipped file is untouched
    assert main(["show", "quartiers-fertiles"]) == 0
    assert "Quartiers fertiles" in capsys.readouterr().out
    assert shipped.read_bytes() == shipped_bytes
    assert not os.access(status["path"], os.W_OK) or running_as_root()  # installed read-only
    assert stat.S_IMODE(os.stat(status["path"]).st_mode) & 0o222 == 0

    assert main(["catalogue", "status"]) == 0
    assert "Catalogue utilisé : mise à jour installée" in capsys.readouterr().out
    assert main(["catalogue", "rollback"]) == 0
    assert "catalogue livré avec l'application est utilisé" in capsys.readouterr().out
    assert catalogue_path() == shipped
    assert main(["show", "quartiers-fertiles"]) == 1
    assert not list((user_dir() / "catalogue").glob("*.sqlite"))


def test_a_newer_version_replaces_the_installed_one(publisher, shipped, capsys, tmp_path):
    assert main(["catalogue", "install", str(publisher("a.qpvcat", "2026.12.1"))]) == 0
    first = catalogue_path()
    second = derived_catalogue(shipped, tmp_path / "second.sqlite", newest="2026-12-02")
    assert main(["catalogue", "install", str(publisher("b.qpvcat", "2026.12.2", source=second))]) == 0
    assert catalogue_path() != first and not first.exists()  # the old copy is cleared away
    capsys.readouterr()
    assert main(["catalogue", "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["version"] == "2026.12.2"


# --- refusals: each its own test --------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["magic", "length", "manifest", "signature", "data-start", "data-middle", "last"])
def test_one_byte_changed_anywhere_is_refused(publisher, capsys, tmp_path, where):
    package = publisher("maj.qpvcat", "2026.12.1")
    data = bytearray(package.read_bytes())
    manifest_length = struct.unpack(">I", data[8:12])[0]
    data_start = 12 + manifest_length + 2 + 64
    position = {"magic": 3, "length": 11, "manifest": 12 + manifest_length // 2, "signature": 12 + manifest_length + 10,
                "data-start": data_start, "data-middle": (data_start + len(data)) // 2, "last": len(data) - 1}[where]
    data[position] ^= 0x01
    damaged = tmp_path / "abime.qpvcat"
    damaged.write_bytes(bytes(data))
    err = refused(capsys, damaged, "abime.qpvcat")
    assert "endommagé" in err or "n'est pas un fichier de catalogue" in err


def test_truncated_or_extended_file_is_refused(publisher, capsys, tmp_path):
    package = publisher("maj.qpvcat", "2026.12.1")
    short, long = tmp_path / "court.qpvcat", tmp_path / "long.qpvcat"
    short.write_bytes(package.read_bytes()[:-100])
    long.write_bytes(package.read_bytes() + b"\0")
    refused(capsys, short, "endommagé")
    refused(capsys, long, "endommagé")


def test_unsigned_file_is_refused(publisher, capsys, tmp_path):
    from qpvdesk.updates.package import write_header

    package = publisher("maj.qpvcat", "2026.12.1")
    data = package.read_bytes()
    length = struct.unpack(">I", data[8:12])[0]
    unsigned = tmp_path / "nonsigne.qpvcat"
    with open(unsigned, "wb") as out:
        write_header(out, data[12:12 + length], b"")
        out.write(data[12 + length + 2 + 64:])
    refused(capsys, unsigned, "n'est pas signé")


def test_unknown_key_is_refused(publisher, capsys, tmp_path):
    assert main(["catalogue", "keygen", str(tmp_path / "inconnu"), "--name", "Éditeur inconnu"]) == 0
    package = publisher("maj.qpvcat", "2026.12.1", key=tmp_path / "inconnu.key")
    err = refused(capsys, package, "signé par une clé inconnue")
    assert "Éditeur inconnu" in err and "qpvdesk catalogue trust" in err


def test_other_schema_is_refused(publisher, shipped, capsys, tmp_path):
    source = derived_catalogue(shipped, tmp_path / "schema2.sqlite", schema="2")
    package = publisher("schema2.qpvcat", "2026.12.1", source=source)
    refused(capsys, package, "catalogue du schéma 2 ; cette version de qpvdesk lit le schéma 1")


def test_older_version_than_installed_is_refused(publisher, capsys):
    assert main(["catalogue", "install", str(publisher("b.qpvcat", "2026.12.2"))]) == 0
    refused(capsys, publisher("a.qpvcat", "2026.12.1"), "n'est pas plus récent que le catalogue utilisé (version 2026.12.2)")
    refused(capsys, publisher("b2.qpvcat", "2026.12.2"), "(version 2026.12.2) est déjà installé")


def test_older_information_than_shipped_is_refused(publisher, shipped, capsys, tmp_path):
    source = derived_catalogue(shipped, tmp_path / "ancien.sqlite", newest="2001-01-01")
    refused(capsys, publisher("ancien.qpvcat", "2026.12.1", source=source), "est plus ancien que le catalogue utilisé")


def test_not_a_package_is_refused(publisher, capsys, tmp_path):
    other = tmp_path / "archive.qpvcat"
    other.write_bytes(b"PK\x03\x04" + b"\0" * 200)
    refused(capsys, other, "n'est pas un fichier de catalogue qpvdesk (.qpvcat)")


def test_compression_bomb_stops_at_the_signed_size(publisher, capsys, tmp_path):
    """A signed manifest announcing 1 MB in front of data that expands to 64 MB: refused, nothing written past it."""
    from nacl.signing import SigningKey

    from qpvdesk.updates.keys import load_signing_key
    from qpvdesk.updates.package import write_header

    package = publisher("maj.qpvcat", "2026.12.1")
    raw = package.read_bytes()
    manifest = json.loads(raw[12:12 + struct.unpack(">I", raw[8:12])[0]])
    bomb = zlib.compress(b"\0" * (64 * 1024 * 1024), 9)
    manifest["data"] |= {"size": 1024 * 1024, "stored_size": len(bomb), "stored_sha256": hashlib.sha256(bomb).hexdigest()}
    body = json.dumps(manifest).encode()
    signing, _ = load_signing_key(publisher.key)
    assert isinstance(signing, SigningKey)
    path = tmp_path / "bombe.qpvcat"
    with open(path, "wb") as out:
        write_header(out, body, signing.sign(body).signature)
        out.write(bomb)
    refused(capsys, path, "catalogue plus grand qu'annoncé")


def test_dry_run_changes_nothing(publisher, capsys):
    package = publisher("maj.qpvcat", "2026.12.1")
    before = tree(user_dir())
    assert main(["catalogue", "install", str(package), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Essai (rien n'est modifié) : le paquet est valide." in out and "Quartiers fertiles" in out
    assert tree(user_dir()) == before
    assert main(["catalogue", "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["in_use"] == "shipped"


# --- after an install ---------------------------------------------------------------------------------------------


def test_broken_installed_catalogue_falls_back_to_the_shipped_one(publisher, shipped, capsys):
    assert main(["catalogue", "install", str(publisher("maj.qpvcat", "2026.12.1"))]) == 0
    installed = catalogue_path()
    installed.chmod(0o600)
    with open(installed, "r+b") as f:
        f.seek(5000)
        f.write(b"\xff" * 16)
    assert catalogue_path() == shipped
    assert main(["catalogue", "status"]) == 0
    out = capsys.readouterr().out
    assert "n'est pas utilisé (fichier modifié ou endommagé) : qpvdesk utilise le catalogue livré" in out
    installed.unlink()
    assert catalogue_path() == shipped


def test_notes_and_favourites_survive_an_update_and_an_orphaned_note_is_reported(publisher, capsys):
    from qpvdesk.userdata import open_user_data

    with open_user_data() as data:
        data.set_note("pnru", "Bilan du PNRU à relire avant la réunion.")
        data.set_note("anru", "Contact pris.")
        data.add_favourite("pnru")
    assert main(["catalogue", "install", str(publisher("maj.qpvcat", "2026.12.1"))]) == 0
    out = capsys.readouterr().out
    assert "1 de vos notes portent sur des fiches absentes du nouveau catalogue (pnru) : elles sont conservées" in out
    assert "1 de vos favoris portent sur des fiches absentes" in out
    with open_user_data() as data:
        assert data.get_note("pnru").text == "Bilan du PNRU à relire avant la réunion."
        assert [f.entity_id for f in data.list_favourites()] == ["pnru"]
    from qpvdesk.userdata.hits import note_hits

    titles = [hit.title for hit in note_hits([type("N", (), {"entity_id": "pnru", "text": "Bilan du PNRU"})()], {}, "bilan")]
    assert titles == ["Note — Programme national de rénovation urbaine (fiche absente du catalogue)"]


def test_diff_of_two_catalogues(publisher, shipped, capsys, tmp_path):
    new = derived_catalogue(shipped, tmp_path / "nouveau.sqlite")
    assert main(["catalogue", "diff", str(shipped), str(new), "--json"]) == 0
    diff = json.loads(capsys.readouterr().out)
    assert diff["counts"] == {"fiches_added": 1, "fiches_removed": 1, "fiches_changed": 0,
                              "facts_added": 0, "facts_removed": 0, "facts_changed": 1}
    assert diff["fiches_removed"] == [{"id": "pnru", "name": "Programme national de rénovation urbaine"}]
    assert diff["facts_changed"][0]["label"] == "Tutelle de l'ANRU"
    package = publisher("maj.qpvcat", "2026.12.1")  # a package is verified and read the same way
    assert main(["catalogue", "diff", str(shipped), str(package)]) == 0
    assert "1 fiche(s) ajoutée(s) : Quartiers fertiles." in capsys.readouterr().out
    assert main(["catalogue", "diff", str(new), str(new)]) == 0
    assert "Aucune différence" in capsys.readouterr().out


def test_trust_refuses_a_file_that_is_not_a_public_key(shipped, capsys, tmp_path):
    bad = tmp_path / "cle.pub"
    bad.write_text("ssh-ed25519 AAAA moi@poste\n", encoding="utf-8")
    assert main(["catalogue", "trust", str(bad)]) == 1
    assert "n'est pas une clé publique qpvdesk" in capsys.readouterr().err


def test_the_team_key_is_shipped_without_its_private_half():
    from qpvdesk.paths import resources_dir
    from qpvdesk.updates.keys import load_public_key

    shipped_keys = sorted((resources_dir() / "keys").iterdir())
    assert [p.suffix for p in shipped_keys] == [".pub"]
    assert load_public_key(shipped_keys[0]).name == "Équipe qpvdesk"


def test_every_byte_is_covered(publisher, tmp_path):
    """Not only a few chosen places: 300 positions spread over the whole file, each flipped alone, are all refused."""
    from qpvdesk.updates import UpdateRefused
    from qpvdesk.updates.package import extract, verify_header

    original = publisher("maj.qpvcat", "2026.12.1").read_bytes()
    damaged, target = tmp_path / "abime.qpvcat", tmp_path / "out.sqlite"
    step = max(1, len(original) // 300)
    for position in range(0, len(original), step):
        data = bytearray(original)
        data[position] ^= 0x20
        damaged.write_bytes(bytes(data))
        with pytest.raises(UpdateRefused):
            package, offset = verify_header(damaged)
            extract(package, offset, target)
