"""Write the funded organisations into the catalogue (run by build-data after the territories).

Each organisation becomes an `entity` of kind `organisation` (label « Structure »), with its source spellings
and SIRET as aliases (so search finds them), an `organisation` row and its `organisation_funding` rows. The
FONJEP posts get a fiche of their own (the adultes-relais fiche is written content). Rows are inserted in a
fixed order: two builds give the same file.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from qpvdesk.build.organisations.identity import OrganisationDraft, identify
from qpvdesk.build.organisations.kinds import deduce_type
from qpvdesk.build.organisations.names import name_key, readable_name
from qpvdesk.build.organisations.reader import read_posts
from qpvdesk.model import Dataset, Entity, EntityAlias, Fact, FactCitation, Meta, Source
from qpvdesk.organisations.datasets import FILES, programme_dataset
from qpvdesk.organisations.tables import Organisation, OrganisationFunding
from qpvdesk.organisations.vocabulary import CODE_OF, DEDUCED, PROGRAMMES, TYPES, citation
from qpvdesk.territories.tables import TerritoryDepartement, TerritorySite
from qpvdesk.textfold import words

META_KEY = "organisations"
FONJEP_ID = PROGRAMMES["fonjep"][1]
FONJEP_SUMMARY = (
    "Postes du Fonds de coopération de la jeunesse et de l'éducation populaire (FONJEP) financés par les crédits "
    "de la politique de la ville (programme 147) : une aide annuelle de l'État à un poste d'animateur ou de "
    "coordinateur dans une association. Chiffres : ANCT, fichiers des postes 2020 à 2025, Licence Ouverte 2.0."
)


def populate_organisations(session: Session, resources: Path) -> dict[str, int] | None:
    """Add the organisations; None when the data folder has no ci-ville files (a test catalogue)."""
    data = resources / "data"
    if not (data / "ci-ville").is_dir():
        return None
    posts = read_posts(data)  # PostsDataError (a ValueError) names file, record and field
    drafts, report = identify(posts)
    _datasets(session)
    contrats = set(session.scalars(select(TerritorySite.code).where(TerritorySite.layer.in_(("contrat-2015", "contrat-2024")))))
    departements = dict(session.execute(select(TerritoryDepartement.code, TerritoryDepartement.name)).all())
    known = set(session.scalars(select(Entity.id)))
    if FONJEP_ID not in known:
        session.execute(
            insert(Entity),
            [
                {
                    "id": FONJEP_ID,
                    "kind": "measure",
                    "name": "Postes FONJEP (politique de la ville)",
                    "acronym": "FONJEP",
                    "status": "active",
                    "start_date": None,
                    "end_date": None,
                    "summary": FONJEP_SUMMARY,
                    "origin": FILES[("fonjep", 2025)].id,
                }
            ],
        )
        _fonjep_facts(session, posts)
    entities, aliases, rows, funding = [], [], [], []
    used: set[str] = set(known)
    for num, draft in enumerate(drafts, start=1):
        entity_id = _entity_id(draft, used)
        spellings = draft.spellings()
        name = readable_name(spellings[0])
        kind = deduce_type(name_key(spellings[0]))
        deps = sorted({p.dep for p in draft.posts if p.dep})
        cells: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
        for p in draft.posts:
            cell = cells[(p.programme, p.year, p.dep, " ".join(p.cv_codes))]
            cell[0] += 1
            cell[1] += p.amount_cents
        years = sorted({p.year for p in draft.posts})
        last = years[-1]
        entities.append(
            {
                "id": entity_id,
                "kind": "organisation",
                "name": name,
                "acronym": None,
                "status": "active",
                "start_date": None,
                "end_date": None,
                "origin": "ci-ville",
                "summary": _summary(draft, kind, deps, departements, last),
            }
        )
        # the SIRET first, then every source spelling (the readable name may differ from all of them), then the
        # spelled-out form when the source abbreviates (« ASS DEP SAUVEGARDE » is found by « association sauvegarde »)
        spelled = [
            k
            for k in dict.fromkeys(name_key(s) for s in spellings)
            if k.split() != words(name) and all(k.split() != words(s) for s in spellings)
        ]
        for position, alias in enumerate(dict.fromkeys(a for a in [draft.siret, *spellings, *spelled] if a and a != name)):
            aliases.append({"entity_id": entity_id, "position": position, "alias": alias})
        rows.append({"num": num, "entity_id": entity_id, "siret": draft.siret, "identity": draft.identity, "type": kind})
        for (programme, year, dep, cv), (count, cents) in sorted(cells.items()):
            funding.append(
                {
                    "org": num,
                    "programme": CODE_OF[programme],
                    "year": year,
                    "dep_code": dep,
                    "cv_code": cv,
                    "posts": count,
                    "amount_cents": cents,
                }
            )
    session.execute(insert(Entity), entities)
    session.execute(insert(EntityAlias), aliases)
    session.execute(insert(Organisation), rows)
    session.execute(insert(OrganisationFunding), funding)
    stats = {
        "count": len(drafts),
        **report.as_dict(),
        "records_without_code_cv": sum(1 for p in posts if not p.cv_codes),
        "records_without_departement": sum(1 for p in posts if not p.dep),
        "records_with_unknown_contrat": sum(1 for p in posts if p.cv_codes and not all(c in contrats for c in p.cv_codes)),
    }
    session.add(Meta(key=META_KEY, value=json.dumps(stats, sort_keys=True)))
    return {"organisations": len(drafts), "organisation_funding": len(funding)}


def _datasets(session: Session) -> None:
    """One Dataset per programme (« À propos des données ») and one Source per file: every figure cites its year's."""
    for programme in PROGRAMMES:
        info = programme_dataset(programme)
        session.add(
            Dataset(
                id=info.id,
                title=info.title,
                producer=info.producer,
                licence=info.licence,
                date=info.date,
                url=info.url,
                note=info.note,
            )
        )
    next_id = (session.scalar(select(func.max(Source.id))) or 0) + 1
    for (programme, year), info in FILES.items():
        session.add(
            Source(
                id=next_id,
                ref=info.ref,
                url=None,
                title=info.title,  # the title holds the year
                publisher=citation(programme, year),
                reliability="O",
            )
        )
        next_id += 1
    session.flush()


