"""The team database's state in the status bar, always in sight once a team is joined: connectée / hors ligne /
à vérifier, how many changes wait to be sent, unsettled conflicts, and when the last sync ended well. A click (or
Entrée) opens Fichier › « Base d'équipe… ».

It reads the local copy only (TeamAccess.status without probing the server: a few rows of the user database), so
it never waits on the network; whether the server answered comes from the last automatic sync (TeamAutoSync). It
shows no personal data (no member name, no server login), so it may stay on a projector.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QToolButton, QWidget

from qpvdesk.errors import french_reason
from qpvdesk.french import plural
from qpvdesk.ui.team_dialog import TeamAutoSync, _when

if TYPE_CHECKING:
    from qpvdesk.ui.main_window import MainWindow


class TeamIndicator(QToolButton):
    open_requested = Signal()

    def __init__(self, user_data, parent: QWidget | None = None) -> None:  # noqa: ANN001 - UserData
        super().__init__(parent)
        self.team = user_data.team
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
            status = self.team.status(probe=False)
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
            parts.append(f"synchronisée le {_when(status.last_sync)}")
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
