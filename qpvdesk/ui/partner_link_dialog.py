"""« Relier à une structure… »: choose the catalogue structure (adultes-relais or FONJEP employer) a local partner
is, by its SIRET or its name; or remove the link. Only the link is saved: nothing typed about the partner changes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout

from qpvdesk.partner_table import STRUCTURE, TableRow
from qpvdesk.textfold import fold

MAX_SHOWN = 200
UNLINK = "unlink"


class PartnerLinkDialog(QDialog):
    def __init__(self, parent, partner_name: str, rows: list[TableRow], linked_name: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Relier à une structure financée")
        self._rows = [r for r in rows if r.origin == STRUCTURE]
        self._folded = [fold(f"{r.name} {r.siret} {r.territory}") for r in self._rows]
        self.choice: TableRow | str | None = None
        intro = QLabel(
            f"Relier « {partner_name} » à une structure financée par l'État (ANCT). "
            "Tapez son SIRET ou son nom. Vos informations sur ce partenaire ne changent pas."
        )
        intro.setWordWrap(True)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("SIRET ou nom de la structure…")
        self.edit.setAccessibleName("SIRET ou nom de la structure")
        self.list = QListWidget()
        self.list.setAccessibleName("Structures correspondantes")
        self.status = QLabel(f"Actuellement lié à : {linked_name}" if linked_name else "")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Relier")
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.unlink_button = buttons.addButton("Retirer le lien", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.unlink_button.setVisible(bool(linked_name))
        layout = QVBoxLayout(self)
        for w in (intro, self.edit, self.list, self.status, buttons):
            layout.addWidget(w)
        self.edit.textChanged.connect(self._refresh)
        self.list.currentRowChanged.connect(lambda _r: self.ok_button.setEnabled(self.list.currentItem() is not None))
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.unlink_button.clicked.connect(self._unlink)
        self.resize(620, 460)
        self._refresh("")

    def _refresh(self, text: str) -> None:
        words = fold(text).split()
        self.list.clear()
        shown = 0
        for row, folded in zip(self._rows, self._folded):
            if words and all(w in folded for w in words):
                siret = f" — SIRET {row.siret}" if row.siret else ""
                item = QListWidgetItem(f"{row.name} — {row.territory}{siret}")
                item.setData(Qt.ItemDataRole.UserRole, row)
                self.list.addItem(item)
                shown += 1
                if shown >= MAX_SHOWN:
                    break
        if self.list.count():
            self.list.setCurrentRow(0)
        self.ok_button.setEnabled(self.list.count() > 0)

    def _unlink(self) -> None:
        self.choice = UNLINK
        super().accept()

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.choice = item.data(Qt.ItemDataRole.UserRole)
        super().accept()

    @classmethod
    def ask(cls, parent, partner_name: str, rows: list[TableRow], linked_name: str = "") -> TableRow | str | None:
        dialog = cls(parent, partner_name, rows, linked_name)
        return dialog.choice if dialog.exec() == QDialog.DialogCode.Accepted else None


def link_selected(browser) -> None:
    """The browser's « Relier à une structure… » on the selected local partner (browser: PartnerBrowser)."""
    uid = browser.selected_local_uid()
    if browser.user_data is None or uid is None:
        return
    try:
        partner = browser.user_data.get_partner(uid)
        link = browser.user_data.partner_link(uid)
    except Exception as exc:  # noqa: BLE001 - UserDataError or a disk error: French message
        browser._warn("Partenaire illisible", browser._failure_text(exc, "Ce partenaire n'a pas pu être lu"))
        return
    if partner is None:
        return
    choice = browser.ask_link(partner.name, link.organisation_name if link else "")
    try:
        if choice == UNLINK:
            browser.user_data.unlink_partner(uid)
            text = f"Lien de « {partner.name} » retiré."
        elif isinstance(choice, TableRow):
            browser.user_data.link_partner(uid, choice.id, choice.siret, choice.name)
            text = f"« {partner.name} » relié à la structure « {choice.name} »."
        else:
            return
    except Exception as exc:  # noqa: BLE001
        browser._warn("Lien non enregistré", browser._failure_text(exc, "Le lien n'a pas été enregistré"))
        return
    browser._after_change(text, partner.entity_id)
