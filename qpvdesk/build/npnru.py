"""The NPNRU quartiers (ANRU's list, as codes of the 2015 QPV list): read and checked."""

from __future__ import annotations

import json
from pathlib import Path

from qpvdesk.build.territories.datafile import DataFile as _DataFile
from qpvdesk.build.territories.datafile import DataWhere
from qpvdesk.territories import datasets as ds
from qpvdesk.territories.codes import QPV_2015_CODE


def read_npnru(data: Path) -> list[str]:
    """The 2015 codes of the list, in file order; a malformed or repeated code stops the build."""
    source = _DataFile(data / ds.NPNRU.file)
    text = source._decode(source._bytes(), "utf-8")
    try:
        codes = json.loads(text)
    except json.JSONDecodeError as exc:
        source.fail(source.whole(), f"fichier JSON illisible (ligne {exc.lineno}, colonne {exc.colno})")
    if not isinstance(codes, list):
        source.fail(source.whole(), "liste JSON de codes QPV 2015 attendue (ex. [\"QP001001\", …])")
    seen: dict[str, int] = {}
    out = []
    for number, code in enumerate(codes, start=1):
        where = DataWhere(source.name, number, "code", "objet")
        if not isinstance(code, str) or not QPV_2015_CODE.match(code.strip()):
            source.error(where, f"code QPV 2015 invalide « {code} » (attendu QP + 6 chiffres/lettres, ex. QP031007)")
            continue
        code = code.strip()
        if code in seen:
            source.error(where, f"code « {code} » en double (déjà donné : objet n° {seen[code]})")
            continue
        seen[code] = number
        out.append(code)
    source.raise_errors()
    return out
