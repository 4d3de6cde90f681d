"""The "who does what" tree: L'État → ministère → agences → programmes, derived from relations.

An entity sits under every entity that supervises, pilots or co-pilots it, or that it is
part of; co-piloted programmes therefore appear under each pilot; a measure known only as a
comité interministériel's decision sits under that comité. What has no such parent
goes into a group by kind, and merged or replaced bodies into « Historique ».
"""

from __future__ import annotations

from collections import defaultdict

from qpvdesk.textfold import fold
from qpvdesk.views import EntitySummary, TreeNode
from qpvdesk.vocabulary import OPEN_DATA_KINDS

# relation type -> (child is the target?, French label shown on the child)
PARENT_RELATIONS = {
    "supervises": (True, "sous tutelle"),
    "pilots": (True, "piloté"),
    "co-pilots": (True, "copiloté"),
    "part-of": (False, "fait partie"),
}

ROOT_ID = "etat"
GROUPS = (
    ("group:agences", "Agences et opérateurs", ("agency",)),
    ("group:partenaires", "Partenaires et financeurs", ("partner", "funding")),
    ("group:local", "Acteurs locaux", ("local-actor",)),
    ("group:programmes", "Programmes et dispositifs", ("programme", "measure")),
    ("group:civ", "Comités interministériels", ("event",)),
    ("group:lois", "Textes de loi", ("law",)),
    ("group:geographie", "Géographie prioritaire", ("geography",)),
    ("group:etat", "Autres instances de l'État", ("state-body",)),
)
HISTORY_GROUP = ("group:historique", "Historique (instances fusionnées ou remplacées)")
KIND_ORDER = ["state-body", "agency", "programme", "measure", "funding", "partner", "local-actor", "event", "law", "geography"]


def build_tree(entities: list[EntitySummary], edges: list[tuple[str, str, str]]) -> list[TreeNode]:
    by_id = {e.id: e for e in entities if e.kind not in OPEN_DATA_KINDS}
    children: dict[str, list[tuple[str, str]]] = defaultdict(list)
    has_parent: set[str] = set()
    for src, rel_type, tgt in edges:
        if rel_type not in PARENT_RELATIONS or src not in by_id or tgt not in by_id:
            continue
        child_is_target, via = PARENT_RELATIONS[rel_type]
        parent, child = (src, tgt) if child_is_target else (tgt, src)
        children[parent].append((child, via))
        has_parent.add(child)
    # a measure known only as a comité's decision sits under that comité (a measure with a life of its
    # own, funded or applying somewhere, like the QRR, stays among the programmes)
    involved = defaultdict(set)
    for src, rel_type, tgt in edges:
        involved[src].add(rel_type)
        involved[tgt].add(rel_type)
    for src, rel_type, tgt in edges:
        if (rel_type == "decides" and src in by_id and tgt in by_id and by_id[tgt].kind == "measure"
                and involved[tgt] == {"decides"} and tgt not in has_parent):
            children[src].append((tgt, "décidée"))
            has_parent.add(tgt)

    def sort_key(item: tuple[str, str]):
        e = by_id[item[0]]
        return (KIND_ORDER.index(e.kind) if e.kind in KIND_ORDER else 99, fold(e.name))

    parents: dict[str, list[str]] = defaultdict(list)
    for parent, kids in children.items():
        for child, _via in kids:
            if parent not in parents[child]:
                parents[child].append(parent)

    def short(entity_id: str) -> str:
        return by_id[entity_id].acronym or by_id[entity_id].name

    def node(entity_id: str, via: str, path: frozenset[str], parent: str | None = None) -> TreeNode:
        e = by_id[entity_id]
        also = tuple(short(p) for p in parents[entity_id] if p != parent) if parent else ()
        n = TreeNode(e.id, e.name if not e.acronym else f"{e.name} ({e.acronym})", e.kind, e.status, via, also=also)
        seen = set()
        for child, child_via in sorted(children[entity_id], key=sort_key):
            if child in path or child in seen:
                continue  # cycles in the data must not hang the tree
            seen.add(child)
            n.children.append(node(child, child_via, path | {child}, entity_id))
        return n

    roots: list[TreeNode] = []
    if ROOT_ID in by_id:
        roots.append(node(ROOT_ID, "", frozenset({ROOT_ID})))
    orphans = [e for e in by_id.values() if e.id != ROOT_ID and e.id not in has_parent]
    history = [e for e in orphans if e.status in ("merged", "replaced") and e.kind in ("state-body", "agency")]
    for group_id, label, kinds in GROUPS:
        members = [e for e in orphans if e.kind in kinds and e not in history]
        if members:
            group = TreeNode(group_id, label, "group", "active")
            group.children.extend(node(e.id, "", frozenset({e.id})) for e in sorted(members, key=lambda e: fold(e.name)))
            roots.append(group)
    if history:
        group = TreeNode(HISTORY_GROUP[0], HISTORY_GROUP[1], "group", "active")
        group.children.extend(node(e.id, "", frozenset({e.id})) for e in sorted(history, key=lambda e: fold(e.name)))
        roots.append(group)
    return roots
