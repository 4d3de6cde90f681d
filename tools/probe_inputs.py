"""Bad and odd input files for tools/reliability_probes.py (the families of the December 2026 audit).

Every writer takes the folder to write into and returns nothing; `make_inputs(folder, big)` writes them all.
Big files (tens of MB, 200 000+ rows) are only written with big=True.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

HEADER = "nom;type;commune;qpv;contact;telephone;courriel;site_web;notes\n"


def _w(folder: Path, name: str, data: str | bytes, encoding: str = "utf-8") -> None:
    path = folder / name
    if isinstance(data, str):
        data = data.encode(encoding)
    path.write_bytes(data)


def _sparse(folder: Path, name: str, size: int, head: bytes) -> None:
    """A file of `size` bytes that costs no disk: the size check must refuse it before reading."""
    with open(folder / name, "wb") as f:
        f.write(head)
        f.truncate(size)


def partner_bad_files(folder: Path, big: bool) -> list[str]:
    w = functools.partial(_w, folder)
    w("empty.csv", "")
    w("empty.json", "")
    w("binary.csv", os.urandom(0) + bytes(range(256)) * 8)
    w("binary.json", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    w("xlsx-renamed.csv", b"PK\x03\x04\x14\x00\x06\x00" + b"\x00\x01\x02[Content_Types].xml" * 20)
    w("pdf-renamed.json", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nstream\n\x00\x01\x02\nendstream\n")
    w("header-only.csv", HEADER)
    w("no-name-col.csv", "type;commune\nassociation;Grigny\n")
    w("no-header.csv", "Asso A;association;Grigny\nAsso B;association;Évry\n")
    _sparse(folder, "huge-70mb.csv", 70 * 1024 * 1024, HEADER.encode())
    w("unclosed-quote.csv", 'nom;commune\nAsso A;Grigny\n"Asso B;Évry\nAsso C;Sevran\n')
    w("nul.csv", "nom;commune\nAsso\x00A;Grigny\n")
    w("only-seps.csv", ";;;;\n;;;;\n")
    w("deep.json", "[" * 200_000 + "]" * 200_000)
    w("deep-obj.json", '{"a":' * 50_000 + "1" + "}" * 50_000)
    w("shape-obj.json", json.dumps({"partners": {"nom": "x"}}))
    w("shape-str.json", json.dumps({"partners": "x"}))
    w("shape-num.json", "42")
    w("shape-null.json", "null")
    w("shape-emptylist.json", json.dumps({"partners": []}))
    w("truncated.json", '{"partners": [{"name": "As')
    (folder / "dir.csv").mkdir(exist_ok=True)
    (folder / "dir.json").mkdir(exist_ok=True)
    w("notes.csv", "entity_id;text\nanru;une note\n")
    names = ["empty.csv", "empty.json", "binary.csv", "binary.json", "xlsx-renamed.csv", "pdf-renamed.json",
             "header-only.csv", "no-name-col.csv", "no-header.csv", "huge-70mb.csv",
             "unclosed-quote.csv", "nul.csv", "only-seps.csv", "deep.json", "deep-obj.json", "shape-obj.json",
             "shape-str.json", "shape-num.json", "shape-null.json", "shape-emptylist.json", "truncated.json",
             "dir.csv", "dir.json", "nonexistent.csv", "notes.csv"]
    if big:
        rows = "".join(f"P{i};association;Grigny\n" for i in range(1_000_000))
        w("million.csv", "nom;type;commune\n" + rows)
        w("rows200k1.csv", "nom;type;commune\n" + "".join(f"R{i};association;Grigny\n" for i in range(200_001)))
        w("huge-json.json", json.dumps({"partners": [{"name": f"J{i}"} for i in range(260_000)]}))
        names += ["million.csv", "rows200k1.csv", "huge-json.json"]
    return names


def partner_odd_files(folder: Path, big: bool) -> list[str]:
    w = functools.partial(_w, folder)
    w("excel-cp1252.csv", "nom;type;commune;notes\r\nCentre social Élan;Centre social;Évry;« œuvre »\r\n", "cp1252")
    w("latin1-comma.csv", "nom,commune\nAsso Montréal,Montréal-la-Cluse\n", "latin-1")
    w("bom-crlf.csv", "\ufeffnom;commune\r\nAsso BOM;Grigny\r\n")
    w("utf16-tab.csv", "\ufeffnom\tcommune\nAsso Tab\tÉvry\n", "utf-16-le")
    # read as the issue asks: UTF-16 without BOM is recognised (the report says it was guessed), and a
    # 5,000-digit number rejects its element by name (« champ téléphone trop long ») instead of the file
    w("utf16-nobom.csv", "nom;commune\nAsso Été;Évry\n".encode("utf-16-le"))
    w("bigint.json", '{"partners":[{"name":"x","phone":' + "9" * 5000 + "}]}")
    w("quoted-newlines.csv", 'nom;notes\n"Asso ""Q""";"ligne 1\nligne 2"\n')
    w("formula.csv", "nom;type;commune;contact;telephone;notes\n=cmd|' /C calc'!A0;association;Grigny;+1+1;-2+3;@SUM(A1)\n"
      '=HYPERLINK("http://x");association;Grigny;;;\nAsso F;association;Grigny;;;\nx;y\n')
    w("long-field.csv", "nom;notes\nAsso L;" + "n" * 1_000_000 + "\n")
    w("wide.csv", "nom;" + ";".join(f"c{i}" for i in range(300)) + "\nAsso W;" + ";".join("v" for _ in range(300)) + "\n")
    w("two-unknown.csv", "nom;commune;Département;Observations\nAsso X;Grigny;91;rien\n")
    w("blank-columns.csv", "nom;commune;;\nAsso Y;Grigny;;\n")
    w("unknown-codes.csv", "nom;type;commune;qpv\nAsso U;association;Grigny;QN99999M\nAsso V;inconnu;Grigny;\n")
    w("bad-email.csv", "nom;courriel\nAsso E;pas-une-adresse@\n")
    w("dup-rows.csv", "nom;commune\nAsso D;Grigny\nAsso D;Grigny\n")
    w("traversal-name.csv", "nom;commune\n../../etc/passwd;Grigny\n")
    w("deep-shallow.json", json.dumps({"partners": [{"name": "Asso N", "notes": {"a": [1, {"b": 2}]}}]}))
    odd_items = [1, "x", None, [], {"name": 5}, {"name": ""}, {"name": "ok"}, {}, {"nom": "?"}]
    w("shape-items.json", json.dumps({"partners": odd_items}))
    w("bigfloat.json", '{"partners":[{"name":"Asso Inf","phone":1e999}]}')
    w("nan.json", '{"partners":[{"name":"Asso NaN","phone":NaN}]}')
    w("surrogate.json", '{"partners":[{"name":"bad \\ud800 name"}]}')
    w(
        "dup-uid.json",
        json.dumps(
            {
                "partners": [
                    {"uid": "11111111-1111-1111-1111-111111111111", "name": "A"},
                    {"uid": "11111111-1111-1111-1111-111111111111", "name": "B"},
                ]
            }
        ),
    )
    w("dup-keys.json", '{"partners":[{"name":"Premier","name":"Second"}]}')
    w("bad-uid.json", json.dumps({"partners": [{"uid": "../../etc/passwd", "name": "Asso UID"}]}))
    w("long-name.json", json.dumps({"partners": [{"name": "N" * (10_000_000 if big else 1_000_000)}]}))
    names = [
        "excel-cp1252.csv",
        "latin1-comma.csv",
        "bom-crlf.csv",
        "utf16-tab.csv",
        "utf16-nobom.csv",
        "bigint.json",
        "quoted-newlines.csv",
        "formula.csv",
        "long-field.csv",
        "wide.csv",
        "two-unknown.csv",
        "blank-columns.csv",
        "unknown-codes.csv",
        "bad-email.csv",
        "dup-rows.csv",
        "traversal-name.csv",
        "deep-shallow.json",
        "shape-items.json",
        "bigfloat.json",
        "nan.json",
        "surrogate.json",
        "dup-uid.json",
        "dup-keys.json",
        "bad-uid.json",
        "long-name.json",
    ]
    if big:
        w("huge-50mb.csv", "nom;notes\n" + "".join(f"H{i};{'h' * 220}\n" for i in range(220_756)))
        w("rows200k.csv", "nom;type;commune\n" + "".join(f"R{i};association;Grigny\n" for i in range(200_000)))
        names += ["huge-50mb.csv", "rows200k.csv"]
    return names


