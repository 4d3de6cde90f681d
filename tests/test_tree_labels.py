"""The « Qui fait quoi » tree says why each child sits under its parent, and when it also sits elsewhere."""

from PySide6.QtCore import Qt

from qpvdesk.ui.tree_model import EntityTreeModel, relation_label


def _rows(model, parent=None, out=None):
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    out = [] if out is None else out
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        out.append((model.data(index), model.data(index, Qt.ItemDataRole.AccessibleTextRole)))
        _rows(model, index, out)
    return out


def test_each_child_says_who_pilots_or_supervises_it(qapp, real_service):
    model = EntityTreeModel()
    model.set_roots(real_service.tree())
    shown = [text for text, _name in _rows(model)]
    assert any(t.startswith("Nouveau programme national de renouvellement urbain (NPNRU)") and "[pilote : ANRU]" in t
               for t in shown)
    assert any(t.startswith("Agence nationale pour la rénovation urbaine (ANRU)") and "[tutelle : " in t for t in shown)


def test_a_node_under_two_parents_says_where_else_it_is(qapp, real_service):
    model = EntityTreeModel()
    model.set_roots(real_service.tree())
    cites = [text for text, name in _rows(model) if name == "Cités éducatives"]
    assert len(cites) >= 2
    assert all("aussi sous" in text for text in cites)
    under_delegates = next(t for t in cites if "copilote : Délégués du préfet (politique de la ville)" in t)
    assert "aussi sous" in under_delegates and "Communes et maires" in under_delegates


def test_relation_label_wording():
    assert relation_label("piloté", "Agence nationale pour la rénovation urbaine (ANRU)", ()) == "pilote : ANRU"
    assert relation_label("fait partie", "Préfets", ("CIV",)) == "partie de : Préfets; aussi sous CIV"
    assert relation_label("", "Agences et opérateurs", ()) == ""
