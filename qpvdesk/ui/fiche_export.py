"""Print and PDF export of fiches: the same HTML as the detail panel, laid out on A4.

Usable without a window (CLI `qpvdesk export-pdf`): only a QGuiApplication is needed.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from qpvdesk.filewrite import naming_target, real_target, replace_with

PAGE_BREAK = '<p style="page-break-before: always"></p>'
PRINT_CSS = "h1 { font-size: 18pt; } h2 { font-size: 13pt; } body { font-size: 10.5pt; }"  # 8.5 pt was too dense


SMALL_ON_PAPER = '<span style="font-size: 10pt">'  # Qt prints <small> at 80 % whatever the style sheet says


def paper_html(html: str) -> str:
    """The fiche's small print (dates, sources) at 10 pt on paper: a handout stays readable."""
    return html.replace("<small>", SMALL_ON_PAPER).replace("</small>", "</span>")


def fiche_document(html_parts: list[str]) -> QTextDocument:
    doc = QTextDocument()
    doc.setDefaultStyleSheet(PRINT_CSS)
    font = QFont()
    font.setPointSizeF(10.5)
    doc.setDefaultFont(font)
    doc.setHtml(PAGE_BREAK.join(paper_html(h) for h in html_parts))
    return doc


def write_pdf(html_parts: list[str], path: Path, title: str = "Fiches qpvdesk") -> int:
    """Write one PDF holding every fiche, each starting on a new page. Returns the page count. Raises OSError."""
    return _write_safely(path, lambda temporary: _write_pdf_to(html_parts, temporary, title))


def write_pack(fiches, info, path: Path) -> int:
    """The trainer's pack (cover, contents, fiches: ui/training_pack.py). Returns the page count. Raises OSError."""
    from qpvdesk.ui.training_pack import write_pack_to

    def write(temporary: Path) -> int:
        write_pack_to(fiches, info, temporary)
        return _page_count(temporary)

    return _write_safely(path, write)


def _write_safely(path: Path, write) -> int:
    """Written beside the target then moved over it: QPdfWriter fails silently, so an unwritable
    place must not leave an older PDF that looks like the new one."""
    path = Path(path)
    with naming_target(path):
        target = real_target(path)  # through a symbolic link; a pipe or a device is refused
        # owner-only, like every export (a file it replaces keeps its own permissions)
        fd, temporary = tempfile.mkstemp(prefix=f".qpvdesk-{os.getpid()}-", suffix=".pdf", dir=target.parent)
        os.close(fd)
        try:
            pages = write(Path(temporary))
            if pages == 0:
                raise OSError(errno.EIO, "PDF vide", str(path))
            replace_with(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return pages


def _write_pdf_to(html_parts: list[str], path: Path, title: str) -> int:
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("qpvdesk")
    # QTextDocument.print_ adds its own 2 cm margins: the writer adds none
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setResolution(300)
    doc = fiche_document(html_parts)
    # no explicit page size: QTextDocument.print_ lays the text out on the writer's page at its resolution
    doc.print_(writer)
    del writer  # closes the file
    return _page_count(path)


def print_fiches(html_parts: list[str], parent=None) -> bool:
    """Open the (French) print dialog and print; False if the user cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Imprimer la fiche")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    fiche_document(html_parts).print_(printer)
    return True


def _page_count(path: Path) -> int:
    """Pages actually written (QTextDocument's own count is for its screen layout, not the A4 one)."""
    return len(re.findall(rb"/Type\s*/Page[^s]", Path(path).read_bytes()))


def export_pdf_headless(html_parts: list[str], path: Path, pack=None) -> int:
    """For the command line: lay out and write the PDF without a screen; `pack`: (fiches, info) for a pack."""
    import sys

    from PySide6.QtGui import QGuiApplication

    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    try:
        return write_pack(pack[0], pack[1], path) if pack is not None else write_pdf(html_parts, path)
    finally:
        del app