def _fonjep_facts(session: Session, posts) -> None:
    """The « Postes FONJEP » fiche (made here: the content has none) gets one sourced fact per year of the files,
    so its « L'essentiel » and its facts cite ANCT like every figure of the structures."""
    per_year: dict[int, int] = defaultdict(int)
    for p in posts:
        if p.programme == "fonjep":
            per_year[p.year] += 1
    next_id = (session.scalar(select(func.max(Fact.id))) or 0) + 1
    for position, year in enumerate(sorted(per_year)):
        source_id = session.scalar(select(Source.id).where(Source.ref == FILES[("fonjep", year)].ref))
        session.add(Fact(id=next_id, entity_id=FONJEP_ID, position=position, category="fact",
                         label=f"Postes financés en {year}",
                         value=f"{per_year[year]} postes FONJEP financés par les crédits de la politique de la ville "
                               f"(fichier ANCT de {year}).",
                         dates=str(year), date_note=None, confidence="confirmed", note=None))
        session.add(FactCitation(fact_id=next_id, position=0, source_id=source_id, source_date=None, claim=None))
        next_id += 1
    session.flush()


def _entity_id(draft: OrganisationDraft, used: set[str]) -> str:
    if draft.siret:
        base = f"org-{draft.siret}"
    else:
        _, dep, key = draft.key.split(":", 2)
        base = f"org-{dep or 'xx'}-" + re.sub(r"[^a-z0-9]+", "-", key).strip("-")[:28].rstrip("-")
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    used.add(candidate)
    return candidate


_POSTS = {"adultes-relais": "adultes-relais", "fonjep": "FONJEP"}


def _summary(draft: OrganisationDraft, kind: str, deps: list[str], names: dict[str, str], last: int) -> str:
    """Short (it is stored and indexed 5,000 times): type, where, programmes, posts of the latest year."""
    programmes = " et ".join(_POSTS[p] for p in sorted({p.programme for p in draft.posts}))
    where = ", ".join(names.get(d, d) for d in deps[:3]) + (" …" if len(deps) > 3 else "") or "département non indiqué"
    posts = sum(1 for p in draft.posts if p.year == last)
    return f"{TYPES[kind]} ({DEDUCED}) · {where} · {posts} poste{'s' if posts > 1 else ''} ({programmes}) en {last}"
