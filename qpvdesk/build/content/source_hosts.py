"""Sources a professional can show: refuse citations on deny-listed hosts, warn about weak facts.

The deny-list lives beside the content (`hotes-refuses.yaml`: one `host` and its `reason` per
entry) so editors keep it with the citations it polices. A host also covers its sub-domains
(`franco.wiki` refuses `fr.franco.wiki`), never its parent (`testing.lemoniteur.fr` leaves
`lemoniteur.fr` allowed). A fact whose every source is secondary (S) is built, with a warning.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from qpvdesk.build.content.records import Content, ContentError, SourceRef, Where
from qpvdesk.build.content.yaml_lines import LocatedDict, LocatedList, YamlSyntaxError, load_located
from qpvdesk.vocabulary import REFERENCE_SHEET_REF

DENY_LIST_FILE = "hotes-refuses.yaml"
HOST_PATTERN = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeniedHost:
    host: str
    reason: str
    where: Where


def host_of(ref: str) -> str | None:
    """Host of a web reference, lower-case, without `www.` or a trailing dot; None for other references."""
    if not ref.startswith(("http://", "https://")):
        return None
    host = (urlsplit(ref).hostname or "").rstrip(".").lower()
    return host.removeprefix("www.") or None


def read_deny_list(content_dir: Path) -> tuple[list[DeniedHost], list[ContentError]]:
    """The deny-list of the content folder; an absent file denies nothing."""
    path = content_dir / DENY_LIST_FILE
    if not path.is_file():
        return [], []
    try:
        root = load_located(path)
    except YamlSyntaxError as exc:
        return [], [ContentError(Where(DENY_LIST_FILE, exc.line), exc.message)]
    if root is None:
        return [], []
    if not isinstance(root, LocatedList):
        return [], [ContentError(Where(DENY_LIST_FILE, 1), "le fichier doit contenir une liste d'hôtes (host, reason)")]
    hosts: list[DeniedHost] = []
    errors: list[ContentError] = []
    for item, line in zip(root, root.item_lines):
        if not isinstance(item, LocatedDict):
            errors.append(ContentError(Where(DENY_LIST_FILE, line), "chaque élément doit donner « host » et « reason »"))
            continue
        host = str(item.get("host") or "").strip().lower().removeprefix("www.")
        reason = " ".join(str(item.get("reason") or "").split())
        if not HOST_PATTERN.match(host):
            errors.append(ContentError(Where(DENY_LIST_FILE, item.line_of("host"), "host"),
                                       f"nom d'hôte manquant ou invalide « {host} » (ex. : testing.lemoniteur.fr)"))
        elif not reason:
            errors.append(ContentError(Where(DENY_LIST_FILE, item.line_of("reason"), "reason"),
                                       f"raison manquante pour l'hôte « {host} » : dites pourquoi il est refusé"))
        else:
            hosts.append(DeniedHost(host, reason, Where(DENY_LIST_FILE, item.line_of("host"), "host")))
    return hosts, errors


def _denied(host: str, deny_list: list[DeniedHost]) -> DeniedHost | None:
    return next((d for d in deny_list if host == d.host or host.endswith("." + d.host)), None)


def _cited_sources(content: Content) -> list[SourceRef]:
    sources = [s for e in content.entities for f in e.facts for s in f.sources]
    sources += [s for r in content.relations for s in r.sources]
    sources += [s for g in content.glossary for s in g.sources]
    return sources


def denied_citations(content: Content, deny_list: list[DeniedHost]) -> list[ContentError]:
    """One error per citation whose host is deny-listed, at the citation's own file and line."""
    errors = []
    for source in _cited_sources(content):
        host = host_of(source.ref)
        denied = _denied(host, deny_list) if host else None
        if denied:
            errors.append(ContentError(
                source.where or Where("?", 0, "ref"),
                f"source refusée : l'hôte « {host} » figure dans {DENY_LIST_FILE} ({denied.reason}) ; "
                "citez une source primaire ou reconnue",
            ))
    return errors


def secondary_only_facts(content: Content) -> list[str]:
    """French warnings for facts resting only on secondary sources (the reference-sheet placeholders,
    already shown as « non confirmé », are not repeated)."""
    warnings = []
    for entity in content.entities:
        for fact in entity.facts:
            refs = [s for s in fact.sources if s.ref != REFERENCE_SHEET_REF]
            if refs and all(s.reliability == "S" for s in fact.sources):
                warnings.append(f"{fact.where} : le fait « {fact.label} » de la fiche « {entity.id} » "
                                "ne cite que des sources secondaires (S) ; ajoutez une source officielle ou de presse")
    return warnings


def check_source_hosts(content_dir: Path, content: Content) -> list[ContentError]:
    """Errors for deny-listed citations (and for a malformed deny-list); weak facts are logged as warnings."""
    deny_list, errors = read_deny_list(content_dir)
    for warning in secondary_only_facts(content):
        log.warning("Attention : %s", warning)
    return errors + denied_citations(content, deny_list)
