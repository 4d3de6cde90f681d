"""French accessible names for the icon-only buttons Qt creates by itself."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QMenuBar, QTabBar, QToolBar, QToolButton, QWidget

BUILTIN_NAMES = {
    "qt_toolbar_ext_button": "Autres boutons de la barre d'outils",
    "qt_menubar_ext_button": "Autres menus",
    "ScrollLeftButton": "Onglets précédents",
    "ScrollRightButton": "Onglets suivants",
}


def name_builtin_buttons(root: QWidget) -> None:
    for button in root.findChildren(QToolButton):
        parent = button.parentWidget()
        if button.objectName() in BUILTIN_NAMES and isinstance(parent, (QToolBar, QMenuBar, QTabBar)):
            button.setAccessibleName(BUILTIN_NAMES[button.objectName()])
        elif isinstance(parent, QLineEdit) and not button.accessibleName():
            button.setAccessibleName("Effacer le texte")  # the line edit's clear button
