"""Icons from one set: Lucide (ISC licence, resources/icons/lucide/LICENSE.txt), drawn in the palette's text colour
so they stay visible in the light, dark and projector themes. Rendered from SVG by Qt's image plugin (shipped)."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QGuiApplication, QIcon, QImageReader, QPalette, QPixmap

from qpvdesk.paths import resources_dir

SIZES = (16, 24, 32, 48)
ACCENT = "#1d4e89"  # the restrained public-sector blue of light themes

# kind of fiche -> icon (vocabulary.KINDS)
KIND_ICONS = {
    "state-body": "landmark", "agency": "building-2", "partner": "handshake", "local-actor": "users",
    "programme": "scroll-text", "measure": "files", "funding": "coins", "law": "scale", "event": "calendar-days",
    "geography": "map", "region": "map", "departement": "map", "commune": "house", "qpv": "map-pin", "site": "flag",
    "organisation": "users",  # a funded structure (association, centre social…)
}
TAB_ICONS = {"Qui fait quoi": "network", "Partenaires": "handshake", "Glossaire": "book-a", "Consultées": "history",
             "Favoris": "star", "Territoires": "map-pin", "Carte": "map"}
ACTION_ICONS = {"back_action": "arrow-left", "forward_action": "arrow-right", "export_pdf_action": "file-down",
                "export_pack_action": "files", "print_action": "printer", "projector_action": "presentation",
                "zoom_in_action": "zoom-in", "zoom_out_action": "zoom-out", "find_action": "search",
                "quit_action": "log-out", "side_panel_action": "panel-left"}


def icon_colour() -> str:
    """Blue on light backgrounds; the palette's own text colour on dark ones (dark theme, projector)."""
    app = QGuiApplication.instance()
    if app is None:
        return ACCENT
    palette = app.palette()  # type: ignore[attr-defined]  # a QApplication: instance() is typed as QCoreApplication
    window = palette.color(QPalette.ColorRole.Window)
    return ACCENT if window.lightnessF() > 0.5 else palette.color(QPalette.ColorRole.WindowText).name()


def icon(name: str, colour: str | None = None) -> QIcon:
    if not isinstance(QGuiApplication.instance(), QGuiApplication):
        return QIcon()  # a pixmap needs the GUI application (a model used on its own, as in a test, gets none)
    return _icon(name, colour or icon_colour())


@cache
def _icon(name: str, colour: str) -> QIcon:
    path = resources_dir() / "icons" / "lucide" / f"{name}.svg"
    result = QIcon()
    if not path.is_file():
        return result
    svg = path.read_text(encoding="utf-8").replace("currentColor", colour).encode("utf-8")
    for size in SIZES:
        data = QByteArray(svg)
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QImageReader(buffer, QByteArray(b"svg"))
        reader.setScaledSize(QSize(size, size))
        image = reader.read()
        if not image.isNull():
            result.addPixmap(QPixmap.fromImage(image))
    return result


def apply_icons(window) -> None:
    """Tabs and the main actions of the window get their icons (again after a theme change)."""
    for name, icon_name in ACTION_ICONS.items():
        action = getattr(window, name, None)
        if action is not None:
            action.setIcon(icon(icon_name))
    toggle = getattr(window.personal, "toggle_action", None)
    if toggle is not None:
        toggle.setIcon(icon("star"))
    # tab icons down the side in projector mode, where labels are shortened; across the top the words need the room
    down_the_side = window.tabs.tabPosition() != window.tabs.TabPosition.North
    for index in range(window.tabs.count()):
        tab_icon = TAB_ICONS.get(window.tabs.tabText(index))
        if tab_icon:
            window.tabs.setTabIcon(index, icon(tab_icon) if down_the_side else QIcon())
