"""A throwaway PostgreSQL cluster for the team tests: initdb in a temporary folder, Unix socket only
(`listen_addresses=''`: no network port), started with pg_ctl and stopped at the end of the session.

`start_tls_cluster()` starts a second kind: it also listens on 127.0.0.1 (a free port) with TLS only (`hostssl`
scram, `hostnossl` reject), a server certificate for « localhost » signed by a throwaway CA made with the `openssl`
command, and, when a French locale can be built here (localedef), server messages in French.

The server binaries come from the distribution's packages (/usr/lib/postgresql/<version>/bin; .ci/run installs
them). Tests that need the server skip, saying why, only when those binaries are absent. initdb refuses to run
as root: as root (CI containers), the cluster runs as the `postgres` system user the package creates.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
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
    tcp_host: str = ""  # "127.0.0.1": also listens there (TLS cluster); "": Unix socket only
    settings: dict[str, str] = field(default_factory=dict)  # more postgresql.conf lines
    env: dict[str, str] = field(default_factory=dict)  # more environment for the server (LOCPATH)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = list(args)
        if self.run_as:
            cmd = ["runuser", "-u", self.run_as, "--", *cmd]
        env = {**os.environ, **self.env} if self.env else None
        return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=120, env=env)

    def init(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "--auth-local=scram-sha-256",
                  "--pwfile", str(self.folder / "pw"), "-E", "UTF8", "--locale=C.UTF-8")
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(f"\nlisten_addresses = '{self.tcp_host}'\nunix_socket_directories = '{self.folder}'\n"
                       f"port = {self.port}\n"
                       "fsync = off\nfull_page_writes = off\n")  # fast, and still no commit lost to pg_ctl stop -m immediate
            conf.writelines(f"{key} = '{value}'\n" for key, value in self.settings.items())
        if self.tcp_host:  # TLS or nothing on the network; the Unix socket stays for the tests' own admin SQL
            (self.data / "pg_hba.conf").write_text(
                "local all all scram-sha-256\n"
                f"hostssl all all {self.tcp_host}/32 scram-sha-256\n"
                f"hostnossl all all {self.tcp_host}/32 reject\n", encoding="utf-8")

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
    made = _new_cluster()
    if isinstance(made, str):
        return made
    made.init()
    made.start()
    return made


def _new_cluster(**options) -> Cluster | str:  # noqa: ANN003
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
    return Cluster(binaries, folder, port=options.pop("port", 5432), run_as=run_as, **options)


def remove(cluster: Cluster) -> None:
    cluster.stop("immediate")
    shutil.rmtree(cluster.folder, ignore_errors=True)


# --- the TLS cluster -------------------------------------------------------------------------------------------


@dataclass
class TlsCluster(Cluster):
    ca: Path = Path()  # the CA that signed the server's certificate (what IT gives the members as sslrootcert)
    other_ca: Path = Path()  # a CA that signed nothing here
    messages_language: str = "en"  # "fr" when the server speaks French (lc_messages)

    def tcp_url(self, user: str, password: str | None = None, database: str = "postgres", host: str = "localhost",
                sslmode: str = "verify-full", ca: Path | None = None) -> str:
        auth = f"{user}:{password}" if password else user
        query = f"sslmode={sslmode}" + (f"&sslrootcert={ca or self.ca}" if sslmode.startswith("verify") else "")
        return f"postgresql://{auth}@{host}:{self.port}/{database}?{query}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def make_certificates(folder: Path) -> None:
    """ca.pem (+ other-ca.pem), and server.crt / server.key for CN and SAN « localhost », signed by ca.pem."""
    for name in ("ca", "other-ca"):
        _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN=qpvdesk test {name}",
                 "-keyout", f"{name}.key", "-out", f"{name}.pem", cwd=folder)
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key",
             "-out", "server.csr", cwd=folder)
    (folder / "san.ext").write_text("subjectAltName = DNS:localhost\n", encoding="utf-8")
    _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
             "-days", "2", "-extfile", "san.ext", "-out", "server.crt", cwd=folder)


def french_locale(folder: Path) -> Path | None:
    """A folder holding fr_FR.UTF-8 (for the server's LOCPATH), or None when it cannot be built here."""
    target = folder / "locale"
    target.mkdir()
    done = subprocess.run(["localedef", "-i", "fr_FR", "-f", "UTF-8", str(target / "fr_FR.UTF-8")],
                          capture_output=True, timeout=120, check=False) if shutil.which("localedef") else None
    return target if done is not None and done.returncode == 0 else None


def start_tls_cluster() -> TlsCluster | str:
    """A running cluster reachable at 127.0.0.1:port with TLS only, or the reason (French) why none can run here.
    Its server messages are in French when a French locale and PostgreSQL's French catalogue are present."""
    if shutil.which("openssl") is None:
        return "commande openssl absente : .ci/run l'installe (apt-get install openssl)"
    made = _new_cluster(port=free_port(), tcp_host="127.0.0.1")
    if isinstance(made, str):
        return made
    tls = made.folder / "tls"
    tls.mkdir()
    make_certificates(tls)
    settings = {"ssl": "on", "ssl_cert_file": str(tls / "server.crt"), "ssl_key_file": str(tls / "server.key")}
    language, env = "en", {}
    locale = french_locale(made.folder)
    if locale is not None and glob.glob("/usr/share/locale/fr/LC_MESSAGES/postgres-*.mo"):
        language, env = "fr", {"LOCPATH": str(locale)}
        settings["lc_messages"] = "fr_FR.UTF-8"
    cluster = TlsCluster(made.bin, made.folder, made.port, made.run_as, made.tcp_host, settings, env,
                         ca=tls / "ca.pem", other_ca=tls / "other-ca.pem", messages_language=language)
    if cluster.run_as:  # the server reads its key as its own user, and refuses a key others can read
        for path in [made.folder / "locale", tls, *tls.iterdir()]:
            shutil.chown(path, user=cluster.run_as)
    (tls / "server.key").chmod(0o600)
    cluster.init()
    cluster.start()
    return cluster