def notes_files(folder: Path, big: bool) -> list[str]:
    w = functools.partial(_w, folder)
    w("notes-huge.json", json.dumps({"notes": [{"entity_id": "anru", "text": "H" * 1_000_000}]}))
    w("notes-surrogate.json", '{"notes":[{"entity_id":"anru","text":"a\\udfff"}]}')
    w("notes-surrogate-id.json", '{"notes":[{"entity_id":"an\\ud800ru","text":"a"}]}')
    w("notes-shape.json", json.dumps({"notes": {"anru": "x"}}))
    w("notes-wrongtype.json", json.dumps({"notes": [{"entity_id": 5, "text": ["x"]}]}))
    w("notes-bigint.json", '{"notes":[{"entity_id":"anru","text":' + "9" * 5000 + "}]}")
    w("notes-deep.json", "[" * 200_000 + "]" * 200_000)
    names = [
        "notes-huge.json",
        "notes-surrogate.json",
        "notes-surrogate-id.json",
        "notes-shape.json",
        "notes-wrongtype.json",
        "notes-bigint.json",
        "notes-deep.json",
        "notes.csv",
        "empty.json",
        "binary.json",
        "dir.json",
        "truncated.json",
    ]
    if big:
        w("notes-many.json", json.dumps({"notes": [{"entity_id": f"x{i}", "text": "n"} for i in range(300_000)]}))
        names += ["notes-many.json", "huge-json.json"]
    return names


