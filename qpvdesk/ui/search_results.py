"""Search results grouped by kind (Acteurs, Programmes, Territoires, Glossaire), matched words in bold."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QModelIndex, QRectF, QSize, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QStandardItem, QStandardItemModel, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QTreeView,
)

from qpvdesk.french import plural
from qpvdesk.ui.roles import ANSWER_ROLE, HTML_ROLE, TARGET_ROLE
from qpvdesk.views import GROUP_ORDER, Answer, SearchResult


def results_label(result: SearchResult) -> str:
    """The line above the results: how many, corrections made, partial results, what a typed place or code is."""
    count = len(result.hits)
    label = f"{plural(count, 'résultat')} pour « {escape(result.query)} »" if count else (
        f"Aucun résultat pour « {escape(result.query)} »")
    if result.corrections:
        label += " — recherche corrigée : " + ", ".join(f"{k} → {v}" for k, v in result.corrections.items())
    if result.partial:
        label += " — aucune fiche du catalogue ne contient tous les mots : résultats partiels"
    if result.notice:  # what a typed code or place is, or is not (« sorti de la géographie prioritaire »)
        label = f"<b>{escape(result.notice)}</b><br/>{label}"
    return label


def highlighted(snippet: str, spans) -> str:
    out, last = [], 0
    for start, end in spans:
        out.append(escape(snippet[last:start]))
        out.append(f"<b>{escape(snippet[start:end])}</b>")
        last = end
    out.append(escape(snippet[last:]))
    return "".join(out)




def _answer_group(answer: Answer) -> QStandardItem:
    """« Financé par (NPNRU) » and one row per line of the answer, each with its sources."""
    group = QStandardItem(f"Réponse — {answer.heading} ({answer.subject_name})")
    group.setSelectable(False)
    group.setData(True, ANSWER_ROLE)
    group.setData(f"<b>Réponse — {escape(answer.heading)}</b> ({escape(answer.subject_name)})", HTML_ROLE)
    if not answer.items:
        row = QStandardItem("Le catalogue ne mentionne aucun lien de ce type.")
        row.setSelectable(False)
        row.setData(True, ANSWER_ROLE)
        group.appendRow(row)
    for line in answer.items:
        cited = "; ".join(sorted({s.publisher for s in line.sources if s.publisher}))
        detail = f" — {escape(line.detail)}" if line.detail else ""
        row = QStandardItem(line.name)
        row.setData(True, ANSWER_ROLE)
        row.setData(f"{escape(line.name)}{detail}<br/><small>source : {escape(cited) or 'non indiquée'}</small>", HTML_ROLE)
        row.setData(("entity", line.id), TARGET_ROLE)
        row.setToolTip(f"{line.name}{' — ' + line.detail if line.detail else ''}\nSource : {cited or 'non indiquée'}")
        group.appendRow(row)
    return group


class SearchResultsModel(QStandardItemModel):
    def set_result(self, result: SearchResult) -> None:
        self.clear()
        if result.answer is not None:
            self.appendRow(_answer_group(result.answer))
        groups: dict[str, QStandardItem] = {}
        # the group holding the best hit comes first, so the top result is the first row (Enter opens it)
        order = list(dict.fromkeys([h.group for h in result.hits] + list(GROUP_ORDER)))
        for name in order:
            hits = [h for h in result.hits if h.group == name]
            if not hits:
                continue
            group = QStandardItem(f"{name} ({len(hits)})")
            group.setSelectable(False)
            group.setData(f"<b>{escape(name)}</b> ({len(hits)})", HTML_ROLE)
            groups[name] = group
            self.appendRow(group)
            for hit in hits:
                status = {"closed": " — <i>clos</i>", "merged": " — <i>ancien</i>", "replaced": " — <i>ancien</i>"}.get(
                    hit.status, ""
                )
                item = QStandardItem(hit.title)
                item.setData(
                    f"{escape(hit.title)}{status}<br/><small>{highlighted(hit.snippet, hit.highlights)}</small>", HTML_ROLE
                )
                item.setData((hit.doc_type, hit.id), TARGET_ROLE)
                item.setToolTip(hit.snippet)
                group.appendRow(item)
        if result.more_places:
            more = QStandardItem(f"… et {result.more_places} autres lieux dont le nom commence seulement par les mots cherchés")
            more.setSelectable(False)
            more.setData(f"<i>… et {result.more_places} autres lieux dont le nom commence seulement par les mots "
                         "cherchés (précisez la recherche)</i>", HTML_ROLE)
            self.appendRow(more)

    def first_target(self):
        """The first result (never a line of the answer: « qui finance le PIC » + Entrée opens the PIC)."""
        for row in range(self.rowCount()):
            group = self.item(row)
            if group.rowCount() and not group.data(ANSWER_ROLE):
                return group.child(0).data(TARGET_ROLE)
        return None


class HtmlDelegate(QStyledItemDelegate):
    """Paints the item's rich text (title + snippet with bold matches)."""

    def _doc(self, option, index, width: int | None = None) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(index.data(HTML_ROLE) or escape(index.data() or ""))
        doc.setTextWidth(max(width if width is not None else option.rect.width(), 80))  # narrow panel: wrap, never clip
        return doc

    @staticmethod
    def _available_width(option, index) -> int:
        view = option.widget
        if view is None:
            return 400
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        return view.viewport().width() - view.indentation() * (depth + 1) - 4

    def paint(self, painter, option, index) -> None:
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else QApplication.style()
        text_option = option.__class__(option)
        text_option.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, text_option, painter, option.widget)
        doc = self._doc(option, index)
        # the selected row's text takes the palette's HighlightedText (black on the projector's yellow, never white)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = option.state & QStyle.StateFlag.State_Selected
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text))
        context.clip = QRectF(0, 0, option.rect.width(), option.rect.height())
        painter.save()
        painter.translate(option.rect.topLeft())
        painter.setClipRect(context.clip)
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        self.initStyleOption(option, index)
        doc = self._doc(option, index, self._available_width(option, index))
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 2)


class SearchResultsView(QTreeView):
    target_activated = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.results_model = SearchResultsModel(self)
        self.setModel(self.results_model)
        self.setHeaderHidden(True)
        self.setItemDelegate(HtmlDelegate(self))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setUniformRowHeights(False)
        self.setWordWrap(True)
        self.setAccessibleName("Résultats de recherche")
        self.activated.connect(self._on_activated)
        self.header().setStretchLastSection(True)
        self.clicked.connect(self._on_activated)

    def set_result(self, result: SearchResult) -> None:
        self.results_model.set_result(result)
        self.expandAll()
        for row in range(self.results_model.rowCount()):
            group = self.results_model.index(row, 0)
            if self.results_model.rowCount(group) and not group.data(ANSWER_ROLE):
                self.setCurrentIndex(self.results_model.index(0, 0, group))  # the first result, below the answer
                break

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()  # wrapped rows change height with the width

    def _on_activated(self, index: QModelIndex) -> None:
        target = index.data(TARGET_ROLE)
        if target:
            self.target_activated.emit(target)
