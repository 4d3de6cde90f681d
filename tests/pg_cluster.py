"""A throwaway PostgreSQL cluster for the team tests: initdb in a temporary folder, Unix socket only
(`listen_addresses=''`: no network port), started with pg_ctl and stopped at the end of the session.

The server binaries come from the distribution's packages (/usr/lib/postgresql/<version>/bin; .ci/run installs
them). Tests that need the server skip, saying why, only when those binaries are absent. initdb refuses to run
as root: as root (CI containers), the cluster runs as the `postgres` system user the package creates.
"""

from __future__ import annotations

import glob
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from readonly_folder import running_as_root

SUPERUSER = "qpvadmin"


def server_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


@dataclass
class Cluster:
    bin: Path
    folder: Path  # data folder and socket folder (short path: a socket path is limited to ~100 bytes)
    port: int = 5432
    run_as: str | None = None

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = list(args)
        if self.run_as:
            cmd = ["runuser", "-u", self.run_as, "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=120)

    def init(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "--auth-local=scram-sha-256",
                  "--pwfile", str(self.folder / "pw"), "-E", "UTF8", "--locale=C.UTF-8")
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(f"\nlisten_addresses = ''\nunix_socket_directories = '{self.folder}'\nport = {self.port}\n"
                       "fsync = off\nfull_page_writes = off\n")  # fast, and still no commit lost to pg_ctl stop -m immediate

    def start(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def url(self, user: str = SUPERUSER, password: str | None = "admin", database: str = "postgres") -> str:
        auth = f"{user}:{password}" if password else user
        return f"postgresql://{auth}@/{database}?host={self.folder}&port={self.port}"

    def sql(self, statement: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(host=str(self.folder), port=self.port, user=SUPERUSER, password="admin",
                             dbname=database, autocommit=True) as conn:
            conn.execute(statement)

    def new_database(self, name: str) -> str:
        """A fresh, empty database (one per test keeps tests independent); returns its admin URL."""
        self.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.sql(f'CREATE DATABASE "{name}"')
        return self.url(database=name)


def start_cluster() -> Cluster | str:
    """A running cluster, or the reason (French) why none can run here."""
    binaries = server_bin()
    if binaries is None or not (binaries / "initdb").exists():
        return "PostgreSQL absent (/usr/lib/postgresql/*/bin) : .ci/run l'installe (apt-get install postgresql)"
    folder = Path(tempfile.mkdtemp(prefix="qpvpg-", dir="/tmp"))
    (folder / "pw").write_text("admin\n", encoding="utf-8")
    run_as = None
    if running_as_root():  # PostgreSQL refuses to run as root: the cluster belongs to the postgres user
        run_as = "postgres"
        shutil.chown(folder, user=run_as)
        shutil.chown(folder / "pw", user=run_as)
    cluster = Cluster(binaries, folder, port=5432, run_as=run_as)
    cluster.init()
    cluster.start()
    return cluster


def remove(cluster: Cluster) -> None:
    cluster.stop("immediate")
    shutil.rmtree(cluster.folder, ignore_errors=True)
