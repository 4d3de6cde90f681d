"""« Schéma »: the actors around a fiche with labelled arrows, the whole « qui fait quoi », exported and in the window."""

from pypdf import PdfReader
from PySide6.QtCore import QUrl

from qpvdesk.cli import main
from qpvdesk.diagram import around, whole_tree
from qpvdesk.diagram_svg import diagram_svg


def _overlap(a, b) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


def test_npnru_diagram_puts_it_in_the_middle_with_its_funders_and_pilot(real_service):
    diagram = around(real_service.entity("npnru"))
    centre = next(n for n in diagram.nodes if n.central)
    assert centre.entity_id == "npnru"
    by_id = {n.entity_id: n for n in diagram.nodes}
    for actor in ("anru", "action-logement", "etat"):
        assert by_id[actor].x < centre.x  # they act on the programme: left of it, arrow towards it
    labels = {(e.source.split(":")[1], e.label) for e in diagram.edges if e.target == centre.key}
    assert ("action-logement", "finance 8,4 Md€") in labels and ("anru", "pilote") in labels
    assert ("etat", "finance 1,2 Md€ engagés") in labels
    # one amount for USH and the bailleurs together: the arrows say so
    assert ("ush", "finance 2,4 Md€ (montant commun)") in labels
    assert not any(_overlap(a, b) for i, a in enumerate(diagram.nodes) for b in diagram.nodes[i + 1:])


def test_a_fiche_with_many_links_keeps_a_readable_diagram(real_service):
    busiest = max((e.id for e in real_service.catalogue.list_entities("agency")),
                  key=lambda i: len(real_service.entity(i).relations))
    diagram = around(real_service.entity(busiest))
    assert len(diagram.nodes) <= 2 * 13 + 1
    assert diagram.height < 13 * 80 + 60


def test_whole_tree_says_why_each_box_sits_under_another(real_service):
    diagram = whole_tree(real_service.tree()[:2])
    ids = {n.entity_id for n in diagram.nodes}
    assert {"etat", "anru", "npnru", "anah", "pic"} <= ids
    labels = {(e.source.split("#")[0], e.target.split("#")[0]): e.label for e in diagram.edges}
    assert labels[("anru", "npnru")] == "pilote" and labels[("anah", "pic")] == "pilote"
    assert not any(_overlap(a, b) for i, a in enumerate(diagram.nodes) for b in diagram.nodes[i + 1:])


def test_export_diagram_writes_svg_png_and_pdf(qapp, tmp_path, capsys, real_catalogue_path):
    svg = tmp_path / "x.svg"
    assert main(["--catalogue", str(real_catalogue_path), "export-diagram", "npnru", str(svg)]) == 0
    text = svg.read_text(encoding="utf-8")
    for name in ("Agence nationale pour la", "Action Logement", "État", "finance 8,4 Md€"):
        assert name in text
    png, pdf = tmp_path / "x.png", tmp_path / "x.pdf"
    assert main(["--catalogue", str(real_catalogue_path), "export-diagram", "npnru", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["--catalogue", str(real_catalogue_path), "export-diagram", "qui-fait-quoi", str(pdf)]) == 0
    assert "Agence nationale pour la" in " ".join(PdfReader(pdf).pages[0].extract_text().split())
    assert "Schéma écrit" in capsys.readouterr().out


def test_export_diagram_refuses_a_bad_format_or_an_unknown_fiche(tmp_path, capsys, real_catalogue_path):
    assert main(["--catalogue", str(real_catalogue_path), "export-diagram", "npnru", str(tmp_path / "x.doc")]) == 2
    assert "format inconnu" in capsys.readouterr().err
    assert main(["--catalogue", str(real_catalogue_path), "export-diagram", "nulle-part", str(tmp_path / "x.svg")]) == 1
    assert "Aucune fiche" in capsys.readouterr().err and not (tmp_path / "x.svg").exists()


def test_svg_escapes_names():
    from qpvdesk.diagram import Diagram, DiagramNode

    svg = diagram_svg(Diagram("A & B", [DiagramNode("k", "k", "<Loi> & co", "law", 0, 0)]))
    assert "&lt;Loi&gt; &amp; co" in svg and "A &amp; B" in svg


def test_window_shows_the_diagram_and_a_click_opens_the_fiche(loaded_window, real_catalogue_path, qtbot, tmp_path):
    window = loaded_window(real_catalogue_path)
    window.open_entity("npnru")
    window.detail.anchorClicked.emit(QUrl("view:schema"))  # the « Schéma des acteurs » link of the fiche
    dialog = window.diagrams.dialog
    assert dialog is not None and dialog.isVisible()
    boxes = {item.data(0) for item in dialog.scene.items() if item.data(0)}
    assert {"npnru", "anru", "action-logement", "etat"} <= boxes
    dialog.scene.node_clicked.emit("anru")
    assert window.detail.current_id == "anru"
    assert next(n for n in dialog.scene.diagram.nodes if n.central).entity_id == "anru"  # re-centred
    assert dialog.export(str(tmp_path / "schema.png")) and (tmp_path / "schema.png").stat().st_size > 0
    window.diagrams.whole_action.trigger()
    assert "qui fait quoi" in dialog.windowTitle().lower()


def test_an_actor_linked_twice_is_one_box_saying_both(real_service):
    diagram = around(real_service.entity("pic"))
    anah = [n for n in diagram.nodes if n.entity_id == "anah"]
    assert len(anah) == 1
    label = next(e.label for e in diagram.edges if e.source == anah[0].key)
    assert label.startswith("pilote · finance 2 Md€")
