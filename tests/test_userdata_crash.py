"""A process killed (SIGKILL) in the middle of a large import leaves a database that opens, passes
quick_check and holds all or none of the import."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from userdata_fixtures import big_csv

from qpvdesk.userdata import PartnerFields, open_user_data
from qpvdesk.userdata.location import DB_NAME

REPO = Path(__file__).resolve().parent.parent
ROWS = 30_000

CHILD = """
import sys
from qpvdesk.userdata import open_user_data

data = open_user_data(sys.argv[1])
def progress(done, total):
    if done >= total // 2:
        print("MIDDLE", flush=True)   # the parent kills us now, inside the transaction
        sys.stdin.readline()           # wait to be killed
data.import_partners(sys.argv[2], dry_run=False, progress=progress)
print("FINISHED", flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
def test_sigkill_during_a_large_import_keeps_all_or_nothing(tmp_path):
    folder = tmp_path / "ud"
    with open_user_data(folder) as data:
        data.create_partner(PartnerFields(name="Présent avant l'import"))
    path = big_csv(tmp_path / "gros.csv", ROWS)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(folder), str(path)], env=env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()
        assert line.strip() == "MIDDLE", child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    assert (folder / f"{DB_NAME}-wal").exists()  # the killed writer left its journal behind

    conn = sqlite3.connect(folder / DB_NAME)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    count = conn.execute("SELECT count(*) FROM local_partner").fetchone()[0]
    conn.close()
    assert count in (1, 1 + ROWS)
    assert count == 1  # killed before the commit: none of it
    with open_user_data(folder) as data:  # the next start is normal (no recovery needed)
        assert not data.startup.recovered
        assert [p.name for p in data.list_partners()] == ["Présent avant l'import"]
        # and the same import, run to the end, holds all of it
        assert data.import_partners(path, dry_run=False).new == ROWS
        assert data.count_partners() == 1 + ROWS
