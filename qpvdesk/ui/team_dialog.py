"""Fichier › « Base d'équipe… »: join a team, see its state (connecté, hors ligne, modifications en attente,
dernière synchronisation), sync now, settle conflicts (both versions side by side), leave.

Everything that talks to the server runs off the UI thread (ui/tasks.py); the buttons wait meanwhile. The
password typed here is kept in memory for the session only (or in the system keyring, by the core, when one
exists); never in the window's settings.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qpvdesk.errors import french_reason
from qpvdesk.french import plural
from qpvdesk.team.conflict_choices import local_time
from qpvdesk.ui.tasks import run_task

if TYPE_CHECKING:  # (annotations only: the window reaches the team through user_data.team)
    from qpvdesk.team.membership import TeamStatus
from qpvdesk.ui.team_conflicts import ConflictPanel
from qpvdesk.ui.team_status import TeamAutoSync, session_passwords  # noqa: F401 (TeamAutoSync: callers' old place)


class TeamDialog(QDialog):
    data_changed = Signal()  # partners or shared notes were received: the window shows them again

    def __init__(self, user_data, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Base d'équipe")
        self.setMinimumSize(720, 480)
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        self.resize(*fitting_size(screen.width(), screen.height()) if screen is not None else (960, 680))
        self.team = user_data.team
        self.status: TeamStatus | None = None
        self.conflicts: list = []
        self.busy = False
        self.state_label = QLabel()
        self.state_label.setTextFormat(Qt.TextFormat.RichText)
        self.state_label.setWordWrap(True)
        self.state_label.setAccessibleName("État de la base d'équipe")
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("demandé si le système ne le garde pas")
        self.password_edit.setAccessibleName("Mot de passe du serveur d'équipe")
        self._build_join_form()
        self._build_member_view()
        layout = QVBoxLayout(self)
        layout.addWidget(self.state_label)
        layout.addWidget(self.join_form)
        layout.addWidget(self.member_view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.refresh(probe=True)

    # --- layout ---------------------------------------------------------------------------------------------

    def _build_join_form(self) -> None:
        self.join_form = QWidget()
        form = QFormLayout(self.join_form)
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("postgresql://identifiant@serveur/base?sslmode=verify-full")
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Prénom Nom")
        self.join_button = QPushButton("Rejoindre la base d'équipe")
        self.join_button.clicked.connect(self.join)
        form.addRow("Adresse du serveur :", self.url_edit)
        form.addRow("Votre nom :", self.name_edit)
        form.addRow("Mot de passe :", self.password_edit)
        form.addRow("", self.join_button)

    def _build_member_view(self) -> None:
        self.member_view = QWidget()
        layout = QVBoxLayout(self.member_view)
        row = QHBoxLayout()
        self.member_password = QLineEdit()
        self.member_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.member_password.setPlaceholderText("mot de passe (si demandé)")
        self.member_password.setAccessibleName("Mot de passe du serveur d'équipe")
        self.sync_button = QPushButton("Synchroniser maintenant")
        self.sync_button.clicked.connect(self.sync)
        self.leave_button = QPushButton("Quitter la base d'équipe…")
        self.leave_button.clicked.connect(self.leave)
        self.share_button = QPushButton("Partager mes données déjà saisies…")
        self.share_button.setToolTip("Les partenaires saisis sur ce poste avant de rejoindre l'équipe : d'abord le "
                                     "rapport (doublons reconnus, rien d'écrasé), puis votre choix.")
        self.share_button.clicked.connect(self.share_existing)
        for widget in (self.member_password, self.sync_button, self.share_button, self.leave_button):
            row.addWidget(widget)
        layout.addLayout(row)
        self.conflict_panel = ConflictPanel(self.team)
        self.conflict_panel.settle.connect(self.settle)
        self.conflict_label = self.conflict_panel.summary  # the names the first version of this dialog used
        self.conflict_table = self.conflict_panel.table
        self.keep_mine, self.keep_theirs = self.conflict_panel.keep_mine, self.conflict_panel.keep_theirs
        layout.addWidget(self.conflict_panel, 1)

    # --- state ----------------------------------------------------------------------------------------------

    def _password(self) -> str | None:
        typed = (self.member_password.text() if self.status and self.status.joined else self.password_edit.text())
        url = self.status.url if self.status and self.status.joined else self.url_edit.text().strip()
        if typed:
            session_passwords[url] = typed
        return typed or session_passwords.get(url)

    def _run(self, work, done) -> None:
        self._set_busy(True)

        def finished(result) -> None:
            self._set_busy(False)
            done(result)

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            self.state_label.setText(self._state_html(error=str(exc) if hasattr(exc, "offline") else french_reason(exc)))

        run_task(work, finished, failed)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for button in (self.join_button, self.sync_button, self.share_button, self.leave_button):
            button.setEnabled(not busy)
        self.conflict_panel.set_busy(busy)
        if busy:
            self.state_label.setText(self._state_html(note="Échange avec le serveur…"))

    def refresh(self, probe: bool = False) -> None:
        password = self._password()
        self._run(lambda: (self.team.status(password, probe=probe), self.team.conflicts()), self._show)

    def _show(self, result) -> None:
        status, self.conflicts = result
        self.status = status
        joined = status.joined
        self.join_form.setVisible(not joined)
        self.member_view.setVisible(joined)
        self.share_button.setVisible(joined and status.unsent_partners > 0)
        self.state_label.setText(self._state_html())
        self._show_conflict()

    def _state_html(self, error: str | None = None, note: str | None = None) -> str:
        s = self.status
        if s is None or not s.joined:
            lines = ["<b>Pas de base d'équipe.</b> Vos partenaires et notes restent sur ce poste. Pour partager les "
                     "partenaires avec votre équipe, indiquez l'adresse que le service informatique vous a donnée."]
        else:
            colour = {"connecté": "#1b7f3a", "hors ligne": "#b35900"}.get(s.state)  # words carry it; colour helps
            state = f"<b style='color:{colour}'>{s.state}</b>" if colour else s.state
            lines = [f"<b>Base d'équipe :</b> {html.escape(s.url)} — {html.escape(s.name)} ({html.escape(s.login)})",
                     f"<b>État :</b> {state}" + (f" — {html.escape(s.problem)}" if s.problem else ""),
                     f"<b>{plural(s.pending, 'modification', 'modifications')} en attente</b> d'envoi",
                     f"<b>Dernière synchronisation :</b> {html.escape(local_time(s.last_sync) or 'jamais')}"]
            report = getattr(self, "last_report", None)
            if report is not None:
                lines.append(f"Dernier échange : {plural(report.sent_partners, 'partenaire envoyé', 'partenaires envoyés')}"
                             f", {plural(report.received_partners, 'partenaire reçu', 'partenaires reçus')}")
                lines += [f"<span style='color:#b35900'>{html.escape(m)}</span>" for m in report.not_sent]
            if s.unsent_partners:
                lines.append(f"{plural(s.unsent_partners, 'partenaire saisi', 'partenaires saisis')} avant de rejoindre, "
                             "pas encore partagé(s) : « Partager mes données déjà saisies… ».")
        if note:
            lines.append(f"<i>{html.escape(note)}</i>")
        if error:
            lines.append(f"<span style='color:#b00020'>{html.escape(error)}</span>")
        return "<br/>".join(lines)

    def _show_conflict(self) -> None:
        self.conflict_panel.show_conflicts(self.conflicts)

    # --- actions --------------------------------------------------------------------------------------------

    def join(self) -> None:
        """First the report (server checked, nothing written); when this copy already holds partners or notes, ask
        whether to share them, with the report in view; then join (and share) and sync."""
        url, name, password = self.url_edit.text().strip(), self.name_edit.text(), self._password()

        def joined(report) -> None:
            if password:
                session_passwords[report.url] = password  # the saved URL is the one without password
            self.sync()

        def surveyed(report) -> None:
            if not (report.local_partners or report.local_notes):
                self._run(lambda: self.team.join(url, name, password, False), joined)
                return
            self._ask_share(report.local_partners, report.local_notes, report.duplicates, "Rejoindre et partager",
                            "Rejoindre sans partager",
                            lambda share: self._run(lambda: self.team.join(url, name, password, share), joined))

        self._run(lambda: self.team.join(url, name, password, False, dry_run=True), surveyed)

    def share_existing(self) -> None:
        password = self._password()

        def surveyed(found) -> None:
            if not (found.partners or found.notes):
                self.state_label.setText(self._state_html(note="Rien à partager : la base d'équipe a déjà tout."))
                return
            def share(chosen: bool) -> None:
                if chosen:
                    self._run(lambda: self.team.share_existing(password), lambda _found: self.sync())

            self._ask_share(len(found.partners), len(found.notes), found.duplicates, "Partager", None, share)

        self._run(lambda: self.team.share_existing(password, dry_run=True), surveyed)

    def _ask_share(self, partners: int, notes: int, duplicates: list[str], yes: str, no: str | None, then) -> None:
        """The same report as an import's dry run, then the choice; non-modal (the window stays usable)."""
        box = QMessageBox(QMessageBox.Icon.Question, "Vos données déjà saisies", share_question(partners, notes, duplicates),
                          QMessageBox.StandardButton.NoButton, self)
        share = box.addButton(yes, QMessageBox.ButtonRole.YesRole)
        keep = box.addButton(no, QMessageBox.ButtonRole.NoRole) if no else None
        box.addButton("Annuler", QMessageBox.ButtonRole.RejectRole)  # (Yes/No/Reject: « Annuler » last on every desktop)
        box.setDefaultButton(share)

        def answered(_code: int) -> None:
            clicked = box.clickedButton()
            if clicked is share or (keep is not None and clicked is keep):
                then(clicked is share)

        box.finished.connect(answered)
        self.share_question = box
        box.open()

    def sync(self) -> None:
        password = self._password()

        def synced(report) -> None:
            self.last_report = report
            self.data_changed.emit()
            self.refresh(probe=True)

        self._run(lambda: self.team.sync(password), synced)

    def resolve(self, keep_mine: bool) -> None:
        """The whole-version buttons (kept for callers of the first dialog)."""
        (self.keep_mine if keep_mine else self.keep_theirs).click()

    def settle(self, conflict_id: int, choices: dict) -> None:
        """Settle a conflict with these choices (field -> mine / theirs / both), off the UI thread."""
        self._run(lambda: self.team.resolve_fields(conflict_id, choices), lambda _c: self._changed())

    def leave(self) -> None:
        answer = QMessageBox.question(self, "Quitter la base d'équipe",
                                      "Ne plus synchroniser ? Vos partenaires et vos notes restent sur ce poste ; les "
                                      "notes partagées des autres membres et les modifications en attente sont retirées.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._run(self.team.leave, lambda _left: self._changed())

    def _changed(self) -> None:
        self.data_changed.emit()
        self.refresh()

    @classmethod
    def open_for(cls, parent: QWidget, user_data, on_changed) -> TeamDialog | None:  # noqa: ANN001
        if user_data is None:
            QMessageBox.warning(parent, "Base d'équipe", "Vos données personnelles ne sont pas ouvertes : la base "
                                "d'équipe s'appuie sur elles.")
            return None
        dialog = cls(user_data, parent)
        dialog.data_changed.connect(on_changed)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog


def fitting_size(width: int, height: int) -> tuple[int, int]:
    """The dialog's first size on a screen (available area) of this size: room for the two versions of a conflict
    side by side, never past the screen (1366×768: 1093×691 ; 1920×1080: 1300×860)."""
    return max(720, min(1300, width * 4 // 5)), max(480, min(860, height * 9 // 10))


def share_question(partners: int, notes: int, duplicates: list[str]) -> str:
    lines = [f"Ce poste contient {plural(partners, 'partenaire', 'partenaires')} et {plural(notes, 'note', 'notes')} "
             "saisis avant de rejoindre l'équipe.",
             "Partagés, les partenaires sont visibles et modifiables par toute l'équipe ; les notes restent privées "
             "(chacune peut être partagée ensuite, sur sa fiche)."]
    if duplicates:
        shown = ", ".join(f"« {name} »" for name in duplicates[:8]) + (" …" if len(duplicates) > 8 else "")
        lines.append(f"{plural(len(duplicates), 'partenaire ressemble', 'partenaires ressemblent')} à ceux de l'équipe "
                     f"(même nom et commune) : {shown}. Rien n'est écrasé : les deux versions sont gardées, vous "
                     "pourrez les rapprocher ensuite.")
    return "\n\n".join(lines)
