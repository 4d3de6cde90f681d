"""Projector mode's layout: the fiche takes the width, private things leave the screen, the window fits the screen.

What the room must never see: the notes pane (hidden here), « Vos partenaires locaux » on fiches and note hits in
search results (left out by the user-data controller while the mode is on). Leaving the mode puts back the layout
the user had (splitters, tabs, geometry).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QTabBar, QTabWidget, QWidget

SIDE_SHARE = 0.24  # the tree/results panel in projector mode: narrow, the fiche gets the rest
SIDE_MINIMUM = 160  # pixels
MARK_TEXT = "◉ MODE PROJECTEUR — notes et partenaires personnels masqués (F11 pour quitter)"


def fit_to_screen(window: QWidget) -> None:
    """Never wider or taller than the screen's free area (a bigger font raises minimum sizes: zoom must not push the
    window's right edge off the screen)."""
    screen = window.screen()
    if screen is None or window.isFullScreen() or window.isMaximized():
        return
    free = screen.availableGeometry()
    width, height = min(window.width(), free.width()), min(window.height(), free.height())
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    if window.x() + window.width() > free.right() + 1:
        window.move(max(free.left(), free.right() + 1 - window.width()), window.y())


def size_to_screen(window: QWidget) -> None:
    """A first start: the window takes most of the screen it is on (all of a small one: 1024×768, 1366×768 laptops)
    instead of a fixed size that overflows them."""
    screen = window.screen()
    if screen is None:
        return
    free = screen.availableGeometry()
    if free.width() <= 1400 or free.height() <= 800:
        width, height = free.width(), free.height()
    else:
        width, height = min(int(free.width() * 0.85), 1680), min(int(free.height() * 0.88), 1050)
    window.resize(width, height)
    window.move(free.left() + (free.width() - width) // 2, free.top() + (free.height() - height) // 2)


def too_wide_for_screen(window: QWidget) -> bool:
    screen = window.screen()
    return screen is not None and window.minimumSizeHint().width() > screen.availableGeometry().width()


class ProjectorLayout(QObject):
    def __init__(self, window: QMainWindow, splitter: QSplitter, right: QSplitter, tabs: QTabWidget,
                 private_widgets: list[QWidget]) -> None:
        super().__init__(window)
        self.window = window
        self.splitter, self.right, self.tabs = splitter, right, tabs
        self.private_widgets = private_widgets
        self.hides_private = False
        self._saved: dict = {}
        self.mark = QLabel(MARK_TEXT)
        self.mark.setObjectName("projectorMark")
        self.mark.setAccessibleName("Mode projecteur actif")
        self.mark.setStyleSheet("QLabel { background: #ffd700; color: #000000; font-weight: bold; padding: 2px 8px; }")
        self.mark.hide()

    def enter(self) -> None:
        self.hides_private = True
        self._saved = {
            "splitter": self.splitter.saveState(),
            "right": self.right.saveState(),
            "scroll": self.tabs.usesScrollButtons(),
            "position": self.tabs.tabPosition(),
            "elide": self.tabs.elideMode(),
            "visible": {w: w.isVisible() for w in self.private_widgets},
        }
        for widget in self.private_widgets:
            widget.hide()
        # every tab stays in sight, down the side of the narrow panel: no scroll arrows hiding « Territoires » and
        # « Carte », labels shortened only if the screen is very low
        self.tabs.setTabPosition(QTabWidget.TabPosition.West)
        self.tabs.setUsesScrollButtons(False)
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)
        self.splitter.setCollapsible(0, True)
        self._side().setMinimumWidth(SIDE_MINIMUM)  # narrower than its forms' comfort: the fiche first
        self.set_side_share(SIDE_SHARE)
        status = self.window.statusBar()
        status.insertPermanentWidget(0, self.mark)
        self.mark.show()
        self.window.setWindowTitle(f"{self.window.windowTitle()} — mode projecteur")

    def leave(self) -> None:
        self.hides_private = False
        saved = self._saved
        self.mark.hide()
        self.window.statusBar().removeWidget(self.mark)
        self.window.setWindowTitle(self.window.windowTitle().removesuffix(" — mode projecteur"))
        if not saved:
            return
        self._side().setMinimumWidth(0)
        self.tabs.setUsesScrollButtons(saved["scroll"])
        self.tabs.setTabPosition(saved["position"])
        self.tabs.setElideMode(saved["elide"])
        for widget, visible in saved["visible"].items():
            widget.setVisible(visible)
        self._saved = {}

        def splitters_back() -> None:
            self.splitter.restoreState(saved["splitter"])
            self.right.restoreState(saved["right"])

        def back() -> None:
            fit_to_screen(self.window)
            splitters_back()

        splitters_back()
        QTimer.singleShot(0, back)  # again once the window is back to its size (it resizes after us)

    def _side(self):
        """The panel left of the fiche (tabs and side lists): the splitter's first widget, always there."""
        side = self.splitter.widget(0)
        assert side is not None
        return side

    def set_side_share(self, share: float) -> None:
        total = sum(self.splitter.sizes()) or self.window.width()
        side = int(total * share)
        self.splitter.setSizes([side, total - side])

    def toggle_side_panel(self) -> None:
        """Fold the tree/results panel away (the fiche alone), or bring it back narrow."""
        if self.splitter.sizes()[0] > 0:
            self.splitter.setSizes([0, sum(self.splitter.sizes())])
        else:
            self.set_side_share(SIDE_SHARE if self.hides_private else 0.4)


def tabs_all_visible(tab_bar: QTabBar) -> bool:
    """Every tab is drawn inside the bar (none pushed behind scroll arrows)."""
    bar = tab_bar.rect()
    return all(bar.contains(tab_bar.tabRect(i)) for i in range(tab_bar.count()))
