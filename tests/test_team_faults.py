"""Faults during a team sync, on a real PostgreSQL server: the server stopped mid-sync, the process killed
(SIGKILL) mid-sync or right after the server committed, two members syncing the same partner at the same moment,
a read-only server. Nothing typed is lost, nothing is sent twice, no false conflict."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from team_support import PASSWORDS, member_data

from qpvdesk.errors import TeamError
from qpvdesk.team import sync as sync_module
from qpvdesk.team.membership import join, status
from qpvdesk.team.sync import list_conflicts, sync
from qpvdesk.userdata import PartnerFields

REPO = Path(__file__).resolve().parent.parent


def joined(team, folder: Path, login: str, name: str):
    data = member_data(folder)
    join(data, team.url(login), name, password=PASSWORDS[login])
    return data


def make_partners(data, count: int, prefix: str = "Association") -> None:
    for n in range(count):
        data.create_partner(PartnerFields(name=f"{prefix} {n:04d}", kind="association", commune="Toulouse",
                                          programme_ids=("npnru",)))


def server_count(team) -> int:
    return team.admin_sql("SELECT count(*) FROM local_partner", fetch=True)[0][0]


def test_server_stopped_mid_sync_loses_nothing_and_the_next_sync_sends_all(team, pg_cluster, tmp_path, monkeypatch):
    data = joined(team, tmp_path / "alice", "alice", "Alice Martin")
    make_partners(data, 30)
    real_write, calls = sync_module._write_partner, []

    def write_then_stop(target, *args, **kwargs):
        calls.append(1)
        if len(calls) == 10:
            pg_cluster.stop("immediate")  # the power goes off in the server room, in the middle of our transaction
        return real_write(target, *args, **kwargs)

    monkeypatch.setattr(sync_module, "_write_partner", write_then_stop)
    try:
        with pytest.raises(TeamError) as caught:
            sync(data, PASSWORDS["alice"])
        assert caught.value.offline
    finally:
        pg_cluster.start()
    monkeypatch.setattr(sync_module, "_write_partner", real_write)
    assert server_count(team) == 0  # the server rolled the half-sent transaction back
    assert status(data, probe=False).pending == 30  # and every change is still queued here
    assert sync(data, PASSWORDS["alice"]).sent_partners == 30
    assert server_count(team) == 30 and status(data, probe=False).pending == 0
    data.close()


def test_killed_after_the_server_committed_the_next_sync_confirms_without_conflict_or_double(team, tmp_path,
                                                                                                monkeypatch):
    data = joined(team, tmp_path / "alice", "alice", "Alice Martin")
    make_partners(data, 5)
    sync(data, PASSWORDS["alice"])
    for partner in data.list_partners():  # edits based on the version the server has
        data.update_partner(partner.uid, PartnerFields(name=partner.name, kind="association", commune="Toulouse",
                                                       phone="05 00 00 00 00"))
    real_now = sync_module.now_iso

    def crash():  # the first thing done locally once the server has committed
        raise KeyboardInterrupt("processus arrêté")

    monkeypatch.setattr(sync_module, "now_iso", crash)
    with pytest.raises(KeyboardInterrupt):
        sync(data, PASSWORDS["alice"])
    monkeypatch.setattr(sync_module, "now_iso", real_now)
    assert status(data, probe=False).pending == 5  # not confirmed here: sent again
    report = sync(data, PASSWORDS["alice"])
    assert report.conflicts == [] and list_conflicts(data) == []
    assert server_count(team) == 5
    phones = team.admin_sql("SELECT DISTINCT phone FROM local_partner", fetch=True)
    assert phones == [("05 00 00 00 00",)]
    data.close()


CHILD = """
import sys
from qpvdesk.userdata import open_user_data
from qpvdesk.team.sync import sync
data = open_user_data(sys.argv[1], backup=False)
print("prêt", flush=True)
sync(data, sys.argv[2])
print("fini", flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL : Unix seulement")
def test_sigkill_mid_sync_loses_nothing_and_sends_nothing_twice(team, tmp_path):
    folder = tmp_path / "alice"
    data = joined(team, folder, "alice", "Alice Martin")
    make_partners(data, 300)
    data.close()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(folder), PASSWORDS["alice"]], env=env,
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "prêt"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # kill it while its server transaction is open
        busy = team.admin_sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'qpvdesk' "
                              "AND xact_start IS NOT NULL AND state <> 'idle'", fetch=True)[0][0]
        if busy:
            break
        time.sleep(0.005)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    for _ in range(200):  # the server notices the dead client and rolls its transaction back
        if not team.admin_sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'qpvdesk'",
                              fetch=True)[0][0]:
            break
        time.sleep(0.05)
    assert server_count(team) == 0  # killed inside its transaction: the server kept none of it
    data = member_data(folder)
    assert len(data.list_partners()) == 300 and status(data, probe=False).pending == 300
    sync(data, PASSWORDS["alice"])
    assert server_count(team) == 300
    assert team.admin_sql("SELECT count(DISTINCT uid) FROM local_partner", fetch=True) == [(300,)]
    assert list_conflicts(data) == [] and status(data, probe=False).pending == 0
    data.close()


