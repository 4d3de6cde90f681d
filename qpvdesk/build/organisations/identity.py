"""Who is who: group the posts into organisations, conservatively.

- Adultes-relais give a SIRET: one organisation per SIRET (two SIRETs are two establishments, even with the
  same name).
- FONJEP posts give a name only. Within one département, a FONJEP name joins an adulte-relais employer when
  exactly one SIRET of that département has the same name key (names.name_key), and the name says which body
  it is (not « Centre social » alone). Otherwise FONJEP posts with the same name key in the same département
  form one organisation « identified by name ».
- Every match refused (several SIRETs with that name here, or a generic name) is counted: the fiche stays apart.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from qpvdesk.build.organisations.names import is_generic, name_key
from qpvdesk.build.organisations.reader import Post


@dataclass
class OrganisationDraft:
    key: str  # "siret:…" or "name:<dep>:<name key>"
    siret: str | None
    identity: str  # siret / siret+name / name
    posts: list[Post] = field(default_factory=list)

    def spellings(self) -> list[str]:
        """Source spellings, the most recent and most frequent first."""
        counts = Counter(p.name for p in self.posts)
        latest = {p.name: p.year for p in self.posts}
        for p in self.posts:
            latest[p.name] = max(latest[p.name], p.year)
        return sorted(counts, key=lambda n: (-latest[n], -counts[n], n))


@dataclass
class IdentityReport:
    by_siret: int = 0  # organisations with a SIRET
    by_name: int = 0  # organisations known by their name only (FONJEP)
    joined_by_name: int = 0  # FONJEP names joined to a SIRET organisation of the same département
    left_apart_ambiguous: int = 0  # FONJEP names matching several SIRETs of the département
    left_apart_generic: int = 0  # FONJEP names too generic to match (« CENTRE SOCIAL »)
    same_name_other_siret: int = 0  # SIRET organisations sharing a name key with another SIRET in a département

    @property
    def left_apart(self) -> int:
        return self.left_apart_ambiguous + self.left_apart_generic

    def as_dict(self) -> dict[str, int]:
        return {
            "by_siret": self.by_siret,
            "by_name": self.by_name,
            "fonjep_joined_to_siret": self.joined_by_name,
            "name_matches_left_apart": self.left_apart,
            "left_apart_ambiguous": self.left_apart_ambiguous,
            "left_apart_generic": self.left_apart_generic,
            "same_name_other_siret": self.same_name_other_siret,
        }


def identify(posts: list[Post]) -> tuple[list[OrganisationDraft], IdentityReport]:
    report = IdentityReport()
    orgs: dict[str, OrganisationDraft] = {}
    for p in posts:
        if p.siret:
            orgs.setdefault(f"siret:{p.siret}", OrganisationDraft(f"siret:{p.siret}", p.siret, "siret")).posts.append(p)
    # (département, name key) -> SIRETs employing adultes-relais there under that name
    sirets_here: dict[tuple[str, str], set[str]] = defaultdict(set)
    for org in orgs.values():
        for p in org.posts:
            sirets_here[(p.dep, name_key(p.name))].add(org.siret or "")
    report.same_name_other_siret = len({s for found in sirets_here.values() if len(found) > 1 for s in found})
    refused: set[tuple[str, str]] = set()
    for p in posts:
        if p.siret:
            continue
        key = name_key(p.name)
        found = sirets_here.get((p.dep, key), set())
        if len(found) == 1 and not is_generic(key):
            org = orgs[f"siret:{next(iter(found))}"]
            if org.identity == "siret":
                org.identity = "siret+name"
            org.posts.append(p)
            continue
        if found and (p.dep, key) not in refused:
            refused.add((p.dep, key))
            if len(found) > 1:
                report.left_apart_ambiguous += 1
            else:
                report.left_apart_generic += 1
        draft_key = f"name:{p.dep}:{key}"
        orgs.setdefault(draft_key, OrganisationDraft(draft_key, None, "name")).posts.append(p)
    result = sorted(orgs.values(), key=lambda o: o.key)
    report.by_siret = sum(1 for o in result if o.siret)
    report.by_name = len(result) - report.by_siret
    report.joined_by_name = sum(1 for o in result if o.identity == "siret+name")
    return result, report
