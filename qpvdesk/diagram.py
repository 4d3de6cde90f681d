"""« Schéma »: who stands around a fiche, as boxes and labelled arrows (pure layout, no Qt).

Around a fiche: the fiche in the middle, the actors that act on it on the left (« pilote »,
« finance 8,4 Md€ », « décide »…, arrow towards the fiche), what it acts on on the right (arrow
away from it). For training, the whole « qui fait quoi » of the State and its agencies as a tree
laid out left to right, each arrow saying why a box sits under another. The window draws these
positions with Qt's graphics view; diagram_svg writes them as SVG for slides.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from qpvdesk.views import EntityDetail, RelationView, TreeNode
from qpvdesk.vocabulary import OPEN_DATA_KINDS, RELATION_TYPES

WHOLE_TREE_ID = "qui-fait-quoi"  # `qpvdesk export-diagram qui-fait-quoi schema.svg`
NODE_W, NODE_H = 300, 58
ROW = 78  # vertical step between boxes
GAP = 260  # horizontal room between columns, for the arrow labels
MAX_PER_SIDE = 12  # a fiche linked to hundreds of sites: the rest is one « … et n autres » box
MAX_NAME = 58
MAX_EDGE_LABEL = 40
_AMOUNT = re.compile(r"\d")  # « 8,4 Md€ », « +2 Md€ », « 500 M€ »: a note with a figure goes on the arrow
# the order of the relation types from top to bottom on each side
_TYPE_ORDER = ("pilots", "co-pilots", "supervises", "decides", "legal-basis", "funds", "co-funds", "implements",
               "signs", "partners-with", "sits-on-board-of", "part-of", "replaced-by", "merged-into", "benefits",
               "applies-to")


# the tree says why a child sits there from the child's side (« piloté »); an arrow from the parent reads actively
_ACTIVE = {"piloté": "pilote", "copiloté": "copilote", "sous tutelle": "tutelle", "fait partie": "comprend",
           "décidée": "décide", "décidé": "décide", "mis en œuvre": "met en œuvre", "financé": "finance"}


@dataclass(frozen=True)
class DiagramNode:
    key: str  # unique in the diagram (a fiche may appear twice in the whole tree)
    entity_id: str | None  # the fiche a click opens; None for « … et n autres »
    label: str
    kind: str
    x: float
    y: float
    w: float = NODE_W
    h: float = NODE_H
    central: bool = False


@dataclass(frozen=True)
class DiagramEdge:
    source: str  # node keys: the arrow goes from source to target
    target: str
    label: str


@dataclass
class Diagram:
    title: str
    nodes: list[DiagramNode] = field(default_factory=list)
    edges: list[DiagramEdge] = field(default_factory=list)

    @property
    def width(self) -> float:
        return max((n.x + n.w for n in self.nodes), default=0) + 20

    @property
    def height(self) -> float:
        return max((n.y + n.h for n in self.nodes), default=0) + 20

    def node(self, key: str) -> DiagramNode:
        return next(n for n in self.nodes if n.key == key)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def edge_label(rel: RelationView, shared: bool = False) -> str:
    """The verb read along the arrow (« finance », « pilote »…), with the amount when the link gives one
    (its explanation in brackets is the fiche's to give). `shared`: one amount given for several funders."""
    verb = RELATION_TYPES.get(rel.type, (rel.type, rel.type))[0]
    amount = re.sub(r"\s*\(.*\)\s*$", "", rel.note or "")
    if not amount or not _AMOUNT.search(amount):
        return verb
    return _clip(f"{verb} {amount}" + (" (montant commun)" if shared else ""), MAX_EDGE_LABEL)


def around(detail: EntityDetail) -> Diagram:
    """The fiche in the middle, its neighbours in two columns, sorted by relation type."""
    title = f"Schéma des acteurs — {detail.name}"
    diagram = Diagram(title)
    rels = [r for r in detail.relations if r.other_kind not in OPEN_DATA_KINDS]
    order = {t: i for i, t in enumerate(_TYPE_ORDER)}
    rels.sort(key=lambda r: order.get(r.type, len(order)))  # stable: the content's order within a type
    notes = Counter(r.note for r in rels if r.note and r.type in ("funds", "co-funds"))
    # one box per neighbour: the Anah pilots and funds the PIC, one box with « pilote · finance 2 Md€ »
    links: dict[tuple[str, str], list[RelationView]] = {}
    for rel in rels:
        links.setdefault((rel.direction, rel.other_id), []).append(rel)
    left = [group for (direction, _), group in links.items() if direction == "in"]
    right = [group for (direction, _), group in links.items() if direction == "out"]
    rows = max(min(len(left), MAX_PER_SIDE + 1), min(len(right), MAX_PER_SIDE + 1), 1)
    height = rows * ROW
    centre_x = 20 + NODE_W + GAP
    centre = DiagramNode(detail.id, detail.id, _clip(_name(detail), MAX_NAME), detail.kind,
                         centre_x, 20 + (height - ROW) / 2, central=True)
    diagram.nodes.append(centre)
    for side, x in ((left, 20), (right, centre_x + NODE_W + GAP)):
        top = 20 + (height - min(len(side), MAX_PER_SIDE + 1) * ROW) / 2
        for i, group in enumerate(side[:MAX_PER_SIDE]):
            rel = group[0]
            key = f"{rel.direction}:{rel.other_id}"
            name = _clip(rel.other_name, MAX_NAME)
            diagram.nodes.append(DiagramNode(key, rel.other_id, name, rel.other_kind, x, top + i * ROW))
            ends = (key, centre.key) if rel.direction == "in" else (centre.key, key)
            label = " · ".join(edge_label(r, shared=notes.get(r.note or "", 0) > 1) for r in group)
            diagram.edges.append(DiagramEdge(*ends, _clip(label, MAX_EDGE_LABEL + 12)))
        if len(side) > MAX_PER_SIDE:
            rest = len(side) - MAX_PER_SIDE
            diagram.nodes.append(DiagramNode(f"more:{x}", None, f"… et {rest} autres (voir la fiche)", "",
                                             x, top + MAX_PER_SIDE * ROW))
    return diagram


def _name(detail: EntityDetail) -> str:
    """The acronym first: a long name is cut at its end, and the room must still read « NPNRU »."""
    return f"{detail.acronym} : {detail.name}" if detail.acronym and detail.acronym not in detail.name else detail.name


def whole_tree(roots: list[TreeNode], keep_kinds: tuple[str, ...] = ("state-body", "agency", "programme", "event", "group")
               ) -> Diagram:
    """« Qui fait quoi » of the State and its agencies, left to right: depth gives the column, leaves the rows.
    The measures of each CIV are left out (the CIV fiches list them): the diagram must fit a slide."""
    diagram = Diagram("Qui fait quoi : l'État et ses agences")
    row = [0]
    seen: dict[str, int] = {}

    def place(node: TreeNode, depth: int, parent: str | None) -> None:
        number = seen[node.id] = seen.get(node.id, 0) + 1
        key = f"{node.id}#{number}"
        children = [c for c in node.children if c.kind in keep_kinds]
        first_row = row[0]
        for child in children:
            place(child, depth + 1, key)
        if not children:
            row[0] += 1
        y = 20 + (first_row + max(row[0] - first_row - 1, 0) / 2) * ROW
        entity = None if node.id.startswith("group:") else node.id
        diagram.nodes.append(DiagramNode(key, entity, _clip(node.name, MAX_NAME), node.kind, 20 + depth * (NODE_W + GAP), y))
        if parent is not None:
            verb = _ACTIVE.get(node.via, node.via) or "comprend"
            diagram.edges.append(DiagramEdge(parent, key, _clip(verb, MAX_EDGE_LABEL)))

    for root in roots:
        place(root, 0, None)
    return diagram
