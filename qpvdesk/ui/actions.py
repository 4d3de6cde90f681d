"""The window's actions, toolbar and menus, as tables: what each action says, its keys, and where it sits.

The window connects the actions to what they do (main_window.py); the shortcuts dialog lists them all.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from qpvdesk.ui.display import THEMES
from qpvdesk.ui.shortcuts_dialog import natural_label

Key = QKeySequence.StandardKey | Qt.Key | str  # a standard key, a key, or a key text such as "Ctrl+K"


@dataclass(frozen=True)
class ActionSpec:
    name: str  # the window's attribute holding the action
    text: str
    keys: tuple[Key, ...] = ()
    tooltip: str = ""
    checkable: bool = False


S = QKeySequence.StandardKey
ACTIONS = (
    ActionSpec("back_action", "← Précédent", (S.Back, Qt.Key.Key_Back), "Fiche précédente (Alt+←)"),
    ActionSpec("forward_action", "Suivant →", (S.Forward, Qt.Key.Key_Forward), "Fiche suivante (Alt+→)"),
    ActionSpec("find_action", "Rechercher…", ("Ctrl+K", S.Find), "Aller dans la recherche (Ctrl+K ou Ctrl+F)"),
    ActionSpec("export_pdf_action", "Exporter la fiche en PDF…", ("Ctrl+E",)),
    ActionSpec("export_pack_action", "Exporter un dossier PDF…", ("Ctrl+Shift+E",),
               "Un dossier de formation : page de garde, sommaire, fiches numérotées (favoris, fiche et voisines…)"),
    ActionSpec("print_action", "Imprimer la fiche…", (S.Print,)),
    ActionSpec("zoom_in_action", "Agrandir le texte", (S.ZoomIn, "Ctrl+=")),
    ActionSpec("zoom_out_action", "Réduire le texte", (S.ZoomOut,)),
    ActionSpec("zoom_reset_action", "Taille de texte normale", ("Ctrl+0",)),
    ActionSpec("projector_action", "Mode projecteur", (Qt.Key.Key_F11,), "Plein écran, grand texte, fort contraste (F11)",
               checkable=True),
    ActionSpec("side_panel_action", "Masquer/afficher le panneau de navigation", (Qt.Key.Key_F9,),
               "La fiche seule sur toute la largeur, ou avec l'arbre et les résultats (F9)"),
    ActionSpec("shortcuts_action", "Raccourcis clavier", (Qt.Key.Key_F1, "Ctrl+?")),
    ActionSpec("team_action", "Base d'équipe…", (), "Partager les partenaires avec votre équipe (serveur PostgreSQL)"),
    ActionSpec("about_data_action", "À propos des données", ()),
    ActionSpec("about_action", "À propos de qpvdesk", ()),
    ActionSpec("quit_action", "Quitter", (S.Quit,)),
)

# menu title -> action names ("|": a separator; "theme:": the theme submenu). Actions of the controllers are named
# here too (toggle_favourite_action, save_copy_action…): the window passes them all to build_menus.
MENUS = (
    ("&Fichier", ("export_pdf_action", "export_pack_action", "print_action", "|", "save_copy_action",
                  "restore_backup_action", "|", "export_notes_action", "import_notes_action", "|", "team_action", "|",
                  "quit_action")),
    ("&Navigation", ("back_action", "forward_action", "find_action", "|", "diagram_action", "whole_diagram_action",
                     "chronology_action")),
    ("Fa&voris", ("toggle_favourite_action",)),
    ("&Consultées", ()),  # filled each time it opens (fiches seen); not « Historique »: that is the policy's history
    ("&Affichage", ("zoom_in_action", "zoom_out_action", "zoom_reset_action", "|", "projector_action", "side_panel_action",
                    "theme:")),
    ("&Aide", ("shortcuts_action", "about_data_action", "about_action")),
)


def create_actions(owner: QWidget) -> dict[str, QAction]:
    """Every action of ACTIONS, owned by `owner` (which the shortcuts dialog searches), by name."""
    actions = {}
    for spec in ACTIONS:
        action = QAction(spec.text, owner)
        if spec.keys == (S.Quit,):  # some platforms (and Qt's offscreen one) bind nothing to Quit: Ctrl+Q then
            action.setShortcuts(QKeySequence.keyBindings(S.Quit) or [QKeySequence("Ctrl+Q")])
        else:  # a standard key: its first binding on this platform
            action.setShortcuts([QKeySequence(key) for key in spec.keys])
        # « Quitter (Ctrl+Q) »: the words first, then the keys
        action.setToolTip(spec.tooltip or natural_label(action))
        action.setCheckable(spec.checkable)
        actions[spec.name] = action
    return actions


def create_theme_actions(owner: QWidget, current: str) -> dict[str, QAction]:
    """One exclusive choice (drawn as radio items): exactly one theme is ticked."""
    actions = {}
    group = QActionGroup(owner)
    group.setExclusive(True)
    for key, label in THEMES.items():
        action = QAction(label, owner)
        action.setCheckable(True)
        group.addAction(action)
        action.setChecked(key == current)
        actions[key] = action
    return actions


def build_toolbar(window: QMainWindow, actions: dict[str, QAction], search_edit: QWidget) -> None:
    toolbar = window.addToolBar("Navigation")
    toolbar.setObjectName("navigation-toolbar")
    toolbar.setMovable(False)
    # icons only (their words in the tooltip and for screen readers): the search box keeps its room at 1024 px
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    toolbar.addAction(actions["back_action"])
    toolbar.addAction(actions["forward_action"])
    toolbar.addAction(actions["toggle_favourite_action"])  # ★ when the fiche on screen is a favourite
    toolbar.addSeparator()
    toolbar.addWidget(search_edit)
    for action in toolbar.actions():
        button = toolbar.widgetForAction(action)
        if button is not None and button is not search_edit:
            button.setAccessibleName(action.text().replace("←", "").replace("→", "").strip())


def build_menus(window: QMainWindow, actions: dict[str, QAction], theme_actions: dict[str, QAction]) -> dict[str, QMenu]:
    """The menu bar from MENUS; returns the menus by title."""
    menus = {}
    for title, names in MENUS:
        menu = window.menuBar().addMenu(title)
        for name in names:
            if name == "|":
                menu.addSeparator()
            elif name == "theme:":
                themes = menu.addMenu("Thème")
                for action in theme_actions.values():
                    themes.addAction(action)
            else:
                menu.addAction(actions[name])
        menus[title] = menu
    return menus
