"""Read and validate the twelve ANCT files of funded posts (resources/data/ci-ville).

A missing, renamed or malformed field stops the build with a French message naming the file, the record and
the field: a silently renamed `code_cv` would otherwise drop every contrat de ville without a word.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from qpvdesk.organisations.datasets import FILES

SIRET = re.compile(r"^\d{14}$")
DEP = re.compile(r"^(\d{2,3}|2[AB])$")
CV_CODE = re.compile(r"CV\d{3}|CN[0-9AB]{5}[A-Z]")
CV = re.compile(r"^(?:CV\d{3}|CN[0-9AB]{5}[A-Z])+$")  # « CV380CV384 »: a post shared by two contrats
REQUIRED = ("id_poste", "raison_sociale", "annee", "montant")
OPTIONAL = ("code_tiers", "code_cv", "insee_dep", "insee_reg")


class PostsDataError(ValueError):
    """A file of funded posts is unreadable or has a broken field; the message is French."""


@dataclass(frozen=True)
class Post:
    programme: str  # adultes-relais / fonjep
    year: int
    post_id: str
    name: str  # raison_sociale as written
    siret: str | None
    amount_cents: int
    cv_codes: tuple[str, ...]  # () when absent; two codes when the source joins them
    dep: str  # "" when absent
    region: str


def read_posts(data: Path) -> list[Post]:
    """Every post of every file, in file order; raises PostsDataError on the first broken field."""
    posts: list[Post] = []
    for (programme, year), info in FILES.items():
        posts.extend(_read_file(data / info.file, info.file, programme, year))
    return posts


def _read_file(path: Path, name: str, programme: str, year: int) -> list[Post]:
    where = f"resources/data/{name}"
    if not path.is_file():
        raise PostsDataError(f"{where} : fichier manquant (postes {programme} {year})")
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PostsDataError(f"{where} : fichier illisible ({type(exc).__name__} : {exc})") from exc
    if not isinstance(records, list):
        raise PostsDataError(f"{where} : une liste d'enregistrements est attendue")
    return [_post(record, f"{where}, enregistrement {n}", programme, year) for n, record in enumerate(records, start=1)]


def _post(record: object, where: str, programme: str, year: int) -> Post:
    if not isinstance(record, dict):
        raise PostsDataError(f"{where} : un objet JSON est attendu")
    post_id = record.get("id_poste")
    if isinstance(post_id, str) and post_id:
        where += f" (id_poste {post_id})"
    for key in REQUIRED:
        if key not in record or record[key] in (None, ""):
            raise PostsDataError(f"{where} : champ « {key} » absent ou vide")
    unknown = sorted(set(record) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise PostsDataError(f"{where} : champ inconnu « {unknown[0]} » (champ renommé ?)")
    name = record["raison_sociale"]
    if not isinstance(name, str) or not name.strip():
        raise PostsDataError(f"{where} : champ « raison_sociale » : texte attendu")
    if str(record["annee"]).strip() != str(year):
        raise PostsDataError(f"{where} : champ « annee » : {record['annee']!r} au lieu de {year}")
    amount = record["montant"]
    try:
        cents = int((Decimal(str(amount)) * 100).to_integral_value()) if not isinstance(amount, bool) else None
    except InvalidOperation:
        cents = None
    if cents is None or cents < 0 or not isinstance(amount, (int, float)):
        raise PostsDataError(f"{where} : champ « montant » : nombre positif attendu, lu {amount!r}")
    siret = _optional(record, "code_tiers", where)
    if programme == "adultes-relais" and (siret is None or not SIRET.match(siret)):
        raise PostsDataError(f"{where} : champ « code_tiers » : SIRET à 14 chiffres attendu, lu {siret!r}")
    cv = _optional(record, "code_cv", where) or ""
    if cv and not CV.match(cv):
        raise PostsDataError(f"{where} : champ « code_cv » : code de contrat de ville attendu (CV001, CN00101I…), lu {cv!r}")
    dep = _optional(record, "insee_dep", where) or ""
    if dep and not DEP.match(dep):
        raise PostsDataError(f"{where} : champ « insee_dep » : code de département attendu, lu {dep!r}")
    return Post(
        programme,
        year,
        str(post_id),
        " ".join(name.split()),
        siret if programme == "adultes-relais" else None,
        cents,
        tuple(CV_CODE.findall(cv)),
        dep,
        _optional(record, "insee_reg", where) or "",
    )


def _optional(record: dict, key: str, where: str) -> str | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise PostsDataError(f"{where} : champ « {key} » : texte attendu, lu {value!r}")
    return value.strip()
