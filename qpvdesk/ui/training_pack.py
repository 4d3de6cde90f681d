"""The trainer's PDF pack: a cover (title, date in French, catalogue date), a table of contents with page numbers,
then each fiche from a new page, with a running header and a numbered footer; body text 10.5 pt.

Laid out page by page with QPainter (QTextDocument.print_ has no header, footer nor page numbers to give back).
Usable without a window: only a QGuiApplication is needed (CLI `qpvdesk export-pdf`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen, QTextDocument

from qpvdesk.french import plural
from qpvdesk.ui.fiche_export import paper_html

BODY_POINTS = 10.5  # a handout read on paper: never below 10 pt
PACK_CSS = (f"body {{ font-size: {BODY_POINTS}pt; color: #1b1f24; }} h1 {{ font-size: 18pt; color: #1d3b6e; }} "
            "h2 { font-size: 13pt; color: #1d3b6e; } h3 { font-size: 11.5pt; }")
RESOLUTION = 300
MARGIN_MM, HEADER_MM = 18, 9  # page margins; room taken by the header and by the footer
FRENCH_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                 "novembre", "décembre")
ACCENT = QColor("#1d3b6e")


def french_date(day: dt.date) -> str:
    """4 décembre 2026 (1er for the first of the month)."""
    return f"{'1er' if day.day == 1 else day.day} {FRENCH_MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class PackFiche:
    name: str
    html: str  # the fiche as printed


@dataclass(frozen=True)
class PackInfo:
    title: str  # chosen by the trainer
    catalogue_date: str  # « 17 février 2026 »
    day: dt.date

    @property
    def source_line(self) -> str:
        return f"source : qpvdesk, catalogue du {self.catalogue_date}"


DEFAULT_TITLE = "Dossier de formation"


def pack_for(names: list[str], html_parts: list[str], title: str | None, service, day: dt.date | None = None):
    """(fiches, info) for write_pack: the catalogue date comes from the catalogue itself."""
    from qpvdesk.dates import format_partial_date_fr

    newest = service.stats().newest_information_date
    info = PackInfo((title or "").strip() or DEFAULT_TITLE, format_partial_date_fr(newest) if newest else "date inconnue",
                    day or dt.date.today())
    return [PackFiche(n, h) for n, h in zip(names, html_parts, strict=True)], info


def default_pack_name(names: list[str], day: dt.date) -> str:
    """« NPNRU – fiche qpvdesk – 2026-12-04.pdf », « Dossier qpvdesk (3 fiches) – 2026-12-04.pdf »."""
    if len(names) == 1:
        return f"{safe_file_part(names[0])} – fiche qpvdesk – {day.isoformat()}.pdf"
    return f"Dossier qpvdesk ({len(names)} fiches) – {day.isoformat()}.pdf"


def safe_file_part(name: str, limit: int = 60) -> str:
    """A fiche name usable as a file name on Windows too: the acronym in brackets when there is one."""
    if name.endswith(")") and "(" in name:
        inner = name[name.rindex("(") + 1:-1].strip()
        if 1 < len(inner) <= 12:
            name = inner
    cleaned = "".join(" " if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in name)
    return " ".join(cleaned.split())[:limit].strip(" .") or "fiche"


class _Pages:
    """The writer, its painter and the page geometry in device pixels."""

    def __init__(self, path: Path, title: str) -> None:
        self.writer = QPdfWriter(str(path))
        self.writer.setTitle(title)
        self.writer.setCreator("qpvdesk")
        self.writer.setResolution(RESOLUTION)
        self.writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                              QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))
        px = RESOLUTION / 25.4
        rect = self.writer.pageLayout().fullRectPixels(RESOLUTION)
        self.page = QRectF(rect)
        self.margin, self.header = MARGIN_MM * px, HEADER_MM * px
        self.body = QRectF(self.margin, self.margin + self.header, self.page.width() - 2 * self.margin,
                           self.page.height() - 2 * (self.margin + self.header))
        self.painter: QPainter | None = None
        self.count = 0

    def new_page(self) -> QPainter:
        if self.painter is None:
            self.painter = QPainter(self.writer)
        else:
            self.writer.newPage()
        self.count += 1
        return self.painter

    def document(self, html: str) -> QTextDocument:
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(self.writer)  # points measured as printed, not as on screen
        doc.setDefaultStyleSheet(PACK_CSS)
        font = QFont()
        font.setPointSizeF(BODY_POINTS)
        doc.setDefaultFont(font)
        doc.setHtml(html)
        doc.setPageSize(QSizeF(self.body.width(), self.body.height()))  # lines are never cut across two pages
        return doc

    def finish(self) -> None:
        if self.painter is not None:
            self.painter.end()
        del self.writer


def _cover_html(info: PackInfo, fiches: list[PackFiche]) -> str:
    return (f"<p style='font-size: 12pt; color: #4a5566;'>Dossier de formation — politique de la ville</p>"
            f"<h1 style='font-size: 28pt;'>{escape(info.title)}</h1>"
            f"<p style='font-size: 14pt;'>{escape(french_date(info.day))}</p>"
            f"<p>{plural(len(fiches), 'fiche')} · chaque fait porte sa source et sa date.</p>"
            f"<p style='color: #4a5566;'>{escape(info.source_line)}</p>")


def _contents_html(fiches: list[PackFiche], first_pages: list[int]) -> str:
    rows = "".join(f"<tr><td width='88%'>{escape(f.name)}</td><td align='right'>{page}</td></tr>"
                   for f, page in zip(fiches, first_pages, strict=True))
    return f"<h1>Sommaire</h1><table width='100%' cellpadding='4'>{rows}</table>"


def _draw(pages: _Pages, doc: QTextDocument, header: str, info: PackInfo, total: int | None) -> None:
    """Every page of `doc`, each with the header and a numbered footer."""
    height = pages.body.height()
    for index in range(doc.pageCount()):
        painter = pages.new_page()
        painter.save()
        painter.translate(pages.body.left(), pages.body.top() - index * height)
        doc.drawContents(painter, QRectF(0, index * height, pages.body.width(), height))
        painter.restore()
        _frame(pages, painter, header, info, total)


def _frame(pages: _Pages, painter: QPainter, header: str, info: PackInfo, total: int | None) -> None:
    font = QFont()
    font.setPointSizeF(9)
    painter.setFont(font)
    painter.setPen(QPen(ACCENT, 2))
    left, right = pages.margin, pages.page.width() - pages.margin
    top_line = pages.margin + pages.header * 0.7
    bottom_line = pages.page.height() - pages.margin - pages.header * 0.7
    painter.drawLine(QPointF(left, top_line), QPointF(right, top_line))
    painter.drawLine(QPointF(left, bottom_line), QPointF(right, bottom_line))
    painter.setPen(QColor("#4a5566"))
    head = QRectF(left, pages.margin, right - left, pages.header * 0.6)
    painter.drawText(head, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, info.title)
    painter.drawText(head, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, header)
    foot = QRectF(left, bottom_line + pages.header * 0.1, right - left, pages.header * 0.6)
    painter.drawText(foot, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                     f"{info.source_line} · exporté le {french_date(info.day)}")
    number = f"page {pages.count}" + (f" / {total}" if total else "")
    painter.drawText(foot, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, number)


def pack_layout(fiches: list[PackFiche], info: PackInfo, probe_path: Path) -> tuple[list[int], int]:
    """First pass: the page where each fiche starts and the total (cover 1, contents next, then the fiches)."""
    pages = _Pages(probe_path, info.title)
    try:
        contents_pages = pages.document(_contents_html(fiches, [999] * len(fiches))).pageCount()
        first, page = [], 1 + contents_pages + 1
        for fiche in fiches:
            first.append(page)
            page += pages.document(paper_html(fiche.html)).pageCount()
        return first, page - 1
    finally:
        pages.finish()


def write_pack_to(fiches: list[PackFiche], info: PackInfo, path: Path) -> int:
    """Write the pack at `path` (a fresh file: see fiche_export.write_pdf for the safe replacement). Returns pages."""
    first_pages, total = pack_layout(fiches, info, path)
    pages = _Pages(path, info.title)
    try:
        cover = pages.document(_cover_html(info, fiches))
        painter = pages.new_page()
        painter.fillRect(QRectF(0, 0, pages.page.width(), pages.margin * 0.6), ACCENT)
        painter.save()
        painter.translate(pages.body.left(), pages.body.top() + pages.body.height() * 0.28)
        cover.drawContents(painter, QRectF(0, 0, pages.body.width(), pages.body.height()))
        painter.restore()
        _draw(pages, pages.document(_contents_html(fiches, first_pages)), "Sommaire", info, total)
        for fiche in fiches:
            _draw(pages, pages.document(paper_html(fiche.html)), fiche.name, info, total)
        return pages.count
    finally:
        pages.finish()
