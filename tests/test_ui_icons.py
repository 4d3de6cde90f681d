"""One icon set (issue 19): Lucide SVGs with their licence, shipped with resources/, drawn in the theme's colour."""

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QFont

from qpvdesk.ui.icons import ACTION_ICONS, KIND_ICONS, TAB_ICONS, icon
from qpvdesk.vocabulary import KINDS

ROOT = Path(__file__).resolve().parent.parent
LUCIDE = ROOT / "resources" / "icons" / "lucide"


@pytest.fixture(autouse=True)
def restore_app_look(qapp):
    font, palette = QFont(qapp.font()), qapp.palette()
    yield
    qapp.setFont(font)
    qapp.setPalette(palette)


def test_every_icon_used_is_shipped_with_its_licence_and_renders(qapp):
    licence = (LUCIDE / "LICENSE.txt").read_text(encoding="utf-8")
    assert "ISC License" in licence and "Lucide Contributors" in licence
    assert set(KIND_ICONS) == set(KINDS)  # every kind of fiche has its icon
    for name in {*KIND_ICONS.values(), *TAB_ICONS.values(), *ACTION_ICONS.values(), "star"}:
        assert (LUCIDE / f"{name}.svg").is_file(), name
        assert not icon(name, "#1d4e89").pixmap(QSize(24, 24)).isNull(), name
    # the bundle ships the icons with their sub-folders (the set and its licence) and the French .qm (build.spec datas)
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert re.search(r'\(ROOT / "resources" / "icons"\)\.rglob\("\*"\)', spec)
    assert re.search(r'\(ROOT / "resources" / "translations"\)\.glob\("\*\.qm"\)', spec)


def test_icons_take_the_colour_asked(qapp):
    image = icon("star", "#ff0000").pixmap(QSize(48, 48)).toImage()
    colours = {image.pixelColor(x, y).name() for x in range(48) for y in range(48) if image.pixelColor(x, y).alpha() == 255}
    assert "#ff0000" in colours


def test_tree_rows_and_actions_have_icons(loaded_window, real_catalogue_path):
    from PySide6.QtCore import Qt

    window = loaded_window(real_catalogue_path)
    index = window.tree_model.find("npnru")
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None
    assert not window.back_action.icon().isNull() and not window.projector_action.icon().isNull()
    window.projector_action.trigger()
    assert not window.tabs.tabIcon(0).isNull()  # down the side, the icon tells the shortened tabs apart
    window.projector_action.trigger()
    assert window.tabs.tabIcon(0).isNull()
