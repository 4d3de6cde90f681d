"""Shared helpers of the tests/test_userdata_*.py files (not a test module)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from qpvdesk.userdata.refs import CatalogueRefs

REFS = CatalogueRefs(
    programmes={"npnru": "Nouveau programme national de renouvellement urbain", "cites-educatives": "Cités éducatives",
                "quartiers-ete": "Quartiers d'été"},
    communes=["Évry-Courcouronnes", "91228", "Toulouse", "31555", "Saint-Denis", "93066"],
    qpvs=["QN03107M", "Grand Mirail", "QN09301M"],
    entity_ids=["anru", "npnru", "anct", "cites-educatives", "quartiers-ete"],
)

HEADER = ["identifiant", "nom", "type", "commune", "code_qpv", "programmes", "contact", "telephone", "email",
          "adresse", "site_web", "notes", "cree_le", "modifie_le"]


def csv_text(rows: list[list[str]], header: list[str] = HEADER, sep: str = ";") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER, sep: str = ";", encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(csv_text(rows, header, sep).encode(encoding))
    return path


def row(name: str, commune: str = "Toulouse", kind: str = "Association", uid: str = "", programmes: str = "", **extra: str) -> list[str]:
    values = {"identifiant": uid, "nom": name, "type": kind, "commune": commune, "programmes": programmes, **extra}
    return [values.get(h, "") for h in HEADER]


def big_csv(path: Path, count: int) -> Path:
    """`count` distinct partners, as an Excel user would send them."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        for n in range(count):
            writer.writerow(["", f"Association n°{n} des Izards", "Association", "Toulouse", "QN03107M",
                             "npnru, cites-educatives" if n % 3 == 0 else "", f"Contact {n}", "05 61 00 00 00",
                             f"contact{n}@example.org", f"{n} rue des Lilas\n31200 Toulouse", "", "Notes ; avec « guillemets »", "", ""])
    return path


def snapshot(path: Path) -> list[tuple]:
    """Every row of every user table (to prove that nothing changed)."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        out = []
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"):
            out.append((table, conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()))
        return out
    finally:
        conn.close()
