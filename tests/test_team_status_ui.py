"""The team's state in the main window's status bar (issue 21: « a visible status: connecté, hors ligne,
n modifications en attente, dernière synchronisation »), against a real PostgreSQL."""

from __future__ import annotations

from team_support import PASSWORDS, member_data

from qpvdesk.team.membership import join
from qpvdesk.ui.team_dialog import TeamAutoSync
from qpvdesk.ui.team_status import TeamIndicator
from qpvdesk.userdata import PartnerFields


def test_solo_use_shows_no_team_state(qtbot, tmp_path):
    data = member_data(tmp_path / "solo")
    indicator = TeamIndicator(data)
    qtbot.addWidget(indicator)
    assert indicator.isHidden()
    data.close()


def test_the_status_bar_says_offline_pending_then_connected(qtbot, team, pg_cluster, tmp_path, monkeypatch):
    bob = member_data(tmp_path / "bob")
    join(bob, team.url("bob"), "Bob Diallo", password=PASSWORDS["bob"])
    monkeypatch.setenv("PGPASSWORD", PASSWORDS["bob"])
    indicator = TeamIndicator(bob)
    qtbot.addWidget(indicator)
    auto = TeamAutoSync(bob)
    auto.timer.stop()  # the test ticks itself
    auto.attempted.connect(indicator.attempted)
    assert not indicator.isHidden() and "pas encore synchronisée" in indicator.text()
    assert "bob" not in indicator.text().lower()  # no login nor name: the bar may be on a projector

    pg_cluster.stop()
    try:
        bob.create_partner(PartnerFields(name="Régie de quartier Ouest", kind="association", commune="Toulouse"))
        indicator.refresh()  # what an edit triggers in the window
        assert "1 modification en attente" in indicator.text()
        with qtbot.waitSignal(auto.attempted, timeout=30_000):
            auto.tick()
        assert "hors ligne" in indicator.text() and "1 modification en attente" in indicator.text()
        assert "injoignable" in indicator.toolTip()
    finally:
        pg_cluster.start()
    with qtbot.waitSignal(auto.attempted, timeout=30_000):
        auto.tick()
    assert "connectée" in indicator.text() and "en attente" not in indicator.text()
    assert "synchronisée le" in indicator.text()
    with qtbot.waitSignal(indicator.open_requested, timeout=2_000):
        indicator.click()  # opens « Base d'équipe… » in the window
    bob.close()


def test_the_first_automatic_sync_comes_soon_after_start_then_every_few_minutes(qtbot, tmp_path):
    data = member_data(tmp_path / "solo")
    auto = TeamAutoSync(data)
    assert auto.timer.isActive() and auto.timer.interval() == TeamAutoSync.FIRST_DELAY_MS
    with qtbot.waitSignal(auto.timer.timeout, timeout=TeamAutoSync.FIRST_DELAY_MS + 5_000):
        pass
    assert auto.timer.interval() == TeamAutoSync.INTERVAL_MS
    qtbot.waitUntil(lambda: not auto.running, timeout=10_000)
    data.close()
