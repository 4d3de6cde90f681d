"""Create or edit a local partner: a French form, checked by the core before it closes.

LocalPartnerDialog.ask(...) returns the typed fields, or None when cancelled (tests monkeypatch ask).
Run it alone on sample data: python -m qpvdesk.ui.local_partner_dialog
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from qpvdesk.textfold import fold
from qpvdesk.userdata.contact_check import contact_problems
from qpvdesk.userdata.views import MAX_FIELD, MAX_NAME, PARTNER_TYPES, LocalPartner, PartnerFields

# validate(fields) -> (normalised fields, errors, warnings): UserData.validate
Validator = Callable[[PartnerFields], tuple[PartnerFields, list[str], list[str]]]


class LocalPartnerDialog(QDialog):
    def __init__(self, programmes: Mapping[str, str], validate: Validator, partner: LocalPartner | None = None, parent=None,
                 draft: PartnerFields | None = None) -> None:
        super().__init__(parent)
        self._validate = validate
        self.result_fields: PartnerFields | None = None
        self.setWindowTitle("Modifier le partenaire local" if partner else "Ajouter un partenaire local")
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(560)

        self.name_edit = self._line("Nom du partenaire (obligatoire)", MAX_NAME)
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName("Type de partenaire")
        for key, label in PARTNER_TYPES.items():
            self.kind_combo.addItem(label, key)
        self.commune_edit = self._line("Commune (nom ou code INSEE)", MAX_FIELD)
        self.qpv_edit = self._line("Code du quartier prioritaire (QPV), par exemple QN03107M", 40)
        self.programme_filter = self._line("Filtrer la liste des programmes", 100)
        self.programme_filter.setPlaceholderText("Filtrer les programmes…")
        self.programme_filter.setClearButtonEnabled(True)
        self.programme_list = QListWidget()
        self.programme_list.setAccessibleName("Programmes auxquels le partenaire participe (cases à cocher)")
        self.programme_list.setMinimumHeight(130)
        self.contact_edit = self._line("Nom du contact", MAX_FIELD)
        self.phone_edit = self._line("Téléphone", MAX_FIELD)
        self.phone_edit.setPlaceholderText("01 23 45 67 89")
        self.email_edit = self._line("Courriel", MAX_FIELD)
        self.email_edit.setPlaceholderText("prenom.nom@exemple.fr")
        self.website_edit = self._line("Site web", MAX_FIELD)
        self.address_edit = self._block("Adresse postale", 3)
        self.notes_edit = self._block("Notes libres", 5)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Problèmes à corriger avant d'enregistrer")
        self.error_label.hide()

        form = QFormLayout()
        for label, widget in (
            ("&Nom * :", self.name_edit), ("&Type :", self.kind_combo), ("&Commune :", self.commune_edit),
            ("Code &QPV :", self.qpv_edit), ("&Programmes :", self.programme_filter), ("", self.programme_list),
            ("C&ontact :", self.contact_edit), ("&Téléphone :", self.phone_edit), ("Co&urriel :", self.email_edit),
            ("&Site web :", self.website_edit), ("&Adresse :", self.address_edit), ("N&otes :", self.notes_edit),
        ):
            if label:
                buddy = QLabel(label)
                buddy.setBuddy(widget)
                form.addRow(buddy, widget)
            else:
                form.addRow("", widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Enregistrer")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro = QLabel("Ce partenaire est enregistré sur ce poste, à côté du catalogue, et marqué « ajouté localement ».")
        intro.setWordWrap(True)  # never cut at the dialog's edge
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        shown = draft or partner  # a draft: what was typed before a failed save
        self._fill_programmes(programmes, shown.programme_ids if shown else ())
        if shown is not None:
            self._fill(shown)
        self.programme_filter.textChanged.connect(self._filter_programmes)
        self.name_edit.textChanged.connect(lambda text: self.save_button.setEnabled(bool(text.strip())))
        self.save_button.setEnabled(bool(self.name_edit.text().strip()))
        self.name_edit.setFocus()

    def _line(self, accessible: str, limit: int) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(accessible)
        edit.setMaxLength(limit)
        return edit

    def _block(self, accessible: str, lines: int) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setAccessibleName(accessible)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
        return edit

    def _fill_programmes(self, programmes: Mapping[str, str], checked: tuple[str, ...]) -> None:
        entries = sorted(programmes.items(), key=lambda kv: fold(kv[1]))
        entries += [(pid, f"{pid} (inconnu du catalogue)") for pid in checked if pid not in programmes]
        for pid, name in entries:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, pid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if pid in checked else Qt.CheckState.Unchecked)
            self.programme_list.addItem(item)

    def _filter_programmes(self, text: str) -> None:
        words = fold(text).split()
        for row in range(self.programme_list.count()):
            item = self.programme_list.item(row)
            item.setHidden(not all(w in fold(item.text()) for w in words))

    def _fill(self, partner: PartnerFields) -> None:
        self.name_edit.setText(partner.name)
        index = self.kind_combo.findData(partner.kind)
        self.kind_combo.setCurrentIndex(max(index, 0))
        self.commune_edit.setText(partner.commune)
        self.qpv_edit.setText(partner.qpv_code)
        self.contact_edit.setText(partner.contact_name)
        self.phone_edit.setText(partner.phone)
        self.email_edit.setText(partner.email)
        self.website_edit.setText(partner.website)
        self.address_edit.setPlainText(partner.address)
        self.notes_edit.setPlainText(partner.notes)

    def fields(self) -> PartnerFields:
        programmes = tuple(
            self.programme_list.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.programme_list.count())
            if self.programme_list.item(row).checkState() == Qt.CheckState.Checked
        )
        return PartnerFields(
            name=self.name_edit.text(),
            kind=self.kind_combo.currentData(),
            commune=self.commune_edit.text(),
            qpv_code=self.qpv_edit.text(),
            programme_ids=programmes,
            contact_name=self.contact_edit.text(),
            phone=self.phone_edit.text(),
            email=self.email_edit.text(),
            address=self.address_edit.toPlainText(),
            website=self.website_edit.text(),
            notes=self.notes_edit.toPlainText(),
        )

    def accept(self) -> None:
        fields = self.fields()
        cleaned, errors, _warnings = self._validate(fields)
        errors = [*errors, *contact_problems(fields.phone, fields.email)]
        if errors:
            self.error_label.setText("⚠ À corriger : " + " ; ".join(errors) + ".")
            self.error_label.show()
            return
        self.result_fields = cleaned
        super().accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        programmes: Mapping[str, str],
        validate: Validator,
        partner: LocalPartner | None = None,
        draft: PartnerFields | None = None,
    ) -> PartnerFields | None:
        """`draft`: what the user typed last time, when saving it failed (it fills the form again)."""
        dialog = cls(programmes, validate, partner, parent, draft)
        return dialog.result_fields if dialog.exec() == QDialog.DialogCode.Accepted else None


if __name__ == "__main__":  # pragma: no cover - manual preview
    import sys

    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    sample = LocalPartner(name="Centre social Élan", kind="social-centre", commune="Évry-Courcouronnes", programme_ids=("npnru",))
    print(
        LocalPartnerDialog.ask(
            None,
            {"npnru": "NPNRU", "cites-educatives": "Cités éducatives"},
            lambda f: (f, [] if f.name.strip() else ["le nom est obligatoire"], []),
            sample,
        )
    )
