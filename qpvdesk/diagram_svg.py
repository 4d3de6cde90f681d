"""A diagram (qpvdesk.diagram) as a standalone SVG file, for slides: boxes, arrows, labels, large type."""

from __future__ import annotations

import textwrap
from html import escape

from qpvdesk.diagram import Diagram, DiagramEdge, DiagramNode

FONT = "DejaVu Sans, Arial, sans-serif"
# box colours by kind, light enough for black text on a projector
FILL = {"state-body": "#dbeafe", "agency": "#dcfce7", "programme": "#fef9c3", "measure": "#fef3c7", "law": "#ede9fe",
        "event": "#fce7f3", "partner": "#e0f2fe", "local-actor": "#f1f5f9", "funding": "#ffedd5", "geography": "#ecfccb"}
CENTRAL_FILL = "#fde68a"


def box_lines(label: str, width: int = 30) -> list[str]:
    """The name on at most two lines (the diagram's boxes are 300 px wide at 15 px type)."""
    lines = textwrap.wrap(label, width) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder="…")]
    return lines


def anchors(diagram: Diagram, edge: DiagramEdge) -> tuple[float, float, float, float]:
    """Where an arrow leaves its source box and enters its target box (right side to left side)."""
    a, b = diagram.node(edge.source), diagram.node(edge.target)
    return a.x + a.w, a.y + a.h / 2, b.x, b.y + b.h / 2


def label_position(diagram: Diagram, edge: DiagramEdge) -> tuple[float, float, str]:
    """Labels sit next to the outer box (not at the crowded centre): (x, y, text-anchor)."""
    x1, y1, x2, y2 = anchors(diagram, edge)
    if diagram.node(edge.target).central:  # arrow into the fiche: label just right of its source box
        return x1 + 8, y1 - 6, "start"
    return x2 - 8, y2 - 6, "end"


def _node_svg(node: DiagramNode) -> str:
    fill = CENTRAL_FILL if node.central else FILL.get(node.kind, "#ffffff")
    stroke = 3 if node.central else 1.5
    lines = box_lines(node.label)
    first = node.y + node.h / 2 - (len(lines) - 1) * 9 + 5
    weight = ' font-weight="bold"' if node.central else ""
    text = "".join(  # one <text> per line: renderers differ on <tspan> positions
        f'<text x="{node.x + node.w / 2:.0f}" y="{first + i * 18:.0f}" text-anchor="middle" font-size="15"{weight}>'
        f"{escape(line)}</text>"
        for i, line in enumerate(lines)
    )
    shape = (f'<rect x="{node.x:.0f}" y="{node.y:.0f}" width="{node.w:.0f}" height="{node.h:.0f}" rx="8" '
             f'fill="{fill}" stroke="#1f2937" stroke-width="{stroke}"/>{text}')
    if node.entity_id:  # the id in a title: a reader of the SVG sees which fiche the box stands for
        return f'<g><title>{escape(node.entity_id)}</title>{shape}</g>'
    return f"<g>{shape}</g>"


def _edge_svg(diagram: Diagram, edge: DiagramEdge) -> str:
    x1, y1, x2, y2 = anchors(diagram, edge)
    mid = (x1 + x2) / 2
    lx, ly, anchor = label_position(diagram, edge)
    return (
        f'<path d="M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2 - 2:.0f},{y2:.0f}" fill="none" '
        f'stroke="#475569" stroke-width="1.6" marker-end="url(#arrow)"/>'
        f'<text x="{lx:.0f}" y="{ly:.0f}" text-anchor="{anchor}" font-size="13" fill="#111827">{escape(edge.label)}</text>'
    )


def diagram_svg(diagram: Diagram) -> str:
    width, height = diagram.width, diagram.height + 40
    body = "".join(_edge_svg(diagram, e) for e in diagram.edges) + "".join(_node_svg(n) for n in diagram.nodes)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 -40 {width:.0f} {height:.0f}" font-family="{FONT}">'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#475569"/></marker></defs>'
        f'<rect x="0" y="-40" width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>'
        f'<text x="20" y="-14" font-size="20" font-weight="bold">{escape(diagram.title)}</text>'
        f"{body}</svg>\n"
    )
