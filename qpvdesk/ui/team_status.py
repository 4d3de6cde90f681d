"""The team database's state in the status bar, always in sight once a team is joined: connectée / hors ligne /
à vérifier, how many changes wait to be sent, unsettled conflicts, and when the last sync ended well. A click (or
Entrée) opens Fichier › « Base d'équipe… ».

It reads the local copy only (TeamAccess.status without probing the server: a few rows of the user database), so
it never waits on the network; whether the server answered comes from the last automatic sync (TeamAutoSync). It
shows no personal data (no member name, no server login), so it may stay on a projector.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QToolButton, QWidget

from qpvdesk.errors import french_reason
from qpvdesk.french import plural
from qpvdesk.team.conflict_choices import local_time
from qpvdesk.ui.tasks import run_task

if TYPE_CHECKING:
    from qpvdesk.ui.main_window import MainWindow


session_passwords: dict[str, str] = {}  # url -> password typed in this session (memory only)


class TeamAutoSync(QObject):
    """Every few minutes, once a team is joined: send what waits and receive the others' changes, off the UI thread,
    so changes made offline leave by themselves when the server is back. Being offline is normal here: the reason
    is kept for the dialog's state, nothing is shown. Nothing touches the team code before the first tick."""

    changed = Signal()  # partners or shared notes were received, or a conflict appeared
    attempted = Signal(object)  # after each sync attempt: None when it went well, else the error (TeamError…)
    INTERVAL_MS = 3 * 60 * 1000
    FIRST_DELAY_MS = 8_000  # soon after start (what was typed offline yesterday leaves), not during the first paint

    def __init__(self, user_data, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.user_data = user_data
        self.running = False
        self.timer = QTimer(self)
        self.timer.setInterval(self.FIRST_DELAY_MS)  # the first tick soon, then every INTERVAL_MS
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def tick(self) -> None:
        if self.timer.interval() != self.INTERVAL_MS:
            self.timer.setInterval(self.INTERVAL_MS)
        if self.running:
            return
        self.running = True
        run_task(self._work, self._done, self._failed)

    def _work(self):
        if not self.user_data.team_joined():  # most users: the team code is never loaded
            return None
        team = self.user_data.team
        return team.sync(session_passwords.get(team.status(probe=False).url))

    def _done(self, report) -> None:
        self.running = False
        if report is not None and (report.received_partners or report.changed_notes or report.conflicts):
            self.changed.emit()
        if report is not None:
            self.attempted.emit(None)

    def _failed(self, exc: BaseException) -> None:
        self.running = False  # offline, password asked…: remembered by the core as the last error
        self.attempted.emit(exc)



class TeamIndicator(QToolButton):
    open_requested = Signal()

    def __init__(self, user_data, parent: QWidget | None = None) -> None:  # noqa: ANN001 - UserData
        super().__init__(parent)
        self.user_data = user_data
        self.reachable: bool | None = None  # None: no automatic sync tried yet in this session
        self.problem: str | None = None
        self.setAutoRaise(True)
        self.setAccessibleName("État de la base d'équipe")
        self.clicked.connect(self.open_requested)
        self.refresh()

    def attempted(self, error: BaseException | None) -> None:
        """After an automatic or manual sync: remember whether the server answered."""
        if error is None:
            self.reachable, self.problem = True, None
        else:
            self.reachable = False if getattr(error, "offline", False) else None
            self.problem = str(error) if hasattr(error, "offline") else french_reason(error)
        self.refresh()

    def refresh(self) -> None:
        try:
            if not self.user_data.team_joined():  # solo use: one local read, the team code stays unloaded
                self.setVisible(False)
                return
            status = self.user_data.team.status(probe=False)
        except Exception as exc:  # noqa: BLE001 - a damaged user database is said elsewhere; hide, never crash
            self.setVisible(False)
            self.setToolTip(french_reason(exc))
            return
        self.setVisible(status.joined)
        if not status.joined:
            return
        if self.problem is not None and self.reachable is False:
            state = "hors ligne"
        elif self.problem is not None:
            state = "à vérifier"
        elif self.reachable:
            state = "connectée"
        else:
            state = "pas encore synchronisée" if status.last_sync is None else ""
        parts = [f"Équipe : {state}" if state else "Équipe"]
        if status.pending:
            parts.append(f"{plural(status.pending, 'modification', 'modifications')} en attente")
        if status.conflicts:
            parts.append(plural(status.conflicts, "conflit à régler", "conflits à régler"))
        if status.last_sync:
            parts.append(f"synchronisée le {local_time(status.last_sync)}")
        self.setText(" · ".join(parts))
        tip = [f"Base d'équipe : {status.url}"]
        if self.problem:
            tip.append(self.problem)
        elif status.last_error and self.reachable is None:
            tip.append(f"Dernière tentative : {status.last_error}")
        tip.append("Vos modifications sont gardées sur ce poste et envoyées à la prochaine synchronisation.")
        tip.append("Cliquez pour ouvrir « Base d'équipe… ».")
        self.setToolTip("\n".join(tip))


class TeamPresence(QObject):
    """What the main window keeps of the team: the automatic sync and the indicator, wired to the window."""

    def __init__(self, window: MainWindow, user_data) -> None:  # noqa: ANN001 - UserData
        super().__init__(window)
        self.sync = TeamAutoSync(user_data, self)
        self.sync.changed.connect(window._team_changed)
        self.indicator = TeamIndicator(user_data, window)
        window.statusBar().addPermanentWidget(self.indicator)
        self.indicator.open_requested.connect(window.show_team)
        self.sync.attempted.connect(self.indicator.attempted)
        for changed in (window.user_data_ctl.fiche_changed, window.personal.note_saver.finished):
            changed.connect(self.indicator.refresh)  # « n modifications en attente » follows the edits
