"""Population municipale per 2024 QPV (popMuniQPV), the only column of that file the app uses."""

from __future__ import annotations

from pathlib import Path

from qpvdesk.build.territories.datafile import DataFile as _DataFile
from qpvdesk.territories import datasets as ds

COLUMNS = ("codeQPV", "popMuniQPV")


def read_population(data: Path) -> dict[str, int]:
    """QPV code -> inhabitants. One row per QPV × commune: a QPV's rows must agree."""
    source = _DataFile(data / ds.POPULATION.file)
    out: dict[str, int] = {}
    first: dict[str, int] = {}
    for row in source.csv_rows(COLUMNS):
        code = row.code("codeQPV", row.text("codeQPV"), "qpv2024")
        raw = row.text("popMuniQPV").strip()
        if not row.ok:
            continue
        if not raw.isdigit():
            row.error("popMuniQPV", f"nombre entier d'habitants attendu, trouvé « {raw} »")
            continue
        value = int(raw)
        if code in out and out[code] != value:
            row.error("popMuniQPV", f"{value} habitants pour {code}, mais {out[code]} à la ligne {first[code]}")
            continue
        out.setdefault(code, value)
        first.setdefault(code, row.number)
    source.raise_errors()
    return out
