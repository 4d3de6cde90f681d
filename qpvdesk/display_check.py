"""Before the window: is there a screen, and the system libraries Qt needs? Said in French.

Without this, a missing display or library ends in Qt's English abort message
("could not connect to display", "libEGL.so.1: cannot open shared object file").
"""

from __future__ import annotations

import os
import sys

INSTALL_HINT = (
    "Sur Debian ou Ubuntu, installez-les avec :\n"
    "  sudo apt-get update && sudo apt-get install -y libegl1 libgl1 libglib2.0-0 libxkbcommon0 "
    "libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 "
    "libxcb-shape0 libxcb-image0 libxcb-render-util0"
)
NO_SCREEN = (
    "Aucun écran graphique n'est disponible (ni DISPLAY ni WAYLAND_DISPLAY) : la fenêtre de qpvdesk ne peut "
    "pas s'ouvrir.\nLancez qpvdesk depuis une session graphique, ou utilisez la ligne de commande "
    "(« qpvdesk search TEXTE », « qpvdesk show ID », « qpvdesk --help »)."
)


def display_problem(environ: dict[str, str] | None = None, platform: str = sys.platform) -> str | None:
    """A French explanation when the window cannot open here, else None."""
    env = os.environ if environ is None else environ
    if not platform.startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return None  # Windows/macOS always have a screen; an explicit platform is the user's choice
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return NO_SCREEN
    # the installed bundle ships its own copy beside Qt, which find_library (system cache only) cannot see
    frozen = getattr(sys, "frozen", False)
    import ctypes.util  # here, not at start-up: only this check needs it (it also loads subprocess)

    if not frozen and not env.get("WAYLAND_DISPLAY") and ctypes.util.find_library("xcb-cursor") is None:
        return "Une bibliothèque système nécessaire à l'affichage manque : libxcb-cursor0.\n" + INSTALL_HINT
    return None


def missing_library_message(exc: ImportError) -> str:
    """Qt could not be loaded: name the missing library, and how to install it."""
    text = str(exc)
    library = text.split(":", 1)[0] if "cannot open shared object file" in text else None
    first = f"Une bibliothèque système nécessaire à Qt manque : {library}." if library else (
        "La bibliothèque graphique Qt (PySide6) n'a pas pu être chargée.")
    return f"{first}\n{INSTALL_HINT}"
