"""« Aide › Licences » lists qpvdesk's, the data's and every shipped component's licence, with the full text."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QDialog

from qpvdesk.ui.licences_dialog import LicencesDialog


def test_aide_menu_opens_the_licences_with_their_texts(loaded_window, mini_catalogue_path, qtbot):
    window = loaded_window(mini_catalogue_path)
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Aide")
    assert window.licences_action in help_menu.actions()
    window.licences_action.trigger()
    dialog = next(d for d in window.findChildren(QDialog) if isinstance(d, LicencesDialog))
    qtbot.waitUntil(dialog.isVisible)
    rows = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert any(r.startswith("qpvdesk — MIT") for r in rows)
    assert any("Licence Ouverte 2.0" in r for r in rows)
    lgpl = next(i for i, r in enumerate(rows) if r.startswith("Qt 6, PySide6"))
    dialog.list.setCurrentRow(lgpl)
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in dialog.text.toPlainText()
    dialog.close()


def test_missing_texts_are_said_in_french(qtbot, tmp_path):
    dialog = LicencesDialog(folder=tmp_path / "absent")
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 0
    assert "Textes de licence introuvables" in dialog.text.toPlainText()


def test_a_bundle_index_lists_every_component(qtbot, tmp_path):
    """As gathered at build time (packaging/licences.py): one row per component, its own text on selection."""
    (tmp_path / "SQLAlchemy.txt").write_text("Copyright 2005-2026 SQLAlchemy authors", encoding="utf-8")
    (tmp_path / "index.json").write_text(json.dumps(
        [{"component": "SQLAlchemy 2.1.9", "licence": "MIT", "file": "SQLAlchemy.txt"},
         {"component": "libfoo", "licence": "?", "file": "../../etc/passwd"}]), encoding="utf-8")
    dialog = LicencesDialog(folder=tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.list.item(0).text() == "SQLAlchemy 2.1.9 — MIT"
    assert "SQLAlchemy authors" in dialog.text.toPlainText()
    dialog.list.setCurrentRow(1)  # never reads outside the licences folder
    assert "Texte introuvable" in dialog.text.toPlainText()