def test_two_members_syncing_the_same_partner_at_the_same_moment_keep_both_versions(team, tmp_path):
    alice = joined(team, tmp_path / "alice", "alice", "Alice Martin")
    bob = joined(team, tmp_path / "bob", "bob", "Bob Diallo")
    uid = alice.create_partner(PartnerFields(name="Maison de quartier", kind="association", commune="Toulouse")).uid
    sync(alice, PASSWORDS["alice"])
    sync(bob, PASSWORDS["bob"])
    for data, phone in ((alice, "01 00 00 00 01"), (bob, "02 00 00 00 02")):
        data.update_partner(uid, PartnerFields(name="Maison de quartier", kind="association", commune="Toulouse",
                                               phone=phone))
    reports, start = {}, threading.Barrier(2)

    def run(data, login):
        start.wait()
        reports[login] = sync(data, PASSWORDS[login])

    threads = [threading.Thread(target=run, args=(d, login)) for d, login in ((alice, "alice"), (bob, "bob"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    conflicts = [c for r in reports.values() for c in r.conflicts]
    assert len(conflicts) == 1  # whoever came second
    [conflict] = conflicts
    kept = {conflict.mine["phone"], conflict.theirs["phone"]}
    assert kept == {"01 00 00 00 01", "02 00 00 00 02"}  # neither version dropped
    [(on_server,)] = team.admin_sql("SELECT phone FROM local_partner", fetch=True)
    assert on_server == conflict.theirs["phone"]
    alice.close()
    bob.close()


def test_a_read_only_server_refuses_with_a_french_message_and_the_changes_wait(team, tmp_path):
    data = joined(team, tmp_path / "alice", "alice", "Alice Martin")
    make_partners(data, 3)
    team.cluster.sql(f'ALTER DATABASE "{team.database}" SET default_transaction_read_only = on')
    try:
        with pytest.raises(TeamError, match="n'accepte pas d'écriture"):
            sync(data, PASSWORDS["alice"])
        assert status(data, probe=False).pending == 3
        assert "n'accepte pas d'écriture" in status(data, probe=False).last_error
    finally:
        team.cluster.sql(f'ALTER DATABASE "{team.database}" SET default_transaction_read_only = off')
    assert sync(data, PASSWORDS["alice"]).sent_partners == 3
    data.close()


def test_a_full_server_disk_mid_sync_loses_nothing_and_the_next_sync_sends_the_rest(team, tmp_path, monkeypatch):
    """SIMULATED: filling a real disk needs root and a separate file system (or would fill this machine's). What
    the client meets then is an error with SQLSTATE 53100 (disk_full) in the middle of its transaction; an
    administrator's trigger raises exactly that once the server holds 15 partners, i.e. during the second batch."""
    monkeypatch.setattr(sync_module, "SEND_BATCH", 10)
    data = joined(team, tmp_path / "alice", "alice", "Alice Martin")
    make_partners(data, 30)
    team.admin_sql("""CREATE FUNCTION test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        IF (SELECT count(*) FROM local_partner) >= 15 THEN
            RAISE EXCEPTION 'could not extend file "base/16384/16385": No space left on device'
                USING ERRCODE = 'disk_full', HINT = 'Check free disk space.';
        END IF;
        RETURN NEW;
    END $$""")
    team.admin_sql("CREATE TRIGGER test_disk_full BEFORE INSERT ON local_partner "
                   "FOR EACH ROW EXECUTE FUNCTION test_disk_full()")
    try:
        with pytest.raises(TeamError) as caught:
            sync(data, PASSWORDS["alice"])
        message = str(caught.value)
        assert caught.value.offline and "n'accepte pas d'écriture" in message and "Traceback" not in message
        assert server_count(team) == 10  # the first batch had committed; the second was rolled back whole
        assert status(data, probe=False).pending == 20  # what the server did not take waits here
        assert len(data.list_partners()) == 30
        assert "n'accepte pas d'écriture" in status(data, probe=False).last_error
    finally:  # the « disk » is freed
        team.admin_sql("DROP TRIGGER test_disk_full ON local_partner")
    report = sync(data, PASSWORDS["alice"])
    assert report.sent_partners == 20 and not report.conflicts
    assert server_count(team) == 30 and status(data, probe=False).pending == 0
    assert team.admin_sql("SELECT count(DISTINCT uid), min(created_by), max(created_by) FROM local_partner",
                          fetch=True) == [(30, "Alice Martin", "Alice Martin")]
    data.close()
