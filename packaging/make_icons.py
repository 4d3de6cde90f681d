"""Renders resources/icons/qpvdesk.svg to the PNG sizes of the hicolor theme and to a Windows .ico.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py

The PNG files are committed (the Linux build needs no image tool); rerun this after editing the SVG.
The Windows .ico is written to build/icons/qpvdesk.ico (not committed): the Windows workflow runs this script
before PyInstaller and Inno Setup.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 (needed by QImage/QPainter)
    renderer = QSvgRenderer(str(ICONS / "qpvdesk.svg"))
    if not renderer.isValid():
        print("SVG illisible", file=sys.stderr)
        return 1
    for size in SIZES:
        out = ICONS / f"qpvdesk-{size}.png"
        if not render(renderer, size).save(str(out), "PNG"):
            print(f"échec : {out}", file=sys.stderr)
            return 1
        print(out.relative_to(ICONS.parent.parent))
    # Windows icon (the executable and the Inno Setup installer); Qt's ico plugin writes one image per file,
    # so the 256 px image is used: Windows scales it down.
    ico = ICONS.parent.parent / "build" / "icons" / "qpvdesk.ico"
    ico.parent.mkdir(parents=True, exist_ok=True)
    if not render(renderer, 256).save(str(ico), "ICO"):
        print("échec : qpvdesk.ico (plugin imageformats/ico absent ?)", file=sys.stderr)
        return 1
    print(ico.relative_to(ICONS.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