def favourites_files(folder: Path, big: bool) -> list[str]:
    w = functools.partial(_w, folder)
    w("fav-many.json", json.dumps({"favourites": [f"id{i}" for i in range(500_000 if big else 5_000)]}))
    w("fav-shape.json", json.dumps({"favourites": {"anru": True}}))
    w("fav-surrogate.json", '{"favourites":["an\\ud800ru"]}')
    w("fav-longid.json", json.dumps({"favourites": ["x" * 1_000_000]}))
    w("fav-traversal.json", json.dumps({"favourites": ["../../etc/passwd", "local:../x", "entity:anru"]}))
    return [
        "fav-many.json",
        "fav-shape.json",
        "fav-surrogate.json",
        "fav-longid.json",
        "fav-traversal.json",
        "empty.json",
        "binary.json",
        "dir.json",
        "deep.json",
        "bigint.json",
        "notes-huge.json",
    ]


def seed_files(folder: Path) -> dict[str, Path]:
    """The user data every probe starts from: 3 partners, 2 notes, 2 favourites."""
    _w(
        folder,
        "seed-partners.csv",
        "nom;type;commune\nCentre social Élan;Centre social;Évry\n"
        "Régie de quartier;Association;Grigny\nMaison des familles;Association;Sevran\n",
    )
    _w(
        folder,
        "seed-notes.json",
        json.dumps({"notes": [{"entity_id": "anru", "text": "Réunion du 3 mars"}, {"entity_id": "npnru", "text": "À relire"}]}),
    )
    _w(folder, "seed-favourites.json", json.dumps({"favourites": ["anru", "npnru"]}))
    return {k: folder / f"seed-{k}.{'csv' if k == 'partners' else 'json'}" for k in ("partners", "notes", "favourites")}
