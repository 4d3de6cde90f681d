"""Read the content files into records, collecting every error with file, line and field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from qpvdesk.build.content import everyday
from qpvdesk.build.content.records import (
    Content,
    ContentError,
    EntityRecord,
    FactRecord,
    GlossaryRecord,
    RelationRecord,
    SourceRef,
    Where,
)
from qpvdesk.build.content.source_hosts import DENY_LIST_FILE
from qpvdesk.build.content.yaml_lines import LocatedDict, LocatedList, YamlSyntaxError, load_located
from qpvdesk.dates import is_valid_partial_date
from qpvdesk.vocabulary import CONFIDENCES, KINDS, RELATION_TYPES, RELIABILITIES, STATUSES

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FACT_CATEGORIES = ("fact", "name")


class _Reader:
    """Field access helpers that record French errors instead of raising."""

    def __init__(self, content: Content, file: str) -> None:
        self.content = content
        self.file = file

    def where(self, node: Any, key: str = "") -> Where:
        if isinstance(node, LocatedDict):
            return Where(self.file, node.line_of(key) if key else node.line, key)
        return Where(self.file, getattr(node, "line", 1), key)

    def error(self, where: Where, message: str) -> None:
        self.content.errors.append(ContentError(where, message))

    def text(self, node: LocatedDict, key: str, required: bool = True) -> str | None:
        value = node.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(self.where(node, key), "champ obligatoire manquant ou vide")
            return None
        if isinstance(value, (dict, list)):
            self.error(self.where(node, key), "un texte est attendu")
            return None
        return " ".join(str(value).split()) if key != "summary" else str(value).strip()

    def choice(self, node: LocatedDict, key: str, allowed: dict, default: str | None = None) -> str | None:
        value = node.get(key, default)
        if value is None:
            self.error(self.where(node, key), "champ obligatoire manquant")
            return None
        if value not in allowed:
            self.error(
                self.where(node, key),
                f"valeur inconnue « {value} » (valeurs admises : {', '.join(allowed)})",
            )
            return None
        return str(value)

    def date(self, node: LocatedDict, key: str) -> str | None:
        value = node.get(key)
        if value is None:
            return None
        text = str(value)
        if not is_valid_partial_date(text):
            self.error(self.where(node, key), f"date mal formée « {text} » (attendu AAAA, AAAA-MM ou AAAA-MM-JJ)")
            return None
        return text

    def dates(self, node: LocatedDict, key: str) -> list[str]:
        value = node.get(key)
        if value is None:
            return []
        values = value if isinstance(value, list) else [value]
        out = []
        for item in values:
            text = str(item)
            if is_valid_partial_date(text):
                out.append(text)
            else:
                self.error(self.where(node, key), f"date mal formée « {text} » (attendu AAAA, AAAA-MM ou AAAA-MM-JJ)")
        return out

    def string_list(self, node: LocatedDict, key: str) -> list[str]:
        value = node.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            self.error(self.where(node, key), "une liste de textes est attendue")
            return []
        return [str(v) for v in value]

    def mapping_items(self, node: Any, what: str) -> list[LocatedDict]:
        if not isinstance(node, LocatedList):
            self.error(Where(self.file, getattr(node, "line", 1)), f"le fichier doit contenir une liste de {what}")
            return []
        items = []
        for item, line in zip(node, getattr(node, "item_lines", [])):
            if isinstance(item, LocatedDict):
                items.append(item)
            else:
                self.error(Where(self.file, line), f"chaque élément doit être un(e) {what} (clé: valeur)")
        return items

    def sources(self, node: LocatedDict, what: str = "fait", key: str = "sources") -> list[SourceRef]:
        raw = node.get(key)
        if raw is None or raw == []:
            self.error(self.where(node, key), f"aucune source : chaque {what} doit citer au moins une source")
            return []
        if not isinstance(raw, LocatedList):
            self.error(self.where(node, key), "une liste de sources est attendue")
            return []
        out = []
        for item in self.mapping_items(raw, "source"):
            ref = self.text(item, "ref")
            reliability = self.choice(item, "reliability", RELIABILITIES)
            if ref is None or reliability is None:
                continue
            out.append(
                SourceRef(
                    ref=ref,
                    reliability=reliability,
                    title=self.text(item, "title", required=False),
                    date=self.date(item, "date"),
                    claim=self.text(item, "claim", required=False),
                    where=self.where(item, "ref"),
                )
            )
        return out


def _read_fact(r: _Reader, node: LocatedDict) -> FactRecord | None:
    label = r.text(node, "label")
    category = r.choice(node, "category", dict.fromkeys(FACT_CATEGORIES), default="fact")
    value = r.text(node, "value", required=category != "name") or ""
    confidence = r.choice(node, "confidence", CONFIDENCES, default="confirmed")
    dates = r.dates(node, "date")
    date_note = r.text(node, "date_note", required=False)
    if not dates and not date_note and "date" not in node:
        r.error(r.where(node, "date"), "date manquante : donner « date » ou « date_note »")
    sources = r.sources(node)
    if label is None or confidence is None or category is None:
        return None
    return FactRecord(
        label=label,
        value=value,
        dates=dates,
        date_note=date_note,
        confidence=confidence,
        note=r.text(node, "note", required=False),
        category=category,
        sources=sources,
        where=r.where(node),
    )


def _read_entities(r: _Reader, root: Any) -> None:
    for node in r.mapping_items(root, "entité"):
        entity_id = r.text(node, "id")
        if entity_id is not None and not ID_PATTERN.match(entity_id):
            r.error(r.where(node, "id"), f"identifiant invalide « {entity_id} » (minuscules, chiffres et tirets)")
            entity_id = None
        kind = r.choice(node, "kind", KINDS)
        name = r.text(node, "name")
        status = r.choice(node, "status", STATUSES, default="active")
        summary = r.text(node, "summary") or ""
        facts_node = node.get("facts") or LocatedList()
        facts = [f for f in (_read_fact(r, fn) for fn in r.mapping_items(facts_node, "fait")) if f]
        if None in (entity_id, kind, name, status):
            continue
        r.content.entities.append(
            EntityRecord(
                id=entity_id,  # type: ignore[arg-type]
                kind=kind,  # type: ignore[arg-type]
                name=name,  # type: ignore[arg-type]
                acronym=r.text(node, "acronym", required=False),
                aliases=r.string_list(node, "aliases"),
                status=status,  # type: ignore[arg-type]
                start=r.date(node, "start"),
                end=r.date(node, "end"),
                summary=summary,
                facts=facts,
                where=r.where(node, "id"),
            )
        )


def _read_relations(r: _Reader, root: Any) -> None:
    for node in r.mapping_items(root, "relation"):
        source, target = r.text(node, "from"), r.text(node, "to")
        rel_type = r.choice(node, "type", RELATION_TYPES)
        sources = r.sources(node, "relation")
        if None in (source, target, rel_type):
            continue
        r.content.relations.append(
            RelationRecord(
                source, rel_type, target, r.text(node, "note", required=False), sources, r.where(node),  # type: ignore[arg-type]
                dict(node.key_lines),
            )
        )


def _read_glossary(r: _Reader, root: Any) -> None:
    for node in r.mapping_items(root, "sigle"):
        acronym, expansion = r.text(node, "acronym"), r.text(node, "expansion")
        confidence = r.choice(node, "confidence", CONFIDENCES, default="confirmed")
        sources = r.sources(node, "sigle")
        if None in (acronym, expansion, confidence):
            continue
        r.content.glossary.append(
            GlossaryRecord(
                acronym=acronym,  # type: ignore[arg-type]
                variants=r.string_list(node, "variants"),
                expansion=expansion,  # type: ignore[arg-type]
                gloss=r.text(node, "gloss", required=False) or "",
                entity=r.text(node, "entity", required=False),
                confidence=confidence,  # type: ignore[arg-type]
                note=r.text(node, "note", required=False),
                sources=sources,
                where=r.where(node, "acronym"),
            )
        )


def read_content(content_dir: Path) -> Content:
    """Read every content file of the folder; errors are collected, never raised."""
    content = Content()
    # relations-*.yaml after relations.yaml, so the section F relations keep the first ids (and display order)
    files = sorted(content_dir.glob("*.yaml"), key=lambda p: (p.name.startswith("relations-"), p.name))
    if not files:
        content.errors.append(ContentError(Where(str(content_dir), 0), "aucun fichier de contenu (*.yaml) trouvé"))
    for path in files:
        r = _Reader(content, path.name)
        try:
            root = load_located(path)
        except YamlSyntaxError as exc:
            r.error(Where(path.name, exc.line), exc.message)
            content.unreadable.append(path.name)
            continue
        if root is None:
            continue  # an empty file is allowed (work in progress)
        name = path.name
        if name.startswith("entites-"):
            _read_entities(r, root)
        elif name == "relations.yaml" or name.startswith("relations-"):
            # relations.yaml: section F of the fact sheet; relations-*.yaml: further relations (counted apart)
            _read_relations(r, root)
        elif name == "glossaire.yaml":
            _read_glossary(r, root)
        elif name == "editeurs.yaml":
            if isinstance(root, LocatedDict):
                content.publishers.update({str(k): str(v) for k, v in root.items()})
            else:
                r.error(r.where(root), "un dictionnaire domaine: éditeur est attendu")
        elif name == everyday.FILE:
            everyday.read_everyday_words(content, root)
        elif name == DENY_LIST_FILE:
            continue  # the hosts refused as sources: read by source_hosts
        elif name == "hors-glossaire.yaml":
            content.not_acronyms.update(str(v) for v in root) if isinstance(root, list) else r.error(
                r.where(root), "une liste de mots est attendue"
            )
        else:
            r.error(
                Where(name, 1), "fichier inattendu : nommez-le entites-*.yaml, relations.yaml, relations-*.yaml, glossaire.yaml…"
            )
    return content
