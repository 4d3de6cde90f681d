"""The conflicts part of « Base d'équipe… »: every open conflict in a list, and for the selected one its two versions
side by side, field by field, with a choice per row (la mienne, celle de l'équipe, les deux for notes, address and
programmes) and the result shown before anything is written. « Garder ma version », « Garder la version de
l'équipe », « Fusionner ».

Keyboard: Tab reaches the list, the table's choices, then the buttons; in the table, ↑/↓ choose the field and
M (la mienne), E (l'équipe), D (les deux) its choice. The panel asks the dialog to settle (signal): the dialog runs
it off the UI thread. The preview is computed here by the core (team access: no SQL in the window), it is quick.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qpvdesk.french import plural
from qpvdesk.team.conflict_choices import BOTH, MINE, THEIRS, allowed_choices, local_time, shown_value, who_and_when, whole

FIELD_LABELS = {"name": "Nom", "kind": "Type", "commune": "Commune", "qpv_code": "Code QPV", "contact_name": "Contact",
                "phone": "Téléphone", "email": "Courriel", "address": "Adresse", "website": "Site web",
                "notes": "Notes", "deleted_at": "Suppression", "programme_ids": "Programmes",
                "link": "Structure financée liée"}
CHOICE_LABELS = {MINE: "La mienne", THEIRS: "Celle de l'équipe", BOTH: "Les deux"}
CHOICE_KEYS = {Qt.Key.Key_M.value: MINE, Qt.Key.Key_E.value: THEIRS, Qt.Key.Key_D.value: BOTH}
EMPTY = "(vide)"
COLUMNS = ["Champ", "Votre version", "Version de l'équipe", "À garder", "Résultat"]
CHOICE_COLUMN, RESULT_COLUMN = 3, 4


class ConflictPanel(QWidget):
    settle = Signal(int, dict)  # conflict id, {field: "mine" | "theirs" | "both"}

    def __init__(self, team, parent: QWidget | None = None) -> None:  # noqa: ANN001 - qpvdesk.team.access.TeamAccess
        super().__init__(parent)
        self.team = team
        self.conflicts: list = []
        self.boxes: list[QComboBox] = []  # the choice of each row of the table
        self.fields: list[str] = []  # the field of each row
        self.conflict = None
        self.preview = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Conflits à régler")
        self.list.currentRowChanged.connect(self._select)
        self.who = QLabel()
        self.who.setWordWrap(True)
        self.who.setTextFormat(Qt.TextFormat.RichText)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Conflit : les deux versions côte à côte, un choix par champ, le résultat")
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the choices and the buttons
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.Stretch)):
            header.setSectionResizeMode(column, mode)
        self.fit_rows = QTimer(self, singleShot=True, interval=0)  # once the columns have their final widths
        self.fit_rows.timeout.connect(self.table.resizeRowsToContents)
        header.sectionResized.connect(lambda *_: self.fit_rows.start())  # wrapped text follows the width
        self.table.installEventFilter(self)
        self.hint = QLabel("Clavier : ↑ ↓ choisissent le champ ; M garde la vôtre, E celle de l'équipe, D les deux "
                           "(notes, adresse, programmes). Un texte gardé en double est séparé par une ligne « --- "
                           "version de … --- ». En gras : ce qui changera la version de l'équipe.")
        self.hint.setWordWrap(True)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020")
        self.keep_mine = QPushButton("Garder ma version")
        self.keep_theirs = QPushButton("Garder la version de l'équipe")
        self.merge = QPushButton("Fusionner")
        self.merge.setToolTip("Enregistre le résultat affiché (colonne « Résultat ») ; il part à la prochaine "
                              "synchronisation")
        self.keep_mine.clicked.connect(lambda: self._settle_whole(MINE))
        self.keep_theirs.clicked.connect(lambda: self._settle_whole(THEIRS))
        self.merge.clicked.connect(self._settle_merge)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.keep_mine, self.keep_theirs, self.merge):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.summary, self.list, self.who):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)
        for widget in (self.hint, self.problems):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.show_conflicts([])

    # --- showing ---------------------------------------------------------------------------------------------

    def show_conflicts(self, conflicts: list) -> None:
        """The open conflicts (from the core); the one selected before stays selected when it is still open."""
        keep = self.conflict.id if self.conflict is not None else None
        self.conflicts = list(conflicts)
        self.list.blockSignals(True)
        self.list.clear()
        for conflict in self.conflicts:
            by = conflict.theirs.get("updated_by") or "un autre membre"
            item = QListWidgetItem(f"n° {conflict.id} — « {conflict.name} », modifié aussi par {by} "
                                   f"(conflit du {local_time(conflict.detected_at)})")
            self.list.addItem(item)
        self.list.blockSignals(False)
        shown_rows = max(1, min(len(self.conflicts), 4))  # the table below gets the room; more conflicts scroll
        self.list.setFixedHeight(self.list.sizeHintForRow(0) * shown_rows + 2 * self.list.frameWidth() + 4
                                 if self.conflicts else 0)
        has = bool(self.conflicts)
        for widget in (self.list, self.who, self.table, self.hint, self.problems, self.keep_mine, self.keep_theirs,
                       self.merge):
            widget.setVisible(has)
        if not has:
            self.summary.setText("Aucun conflit à régler.")
            self.conflict = None
            self.table.setRowCount(0)
            return
        self.summary.setText(
            f"{plural(len(self.conflicts), 'conflit', 'conflits')} à régler : un partenaire modifié ici et par un "
            "autre membre entre deux synchronisations. La version de l'équipe est en place, la vôtre est gardée ; "
            "choisissez, champ par champ, ce qui doit rester. Aucune des deux versions n'est perdue.")
        ids = [c.id for c in self.conflicts]
        self.list.setCurrentRow(ids.index(keep) if keep in ids else 0)
        self._select(self.list.currentRow())

    def _select(self, row: int) -> None:
        if not 0 <= row < len(self.conflicts):
            return
        self.conflict = conflict = self.conflicts[row]
        mine_when, theirs_when = who_and_when(conflict)
        self.who.setText(f"<b>« {html.escape(conflict.name)} »</b> — votre version : {html.escape(mine_when)} ; "
                         f"version de l'équipe : {html.escape(theirs_when)}.")
        differences = conflict.differences()
        self.boxes = []
        self.fields = [field for field, _m, _t in differences]
        self.table.setRowCount(len(differences))
        for r, (field, mine, theirs) in enumerate(differences):
            for column, value in enumerate((FIELD_LABELS.get(field, field), shown_value(field, mine),
                                            shown_value(field, theirs))):
                self.table.setItem(r, column, QTableWidgetItem(value or EMPTY))
            box = QComboBox()
            for choice in allowed_choices(field):
                box.addItem(CHOICE_LABELS[choice], choice)
            box.setCurrentIndex(box.findData(THEIRS))
            box.setAccessibleName(f"À garder pour « {FIELD_LABELS.get(field, field)} »")
            box.currentIndexChanged.connect(self._update_preview)
            holder = QWidget()  # keeps the list at its own height in a tall row (long notes)
            holder_layout = QVBoxLayout(holder)
            holder_layout.setContentsMargins(2, 2, 2, 2)
            holder_layout.addWidget(box, 0, Qt.AlignmentFlag.AlignVCenter)
            self.boxes.append(box)
            self.table.setCellWidget(r, CHOICE_COLUMN, holder)
            self.table.setItem(r, RESULT_COLUMN, QTableWidgetItem())
        if differences:
            self.table.setCurrentCell(0, 0)
        # the choices are made after the buttons: put them back between the table and the buttons for Tab
        chain: list[QWidget] = [self.list, self.table, *self.boxes, self.keep_mine, self.keep_theirs, self.merge]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        self._update_preview()

    def choice_box(self, row: int) -> QComboBox | None:
        return self.boxes[row] if 0 <= row < len(self.boxes) else None

    def choices(self) -> dict[str, str]:
        return {field: box.currentData() for field, box in zip(self.fields, self.boxes)}

    def choose(self, row: int, choice: str) -> bool:
        box = self.choice_box(row)
        if box is None or box.findData(choice) < 0:
            return False
        box.setCurrentIndex(box.findData(choice))
        return True

    def _update_preview(self) -> None:
        if self.conflict is None:
            return
        self.preview = self.team.preview_resolution(self.conflict, self.choices())
        for r, field in enumerate(self.fields):
            cell = self.table.item(r, RESULT_COLUMN)
            if cell is None:
                continue
            cell.setText(shown_value(field, self.preview.result.get(field)) or EMPTY)
            font = cell.font()
            font.setBold(self.preview.result.get(field) != self.conflict.theirs.get(field))  # what will change
            cell.setFont(font)
        self.table.resizeRowsToContents()
        self.problems.setText("" if self.preview.ok else "À corriger avant de fusionner : "
                              + " ; ".join(self.preview.problems) + ".")
        self.merge.setEnabled(self.preview.ok and self.keep_mine.isEnabled())

    # --- settling --------------------------------------------------------------------------------------------

    def _settle_whole(self, keep: str) -> None:
        if self.conflict is None:
            return
        choices = whole(self.conflict, keep)
        shown = self.team.preview_resolution(self.conflict, choices)
        if not shown.ok:
            self.problems.setText("Votre version ne peut pas être reprise telle quelle : "
                                  + " ; ".join(shown.problems) + ". Choisissez champ par champ.")
            return
        self.settle.emit(self.conflict.id, choices)

    def _settle_merge(self) -> None:
        if self.conflict is not None and self.preview is not None and self.preview.ok:
            self.settle.emit(self.conflict.id, self.choices())

    def set_busy(self, busy: bool) -> None:
        for button in (self.keep_mine, self.keep_theirs):
            button.setEnabled(not busy)
        self.merge.setEnabled(not busy and (self.preview is None or self.preview.ok))

    # --- keyboard --------------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            choice = CHOICE_KEYS.get(event.key()) if isinstance(event, QKeyEvent) else None
            if choice is not None and self.table.currentRow() >= 0:
                return self.choose(self.table.currentRow(), choice) or True
        return super().eventFilter(watched, event)
