"""Display comfort: zoom (Ctrl+/Ctrl−/Ctrl+0), light/dark theme, projector mode (F11). Remembered."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from qpvdesk.ui.projector import fit_to_screen, too_wide_for_screen

MIN_POINTS, MAX_POINTS = 8, 32
PROJECTOR_EXTRA = 6  # points added to the chosen size in projector mode
THEMES = {"system": "Suivre le système", "light": "Clair", "dark": "Sombre"}


def high_contrast_palette() -> QPalette:
    """White on black with yellow selection: readable from the back of a training room."""
    p = QPalette()
    black, white, yellow = QColor("#000000"), QColor("#ffffff"), QColor("#ffd700")
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase, QPalette.ColorRole.Button):
        p.setColor(role, black)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.BrightText,
    ):
        p.setColor(role, white)
    p.setColor(QPalette.ColorRole.Highlight, yellow)
    p.setColor(QPalette.ColorRole.HighlightedText, black)
    p.setColor(QPalette.ColorRole.Link, QColor("#7dd3fc"))
    p.setColor(QPalette.ColorRole.ToolTipBase, black)
    p.setColor(QPalette.ColorRole.ToolTipText, white)
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor("#cccccc"))
    # the style draws tree arrows, scroll bars and frames with these: light greys, or they vanish on black
    p.setColor(QPalette.ColorRole.Button, QColor("#3a3a3a"))  # scroll bar handles and buttons stand out
    for role, grey in (
        (QPalette.ColorRole.Light, "#ffffff"),
        (QPalette.ColorRole.Midlight, "#e0e0e0"),
        (QPalette.ColorRole.Mid, "#c0c0c0"),
        (QPalette.ColorRole.Dark, "#d0d0d0"),
        (QPalette.ColorRole.Shadow, "#f0f0f0"),
    ):
        p.setColor(role, QColor(grey))
    return p


def _palette(colours: dict[str, str], disabled_text: str) -> QPalette:
    """A palette from role names and colours; greyed text for disabled widgets."""
    p = QPalette()
    for role, colour in colours.items():
        p.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    for greyed in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, greyed, QColor(disabled_text))
    return p


def dark_palette() -> QPalette:
    """« Sombre »: dark greys and a soft blue, drawn by Fusion so it darkens on every platform (the native Windows
    and GTK styles ignore a colour scheme hint or parts of a palette)."""
    colours = {
        "Window": "#1f2329", "Base": "#15181c", "AlternateBase": "#23272e", "Button": "#2b3038",
        "WindowText": "#eceff4", "Text": "#eceff4", "ButtonText": "#eceff4", "BrightText": "#ffffff",
        "Highlight": "#9cc3ff", "HighlightedText": "#0b1a30", "Link": "#9cc3ff", "LinkVisited": "#c7b3ff",
        "ToolTipBase": "#eceff4", "ToolTipText": "#15181c", "PlaceholderText": "#b8bec8",
        "Light": "#4a515c", "Midlight": "#3a4049", "Mid": "#30353d", "Dark": "#101216", "Shadow": "#000000",
    }
    return _palette(colours, disabled_text="#8a909a")


def light_palette() -> QPalette:
    """« Clair »: white pages on light grey, a restrained public-sector blue for selections and links."""
    colours = {
        "Window": "#f3f5f8", "Base": "#ffffff", "AlternateBase": "#eef2f7", "Button": "#e6ebf1",
        "WindowText": "#1b1f24", "Text": "#1b1f24", "ButtonText": "#1b1f24", "BrightText": "#000000",
        "Highlight": "#1d4e89", "HighlightedText": "#ffffff", "Link": "#1d4e89", "LinkVisited": "#5b3a8a",
        "ToolTipBase": "#1b1f24", "ToolTipText": "#ffffff", "PlaceholderText": "#4a5260",
        "Light": "#ffffff", "Midlight": "#dde3ea", "Mid": "#b8c1cc", "Dark": "#8a96a3", "Shadow": "#5f6b78",
    }
    return _palette(colours, disabled_text="#7a838f")


def use_fusion(app) -> None:
    """Our palettes are drawn by Fusion: the platform styles (Windows 11, GTK) recolour or ignore them."""
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")


class DisplayController(QObject):
    changed = Signal()
    projector_toggled = Signal(bool)  # on/off: the window changes its layout (ui/projector.py)

    def __init__(self, window, parent=None) -> None:
        super().__init__(parent)
        self.window = window
        app = QApplication.instance()
        assert isinstance(app, QApplication)  # the window's display: never without the application
        self._default_points = max(10, round(app.font().pointSizeF()) if app.font().pointSizeF() > 0 else 10)
        self._default_palette = app.palette()
        self._default_style = app.style().name()  # « Suivre le système » gives the platform's style back
        settings = QSettings()
        self.points = int(str(settings.value("display/points", self._default_points + 1)))
        self.theme = str(settings.value("display/theme", "system"))
        self.projector = False
        self.shown_points = self.points  # the size on screen: lower than asked when the screen is too narrow

    # --- public actions -----------------------------------------------------------------

    def zoom_in(self) -> None:
        self.set_points(self.points + 1)

    def zoom_out(self) -> None:
        self.set_points(self.points - 1)

    def zoom_reset(self) -> None:
        self.set_points(self._default_points + 1)

    def set_points(self, points: int) -> None:
        self.points = max(MIN_POINTS, min(MAX_POINTS, points))
        QSettings().setValue("display/points", self.points)
        self.apply()

    def set_theme(self, theme: str) -> None:
        self.theme = theme if theme in THEMES else "system"
        QSettings().setValue("display/theme", self.theme)
        self.apply()

    def toggle_projector(self) -> None:
        self.projector = not self.projector
        if self.projector:
            self._was_maximized = self.window.isMaximized()
            self._geometry = self.window.saveGeometry()  # the size and place to come back to
            self.projector_toggled.emit(True)
            self.window.showFullScreen()
            self.apply()
            return
        self.apply()  # the normal text size first: the big one's minimum sizes would widen the window
        if getattr(self, "_was_maximized", False):
            self.window.showMaximized()
        else:
            self.window.showNormal()
            self.window.restoreGeometry(self._geometry)
            fit_to_screen(self.window)
        self.projector_toggled.emit(False)  # the splitters come back once the window has its size again

    # --- application --------------------------------------------------------------------

    def effective_points(self) -> int:
        return self.points + (PROJECTOR_EXTRA if self.projector else 0)

    def apply(self) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)  # the window's display: never without the application
        font = QFont(app.font())
        font.setPointSize(self.effective_points())
        app.setFont(font)
        # the largest size whose layout still fits the screen: beyond it the window would overflow the screen
        self.shown_points = self.effective_points()
        while self.shown_points > MIN_POINTS and too_wide_for_screen(self.window):
            self.shown_points -= 1
            font.setPointSize(self.shown_points)
            app.setFont(font)
        hints = QGuiApplication.styleHints()
        if self.projector:
            use_fusion(app)
            app.setPalette(high_contrast_palette())
        else:
            scheme = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(self.theme, Qt.ColorScheme.Unknown)
            hints.setColorScheme(scheme)
            if self.theme == "system":
                if app.style().name() != self._default_style:
                    app.setStyle(self._default_style)
                app.setPalette(self._default_palette)
            else:
                use_fusion(app)
                app.setPalette(dark_palette() if self.theme == "dark" else light_palette())
        fit_to_screen(self.window)
        self.changed.emit()
