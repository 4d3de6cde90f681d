"""A diagram written to SVG, PNG or PDF: the SVG comes from the core (qpvdesk.diagram_svg), PNG and PDF
are that same SVG drawn by Qt, so the three look alike. Written beside the target, then moved over it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QByteArray, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgRenderer

from qpvdesk.diagram import Diagram
from qpvdesk.diagram_svg import diagram_svg
from qpvdesk.filewrite import naming_target, real_target, replace_with

FORMATS = ("svg", "png", "pdf")
PNG_SCALE = 2  # sharp on a slide or a projector


def diagram_format(path: Path) -> str | None:
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


def write_diagram(diagram: Diagram, path: Path) -> str:
    """Write the diagram in the format its name asks for; returns the format. Raises OSError, ValueError."""
    kind = diagram_format(path)
    if kind is None:
        raise ValueError(f"format inconnu « {Path(path).suffix or '(aucune extension)'} » : choisissez .svg, .png ou .pdf")
    svg = diagram_svg(diagram)
    path = Path(path)
    with naming_target(path):
        target = real_target(path)
        fd, temporary = tempfile.mkstemp(prefix=f".qpvdesk-{os.getpid()}-", suffix=f".{kind}", dir=target.parent)
        os.close(fd)
        try:
            if kind == "svg":
                Path(temporary).write_text(svg, encoding="utf-8")
            elif kind == "png":
                _png(svg, Path(temporary))
            else:
                _pdf(svg, Path(temporary), diagram.title)
            if Path(temporary).stat().st_size == 0:
                raise OSError(f"fichier vide : {path}")
            replace_with(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return kind


def _renderer(svg: str) -> QSvgRenderer:
    return QSvgRenderer(QByteArray(svg.encode("utf-8")))


def _png(svg: str, path: Path) -> None:
    renderer = _renderer(svg)
    size = renderer.defaultSize() * PNG_SCALE
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    if not image.save(str(path), "PNG"):  # type: ignore[call-overload]  # PySide6 takes a str here
        raise OSError(f"impossible d'écrire l'image {path}")


def _pdf(svg: str, path: Path, title: str) -> None:
    renderer = _renderer(svg)
    size = renderer.defaultSize()
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("qpvdesk")
    # one page the shape of the diagram (points = px at 72 dpi): a slide, not an A4 sheet
    page = QPageSize(QSizeF(size.width(), size.height()), QPageSize.Unit.Point, "schéma")
    writer.setPageLayout(QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    painter = QPainter(writer)
    renderer.render(painter, QRectF(0, 0, writer.width(), writer.height()))
    painter.end()
    del writer


def export_diagram_headless(diagram: Diagram, path: Path) -> str:
    """For the command line: PNG and PDF need a Qt application, not a screen."""
    import sys

    from PySide6.QtGui import QGuiApplication

    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    try:
        return write_diagram(diagram, path)
    finally:
        del app
